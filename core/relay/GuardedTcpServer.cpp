// SPDX-License-Identifier: GPL-3.0-or-later
#include "GuardedTcpServer.h"

#include "HttpAnswer.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray statusLine(int status)
{
    switch (status) {
    case 400:
        return "400 Bad Request";
    case 408:
        return "408 Request Timeout";
    case 411:
        return "411 Length Required";
    case 413:
        return "413 Payload Too Large";
    case 417:
        return "417 Expectation Failed";
    case 431:
        return "431 Request Header Fields Too Large";
    case 503:
        return "503 Service Unavailable";
    default:
        return QByteArray::number(status) + " Error";
    }
}

} // namespace

GuardedTcpServer::GuardedTcpServer(Limits limits, QObject* parent) : QTcpServer(parent), m_limits(limits)
{
    m_clock.start();
    m_sweepTimer.setInterval(std::max(50, std::min({limits.requestTimeoutMs, limits.idleTimeoutMs,
                                                    limits.handOverTimeoutMs}) / 4));
    connect(&m_sweepTimer, &QTimer::timeout, this, &GuardedTcpServer::sweep);
    m_sweepTimer.start();
    // Out of file descriptors, QTcpServer stops accepting for good; it must start again once some are free.
    connect(this, &QTcpServer::acceptError, this, [this] { QTimer::singleShot(1000, this, &QTcpServer::resumeAccepting); });
}

bool GuardedTcpServer::hasRoomFor(const QHostAddress& peer) const
{
    if (m_connections.size() >= m_limits.maxConnections)
        return false;
    if (peer.isLoopback())
        return true;
    int fromPeer = 0;
    for (const Connection& connection : m_connections)
        fromPeer += connection.peer == peer ? 1 : 0;
    return fromPeer < m_limits.maxConnectionsPerAddress;
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    const QHostAddress peer = socket->peerAddress();
    if (!hasRoomFor(peer)) {
        // Never handed to QHttpServer: answered here and closed.
        refuse(socket, 503, u"too many connections are open; try again in a moment"_s);
        return;
    }
    // A backstop that needs no signal: should QtHttpServer cut this socket's connections (it does on a parse
    // error), the socket still never holds more than one request's worth of unread bytes.
    socket->setReadBufferSize(m_limits.maxHeadBytes + m_limits.maxBodyBytes + 64 * 1024);
    m_connections.insert(socket, Connection{socket, peer, RequestFraming(m_limits.maxHeadBytes, m_limits.maxBodyBytes),
                                            m_clock.elapsed(), false});
    // Connected before QHttpServer takes the socket, so this sees every chunk before QHttpServer reads it.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_connections.remove(socket); });
    addPendingConnection(socket);
}

void GuardedTcpServer::inspect(QTcpSocket* socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    RequestFraming& framing = it->framing;
    const bool wasIdle = framing.isIdle();
    // QHttpServer reads everything at each turn, so what is available now is what just arrived. Body bytes need
    // no looking at: only what may follow them is copied.
    const qint64 available = socket->bytesAvailable();
    std::optional<RequestFraming::Refusal> refusal;
    if (available <= framing.bodyBytesLeft())
        framing.skipBody(available);
    else
        refusal = framing.feed(socket->peek(available));
    if (refusal) {
        if (refusal->status != 0)
            return refuse(socket, refusal->status, refusal->message);
        // An answer is still owed on this connection: it goes first, then the connection closes.
        it->closeAfterAnswer = true;
        stopReading(socket);
        return;
    }
    if (wasIdle && !framing.isIdle())
        it->phaseSinceMs = m_clock.elapsed(); // a request began: it has requestTimeoutMs to arrive whole
    if (framing.phase() == RequestFraming::Phase::Complete)
        it->phaseSinceMs = m_clock.elapsed();
    if (framing.takeContinueRequest())
        socket->write("HTTP/1.1 100 Continue\r\n\r\n"); // nothing else writes before the request is whole
}

void GuardedTcpServer::requestHandedOver(QTcpSocket* socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    // Should QtHttpServer ever end a request where this did not, the two disagree about the bytes that follow:
    // the connection closes after this answer.
    if (!it->framing.handedOver()) {
        it->closeAfterAnswer = true;
        stopReading(socket);
    }
    it->phaseSinceMs = m_clock.elapsed();
}

void GuardedTcpServer::answered(QTcpSocket* socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    const bool close = it->closeAfterAnswer || it->framing.closeRequested();
    it->framing.answered();
    it->phaseSinceMs = m_clock.elapsed();
    if (close)
        closeGracefully(socket);
}

void GuardedTcpServer::stopReading(QTcpSocket* socket)
{
    // QHttpServer never sees this connection's bytes again: its handler is cut before it runs, and what arrives
    // from now on is dropped.
    disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->readAll();
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
}

void GuardedTcpServer::refuse(QTcpSocket* socket, int status, const QString& message)
{
    const HttpAnswer answer = HttpAnswer::error(status, message);
    socket->write("HTTP/1.1 " + statusLine(status) + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + QByteArray::number(answer.body.size()) + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
                  + answer.body);
    closeGracefully(socket);
}

void GuardedTcpServer::closeGracefully(QTcpSocket* socket)
{
    m_connections.remove(socket);
    stopReading(socket);
    // Closing while the client still sends would make the kernel reset the connection, and the client would lose
    // the answer: half-close once it is written, drop what still arrives, and hang up a moment later.
    const auto halfClose = [socket] {
        if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, halfClose);
    socket->flush();
    halfClose();
    QTimer::singleShot(m_limits.lingerMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
}

void GuardedTcpServer::sweep()
{
    const qint64 now = m_clock.elapsed();
    QList<QTcpSocket*> stalled;
    QList<QTcpSocket*> quiet;
    QList<QTcpSocket*> untaken;
    QList<QTcpSocket*> unanswered;
    QList<QTcpSocket*> gone;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
        if (!it->socket) {
            gone.append(it.key());
            continue;
        }
        const qint64 waited = now - it->phaseSinceMs;
        switch (it->framing.phase()) {
        case RequestFraming::Phase::Head:
            if (it->framing.isIdle() ? waited > m_limits.idleTimeoutMs : waited > m_limits.requestTimeoutMs)
                (it->framing.isIdle() ? quiet : stalled).append(it.key());
            break;
        case RequestFraming::Phase::Body:
            if (waited > m_limits.requestTimeoutMs)
                stalled.append(it.key());
            break;
        case RequestFraming::Phase::Complete:
            if (waited > m_limits.handOverTimeoutMs)
                untaken.append(it.key());
            break;
        case RequestFraming::Phase::Answering:
            if (waited > m_limits.answerTimeoutMs)
                unanswered.append(it.key());
            break;
        }
    }
    for (QTcpSocket* socket : std::as_const(gone))
        m_connections.remove(socket);
    for (QTcpSocket* socket : std::as_const(stalled))
        refuse(socket, 408, u"the request did not arrive in time; send it again"_s);
    for (QTcpSocket* socket : std::as_const(quiet))
        closeGracefully(socket);
    // QtHttpServer did not take a whole request: it could not parse it, and it has let go of the connection.
    for (QTcpSocket* socket : std::as_const(untaken))
        refuse(socket, 400, u"the request could not be read as HTTP/1.1"_s);
    // QtHttpServer still holds the request's responder, so the socket object must stay: only its connection goes.
    for (QTcpSocket* socket : std::as_const(unanswered)) {
        m_connections.remove(socket);
        socket->abort();
    }
}

} // namespace ClearSignal
