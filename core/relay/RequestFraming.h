// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace ClearSignal {

/// Follows the HTTP requests on one connection, byte by byte, ahead of QtHttpServer 6.4, which keeps every byte of
/// a request in memory (twice: its socket transaction and the body) until the request is whole, and has no limits.
///
/// Accepts one request at a time: a header block of at most `maxHeadBytes`, then a body of at most `maxBodyBytes`
/// announced by Content-Length. Refuses chunked bodies, malformed or conflicting lengths, an Expect other than
/// 100-continue, and a request sent before the previous one was answered (QtHttpServer 6.4 would read both as one).
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
    /// How many of the next bytes are body bytes: they need no looking at (see skipBody()).
    qint64 bodyBytesLeft() const { return m_phase == Phase::Body ? m_bodyLeft : 0; }
    /// Counts `bytes` (at most bodyBytesLeft()) of body as arrived, without reading them.
    void skipBody(qint64 bytes);
    /// QtHttpServer took a request. False when this did not see it whole: the two disagree about where requests
    /// end, so the connection must close after this answer.
    bool handedOver();
    /// The answer to the request was written: the connection may carry the next one.
    void answered();

    Phase phase() const { return m_phase; }
    /// Between requests, with nothing but blank lines read of the next one.
    bool isIdle() const { return m_phase == Phase::Head && m_head.isEmpty(); }
    /// The client asked for "100 Continue" before sending the body, and is still waiting for it. Once.
    bool takeContinueRequest();
    /// The request asked to close the connection after its answer (Connection: close, or HTTP/1.0).
    bool closeRequested() const { return m_closeRequested; }

private:
    std::optional<Refusal> readHead(QByteArrayView bytes, qsizetype& used);
    std::optional<Refusal> checkHead(QByteArrayView head);
    Refusal headersTooLarge() const;

    qint64 m_maxHead;
    qint64 m_maxBody;
    Phase m_phase = Phase::Head;
    QByteArray m_head;
    qint64 m_blankBytes = 0;    ///< blank lines before the request line
    int m_trailingBlank = 0;    ///< CR/LF after a whole request (old clients send one)
    qint64 m_bodyLeft = 0;
    bool m_continueRequested = false;
    bool m_closeRequested = false;
};

} // namespace ClearSignal
