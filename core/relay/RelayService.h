// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Dispatcher.h"
#include "EventIngestor.h"
#include "IngestServer.h"
#include "RelayStore.h"
#include "storage/WorkspaceSettings.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace ClearSignal {

class Workspace;

/// What a relay is started with, beyond its workspace.
struct RelayOptions
{
    QString listen;        ///< HOST:PORT; empty means the workspace's setting
    QString endpoint;      ///< empty means the workspace's setting
    QString testEventCode; ///< empty means the workspace's setting
    QString accessToken;   ///< resolved by the caller from the keychain or the environment
};

/// The whole relay on one thread: ingest server, consent, sanitizer, durable queue and dispatcher over one
/// workspace. The CLI runs it on the main thread; the GUI moves it to its own QThread.
class RelayService final : public QObject
{
    Q_OBJECT

public:
    explicit RelayService(QObject* parent = nullptr);
    ~RelayService() override;

    /// Opens the workspace, loads its settings and rules, and starts listening and delivering.
    Status start(const QString& workspacePath, const RelayOptions& options,
                 HttpTransport* transport = nullptr, const Clock& clock = SystemClock::instance());
    /// Stops taking requests and commits what was read; items on the network are resent after a restart.
    void stop();

    quint16 port() const;
    QHostAddress address() const { return m_address; }
    QJsonObject health() const;
    /// True when the relay listens on something other than loopback (it then belongs behind a TLS proxy).
    bool isExposed() const { return !m_address.isLoopback(); }

signals:
    void storageFailed(const QString& message);
    void deliveryFailed(const QString& explanation);

private:
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<RelayStore> m_store;
    std::unique_ptr<EventIngestor> m_ingestor;
    std::unique_ptr<HttpTransport> m_ownTransport;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<IngestServer> m_server;
    WorkspaceSettings m_settings;
    QHostAddress m_address;
    const Clock* m_clock = &SystemClock::instance();
};

} // namespace ClearSignal
