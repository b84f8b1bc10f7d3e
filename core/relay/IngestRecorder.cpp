// SPDX-License-Identifier: GPL-3.0-or-later
#include "IngestRecorder.h"

#include "common/JsonDom.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

/// The audit record of one event: decisions, rule ids and field names, never a value.
QJsonObject auditRecord(const EventIngestor::Decided& decided, const QString& eventKey, int rulesRevision)
{
    QJsonObject record{{u"decision"_s, decisionName(decided.result.decision)},
                       {u"consent"_s, decided.consent},
                       {u"rules_revision"_s, rulesRevision}};
    if (!eventKey.isEmpty())
        record.insert(u"event_key"_s, eventKey);
    if (!decided.visitorKey.isEmpty())
        record.insert(u"visitor_key"_s, decided.visitorKey);
    if (!decided.result.tiktokEvent.isEmpty())
        record.insert(u"tiktok_event"_s, decided.result.tiktokEvent);
    if (!decided.result.mappingRule.isEmpty())
        record.insert(u"rule"_s, decided.result.mappingRule);
    if (!decided.result.reasons.isEmpty())
        record.insert(u"reasons"_s, QJsonArray::fromStringList(decided.result.reasonsWithoutTerms()));
    if (decided.result.decision == Decision::Forward) {
        // The names of the fields that leave; their values stay out of the file.
        QJsonArray fields;
        if (const Expected<JsonDom> item = JsonDom::parse(decided.result.item)) {
            for (int section = item->node(0).firstChild; section >= 0; section = item->node(section).nextSibling) {
                const QString name = item->key(section);
                if (item->node(section).type != JsonDom::Type::Object) {
                    fields.append(name);
                    continue;
                }
                for (int field = item->node(section).firstChild; field >= 0; field = item->node(field).nextSibling)
                    fields.append(QString(name + u'.' + item->key(field)));
            }
        }
        record.insert(u"fields"_s, fields);
    }
    return record;
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
        QJsonObject record = auditRecord(decided, eventKey, prepared.rulesRevision);
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
            if (*queued) {
                m_store.count(u"queued"_s);
            } else {
                record.insert(u"decision"_s, u"drop"_s);
                record.insert(u"reasons"_s, QJsonArray{u"duplicate_event_id"_s});
                m_store.count(u"dropped:duplicate_event_id"_s);
            }
        } else if (result.decision == Decision::Quarantine) {
            m_store.count(u"quarantined"_s);
        } else {
            m_store.count(u"dropped:"_s + result.reasons.value(0, u"policy"_s).section(u':', 0, 0));
        }
        m_store.auditEvent(std::move(record));
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
