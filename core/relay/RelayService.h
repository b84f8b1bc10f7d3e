// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EventIngestor.h"
#include "IngestServer.h"
#include "StoreWriter.h"
#include "consent/ConsentReader.h"
#include "storage/WorkspaceSettings.h"

#include <QHostAddress>
#include <QLockFile>
#include <QObject>
#include <QThread>

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

/// The whole relay over one workspace: the HTTP side (ingest server, consent, sanitizer) on the thread that starts
/// it, and a writer thread for the durable queue, the audit trail and the dispatcher. The CLI starts it on the
/// main thread; the GUI starts it on a thread of its own.
class RelayService final : public QObject
{
    Q_OBJECT

public:
    explicit RelayService(QObject* parent = nullptr);
    ~RelayService() override;

    /// Opens the workspace, loads its settings and rules, and starts listening and delivering. The transport is
    /// made on the writer thread (default: the network).
    Status start(const QString& workspacePath, const RelayOptions& options,
                 StoreWriter::TransportFactory transport = {}, const Clock& clock = SystemClock::instance());
    /// Stops taking requests and commits what was read; items on the network are resent after a restart.
    void stop();

    quint16 port() const;
    QHostAddress address() const { return m_address; }
    QJsonObject health() const;
    /// True when the relay listens on something other than loopback (it then belongs behind a TLS proxy).
    bool isExposed() const { return !m_address.isLoopback(); }

    /// The lock a relay holds on its workspace (FILE.lock): one relay per workspace, and other processes (imports)
    /// then leave delivery to it. Released by the system when the process dies.
    static QString lockPath(const QString& workspacePath) { return workspacePath + QStringLiteral(".lock"); }

signals:
    void storageFailed(const QString& message);
    void deliveryFailed(const QString& explanation);

private:
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<Workspace> m_workspace; ///< this thread's connection: consent lookups, health
    std::unique_ptr<ConsentReader> m_consent;
    QThread m_writerThread;
    StoreWriter* m_writer = nullptr; ///< lives on m_writerThread
    std::unique_ptr<EventIngestor> m_ingestor;
    std::unique_ptr<IngestServer> m_server;
    WorkspaceSettings m_settings;
    QHostAddress m_address;
    const Clock* m_clock = &SystemClock::instance();
};

} // namespace ClearSignal
