// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RawEvent.h"
#include "common/Expected.h"
#include "common/JsonDom.h"

#include <QByteArrayView>

namespace ClearSignal {

/// Limits of cs-event/1. They bound the work any single event can cause.
struct EventLimits
{
    static constexpr qsizetype maxEventBytes = 64 * 1024;
    static constexpr int maxNameLength = 128;
    static constexpr int maxDepth = 16; ///< nesting of objects and arrays, the event object being depth 1
    static constexpr int maxFormFields = 200;
    static constexpr int maxCustomProperties = 200;
};

/// Strict, total parser of cs-event/1. Every input yields a RawEvent or an Error whose message
/// names the offending field; nothing throws, nothing is silently coerced.
class EventParser final
{
public:
    /// Parses one serialized event (UTF-8 JSON, at most EventLimits::maxEventBytes).
    static Expected<RawEvent> parse(const QByteArray& json);
    /// Validates one event inside a larger document (a relay request's {"events": [...]}).
    static Expected<RawEvent> parse(const JsonDom& dom, int node);
    /// Reads event_time given as Unix seconds or as an ISO-8601 string with a time zone.
    static Expected<qint64> parseEventTime(double seconds);
    static Expected<qint64> parseEventTime(const QString& iso8601);
};

} // namespace ClearSignal
