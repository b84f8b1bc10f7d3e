// SPDX-License-Identifier: GPL-3.0-or-later
#include "IngestRecorder.h"

#include "common/JsonDom.h"
#include "common/JsonWriter.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

/// The audit record of one event: decisions, rule ids and field names, never a value. Written directly as JSON
/// text: at thousands of events a second, building JSON objects for it cost more than storing the event.
QByteArray auditRecord(const EventIngestor::Decided& decided, const QString& eventKey, int rulesRevision,
                       bool duplicate)
{
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

} // namespace

Expected<HttpAnswer> IngestRecorder::write(const EventIngestor::Prepared& prepared)
{
    const qint64 now = m_clock.nowSeconds();
    if (prepared.kind == EventIngestor::Prepared::Kind::Consent) {
        if (Status recorded = m_store.recordConsent(prepared.consentVisitor, prepared.consentRecord); !recorded)
            return recorded.error();
        m_store.count(prepared.consentRecord.ads ? u"consent_granted"_s : u"consent_withdrawn"_s);
        HttpAnswer answer;
        answer.status = 204;
        return answer;
    }
    for (const EventIngestor::Decided& decided : prepared.events) {
        const SanitizeResult& result = decided.result;
        // The site's id, or the one the relay gave it; only its keyed hash is kept.
        const QString& eventId = decided.siteEventId.isEmpty() ? result.eventId : decided.siteEventId;
        const QString eventKey = eventId.isEmpty() ? QString() : m_store.hasher().hash(eventId);
        bool duplicate = false;
        if (result.decision == Decision::Forward) {
            QueuedItem item;
            item.pixelId = prepared.pixelId;
            item.eventId = result.eventId;
            item.testEventCode = prepared.testEventCode;
            item.eventTime = result.eventTime;
            item.item = result.item;
            item.rulesRevision = prepared.rulesRevision;
            const Expected<bool> queued = m_store.enqueue(item, now);
            if (!queued)
                return queued.error();
            duplicate = !*queued;
            m_store.count(duplicate ? u"dropped:duplicate_event_id"_s : u"queued"_s);
        } else if (result.decision == Decision::Quarantine) {
            m_store.count(u"quarantined"_s);
        } else {
            m_store.count(u"dropped:"_s + result.reasons.value(0, u"policy"_s).section(u':', 0, 0));
        }
        m_store.auditEvent(auditRecord(decided, eventKey, prepared.rulesRevision, duplicate));
    }
    m_store.count(u"received"_s, prepared.events.size() + prepared.rejected.size());
    if (!prepared.rejected.isEmpty())
        m_store.count(u"rejected_invalid"_s, prepared.rejected.size());
    if (prepared.rejected.isEmpty()) {
        // The common answer, without building a JSON document for it.
        HttpAnswer answer;
        answer.status = 202;
        answer.body = "{\"accepted\":" + QByteArray::number(prepared.events.size()) + ",\"rejected\":[]}";
        return answer;
    }
    return HttpAnswer::json(202, QJsonObject{{u"accepted"_s, int(prepared.events.size())},
                                             {u"rejected"_s, prepared.rejected}});
}

Status IngestRecorder::finishCommit()
{
    return m_store.flushPending(m_clock.nowSeconds());
}

} // namespace ClearSignal
