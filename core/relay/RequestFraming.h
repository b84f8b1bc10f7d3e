// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace ClearSignal {

/// Follows the HTTP requests on one connection, byte by byte, ahead of QtHttpServer 6.4, which reads a whole
/// request into memory (and reserves what its Content-Length announces) before anyone can look at it.
///
/// Accepts one request at a time: a header block of at most `maxHeadBytes`, then a body of at most `maxBodyBytes`
/// announced by Content-Length. Refuses chunked bodies, malformed or conflicting lengths, and a request sent
/// before the previous one was answered (QtHttpServer 6.4 would parse both as one).
class RequestFraming final
{
public:
    enum class Phase {
        Head,      ///< reading a header block (or idle between requests)
        Body,      ///< reading the announced body
        Complete,  ///< the request is whole; QtHttpServer is about to take it
        Answering, ///< QtHttpServer took it; its answer is not written yet
    };

    /// Why the connection may not be read further. `status` 0: nothing to answer now (an earlier answer is
    /// still owed); close the connection once it is written.
    struct Refusal
    {
        int status = 0;
        QString message;
    };

    RequestFraming(qint64 maxHeadBytes, qint64 maxBodyBytes) : m_maxHead(maxHeadBytes), m_maxBody(maxBodyBytes) {}

    /// Bytes that just arrived, in order. Once this refuses, the connection is done: do not feed it again.
    std::optional<Refusal> feed(QByteArrayView bytes);
    /// QtHttpServer took the complete request.
    void handedOver();
    /// The answer to the request was written: the connection may carry the next one.
    void answered();

    Phase phase() const { return m_phase; }
    /// Between requests, with nothing of the next one read.
    bool isIdle() const { return m_phase == Phase::Head && m_head.isEmpty() && m_blankBytes == 0; }

private:
    std::optional<Refusal> readHead(QByteArrayView bytes, qsizetype& used);
    std::optional<Refusal> checkHead(QByteArrayView head);

    qint64 m_maxHead;
    qint64 m_maxBody;
    Phase m_phase = Phase::Head;
    QByteArray m_head;
    qint64 m_blankBytes = 0; ///< empty lines before the request line
    qint64 m_bodyLeft = 0;
};

} // namespace ClearSignal
