// SPDX-License-Identifier: GPL-3.0-or-later
#include "SanitizeOutput.h"

#include "common/JsonWriter.h"

namespace ClearSignal::SanitizeOutput {

using namespace Qt::Literals::StringLiterals;

namespace {

void writeTrace(JsonWriter& writer, const QList<TraceEntry>& trace)
{
    writer.beginArray();
    for (const TraceEntry& entry : trace) {
        writer.beginObject();
        writer.field("field"_L1, QStringView(entry.field));
        writer.field("action"_L1, QStringView(entry.action));
        writer.field("rule"_L1, QStringView(entry.rule));
        writer.field("reason"_L1, QStringView(entry.reason));
        if (!entry.hits.isEmpty()) {
            writer.key("hits"_L1);
            writer.beginArray();
            for (const PhiHit& hit : entry.hits) {
                writer.beginObject();
                writer.field("term"_L1, QStringView(hit.term));
                writer.field("category"_L1, QStringView(hit.category));
                if (!hit.location.isEmpty())
                    writer.field("location"_L1, QStringView(hit.location));
                if (!hit.decoding.isEmpty())
                    writer.field("decoding"_L1, QStringView(hit.decoding));
                writer.endObject();
            }
            writer.endArray();
        }
        writer.endObject();
    }
    writer.endArray();
}

} // namespace

QByteArray resultLine(qint64 line, const SanitizeResult& result, bool explain)
{
    JsonWriter writer;
    writer.reserve(result.item.size() + 128);
    writer.beginObject();
    writer.field("line"_L1, line);
    writer.field("decision"_L1, decisionName(result.decision));
    if (!result.eventId.isEmpty())
        writer.field("event_id"_L1, QStringView(result.eventId));
    if (result.decision == Decision::Forward) {
        writer.key("tiktok"_L1);
        writer.raw(result.item);
    }
    writer.key("reasons"_L1);
    writer.beginArray();
    for (const QString& reason : result.reasons)
        writer.value(QStringView(reason));
    writer.endArray();
    if (explain) {
        writer.key("trace"_L1);
        writeTrace(writer, result.trace);
    }
    writer.endObject();
    return writer.take();
}

QByteArray rejectLine(qint64 line, const QString& error)
{
    JsonWriter writer;
    writer.beginObject();
    writer.field("line"_L1, line);
    writer.field("decision"_L1, "reject"_L1);
    writer.field("error"_L1, QStringView(u"line %1: %2"_s.arg(line).arg(error)));
    writer.endObject();
    return writer.take();
}

} // namespace ClearSignal::SanitizeOutput
