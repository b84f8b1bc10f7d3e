// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SanitizeResult.h"

#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

namespace ClearSignal {

/// Tallies a dry-run replay of a corpus through a rule set (`clearsignal-cli rules test`, the GUI's
/// corpus replay). Keeps only decisions, fields and terms, never event values.
class ReplayReport final
{
public:
    struct Finding
    {
        qint64 line = 0;
        QString eventId;  ///< empty when the id itself was unsafe
        QString field;
        QString term;
        QString category;
        QString reason;   ///< the stable reason code
    };

    void add(qint64 line, const SanitizeResult& result);
    void addReject(qint64 line, const QString& error);

    int forwarded() const { return m_forwarded; }
    int dropped() const { return m_dropped; }
    int quarantined() const { return m_quarantined; }
    int rejected() const { return int(m_rejects.size()); }
    int total() const { return m_forwarded + m_dropped + m_quarantined + rejected(); }

    /// Events the rules would have sent with health context, an identifier, a value too tangled to check,
    /// or a malformed item in them: the final gate stopped them. Each means a rule should change.
    const QList<Finding>& wouldLeak() const { return m_wouldLeak; }
    /// Events held back for other reasons (unmapped events under "quarantine").
    const QList<Finding>& otherQuarantines() const { return m_otherQuarantines; }
    const QList<QPair<qint64, QString>>& rejects() const { return m_rejects; }
    /// Drop counts by reason code.
    const QMap<QString, int>& dropReasons() const { return m_dropReasons; }

    /// Plain-text report for people.
    QString format() const;

private:
    int m_forwarded = 0;
    int m_dropped = 0;
    int m_quarantined = 0;
    QList<Finding> m_wouldLeak;
    QList<Finding> m_otherQuarantines;
    QList<QPair<qint64, QString>> m_rejects;
    QMap<QString, int> m_dropReasons;
};

} // namespace ClearSignal
