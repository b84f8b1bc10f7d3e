// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReplayReport.h"

#include <QMap>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

void ReplayReport::add(qint64 line, const SanitizeResult& result)
{
    switch (result.decision) {
    case Decision::Forward:
        ++m_forwarded;
        return;
    case Decision::Drop:
        ++m_dropped;
        for (const QString& reason : result.reasons)
            ++m_dropReasons[reason];
        return;
    case Decision::Quarantine:
        ++m_quarantined;
        break;
    }
    for (const QString& reason : result.reasons) {
        Finding finding;
        finding.line = line;
        finding.eventId = result.eventId;
        finding.reason = reason;
        const QStringList parts = reason.split(u':');
        if (parts.size() == 3 && parts.at(0) == "phi_in_kept_field"_L1) {
            finding.field = parts.at(1);
            finding.term = parts.at(2);
            finding.category = u"identifier"_s;
            for (const PhiHit& hit : result.hits) {
                if (hit.field == finding.field && hit.term == finding.term)
                    finding.category = hit.category;
            }
            m_wouldLeak.append(finding);
        } else {
            if (parts.size() >= 2)
                finding.field = parts.mid(1).join(u':');
            m_otherQuarantines.append(finding);
        }
    }
}

void ReplayReport::addReject(qint64 line, const QString& error)
{
    m_rejects.append({line, error});
}

QString ReplayReport::format() const
{
    QStringList lines;
    lines.append(u"%1 events: %2 forwarded, %3 dropped, %4 quarantined, %5 rejected"_s.arg(total())
                     .arg(m_forwarded)
                     .arg(m_dropped)
                     .arg(m_quarantined)
                     .arg(rejected()));
    for (auto it = m_dropReasons.begin(); it != m_dropReasons.end(); ++it)
        lines.append(u"  dropped %1: %2"_s.arg(it.key()).arg(it.value()));

    auto describe = [](const Finding& finding) {
        const QString id = finding.eventId.isEmpty() ? QString() : u" (event_id %1)"_s.arg(finding.eventId);
        return u"  line %1%2"_s.arg(finding.line).arg(id);
    };
    if (!m_wouldLeak.isEmpty()) {
        lines.append(QString());
        lines.append(u"WOULD LEAK: these events carried health context or identifiers in fields the rules send; the "
                     u"final gate quarantined them. Change the rules (drop or reduce the field) or allow the term."_s);
        for (const Finding& finding : m_wouldLeak) {
            lines.append(describe(finding) + u": %1 contains \"%2\" (%3)"_s.arg(finding.field, finding.term,
                                                                                   finding.category));
        }
    }
    if (!m_otherQuarantines.isEmpty()) {
        lines.append(QString());
        lines.append(u"QUARANTINED for other reasons:"_s);
        for (const Finding& finding : m_otherQuarantines)
            lines.append(describe(finding) + u": "_s + finding.reason);
    }
    if (!m_rejects.isEmpty()) {
        lines.append(QString());
        lines.append(u"REJECTED (not valid cs-event/1):"_s);
        for (const auto& [line, error] : m_rejects)
            lines.append(u"  line %1: %2"_s.arg(line).arg(error));
    }
    return lines.join(u'\n') + u'\n';
}

} // namespace ClearSignal
