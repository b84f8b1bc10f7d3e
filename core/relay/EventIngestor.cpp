// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventIngestor.h"

#include "IngestAudit.h"
#include "common/JsonDom.h"
#include "event/EventParser.h"
#include "consent/ConsentReader.h"

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

} // namespace

void EventIngestor::setConfig(IngestConfig config)
{
    m_config = std::move(config);
    m_allowedOrigins.clear();
    for (const QString& allowed : std::as_const(m_config.allowedOrigins))
        m_allowedOrigins.append(originOf(allowed));
}

void EventIngestor::notePendingConsent(const QString& visitorId, const ConsentRecord& record)
{
    auto& [pending, commits] = m_pendingConsent[visitorId];
    if (commits == 0 || record.recordedAt >= pending.recordedAt)
        pending = record;
    ++commits;
}

void EventIngestor::forgetPendingConsent(const QString& visitorId)
{
    const auto it = m_pendingConsent.find(visitorId);
    if (it != m_pendingConsent.end() && --it->second <= 0)
        m_pendingConsent.erase(it);
}

bool EventIngestor::isOriginAllowed(const QString& origin) const
{
    return m_allowedOrigins.contains(origin, Qt::CaseInsensitive);
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
        decided.visitorKey = m_consent.hasher().hash(event.visitorId);
    if (event.has(EventField::EventId))
        decided.siteEventId = event.text(EventField::EventId);
    const Expected<std::optional<ConsentRecord>> stored = m_consent.consentForKey(decided.visitorKey);
    if (!stored) {
        decided.consentUnreadable = true; // fail closed: no decision without the records
        return decided;
    }
    std::optional<ConsentRecord> record = *stored;
    if (const auto pending = m_pendingConsent.constFind(event.visitorId); pending != m_pendingConsent.cend()) {
        if (!record || pending->first.recordedAt >= record->recordedAt)
            record = pending->first;
    }
    const ConsentVerdict verdict = decideConsent(m_config.consentPolicy, record, gpc);
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
    prepared.pixelId = m_config.sanitizer->rules().pixelId;
    prepared.testEventCode = m_config.testEventCode;
    prepared.rulesRevision = m_config.rulesRevision;
    if ((prepared.answer = checkRequest(request)))
        return prepared;
    if (m_queueDepth.load(std::memory_order_relaxed) >= m_config.maxQueuedEvents) {
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
        Decided decided = decide(index, std::move(*event), request.gpc);
        const QString& eventId = decided.siteEventId.isEmpty() ? decided.result.eventId : decided.siteEventId;
        if (!eventId.isEmpty())
            decided.eventKey = m_consent.hasher().hash(eventId);
        decided.audit = ingestAuditRecord(decided, prepared.rulesRevision, false);
        prepared.events.append(std::move(decided));
        if (prepared.events.constLast().consentUnreadable) {
            prepared.events.clear();
            prepared.answer = HttpAnswer::error(503, u"the relay could not read its consent records; send the events "
                                                     "again later"_s);
            return prepared;
        }
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

} // namespace ClearSignal
