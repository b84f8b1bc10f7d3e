// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventsApiRequest.h"

#include "common/JsonWriter.h"

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

Expected<QByteArray> EventsApiRequest::toJson() const
{
    static const QStringList sources = {u"web"_s, u"app"_s, u"offline"_s, u"crm"_s};
    if (!sources.contains(eventSource))
        return Error{u"event_source must be web, app, offline or crm, not \"%1\""_s.arg(eventSource)};
    if (eventSourceId.trimmed().isEmpty())
        return Error{u"event_source_id is empty: set the pixel ID (or CRM event set ID) in the rules"_s};
    if (items.isEmpty())
        return Error{u"an Events API request needs at least one event"_s};
    if (items.size() > maxEvents)
        return Error{u"an Events API request holds at most %1 events, not %2"_s.arg(maxEvents).arg(items.size())};

    JsonWriter writer;
    qsizetype size = 128;
    for (const QByteArray& item : items)
        size += item.size() + 1;
    writer.reserve(size);
    writer.beginObject();
    writer.field("event_source"_L1, QStringView(eventSource));
    writer.field("event_source_id"_L1, QStringView(eventSourceId));
    if (!testEventCode.isEmpty())
        writer.field("test_event_code"_L1, QStringView(testEventCode));
    writer.key("data"_L1);
    writer.beginArray();
    for (const QByteArray& item : items)
        writer.raw(item);
    writer.endArray();
    writer.endObject();
    return writer.take();
}

} // namespace ClearSignal
