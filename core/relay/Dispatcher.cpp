// SPDX-License-Identifier: GPL-3.0-or-later
#include "Dispatcher.h"

#include "storage/Workspace.h"
#include "tiktok/EventsApiRequest.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QPointer>
#include <QScopeGuard>

Q_LOGGING_CATEGORY(lcDispatch, "clearsignal.relay.dispatch", QtWarningMsg)
#include <QRandomGenerator>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonArray eventKeys(const RelayStore& store, const QList<QueuedItem>& batch)
{
    QJsonArray keys;
    for (const QueuedItem& item : batch)
        keys.append(store.hasher().hash(item.eventId));
    return keys;
}

/// TikTok's code for the audit trail; null when no envelope came back (a network error, an HTML 502).
QJsonValue codeValue(const EventsApiResponse& response)
{
    return response.code ? QJsonValue(double(*response.code)) : QJsonValue();
}

} // namespace

Dispatcher::Dispatcher(RelayStore& store, HttpTransport& transport, const Clock& clock, DispatchConfig config,
                       QObject* parent)
    : QObject(parent), m_store(store), m_transport(transport), m_clock(clock), m_config(std::move(config))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Dispatcher::pump);
}

void Dispatcher::wake()
{
    if (!m_timer.isActive() || m_timer.remainingTime() > 0)
        m_timer.start(0);
}

void Dispatcher::wakeSoon()
{
    if (m_storageBroken && m_timer.isActive())
        return; // the file refused a write: new events do not hurry the next attempt
    if (!m_timer.isActive() || m_timer.remainingTime() > m_config.gatherMs)
        m_timer.start(m_config.gatherMs);
}

bool Dispatcher::commit(const std::function<Status()>& work)
{
    QElapsedTimer took;
    took.start();
    const auto log = qScopeGuard([&] { qCDebug(lcDispatch) << "dispatcher commit" << took.nsecsElapsed() / 1000 << "us"; });
    Status done = m_store.workspace().transaction([&]() -> Status {
        if (Status result = work(); !result)
            return result;
        return m_store.flushPending(m_clock.nowSeconds());
    });
    if (!done) {
        m_store.resync();
        m_storageBroken = true;
        m_lastError = done.errorMessage();
        m_lastErrorAt = m_clock.nowSeconds();
        emit deliveryFailed(m_lastError);
        return false;
    }
    m_storageBroken = false;
    return true;
}

QJsonObject Dispatcher::status() const
{
    const qint64 now = m_clock.nowSeconds();
    QJsonObject status{{u"requests_in_flight"_s, m_inFlight},
                       {u"state"_s, m_pausedUntil > now ? u"paused"_s : u"running"_s}};
    if (m_pausedUntil > now) {
        status.insert(u"paused_for_seconds"_s, m_pausedUntil - now);
        status.insert(u"pause_reason"_s, m_pauseReason);
    }
    if (!m_lastError.isEmpty()) {
        status.insert(u"last_error"_s, m_lastError);
        status.insert(u"last_error_at"_s, m_lastErrorAt);
    }
    return status;
}

void Dispatcher::scheduleNextPump()
{
    const qint64 now = m_clock.nowSeconds();
    qint64 wait = m_store.secondsUntilNextDue(now);
    if (m_pausedUntil > now)
        wait = std::max(wait, m_pausedUntil - now);
    if (m_storageBroken)
        wait = std::max<qint64>(wait, 5); // a full disk: try again in a moment, without spinning
    if (wait < 0)
        return; // nothing queued: wake() brings it back
    m_timer.start(int(std::min<qint64>(wait, 3600) * 1000));
}

void Dispatcher::pump()
{
    const qint64 now = m_clock.nowSeconds();
    if (m_storageBroken && m_inFlight == 0) {
        // A failed commit may have left items marked as on the network; none is now, so they are free to go again.
        commit([&]() -> Status {
            const Expected<qint64> released = m_store.releaseInFlight();
            if (!released)
                return released.error();
            m_store.count(u"resent_after_storage_error"_s, *released);
            return Ok;
        });
    }
    if (m_pausedUntil > now) {
        scheduleNextPump();
        return;
    }
    // Half-open breaker: while it was tripped only one probe goes out; its answer reopens the flow.
    const int capacity = m_consecutiveFailures >= m_config.breakerThreshold ? 1 : m_config.maxConcurrentRequests;
    while (m_inFlight < capacity) {
        Expected<QList<QueuedItem>> due = m_store.due(now, m_config.maxBatch);
        if (!due || due->isEmpty())
            break;
        if (!dropExpired(*due))
            break; // the file refused the write: try again later (scheduleNextPump waits a moment)
        if (due->isEmpty())
            continue;
        // One request carries one pixel, one source and one test code; test events travel alone.
        const QString pixelId = due->first().pixelId;
        const QString source = due->first().eventSource;
        const QString testCode = due->first().testEventCode;
        QList<QueuedItem> batch;
        for (QueuedItem& item : *due) {
            if (item.pixelId != pixelId || item.eventSource != source || item.testEventCode != testCode)
                continue;
            batch.append(std::move(item));
            if (!testCode.isEmpty())
                break;
        }
        if (!commit([&] { return m_store.markInFlight(batch); }))
            break;
        send(std::move(batch));
    }
    // With room on the network, wake for the next retry that comes due; when it is full, the next answer pumps.
    if (m_inFlight < capacity)
        scheduleNextPump();
}

bool Dispatcher::dropExpired(QList<QueuedItem>& items)
{
    const qint64 oldest = m_clock.nowSeconds() - m_config.maxEventAgeSeconds;
    QList<QueuedItem> expired;
    for (qsizetype i = items.size() - 1; i >= 0; --i) {
        if (items.at(i).eventTime < oldest)
            expired.append(items.takeAt(i));
    }
    if (expired.isEmpty())
        return true;
    return commit([&]() -> Status {
        for (const QueuedItem& item : std::as_const(expired)) {
            if (Status kept = m_store.deadLetter(item, std::nullopt,
                                                 u"older than the event age limit; TikTok would not attribute it"_s,
                                                 QString(), m_clock.nowSeconds());
                !kept)
                return kept;
        }
        m_store.count(u"dropped:too_old_to_send"_s, expired.size());
        return m_store.audit(u"expired"_s,
                             QJsonObject{{u"events"_s, int(expired.size())},
                                         {u"event_keys"_s, eventKeys(m_store, expired)}},
                             m_clock.nowSeconds());
    });
}

QByteArray Dispatcher::requestBody(const QList<QueuedItem>& batch) const
{
    EventsApiRequest request;
    request.eventSource = batch.first().eventSource;
    request.eventSourceId = batch.first().pixelId;
    request.testEventCode = batch.first().testEventCode;
    for (const QueuedItem& item : batch)
        request.items.append(item.item);
    const Expected<QByteArray> body = request.toJson();
    return body ? *body : QByteArray();
}

void Dispatcher::send(QList<QueuedItem> batch)
{
    const QByteArray body = requestBody(batch);
    if (body.isEmpty()) {
        // Nothing malformed goes out (an item without a pixel id): the items are kept aside, as refused.
        EventsApiResponse refused;
        refused.outcome = DeliveryOutcome::Rejected;
        refused.message = u"the request could not be built (no pixel ID); check the rules"_s;
        refused.explanation = refused.message;
        refuse(std::move(batch), refused);
        return;
    }
    ++m_inFlight;
    // A transport may answer after the dispatcher is gone (the relay stopping): then the items stay in flight
    // in the file and the next start sends them again.
    m_transport.post(m_config.endpoint, {{"Access-Token", m_config.accessToken.toUtf8()}}, body,
                     m_config.requestTimeoutMs,
                     [this, alive = QPointer<Dispatcher>(this), batch = std::move(batch)](HttpResult result) mutable {
                         if (!alive)
                             return;
                         --m_inFlight;
                         const EventsApiResponse response =
                             result.status == 0 ? EventsApiResponse::networkError(result.networkError)
                                                : EventsApiResponse::parse(result.status, result.body);
                         onAnswer(std::move(batch), response);
                         if (m_storageBroken)
                             scheduleNextPump(); // not at once: that would resend in a loop while the disk is full
                         else
                             pump();
                     });
}

void Dispatcher::onAnswer(QList<QueuedItem> batch, const EventsApiResponse& response)
{
    const qint64 now = m_clock.nowSeconds();
    switch (response.outcome) {
    case DeliveryOutcome::Delivered: {
        m_consecutiveFailures = 0;
        // 20001 is accepted as integrations treat it, but TikTok does not document it (it may mean that some
        // events were not recorded): it is counted, audited with its code and shown, never passed silently.
        // TikTok's message is shown, not stored: the audit trail cannot be edited, and the text could echo values.
        const bool partial = response.code && *response.code != 0;
        QJsonObject record{{u"outcome"_s, u"delivered"_s},
                           {u"events"_s, int(batch.size())},
                           {u"event_keys"_s, eventKeys(m_store, batch)},
                           {u"code"_s, codeValue(response)},
                           {u"request_id"_s, response.requestId}};
        if (partial) {
            m_lastError = u"TikTok accepted %1 events with code %2 instead of 0 (\"%3\"); it may not have recorded "
                          "all of them (request %4)"_s.arg(batch.size())
                              .arg(*response.code)
                              .arg(response.message, response.requestId);
            m_lastErrorAt = now;
        }
        if (commit([&]() -> Status {
                if (Status done = m_store.markDelivered(batch, response.requestId, now); !done)
                    return done;
                m_store.count(u"delivered"_s, batch.size());
                if (partial)
                    m_store.count(u"partial_success_answers"_s);
                return m_store.audit(u"delivery"_s, record, now);
            }))
            emit delivered(int(batch.size()));
        if (partial)
            emit deliveryFailed(m_lastError);
        return;
    }
    case DeliveryOutcome::RetryLater:
        retry(batch, response);
        return;
    case DeliveryOutcome::Unauthorized:
        m_pausedUntil = now + m_config.unauthorizedPauseSeconds;
        m_pauseReason = response.explanation;
        retry(batch, response);
        return;
    case DeliveryOutcome::Rejected:
        if (!response.code) {
            // No TikTok envelope: the address or a proxy refused the request itself (a 404 page, a 400 from a
            // proxy). Splitting the batch would only refuse every event: pause and keep the queue instead.
            m_pausedUntil = now + m_config.unauthorizedPauseSeconds;
            m_pauseReason = u"the Events API address answered HTTP %1 without TikTok's answer; check the endpoint "
                            "setting"_s.arg(response.httpStatus);
            retry(batch, response);
            return;
        }
        refuse(std::move(batch), response);
        return;
    }
}

void Dispatcher::retry(const QList<QueuedItem>& batch, const EventsApiResponse& response)
{
    const qint64 now = m_clock.nowSeconds();
    ++m_consecutiveFailures;
    m_lastError = response.explanation;
    m_lastErrorAt = now;
    emit deliveryFailed(response.explanation);
    // Exponential backoff with jitter (half fixed, half random), so many relays recovering from the same outage
    // do not return in step; past the breaker threshold the whole flow waits for the probe.
    const int attempts = std::max(1, batch.first().attempts + 1);
    const qint64 ceiling =
        std::min<qint64>(m_config.retryMaxSeconds, qint64(m_config.retryBaseSeconds) << std::min(attempts - 1, 20));
    qint64 delay = ceiling / 2 + QRandomGenerator::global()->bounded(ceiling / 2 + 1);
    if (m_consecutiveFailures >= m_config.breakerThreshold) {
        delay = std::max<qint64>(delay, m_config.breakerOpenSeconds);
        m_pausedUntil = std::max(m_pausedUntil, now + m_config.breakerOpenSeconds);
        if (m_pauseReason.isEmpty() || m_pausedUntil == now + m_config.breakerOpenSeconds)
            m_pauseReason = u"TikTok failed %1 requests in a row; trying one request a minute until it answers"_s.arg(
                m_consecutiveFailures);
    }
    commit([&]() -> Status {
        m_store.count(u"retries"_s, batch.size());
        if (Status later = m_store.reschedule(batch, now + delay, response.explanation); !later)
            return later;
        return m_store.audit(u"delivery"_s,
                             QJsonObject{{u"outcome"_s, u"retry"_s},
                                         {u"events"_s, int(batch.size())},
                                         {u"code"_s, codeValue(response)},
                                         {u"http_status"_s, response.httpStatus},
                                         {u"request_id"_s, response.requestId},
                                         {u"retry_in_seconds"_s, delay}},
                             now);
    });
}

void Dispatcher::refuse(QList<QueuedItem> batch, const EventsApiResponse& response)
{
    m_consecutiveFailures = 0;
    if (batch.size() > 1) {
        // One bad event must not sink the other 999: halve until the refused one is alone.
        QList<QueuedItem> second = batch.mid(batch.size() / 2);
        batch.resize(batch.size() / 2);
        m_store.count(u"batches_split"_s);
        send(std::move(batch));
        send(std::move(second));
        return;
    }
    const QueuedItem& item = batch.first();
    const qint64 now = m_clock.nowSeconds();
    m_lastError = response.explanation;
    m_lastErrorAt = now;
    commit([&]() -> Status {
        if (Status kept = m_store.deadLetter(item, response.code, response.message, response.requestId, now); !kept)
            return kept;
        m_store.count(u"dead_lettered"_s);
        return m_store.audit(u"delivery"_s,
                             QJsonObject{{u"outcome"_s, u"refused"_s},
                                         {u"events"_s, 1},
                                         {u"event_keys"_s, eventKeys(m_store, batch)},
                                         {u"code"_s, codeValue(response)},
                                         {u"request_id"_s, response.requestId}},
                             now);
    });
    emit deliveryFailed(response.explanation);
}

} // namespace ClearSignal
