// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RequestFraming.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>

class QTcpSocket;

namespace ClearSignal {

/// The listening socket under the relay's QHttpServer. QtHttpServer 6.4 keeps every byte of a request in memory
/// until it is whole, has no timeouts and no limits. This follows each connection's requests as they arrive
/// (RequestFraming) and refuses one at once when it is too large or malformed, with a JSON error, then closes;
/// it also closes connections that take too long, limits how many are open, and answers "100 Continue".
class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT

public:
    struct Limits
    {
        qint64 maxBodyBytes = 1024 * 1024;
        qint64 maxHeadBytes = 64 * 1024;
        int maxConnections = 512;          ///< open at once (the process has 1024 file descriptors by default)
        int maxConnectionsPerAddress = 64; ///< from one address other than loopback (a local proxy has them all)
        int requestTimeoutMs = 30 * 1000;  ///< a request must arrive whole within this of its first byte
        int idleTimeoutMs = 75 * 1000;     ///< a kept-alive connection with nothing to do closes after this
        int handOverTimeoutMs = 5 * 1000;  ///< a whole request QtHttpServer did not take (it could not parse it)
        int answerTimeoutMs = 5 * 60 * 1000; ///< backstop: the relay always answers, unless its disk hangs
        int lingerMs = 2000; ///< a refused connection is read and dropped this long, so the client can read why
    };

    explicit GuardedTcpServer(Limits limits, QObject* parent = nullptr);

    /// QtHttpServer handed the request on `socket` to the relay.
    void requestHandedOver(QTcpSocket* socket);
    /// The relay wrote the answer to the request on `socket`.
    void answered(QTcpSocket* socket);
    int openConnections() const { return int(m_connections.size()); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Connection
    {
        QPointer<QTcpSocket> socket;
        QHostAddress peer;
        RequestFraming framing;
        qint64 phaseSinceMs = 0; ///< when the connection went idle, a request began, or one became whole
        bool closeAfterAnswer = false;
    };
    bool hasRoomFor(const QHostAddress& peer) const;
    void inspect(QTcpSocket* socket);
    void refuse(QTcpSocket* socket, int status, const QString& message);
    void stopReading(QTcpSocket* socket);
    void closeGracefully(QTcpSocket* socket);
    void sweep();

    Limits m_limits;
    QHash<QTcpSocket*, Connection> m_connections;
    QElapsedTimer m_clock;
    QTimer m_sweepTimer;
};

} // namespace ClearSignal
