// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"
#include "common/JsonDom.h"

#include <chrono>

namespace ClearSignal::Fakes {

/// The Events API 2.0 request body (research/tiktok-api.md 1.3, 1.6, 1.8), checked strictly: every key must be
/// one the schema names, with its type. The error is the message of TikTok's code 40002 for the first problem,
/// in document order, in TikTok's style: "Batch.0.properties.contents.0.content_id: Not a valid string".
class EventsApiSchema final
{
public:
    /// The accepted window for event_time. TikTok's own web limit is undocumented (UNVERIFIED in the research);
    /// 28 days for offline and CRM follows the offline documentation quoted there.
    struct Limits
    {
        std::chrono::seconds maxFuture{10 * 60};
        std::chrono::seconds maxAge{7 * 24 * 3600};         ///< web and app events
        std::chrono::seconds maxOfflineAge{28 * 24 * 3600}; ///< offline and crm events
    };

    static constexpr int maxEvents = 1000;

    const Limits& limits() const { return m_limits; }
    void setLimits(const Limits& limits) { m_limits = limits; }

    /// Checks a parsed request body against the schema, with event_time judged against nowSeconds.
    Status validate(const JsonDom& body, qint64 nowSeconds) const;

    /// "10 minutes", "7 days": how limits read in messages.
    static QString describe(std::chrono::seconds duration);

private:
    Limits m_limits;
};

} // namespace ClearSignal::Fakes
