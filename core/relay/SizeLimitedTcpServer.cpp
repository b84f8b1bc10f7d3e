// SPDX-License-Identifier: GPL-3.0-or-later
#include "SizeLimitedTcpServer.h"

#include "HttpAnswer.h"

#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

SizeLimitedTcpServer::SizeLimitedTcpServer(qint64 maxBodyBytes, QObject* parent)
    : QTcpServer(parent), m_maxBodyBytes(maxBodyBytes)
{
}

void SizeLimitedTcpServer::incomingConnection(qintptr descriptor)
{
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Connected before QHttpServer takes the socket, so this sees each chunk before QHttpServer reads it.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_received.remove(socket); });
    addPendingConnection(socket);
}

void SizeLimitedTcpServer::requestRead(QTcpSocket* socket)
{
    m_received.insert(socket, 0);
}

qint64 SizeLimitedTcpServer::announcedLength(const QByteArray& head)
{
    // Only the header block: a body that happens to contain the words must not count.
    const qsizetype end = head.indexOf("\r\n\r\n");
    const QByteArray headers = (end < 0 ? head : head.left(end)).toLower();
    const qsizetype at = headers.indexOf("\r\ncontent-length:");
    if (at < 0)
        return -1;
    const qsizetype valueStart = at + qsizetype(sizeof("\r\ncontent-length:") - 1);
    const qsizetype lineEnd = headers.indexOf("\r\n", valueStart);
    if (lineEnd < 0)
        return -1; // the line is not complete yet: counting covers it
    bool ok = false;
    const qint64 length = headers.mid(valueStart, lineEnd - valueStart).trimmed().toLongLong(&ok);
    return ok ? length : -1;
}

void SizeLimitedTcpServer::inspect(QTcpSocket* socket)
{
    qint64& received = m_received[socket];
    if (received == 0 && announcedLength(socket->peek(headerAllowance)) > m_maxBodyBytes)
        return refuse(socket);
    received += socket->bytesAvailable(); // QHttpServer reads everything each time: this is what is new
    if (received > m_maxBodyBytes + headerAllowance)
        refuse(socket);
}

void SizeLimitedTcpServer::refuse(QTcpSocket* socket)
{
    // QHttpServer never sees this request again: its handler for this socket is cut before it runs.
    disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->readAll();
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); }); // the rest is dropped
    const HttpAnswer answer = HttpAnswer::error(
        413, u"the request is larger than %1 MiB; send fewer events per request"_s.arg(m_maxBodyBytes / (1024 * 1024)));
    socket->write("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nContent-Length: "
                  + QByteArray::number(answer.body.size()) + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
                  + answer.body);
    // Closing while the client still sends would make the kernel reset the connection and the client would lose
    // the answer: the relay half-closes after the answer, drops what still arrives, and hangs up a moment later.
    const auto halfClose = [socket] {
        if (socket->bytesToWrite() == 0)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, halfClose);
    socket->flush();
    halfClose();
    QTimer::singleShot(lingerMs, socket, [socket] { socket->abort(); });
    m_received.remove(socket);
}

} // namespace ClearSignal
