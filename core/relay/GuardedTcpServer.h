// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RequestFraming.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTcpServer>
#include <QTimer>

class QTcpSocket;

namespace ClearSignal {

/// The listening socket under the relay's QHttpServer. QtHttpServer 6.4 reads a whole request into memory (and
/// reserves what its Content-Length announces) before anyone can look at it, and has no timeouts. This follows
/// each connection's requests as they arrive (RequestFraming) and refuses one at once when it is too large or
/// malformed, answers with a JSON error and closes; it also closes connections that stall or go quiet.
class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT

public:
    struct Limits
    {
        qint64 maxBodyBytes = 1024 * 1024;
        qint64 maxHeadBytes = 64 * 1024;
        int requestTimeoutMs = 30 * 1000;   ///< a request must arrive whole within this
        int idleTimeoutMs = 75 * 1000;      ///< a kept-alive connection with nothing to do closes after this
        int handOverTimeoutMs = 5 * 1000;   ///< a whole request QtHttpServer did not take (it could not parse it)
        int lingerMs = 2000;                ///< a refused connection is read and dropped this long, so the client
                                            ///< can read the answer before the connection closes
    };

    explicit GuardedTcpServer(Limits limits, QObject* parent = nullptr);

    /// QtHttpServer handed the request on `socket` to the relay.
    void requestHandedOver(QTcpSocket* socket);
    /// The relay wrote the answer to the request on `socket`.
    void answered(QTcpSocket* socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Connection
    {
        RequestFraming framing;
        qint64 lastProgressMs = 0;
        bool closeAfterAnswer = false;
    };
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
