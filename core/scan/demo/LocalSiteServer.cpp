// SPDX-License-Identifier: GPL-3.0-or-later
#include "LocalSiteServer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qsizetype maxHeaderBytes = 64 * 1024;
constexpr qsizetype maxBodyBytes = 4 * 1024 * 1024;
constexpr qsizetype maxRepeatBytes = 64 * 1024 * 1024;

QByteArray contentTypeFor(const QString& path)
{
    static const QHash<QString, QByteArray> types = {
        {u"html"_s, "text/html; charset=utf-8"},      {u"js"_s, "text/javascript; charset=utf-8"},
        {u"css"_s, "text/css; charset=utf-8"},        {u"json"_s, "application/json"},
        {u"xml"_s, "application/xml; charset=utf-8"}, {u"txt"_s, "text/plain; charset=utf-8"},
        {u"svg"_s, "image/svg+xml"},                  {u"png"_s, "image/png"},
        {u"jpg"_s, "image/jpeg"},                     {u"pdf"_s, "application/pdf"}};
    return types.value(QFileInfo(path).suffix().toLower(), "application/octet-stream");
}

bool isText(const QByteArray& contentType)
{
    return contentType.startsWith("text/") || contentType.contains("json") || contentType.contains("xml");
}

QByteArray reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    default: return "Status";
    }
}

} // namespace

LocalSiteServer::LocalSiteServer(QString root, QObject* parent) : QObject(parent), m_root(std::move(root))
{
    while (m_root.endsWith(u'/'))
        m_root.chop(1);
    connect(&m_server, &QTcpServer::newConnection, this, &LocalSiteServer::onNewConnection);
}

LocalSiteServer::~LocalSiteServer()
{
    for (QTcpSocket* socket : m_buffers.keys())
        socket->abort();
}

Expected<quint16> LocalSiteServer::listen(quint16 port)
{
    if (!QFileInfo(m_root).isDir())
        return Error{u"the site folder %1 does not exist"_s.arg(m_root)};
    QFile routes(m_root + u"/_routes.json"_s);
    if (routes.exists()) {
        if (!routes.open(QIODevice::ReadOnly))
            return Error{u"cannot read %1: %2"_s.arg(routes.fileName(), routes.errorString())};
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(routes.readAll(), &error);
        if (!document.isObject())
            return Error{u"%1 is not a JSON object: %2"_s.arg(routes.fileName(), error.errorString())};
        m_routes = document.object();
    }
    if (!m_server.listen(QHostAddress::LocalHost, port))
        return Error{u"cannot listen on 127.0.0.1:%1: %2; choose another port"_s.arg(port).arg(m_server.errorString())};
    return m_server.serverPort();
}

QUrl LocalSiteServer::siteUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/"_s.arg(m_server.serverPort()));
}

QUrl LocalSiteServer::thirdPartyUrl() const
{
    return QUrl(u"http://localhost:%1/"_s.arg(m_server.serverPort()));
}

void LocalSiteServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void LocalSiteServer::onReadyRead(QTcpSocket* socket)
{
    if (!m_buffers.contains(socket))
        return;
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    if (buffer.startsWith('\x16')) {
        // A TLS handshake to this plain-HTTP server: answer in HTTP so the browser reports a TLS error
        // at once, as a real misconfigured site would, instead of waiting for a handshake that never comes.
        write(socket, 400, "text/plain", "this server speaks plain HTTP\n");
        m_buffers.remove(socket);
        return;
    }
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (buffer.size() > maxHeaderBytes) {
            write(socket, 400, "text/plain", "request headers too large\n");
            m_buffers.remove(socket);
        }
        return;
    }
    Request request;
    request.headerBytes = headerEnd + 4;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.toLower().startsWith("content-length:"))
            request.contentLength = line.mid(15).trimmed().toLongLong();
    }
    if (request.contentLength < 0 || request.contentLength > maxBodyBytes) {
        write(socket, 413, "text/plain", "request body too large\n");
        m_buffers.remove(socket);
        return;
    }
    if (buffer.size() < request.headerBytes + request.contentLength)
        return; // the rest of the body is still on its way
    buffer.clear(); // one request per connection (Connection: close); later bytes are ignored
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    ++m_served;
    respond(socket, request);
}

void LocalSiteServer::respond(QTcpSocket* socket, const Request& request)
{
    if (request.method != "GET" && request.method != "POST" && request.method != "HEAD") {
        write(socket, 400, "text/plain", "unsupported method\n");
        return;
    }
    const QUrl url(QString::fromLatin1(request.path));
    const QString path = url.path().isEmpty() ? u"/"_s : url.path();
    QJsonObject route = m_routes.value(path).toObject();
    if (route.isEmpty()) {
        for (auto it = m_routes.begin(); it != m_routes.end(); ++it) {
            if (it.key().endsWith(u'*') && path.startsWith(QStringView(it.key()).chopped(1))) {
                route = it.value().toObject();
                break;
            }
        }
    }
    if (!route.isEmpty()) {
        const int delay = route.value("delay_ms"_L1).toInt();
        if (delay > 0) {
            QPointer<QTcpSocket> guarded(socket);
            QTimer::singleShot(delay, this, [this, guarded, route] {
                if (guarded)
                    sendRoute(guarded, route);
            });
            return;
        }
        sendRoute(socket, route);
        return;
    }
    if (path.contains(u"/../"_s) || path.endsWith(u"/.."_s)) {
        write(socket, 400, "text/plain", "bad path\n");
        return;
    }
    sendFile(socket, path);
}

void LocalSiteServer::sendRoute(QTcpSocket* socket, const QJsonObject& route)
{
    if (route.value("hang"_L1).toBool())
        return; // never answers: a page that never finishes loading
    const QByteArray contentType = route.value("content_type"_L1).toString(u"text/html; charset=utf-8"_s).toUtf8();
    QList<QPair<QByteArray, QByteArray>> headers;
    const QJsonObject extra = route.value("headers"_L1).toObject();
    for (auto it = extra.begin(); it != extra.end(); ++it)
        headers.append({it.key().toUtf8(), substitute(it.value().toString().toUtf8())});
    if (route.value("drip"_L1).toBool()) {
        // Headers, then a byte a second, forever: a page that is always still loading.
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nConnection: close\r\n\r\n<html><body>");
        auto* timer = new QTimer(socket);
        connect(timer, &QTimer::timeout, socket, [socket] { socket->write(" "); });
        timer->start(1000);
        return;
    }
    QByteArray body = substitute(route.value("body"_L1).toString().toUtf8());
    const qsizetype repeatBytes = std::min<qsizetype>(route.value("repeat_bytes"_L1).toInteger(), maxRepeatBytes);
    const QByteArray unit = route.value("repeat"_L1).toString().toUtf8();
    if (repeatBytes > 0 && !unit.isEmpty()) {
        body.reserve(body.size() + repeatBytes);
        while (body.size() < repeatBytes)
            body += unit;
    }
    write(socket, route.value("status"_L1).toInt(200), contentType, body, headers);
}

void LocalSiteServer::sendFile(QTcpSocket* socket, const QString& path)
{
    QString file = m_root + path;
    if (QFileInfo(file).isDir())
        file = QDir(file).filePath(u"index.html"_s);
    else if (!QFileInfo::exists(file) && QFileInfo::exists(file + u".html"_s))
        file += u".html"_s;
    QFile input(file);
    if (!QFileInfo(file).isFile() || !input.open(QIODevice::ReadOnly)) {
        QFile notFound(m_root + u"/404.html"_s);
        const QByteArray body = notFound.open(QIODevice::ReadOnly) ? substitute(notFound.readAll())
                                                                    : QByteArray("<h1>Not found</h1>");
        write(socket, 404, "text/html; charset=utf-8", body);
        return;
    }
    const QByteArray contentType = contentTypeFor(file);
    QByteArray body = input.readAll();
    if (isText(contentType))
        body = substitute(body);
    write(socket, 200, contentType, body);
}

void LocalSiteServer::write(QTcpSocket* socket, int status, const QByteArray& contentType, const QByteArray& body,
                            const QList<QPair<QByteArray, QByteArray>>& headers)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n";
    head += "Content-Type: " + contentType + "\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\nCache-Control: no-store\r\nConnection: close\r\n";
    for (const auto& [name, value] : headers)
        head += name + ": " + value + "\r\n";
    socket->write(head + "\r\n");
    socket->write(body);
    socket->disconnectFromHost();
}

QByteArray LocalSiteServer::substitute(QByteArray text) const
{
    const QByteArray port = QByteArray::number(m_server.serverPort());
    text.replace("{{SITE}}", QByteArray("http://127.0.0.1:" + port));
    text.replace("{{THIRD_PARTY}}", QByteArray("http://localhost:" + port));
    text.replace("{{PORT}}", port);
    return text;
}

} // namespace ClearSignal
