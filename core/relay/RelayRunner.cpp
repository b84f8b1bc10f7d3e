// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayRunner.h"

#include "secrets/AccessTokenSource.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/Workspace.h"

#include <QTimer>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

/// The relay's side of the runner: everything here runs on the relay's thread.
class RelayRunner::Worker final : public QObject
{
    Q_OBJECT

public:
    explicit Worker(SecretStoreFactory secrets) : m_secrets(std::move(secrets))
    {
        m_healthTimer.setInterval(healthIntervalMs);
        connect(&m_healthTimer, &QTimer::timeout, this, [this] { emit healthChanged(m_relay->health()); });
    }

    void start(const QString& workspacePath, RelayOptions options)
    {
        m_starting = true;
        startRelay(workspacePath, std::move(options));
        m_starting = false;
        if (m_quitWhenStopped) // the runner was destroyed while the keychain answered
            stop();
    }

    void startRelay(const QString& workspacePath, RelayOptions options)
    {
        if (options.accessToken.isEmpty()) {
            Expected<QString> token = lookUpToken(workspacePath);
            if (!token) {
                emit failed(token.errorMessage());
                return;
            }
            options.accessToken = *token;
        }
        m_relay = std::make_unique<RelayService>();
        connect(m_relay.get(), &RelayService::storageFailed, this, &Worker::storageFailed);
        connect(m_relay.get(), &RelayService::deliveryFailed, this, &Worker::deliveryFailed);
        if (Status running = m_relay->start(workspacePath, options); !running) {
            m_relay.reset();
            emit failed(running.errorMessage());
            return;
        }
        const QHostAddress address = m_relay->address();
        const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                                                 : address.toString();
        emit started(u"http://%1:%2/"_s.arg(host).arg(m_relay->port()), m_relay->isExposed());
        emit healthChanged(m_relay->health());
        m_healthTimer.start();
    }

    void storeToken(const QString& workspacePath, const QString& token)
    {
        // The message never holds the token: validateAccessToken() and the store say what is wrong, not what it is.
        if (Status valid = validateAccessToken(token); !valid) {
            emit tokenFailed(valid.errorMessage());
            return;
        }
        const Expected<QString> workspaceId = readWorkspaceId(workspacePath);
        if (!workspaceId) {
            emit tokenFailed(workspaceId.errorMessage());
            return;
        }
        if (Status stored = m_secrets()->write(accessTokenKey(*workspaceId), token); !stored) {
            emit tokenFailed(stored.errorMessage());
            return;
        }
        emit tokenStored();
    }

    void stop()
    {
        // Stopping commits what was read in a local event loop, which may deliver another stop: that one waits.
        if (m_stopping)
            return;
        m_stopping = true;
        m_healthTimer.stop();
        if (m_relay) {
            m_relay->stop();
            m_relay.reset();
        }
        m_stopping = false;
        emit stopped();
        if (m_quitWhenStopped)
            QThread::currentThread()->quit();
    }

    /// The runner goes away: stop, then end the thread, after whatever start or stop is under way here.
    void stopAndQuit()
    {
        m_quitWhenStopped = true;
        if (!m_stopping && !m_starting)
            stop();
    }

signals:
    void started(const QString& url, bool exposed);
    void failed(const QString& message);
    void stopped();
    void healthChanged(const QJsonObject& health);
    void storageFailed(const QString& message);
    void deliveryFailed(const QString& explanation);
    void tokenStored();
    void tokenFailed(const QString& message);

private:
    static Expected<QString> readWorkspaceId(const QString& workspacePath)
    {
        Expected<std::unique_ptr<Workspace>> workspace = Workspace::open(workspacePath);
        if (!workspace)
            return workspace.error();
        return (*workspace)->setting(u"workspace_id"_s);
    }

    Expected<QString> lookUpToken(const QString& workspacePath)
    {
        const Expected<QString> workspaceId = readWorkspaceId(workspacePath);
        if (!workspaceId)
            return workspaceId.error();
        return resolveAccessToken(*m_secrets(), *workspaceId);
    }

    SecretStoreFactory m_secrets;
    std::unique_ptr<RelayService> m_relay;
    bool m_starting = false;
    bool m_stopping = false;
    bool m_quitWhenStopped = false;
    QTimer m_healthTimer{this}; // a child, so it moves to the relay thread with this object
};

RelayRunner::RelayRunner(SecretStoreFactory secrets, QObject* parent)
    : QObject(parent),
      m_worker(new Worker(secrets ? std::move(secrets)
                                  : SecretStoreFactory([] { return std::make_unique<KeychainSecretStore>(); })))
{
    m_thread.setObjectName(u"relay"_s);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &Worker::started, this, [this](const QString& url, bool exposed) {
        setState(State::Running);
        emit started(url, exposed);
    });
    connect(m_worker, &Worker::failed, this, [this](const QString& message) {
        setState(State::Stopped);
        emit failed(message);
    });
    connect(m_worker, &Worker::stopped, this, [this] {
        setState(State::Stopped);
        emit stopped();
    });
    connect(m_worker, &Worker::healthChanged, this, [this](const QJsonObject& health) {
        if (m_state == State::Running)
            emit healthChanged(health);
    });
    connect(m_worker, &Worker::storageFailed, this, &RelayRunner::storageFailed);
    connect(m_worker, &Worker::deliveryFailed, this, &RelayRunner::deliveryFailed);
    connect(m_worker, &Worker::tokenStored, this, &RelayRunner::accessTokenStored);
    connect(m_worker, &Worker::tokenFailed, this, &RelayRunner::accessTokenFailed);
    m_thread.start();
}

RelayRunner::~RelayRunner()
{
    // Whatever the relay read is committed and answered before the window goes away. The relay's thread ends
    // itself once stopped: quitting it from here could cut short the event loop a stop commits in.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->stopAndQuit(); });
    m_thread.wait();
}

void RelayRunner::start(const QString& workspacePath, RelayOptions options)
{
    if (m_state != State::Stopped)
        return;
    setState(State::Starting);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, workspacePath, options = std::move(options)] {
        worker->start(workspacePath, options);
    });
}

void RelayRunner::storeAccessToken(const QString& workspacePath, const QString& token)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, workspacePath, token] {
        worker->storeToken(workspacePath, token);
    });
}

void RelayRunner::stop()
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->stop(); });
}

void RelayRunner::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace ClearSignal

#include "RelayRunner.moc"
