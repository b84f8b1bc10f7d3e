// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

namespace ClearSignal {

/// Serves a folder of web pages (on disk or in the resources) on 127.0.0.1, so the bundled demo clinic and
/// the test fixture sites can be scanned offline.
///
/// Text files may use {{SITE}} (http://127.0.0.1:<port>) and {{THIRD_PARTY}} (http://localhost:<port>, a
/// different site to the browser, standing in for ad-platform CDNs) and {{PORT}}. A folder's _routes.json adds what
/// plain files cannot do, for hostile-page tests: {"/path": {"status": 302, "headers": {...}, "body": "...",
/// "content_type": "...", "delay_ms": 0, "hang": false, "drip": false, "repeat": "text", "repeat_bytes": 0}}.
/// POSTs are answered like GETs (form submissions land on their action page).
class LocalSiteServer final : public QObject
{
    Q_OBJECT

public:
    /// root: a directory path or a resource path such as ":/clearsignal/demo-site".
    explicit LocalSiteServer(QString root, QObject* parent = nullptr);
    ~LocalSiteServer() override;

    /// Listens on 127.0.0.1:port (0 picks a free port). Fails with a message when the port is taken
    /// or the routes file is invalid.
    Expected<quint16> listen(quint16 port = 0);
    QUrl siteUrl() const;
    QUrl thirdPartyUrl() const;
    int requestsServed() const { return m_served; }

    /// The bundled demo clinic site.
    static QString demoRoot() { return QStringLiteral(":/clearsignal/demo-site"); }

private:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        qsizetype contentLength = 0;
        qsizetype headerBytes = 0;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    void respond(QTcpSocket* socket, const Request& request);
    void sendRoute(QTcpSocket* socket, const QJsonObject& route);
    void sendFile(QTcpSocket* socket, const QString& path);
    static void write(QTcpSocket* socket, int status, const QByteArray& contentType, const QByteArray& body,
                      const QList<QPair<QByteArray, QByteArray>>& headers = {});
    QByteArray substitute(QByteArray text) const;

    QString m_root;
    QTcpServer m_server;
    QJsonObject m_routes;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    int m_served = 0;
};

} // namespace ClearSignal
