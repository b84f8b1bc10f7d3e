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

class GuardedTcpServer;
class StoreWriter;

/// The relay's HTTP side (Relay HTTP v1 in docs/ARCHITECTURE.md): /v1/events, /v1/consent, /v1/health, /cs.js
/// and CORS preflights.
///
/// Group commit: requests are prepared as they arrive and answered only after the transaction holding them
/// committed. The commit runs on the writer thread; while it reaches the disk, the requests arriving here are
/// prepared and wait together for the next one, so one fsync serves many requests and durability does not cap
/// throughput.
class IngestServer final : public QObject
{
    Q_OBJECT

public:
    IngestServer(EventIngestor& ingestor, StoreWriter& writer, QObject* parent = nullptr);
    ~IngestServer() override;

    /// Listens on `address`; port 0 picks a free one. The error says what to do (port in use, no permission).
    Status listen(const QHostAddress& address, quint16 port);
    quint16 port() const { return m_port; }

    void setCollectorScript(QByteArray script) { m_collectorScript = std::move(script); }
    void setHealthProvider(std::function<QJsonObject()> provider) { m_health = std::move(provider); }
    void setRateLimitPerMinute(int requests) { m_rateLimitPerMinute = requests; }
    /// Requests waiting for a commit are handed over together, up to this many.
    static constexpr int maxRequestsPerCommit = 512;

    /// Stops listening, and commits and answers every request already read; returns when all are answered.
    void drain();

private:
    struct Pending;
    void handle(const QHttpServerRequest& request, QHttpServerResponder&& responder);
    void answerNow(QHttpServerResponder& responder, HttpAnswer answer, const QString& origin);
    bool allowClient(const QHostAddress& address);
    static QHostAddress clientAddress(const QHttpServerRequest& request);
    void commitPending();
    void onCommitted(std::vector<std::unique_ptr<Pending>> batch, const Expected<QList<HttpAnswer>>& answers);

    EventIngestor& m_ingestor;
    StoreWriter& m_writer;
    bool m_committing = false;
    bool m_draining = false;
    std::unique_ptr<QHttpServer> m_server;
    GuardedTcpServer* m_tcpServer = nullptr; ///< owned by m_server
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
