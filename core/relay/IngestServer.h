// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EventIngestor.h"
#include "HttpAnswer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

namespace ClearSignal {

class Workspace;

/// The relay's HTTP side (Relay HTTP v1 in docs/ARCHITECTURE.md): /v1/events, /v1/consent, /v1/health, /cs.js
/// and CORS preflights.
///
/// Group commit: requests are prepared as they arrive and answered only after the transaction holding them
/// committed, but all requests that arrived in one turn of the event loop share that transaction, so one
/// fsync serves many requests and durability does not cap throughput.
class IngestServer final : public QObject
{
    Q_OBJECT

public:
    IngestServer(EventIngestor& ingestor, Workspace& workspace, RelayStore& store, QObject* parent = nullptr);
    ~IngestServer() override;

    /// Listens on `address`; port 0 picks a free one. The error says what to do (port in use, no permission).
    Status listen(const QHostAddress& address, quint16 port);
    quint16 port() const { return m_port; }

    void setCollectorScript(QByteArray script) { m_collectorScript = std::move(script); }
    void setHealthProvider(std::function<QJsonObject()> provider) { m_health = std::move(provider); }
    void setRateLimitPerMinute(int requests) { m_rateLimitPerMinute = requests; }
    /// Requests prepared in one turn are committed together, up to this many.
    static constexpr int maxRequestsPerCommit = 512;

signals:
    /// New events were committed to the outbox: the dispatcher may have work.
    void eventsQueued();
    /// A commit failed (disk full, damaged file); the requests in it were answered 503.
    void storageFailed(const QString& message);

private:
    struct Pending;
    void handle(const QHttpServerRequest& request, QHttpServerResponder&& responder);
    void answerNow(QHttpServerResponder& responder, HttpAnswer answer, const QString& origin);
    bool allowClient(const QHostAddress& address);
    void commitPending();

    EventIngestor& m_ingestor;
    Workspace& m_workspace;
    RelayStore& m_store;
    std::unique_ptr<QHttpServer> m_server;
    quint16 m_port = 0;
    QByteArray m_collectorScript;
    std::function<QJsonObject()> m_health;
    int m_rateLimitPerMinute = 600;
    struct Bucket
    {
        double tokens = 0;
        qint64 lastMs = 0;
    };
    QHash<QHostAddress, Bucket> m_buckets;
    QElapsedTimer m_clock;
    std::vector<std::unique_ptr<Pending>> m_pending;
    QTimer m_commitTimer;
};

} // namespace ClearSignal
