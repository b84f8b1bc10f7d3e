// SPDX-License-Identifier: GPL-3.0-or-later
#include "DevToolsConnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTimer>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {
quint16 s_port = 0;
constexpr int attachAttempts = 40; // the page target shows up a few ms after the about:blank load
constexpr int endpointAttempts = 100;
constexpr int endpointRetryMs = 100;
} // namespace

quint16 DevToolsConnection::prepareEnvironment()
{
    const QByteArray existing = qgetenv("QTWEBENGINE_REMOTE_DEBUGGING");
    if (!existing.isEmpty()) {
        s_port = quint16(existing.mid(existing.lastIndexOf(':') + 1).toUInt());
        return s_port;
    }
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    s_port = probe.serverPort();
    probe.close();
    qputenv("QTWEBENGINE_REMOTE_DEBUGGING", "127.0.0.1:" + QByteArray::number(s_port));
    return s_port;
}

quint16 DevToolsConnection::port()
{
    return s_port;
}

DevToolsConnection::DevToolsConnection(QObject* parent) : QObject(parent)
{
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_socket.setProxy(QNetworkProxy::NoProxy);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &DevToolsConnection::onMessage);
    connect(&m_socket, &QWebSocket::connected, this, &DevToolsConnection::ready);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        emit failed(u"the embedded browser's DevTools connection failed: %1"_s.arg(m_socket.errorString()));
    });
}

void DevToolsConnection::open()
{
    if (s_port == 0) {
        emit failed(u"DevTools is not enabled; DevToolsConnection::prepareEnvironment() must run before the "
                    u"application object is created"_s);
        return;
    }
    requestEndpoint(0);
}

void DevToolsConnection::requestEndpoint(int attempt)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/json/version"_s.arg(s_port)));
    QNetworkReply* reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, attempt] {
        reply->deleteLater();
        const QString url = QJsonDocument::fromJson(reply->readAll()).object().value("webSocketDebuggerUrl"_L1).toString();
        if (!url.isEmpty()) {
            m_socket.open(QUrl(url));
            return;
        }
        // The browser starts its DevTools server a moment after the first profile exists.
        if (attempt + 1 < endpointAttempts) {
            QTimer::singleShot(endpointRetryMs, this, [this, attempt] { requestEndpoint(attempt + 1); });
            return;
        }
        emit failed(u"the embedded browser's DevTools endpoint did not answer (%1)"_s.arg(reply->errorString()));
    });
}

void DevToolsConnection::send(const QString& sessionId, const QString& method, const QJsonObject& params, Reply reply)
{
    const int id = m_nextId++;
    QJsonObject message{{u"id"_s, id}, {u"method"_s, method}, {u"params"_s, params}};
    if (!sessionId.isEmpty())
        message.insert(u"sessionId"_s, sessionId);
    if (reply)
        m_pending.insert(id, std::move(reply));
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void DevToolsConnection::attachToPage(const QString& marker,
                                      std::function<void(const QString& sessionId, const QString& error)> done)
{
    auto attempt = std::make_shared<std::function<void(int)>>();
    *attempt = [this, marker, done, attempt](int remaining) {
        send(QString(), u"Target.getTargets"_s, {}, [this, marker, done, attempt, remaining](const QJsonObject& result, const QString& error) {
            QString targetId;
            for (const QJsonValue& value : result.value("targetInfos"_L1).toArray()) {
                const QJsonObject info = value.toObject();
                if (info.value("type"_L1).toString() == "page"_L1 && info.value("url"_L1).toString().contains(marker))
                    targetId = info.value("targetId"_L1).toString();
            }
            if (targetId.isEmpty()) {
                if (remaining <= 0 || !error.isEmpty()) {
                    done(QString(), error.isEmpty() ? u"the page never appeared among the browser's targets"_s : error);
                    return;
                }
                QTimer::singleShot(50, this, [attempt, remaining] { (*attempt)(remaining - 1); });
                return;
            }
            send(QString(), u"Target.attachToTarget"_s, {{u"targetId"_s, targetId}, {u"flatten"_s, true}},
                 [done](const QJsonObject& attached, const QString& attachError) {
                     done(attached.value("sessionId"_L1).toString(), attachError);
                 });
        });
    };
    (*attempt)(attachAttempts);
}

void DevToolsConnection::detach(const QString& sessionId)
{
    if (isReady())
        send(QString(), u"Target.detachFromTarget"_s, {{u"sessionId"_s, sessionId}});
}

void DevToolsConnection::onMessage(const QString& text)
{
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    if (message.contains("id"_L1)) {
        const Reply reply = m_pending.take(message.value("id"_L1).toInt());
        if (reply)
            reply(message.value("result"_L1).toObject(), message.value("error"_L1).toObject().value("message"_L1).toString());
        return;
    }
    emit event(message.value("sessionId"_L1).toString(), message.value("method"_L1).toString(),
               message.value("params"_L1).toObject());
}

} // namespace ClearSignal
