// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PayloadGate.h"
#include "SanitizeResult.h"
#include "common/Clock.h"
#include "event/RawEvent.h"
#include "rules/RuleSet.h"

#include <memory>

namespace ClearSignal {

/// Turns a site's event into at most one TikTok Events API 2.0 data[] item, under a RuleSet.
///
/// The order is fixed: time limits, event mapping (only standard names leave), field policies
/// (default: only ttclid, ttp, event_time, event_id, value and currency), serialization, and the
/// PayloadGate on the serialized bytes. Anything the gate objects to is quarantined, never sent.
/// The relay, the CLI and the preview all call this, so they cannot disagree.
class Sanitizer final
{
public:
    struct Options
    {
        bool explain = false; ///< fill SanitizeResult::trace, scanning dropped values to say why
    };

    /// Events more than this far in the future are dropped: a clock or unit mistake.
    static constexpr qint64 maxFutureSeconds = 600;

    /// Fails only when the bundled lexicon cannot be loaded.
    static Expected<Sanitizer> create(RuleSet rules, const Clock& clock = SystemClock::instance());

    SanitizeResult sanitize(const RawEvent& event, const Options& options) const;
    SanitizeResult sanitize(const RawEvent& event) const { return sanitize(event, Options{}); }

    const RuleSet& rules() const { return m_rules; }

private:
    Sanitizer(RuleSet rules, std::shared_ptr<const PhiScanner> scanner, const Clock& clock);

    struct Mapping
    {
        QString tiktokEvent;
        QString rule;
    };
    std::optional<Mapping> mapEvent(const RawEvent& event) const;
    QByteArray buildItem(const RawEvent& event, const QString& tiktokEvent, qint64 eventTime, const Options& options,
                         QList<TraceEntry>& trace) const;
    PhiHits scanForTrace(const QString& path, const QJsonValue& value, const QString& pageDomain = {}) const;
    QString safeEventId(const RawEvent& event) const;

    RuleSet m_rules;
    std::shared_ptr<const PhiScanner> m_scanner;
    std::shared_ptr<const PayloadGate> m_gate;
    const Clock* m_clock;
};

} // namespace ClearSignal
