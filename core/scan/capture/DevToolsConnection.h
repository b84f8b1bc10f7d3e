// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QWebSocket>

#include <functional>

namespace ClearSignal {

/// A client of the embedded browser's own DevTools protocol (QtWebEngine's in-process remote debugging).
///
/// It is how the scanner sees request bodies: QWebEngineUrlRequestInterceptor has none in Qt 6.4, while
/// Network.requestWillBeSent carries POST and sendBeacon bodies, also for hosts that do not resolve.
/// One browser-level WebSocket carries every page's session (flattened sessions).
///
/// The debugging port must be chosen before QtWebEngine starts: call prepareEnvironment() before the
/// QGuiApplication is created. It listens on 127.0.0.1 only, on a random port.
class DevToolsConnection final : public QObject
{
    Q_OBJECT

public:
    using Reply = std::function<void(const QJsonObject& result, const QString& error)>;

    /// Sets QTWEBENGINE_REMOTE_DEBUGGING to a free loopback port unless it is set already. Returns the port.
    static quint16 prepareEnvironment();
    /// The port prepareEnvironment() chose (0 when it was not called).
    static quint16 port();

    explicit DevToolsConnection(QObject* parent = nullptr);

    /// Connects to the browser target; emits ready() or failed().
    void open();
    bool isReady() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    /// Attaches to the page target whose URL contains marker (load "about:blank#<marker>" first).
    void attachToPage(const QString& marker, std::function<void(const QString& sessionId, const QString& error)> done);
    void detach(const QString& sessionId);

    void send(const QString& sessionId, const QString& method, const QJsonObject& params = {}, Reply reply = {});

signals:
    void ready();
    void failed(const QString& message);
    void event(const QString& sessionId, const QString& method, const QJsonObject& params);

private:
    void requestEndpoint(int attempt);
    void onMessage(const QString& text);

    QNetworkAccessManager m_network;
    QWebSocket m_socket;
    int m_nextId = 1;
    QHash<int, Reply> m_pending;
};

} // namespace ClearSignal
