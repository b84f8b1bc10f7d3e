// SPDX-License-Identifier: GPL-3.0-or-later
#include "IngestAudit.h"

#include "common/JsonDom.h"
#include "common/JsonWriter.h"

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

QByteArray ingestAuditRecord(const EventIngestor::Decided& decided, int rulesRevision, bool duplicate)
{
    const QString& eventKey = decided.eventKey;
    const SanitizeResult& result = decided.result;
    JsonWriter w;
    w.reserve(320);
    w.beginObject();
    w.field("decision"_L1, duplicate ? "drop"_L1 : decisionName(result.decision));
    w.field("consent"_L1, decided.consent);
    w.field("rules_revision"_L1, rulesRevision);
    if (!eventKey.isEmpty())
        w.field("event_key"_L1, eventKey);
    if (!decided.visitorKey.isEmpty())
        w.field("visitor_key"_L1, decided.visitorKey);
    if (!result.tiktokEvent.isEmpty())
        w.field("tiktok_event"_L1, result.tiktokEvent);
    if (!result.mappingRule.isEmpty())
        w.field("rule"_L1, result.mappingRule);
    const QStringList reasons = duplicate ? QStringList{u"duplicate_event_id"_s} : result.reasonsWithoutTerms();
    if (!reasons.isEmpty()) {
        w.key("reasons"_L1);
        w.beginArray();
        for (const QString& reason : reasons)
            w.value(reason);
        w.endArray();
    }
    if (result.decision == Decision::Forward) {
        // The names of the fields that leave; their values stay out of the file.
        w.key("fields"_L1);
        w.beginArray();
        if (const Expected<JsonDom> item = JsonDom::parse(result.item)) {
            for (int section = item->node(0).firstChild; section >= 0; section = item->node(section).nextSibling) {
                const QString name = item->key(section);
                if (item->node(section).type != JsonDom::Type::Object) {
                    w.value(name);
                    continue;
                }
                for (int field = item->node(section).firstChild; field >= 0; field = item->node(field).nextSibling)
                    w.value(QString(name + u'.' + item->key(field)));
            }
        }
        w.endArray();
    }
    w.endObject();
    return w.take();
}


} // namespace ClearSignal
