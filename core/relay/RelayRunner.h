// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RelayService.h"
#include "secrets/SecretStore.h"

#include <QJsonObject>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace ClearSignal {

/// Runs a RelayService on a thread of its own, so a window stays responsive while the relay serves: starting
/// (the keychain may take seconds to answer), stopping (what was read is committed first) and health reports
/// are asynchronous and come back as signals. The desktop app's Relay page drives the relay through it.
class RelayRunner final : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Starting, Running, Stopping };
    Q_ENUM(State)

    /// Makes the store access tokens are read from and written to, on the relay's thread (default: the system
    /// keychain; tests give a MemorySecretStore).
    using SecretStoreFactory = std::function<std::unique_ptr<SecretStore>()>;

    explicit RelayRunner(SecretStoreFactory secrets = {}, QObject* parent = nullptr);
    /// Stops the relay (committing and answering what it read) and its thread.
    ~RelayRunner() override;

    /// Starts a relay on `workspacePath`; ends in started() or failed(). An empty access token in `options` is
    /// looked up on the relay's thread: CLEARSIGNAL_TIKTOK_TOKEN, else the system keychain. Ignored unless stopped.
    void start(const QString& workspacePath, RelayOptions options);
    /// Stops taking requests and commits what was read; ends in stopped(). Ignored unless running.
    void stop();
    State state() const { return m_state; }
    /// Keeps `token` as the TikTok access token of the workspace at `workspacePath`, in the secret store (never
    /// anywhere else); ends in accessTokenStored() or accessTokenFailed(). The keychain may take seconds to answer.
    void storeAccessToken(const QString& workspacePath, const QString& token);

    /// How often healthChanged() reports while the relay runs.
    static constexpr int healthIntervalMs = 1000;

signals:
    void stateChanged(ClearSignal::RelayRunner::State state);
    /// `url` is where the relay listens, such as "http://127.0.0.1:8787/"; `exposed` when beyond loopback.
    void started(const QString& url, bool exposed);
    void failed(const QString& message);
    void stopped();
    /// /v1/health's answer (docs/ARCHITECTURE.md, Relay HTTP v1).
    void healthChanged(const QJsonObject& health);
    void storageFailed(const QString& message);
    void deliveryFailed(const QString& explanation);
    void accessTokenStored();
    void accessTokenFailed(const QString& message);

private:
    class Worker;
    void setState(State state);

    QThread m_thread;
    Worker* m_worker = nullptr; ///< lives on m_thread
    State m_state = State::Stopped;
};

} // namespace ClearSignal
