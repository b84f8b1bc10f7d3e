// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpTransport.h"
#include "RelayStore.h"
#include "common/Clock.h"
#include "tiktok/EventsApiResponse.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>

namespace ClearSignal {

/// How the dispatcher talks to TikTok.
struct DispatchConfig
{
    QUrl endpoint;
    QString accessToken;
    int maxBatch = 1000;           ///< TikTok's limit per request
    int maxConcurrentRequests = 4;
    int requestTimeoutMs = 15000;
    qint64 maxEventAgeSeconds = 7 * 86400; ///< older events are dropped, with the reason, instead of sent
    int retryBaseSeconds = 2;
    int retryMaxSeconds = 600;
    int breakerThreshold = 5;      ///< consecutive failed requests that open the circuit
    int breakerOpenSeconds = 60;
    int unauthorizedPauseSeconds = 300;
    int gatherMs = 100; ///< how long wakeSoon() waits for more events
};

/// Delivers queued items to the Events API: batches of at most 1000 (test events alone), retries with
/// exponential backoff and jitter for rate limits, 5xx and network errors, no retry for refusals (a refused
/// batch is split in halves until the refused event is alone, and only that one is dead-lettered), and a
/// circuit breaker so an outage costs one probe a minute instead of a storm. Ingest never waits for it.
class Dispatcher final : public QObject
{
    Q_OBJECT

public:
    Dispatcher(RelayStore& store, HttpTransport& transport, const Clock& clock, DispatchConfig config,
               QObject* parent = nullptr);

    void setConfig(DispatchConfig config) { m_config = std::move(config); }
    /// Looks for due work now (the relay started).
    void wake();
    /// Looks for due work in a moment: new events were queued, and more are likely on their way, so they
    /// leave together in fewer, larger requests.
    void wakeSoon();
    /// True while requests are on the network.
    bool busy() const { return m_inFlight > 0; }
    /// For /v1/health: breaker state, the last TikTok error, requests on the network.
    QJsonObject status() const;

signals:
    void delivered(int events);
    void deliveryFailed(const QString& explanation);

private:
    void pump();
    void send(QList<QueuedItem> batch);
    void onAnswer(QList<QueuedItem> batch, const EventsApiResponse& response);
    void retry(const QList<QueuedItem>& batch, const EventsApiResponse& response);
    void refuse(QList<QueuedItem> batch, const EventsApiResponse& response);
    bool dropExpired(QList<QueuedItem>& items);
    void scheduleNextPump();
    QByteArray requestBody(const QList<QueuedItem>& batch) const;
    bool commit(const std::function<Status()>& work);

    RelayStore& m_store;
    HttpTransport& m_transport;
    const Clock& m_clock;
    DispatchConfig m_config;
    QTimer m_timer;
    int m_inFlight = 0;
    int m_consecutiveFailures = 0;
    qint64 m_pausedUntil = 0;
    QString m_pauseReason;
    QString m_lastError;
    qint64 m_lastErrorAt = 0;
    bool m_storageBroken = false;
};

} // namespace ClearSignal
