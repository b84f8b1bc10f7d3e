// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "phi/PhiHit.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace ClearSignal {

enum class Decision {
    Forward,   ///< the sanitized item may be sent to TikTok
    Drop,      ///< not sent, by policy (unmapped event, too old, no consent)
    Quarantine ///< not sent, held for a person to look at: sending it would have leaked PHI
};

QLatin1StringView decisionName(Decision decision);

/// What happened to one field, and why. Never holds the field's value: only the rule,
/// a human reason, and for health context the terms found.
struct TraceEntry
{
    QString field;  ///< "page.url", "event", "form.email"
    QString action; ///< kept, dropped, hashed, passed_through_hash, reduced_to_origin, reduced_to_path,
                    ///< categorized, truncated, normalized, moved, renamed, not_sent
    QString rule;   ///< "fields.page.url", "default", "mappings[booking]", "cs-event/1"
    QString reason; ///< for people
    PhiHits hits;   ///< health terms and identifier kinds found in the value
};

/// The sanitizer's answer for one event.
struct SanitizeResult
{
    Decision decision = Decision::Drop;
    QString eventId;      ///< the event's id when it is safe to show, else empty
    QString tiktokEvent;  ///< the standard event name it was mapped to, if any
    QString mappingRule;  ///< the rule that mapped it ("mappings[booking]", "standard_event_names"), if any
    qint64 eventTime = 0; ///< the event time used (receipt time when the event had none)
    QByteArray item;      ///< one Events API 2.0 data[] item: set only when decision is Forward
    QStringList reasons;  ///< stable codes: "unmapped_event", "phi_in_kept_field:page.url:semaglutide"
    PhiHits hits;         ///< what the final gate found, when it quarantined the event
    QList<TraceEntry> trace; ///< every field's fate (filled when explaining)

    /// The reasons as they may be stored (the relay's audit trail): a health term found in a field is replaced
    /// by its category ("phi_in_kept_field:page.url:medication"), since the term itself can be health information.
    QStringList reasonsWithoutTerms() const;
};

} // namespace ClearSignal
