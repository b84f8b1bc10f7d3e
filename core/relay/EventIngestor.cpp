// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventIngestor.h"

#include "common/JsonDom.h"
#include "event/EventParser.h"
#include "storage/Workspace.h"

#include <QJsonObject>
#include <QUrl>
#include <QUuid>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

bool isAcceptedContentType(const QByteArray& contentType)
{
    // sendBeacon() sends text/plain so the browser needs no CORS preflight; JSON is for everything else.
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    return type == "application/json" || type == "text/plain";
}

QString originOf(const QString& url)
{
    const QUrl parsed(url);
    if (!parsed.isValid() || parsed.host().isEmpty())
        return {};
    return parsed.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
        .toString(QUrl::FullyEncoded)
        .toLower();
}

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
        record.insert(u"reasons"_s, QJsonArray::fromStringList(decided.result.reasons));
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

bool EventIngestor::isOriginAllowed(const QString& origin) const
{
    const QString normalized = origin.toLower();
    return std::any_of(m_config.allowedOrigins.begin(), m_config.allowedOrigins.end(),
                       [&](const QString& allowed) { return originOf(allowed) == normalized; });
}

QList<std::pair<QByteArray, QByteArray>> EventIngestor::corsHeaders(const QString& origin) const
{
    if (origin.isEmpty() || !isOriginAllowed(origin))
        return {};
    return {{"Access-Control-Allow-Origin", origin.toUtf8()},
            {"Vary", "Origin"},
            {"Access-Control-Allow-Methods", "POST, OPTIONS"},
            {"Access-Control-Allow-Headers", "Content-Type, X-ClearSignal-Key"},
            {"Access-Control-Max-Age", "600"}};
}

std::optional<HttpAnswer> EventIngestor::checkRequest(const IngestRequest& request) const
{
    if (request.ingestKey.isEmpty())
        return HttpAnswer::error(401, u"no ingest key: send the site's key in the X-ClearSignal-Key header "
                                      "(or ?key= for beacons)"_s);
    if (request.ingestKey != m_config.ingestKey)
        return HttpAnswer::error(401, u"wrong ingest key: copy the key from the workspace "
                                      "(clearsignal-cli workspace show)"_s);
    if (!request.origin.isEmpty() && !isOriginAllowed(request.origin))
        return HttpAnswer::error(403, u"the origin %1 is not allowed to send events; add it to the workspace's "
                                      "origins (clearsignal-cli workspace set FILE origins=...)"_s
                                          .arg(request.origin.left(200)));
    if (!isAcceptedContentType(request.contentType))
        return HttpAnswer::error(415, u"send application/json or text/plain, not %1"_s.arg(
                                          QString::fromLatin1(request.contentType.left(100))));
    if (request.body.size() > maxBodyBytes)
        return HttpAnswer::error(413, u"the request is larger than 1 MiB; send fewer events per request"_s);
    return std::nullopt;
}

EventIngestor::Decided EventIngestor::decide(int index, RawEvent event, bool gpc) const
{
    Decided decided;
    decided.index = index;
    if (!event.visitorId.isEmpty())
        decided.visitorKey = m_store.hasher().hash(event.visitorId);
    if (event.has(EventField::EventId))
        decided.eventKey = m_store.hasher().hash(event.text(EventField::EventId));
    const ConsentVerdict verdict =
        decideConsent(m_config.consentPolicy, m_store.consentFor(event.visitorId), gpc);
    decided.consent = consentVerdictReason(verdict);
    if (verdict != ConsentVerdict::Allowed) {
        // Not sanitized further: nothing of it may leave, and nothing of it is kept.
        decided.result.decision = Decision::Drop;
        decided.result.reasons = {decided.consent};
        return decided;
    }
    if (!event.has(EventField::EventId)) {
        // An id of our own lets TikTok drop the copy if a crash makes the relay send it twice.
        event.setText(EventField::EventId, u"cs-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces));
    }
    decided.result = m_config.sanitizer->sanitize(event);
    return decided;
}

EventIngestor::Prepared EventIngestor::prepareEvents(const IngestRequest& request) const
{
    Prepared prepared;
    if ((prepared.answer = checkRequest(request)))
        return prepared;
    if (m_store.queueDepth() >= m_config.maxQueuedEvents) {
        prepared.answer = HttpAnswer::error(503, u"the relay's queue is full (TikTok has not accepted events for a "
                                                 "while); try again later"_s);
        return prepared;
    }
    Expected<JsonDom> dom = JsonDom::parse(request.body, EventLimits::maxDepth + 2);
    if (!dom) {
        prepared.answer = HttpAnswer::error(400, dom.errorMessage());
        return prepared;
    }
    const JsonDom::Node& root = dom->node(0);
    QList<int> eventNodes;
    const int batch = root.type == JsonDom::Type::Object ? dom->member(0, "events"_L1) : -1;
    if (batch >= 0 && root.childCount == 1) {
        if (dom->node(batch).type != JsonDom::Type::Array) {
            prepared.answer = HttpAnswer::error(400, u"\"events\" must be an array of events"_s);
            return prepared;
        }
        for (int child = dom->node(batch).firstChild; child >= 0; child = dom->node(child).nextSibling)
            eventNodes.append(child);
        if (eventNodes.isEmpty()) {
            prepared.answer = HttpAnswer::error(400, u"\"events\" is empty; send at least one event"_s);
            return prepared;
        }
        if (eventNodes.size() > maxEventsPerRequest) {
            prepared.answer = HttpAnswer::error(
                413, u"%1 events in one request; send at most %2"_s.arg(eventNodes.size()).arg(maxEventsPerRequest));
            return prepared;
        }
    } else if (root.type == JsonDom::Type::Object) {
        eventNodes.append(0);
    } else {
        prepared.answer = HttpAnswer::error(400, u"send one event object or {\"events\": [...]}"_s);
        return prepared;
    }
    for (int index = 0; index < eventNodes.size(); ++index) {
        Expected<RawEvent> event = EventParser::parse(*dom, eventNodes.at(index));
        if (!event) {
            prepared.rejected.append(QJsonObject{{u"index"_s, index}, {u"error"_s, event.errorMessage()}});
            continue;
        }
        prepared.events.append(decide(index, std::move(*event), request.gpc));
    }
    return prepared;
}

EventIngestor::Prepared EventIngestor::prepareConsent(const IngestRequest& request) const
{
    Prepared prepared;
    prepared.kind = Prepared::Kind::Consent;
    if ((prepared.answer = checkRequest(request)))
        return prepared;
    Expected<JsonDom> dom = JsonDom::parse(request.body, 2);
    if (!dom || dom->node(0).type != JsonDom::Type::Object) {
        prepared.answer = HttpAnswer::error(
            400, dom ? u"send a JSON object: {\"visitor_id\": \"...\", \"ads\": true, \"source\": \"banner\"}"_s
                     : dom.errorMessage());
        return prepared;
    }
    for (int member = dom->node(0).firstChild; member >= 0; member = dom->node(member).nextSibling) {
        const JsonDom::Node& node = dom->node(member);
        const QString key = dom->key(member);
        if (key == "visitor_id"_L1 && node.type == JsonDom::Type::String) {
            prepared.consentVisitor = dom->string(member);
        } else if (key == "ads"_L1 && node.type == JsonDom::Type::Bool) {
            prepared.consentRecord.ads = node.boolean;
        } else if (key == "source"_L1 && node.type == JsonDom::Type::String) {
            prepared.consentRecord.source = dom->string(member);
        } else if (key == "timestamp"_L1 && (node.type == JsonDom::Type::Number || node.type == JsonDom::Type::String)) {
            const Expected<qint64> time = node.type == JsonDom::Type::Number
                                              ? EventParser::parseEventTime(node.number)
                                              : EventParser::parseEventTime(dom->string(member));
            if (!time) {
                prepared.answer = HttpAnswer::error(400, u"timestamp: "_s + time.errorMessage());
                return prepared;
            }
            prepared.consentRecord.recordedAt = *time;
        } else {
            prepared.answer = HttpAnswer::error(400, u"unexpected field \"%1\" or wrong type; a consent record has "
                                                     "visitor_id (string), ads (true or false), source and "
                                                     "timestamp"_s.arg(key.left(64)));
            return prepared;
        }
    }
    static const QStringList sources = {u"banner"_s, u"form"_s, u"crm"_s};
    if (prepared.consentVisitor.isEmpty() || prepared.consentVisitor.size() > 128)
        prepared.answer = HttpAnswer::error(400, u"visitor_id is required (1 to 128 characters)"_s);
    else if (dom->member(0, "ads"_L1) < 0)
        prepared.answer = HttpAnswer::error(400, u"ads is required: true to grant, false to withdraw"_s);
    else if (!sources.contains(prepared.consentRecord.source))
        prepared.answer = HttpAnswer::error(400, u"source must be banner, form or crm"_s);
    const qint64 now = m_clock.nowSeconds();
    if (prepared.consentRecord.recordedAt == 0 || prepared.consentRecord.recordedAt > now)
        prepared.consentRecord.recordedAt = now; // a client clock ahead of ours must not pin its answer forever
    // A GPC signal turns a grant into a withdrawal: the browser's standing objection wins.
    if (request.gpc)
        prepared.consentRecord.ads = false;
    return prepared;
}

Expected<HttpAnswer> EventIngestor::write(const Prepared& prepared)
{
    const qint64 now = m_clock.nowSeconds();
    if (prepared.kind == Prepared::Kind::Consent) {
        if (Status recorded = m_store.recordConsent(prepared.consentVisitor, prepared.consentRecord); !recorded)
            return recorded.error();
        m_store.count(prepared.consentRecord.ads ? u"consent_granted"_s : u"consent_withdrawn"_s);
        HttpAnswer answer;
        answer.status = 204;
        return answer;
    }
    for (const Decided& decided : prepared.events) {
        const SanitizeResult& result = decided.result;
        const QString eventKey = !decided.eventKey.isEmpty() || result.eventId.isEmpty()
                                     ? decided.eventKey
                                     : m_store.hasher().hash(result.eventId); // the id the relay gave it
        QJsonObject record = auditRecord(decided, eventKey, m_config.rulesRevision);
        if (result.decision == Decision::Forward) {
            const QString pixelId = m_config.sanitizer->rules().pixelId;
            if (m_store.isKnownEvent(pixelId, result.eventId)) {
                record.insert(u"decision"_s, u"drop"_s);
                record.insert(u"reasons"_s, QJsonArray{u"duplicate_event_id"_s});
                m_store.count(u"dropped:duplicate_event_id"_s);
            } else {
                QueuedItem item;
                item.pixelId = pixelId;
                item.eventId = result.eventId;
                item.testEventCode = m_config.testEventCode;
                item.eventTime = result.eventTime;
                item.item = result.item;
                item.rulesRevision = m_config.rulesRevision;
                if (Status queued = m_store.enqueue(item, now); !queued)
                    return queued.error();
                m_store.count(u"queued"_s);
            }
        } else if (result.decision == Decision::Quarantine) {
            m_store.count(u"quarantined"_s);
        } else {
            m_store.count(u"dropped:"_s + result.reasons.value(0, u"policy"_s).section(u':', 0, 0));
        }
        if (Status audited = m_store.audit(u"event"_s, record, now); !audited)
            return audited.error();
    }
    m_store.count(u"received"_s, prepared.events.size() + prepared.rejected.size());
    if (!prepared.rejected.isEmpty())
        m_store.count(u"rejected_invalid"_s, prepared.rejected.size());
    return HttpAnswer::json(202, QJsonObject{{u"accepted"_s, int(prepared.events.size())},
                                             {u"rejected"_s, prepared.rejected}});
}

} // namespace ClearSignal
