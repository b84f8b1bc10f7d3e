// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QTcpServer>

class QTcpSocket;

namespace ClearSignal {

/// The listening socket under the relay's QHttpServer. QtHttpServer 6.4 reads a whole request into memory (twice:
/// its socket transaction and the body) before anyone can look at it, so one client could exhaust memory with a
/// large body. This refuses a request as soon as it is too large: at once when its Content-Length says so, and by
/// counting bytes when it does not (chunked). The client gets a 413 JSON error and the connection closes.
class SizeLimitedTcpServer final : public QTcpServer
{
    Q_OBJECT

public:
    /// `maxBodyBytes` is the largest body accepted; headers get `headerAllowance` bytes on top.
    explicit SizeLimitedTcpServer(qint64 maxBodyBytes, QObject* parent = nullptr);

    static constexpr qint64 headerAllowance = 64 * 1024;
    /// How long a refused connection stays open, read and dropped, so the client can read the 413 first.
    static constexpr int lingerMs = 2000;

    /// A request on `socket` was read completely and handed over: the next one starts counting from zero.
    void requestRead(QTcpSocket* socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void inspect(QTcpSocket* socket);
    void refuse(QTcpSocket* socket);
    static qint64 announcedLength(const QByteArray& head);

    qint64 m_maxBodyBytes;
    QHash<QTcpSocket*, qint64> m_received; ///< bytes of the request being read, by connection
};

} // namespace ClearSignal
