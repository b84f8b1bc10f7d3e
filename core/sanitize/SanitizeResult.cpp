// SPDX-License-Identifier: GPL-3.0-or-later
#include "SanitizeResult.h"

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

QLatin1StringView decisionName(Decision decision)
{
    switch (decision) {
    case Decision::Forward:
        return "forward"_L1;
    case Decision::Drop:
        return "drop"_L1;
    case Decision::Quarantine:
        return "quarantine"_L1;
    }
    return "drop"_L1;
}

QStringList SanitizeResult::reasonsWithoutTerms() const
{
    static const QLatin1StringView withTerm("phi_in_kept_field:");
    QStringList stored;
    for (const QString& reason : reasons) {
        if (!reason.startsWith(withTerm)) {
            stored.append(reason);
            continue;
        }
        const qsizetype termStart = reason.lastIndexOf(u':') + 1;
        const QStringView field = QStringView(reason).mid(withTerm.size(), termStart - 1 - withTerm.size());
        const QStringView term = QStringView(reason).mid(termStart);
        QString category = QStringLiteral("health_context");
        for (const PhiHit& hit : hits) {
            if (hit.term == term && (hit.field.isEmpty() || hit.field == field)) {
                category = hit.category;
                break;
            }
        }
        stored.append(QString(withTerm + field + u':' + category));
    }
    return stored;
}

} // namespace ClearSignal
