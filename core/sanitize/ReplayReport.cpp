// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReplayReport.h"

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
    // Every gate finding means the rules would have sent something they must not: health context, an
    // identifier, a value too tangled to check, or a malformed item.
    for (const PhiHit& hit : result.hits) {
        Finding finding;
        finding.line = line;
        finding.eventId = result.eventId;
        finding.field = hit.field;
        finding.term = hit.term;
        finding.category = hit.category;
        finding.reason = hit.kind == PhiKind::Unscannable ? u"unscannable_field:%1"_s.arg(hit.field)
                                                          : u"phi_in_kept_field:%1:%2"_s.arg(hit.field, hit.term);
        m_wouldLeak.append(finding);
    }
    for (const QString& reason : result.reasons) {
        if (reason.startsWith(u"phi_in_kept_field:"_s) || reason.startsWith(u"unscannable_field:"_s))
            continue; // listed above from the hits
        Finding finding;
        finding.line = line;
        finding.eventId = result.eventId;
        finding.reason = reason;
        finding.field = reason.section(u':', 1);
        (reason.startsWith(u"gate_blocked:"_s) ? m_wouldLeak : m_otherQuarantines).append(finding);
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
            if (finding.term.isEmpty())
                lines.append(describe(finding) + u": "_s + finding.reason);
            else
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
