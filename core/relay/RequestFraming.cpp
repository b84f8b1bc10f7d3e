// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestFraming.h"

#include <QList>

#include <algorithm>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

bool isAllDigits(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// What QtHttpServer skips before a request line.
bool isBlank(char c)
{
    return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v';
}

QString sizeText(qint64 bytes)
{
    return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? u"%1 MiB"_s.arg(bytes / (1024 * 1024))
                                                               : u"%1 KiB"_s.arg(bytes / 1024);
}

} // namespace

std::optional<RequestFraming::Refusal> RequestFraming::feed(QByteArrayView bytes)
{
    qsizetype at = 0;
    while (at < bytes.size()) {
        switch (m_phase) {
        case Phase::Head: {
            qsizetype used = 0;
            if (std::optional<Refusal> refused = readHead(bytes.sliced(at), used))
                return refused;
            at += used;
            break;
        }
        case Phase::Body: {
            const qint64 take = std::min<qint64>(m_bodyLeft, bytes.size() - at);
            skipBody(take);
            at += qsizetype(take);
            break;
        }
        case Phase::Complete:
            // Old clients end a body with a line break nobody counted; QtHttpServer skips it like a blank line.
            if ((bytes[at] == '\r' || bytes[at] == '\n') && m_trailingBlank < 2) {
                ++m_trailingBlank;
                ++at;
                break;
            }
            // In the same read as the request before it: QtHttpServer would take both as one request.
            return Refusal{400, u"send one request at a time on a connection, and wait for its answer"_s};
        case Phase::Answering:
            return Refusal{0, u"a request arrived before the previous one was answered"_s};
        }
    }
    return std::nullopt;
}

void RequestFraming::skipBody(qint64 bytes)
{
    if (m_phase != Phase::Body)
        return;
    m_bodyLeft -= std::min(bytes, m_bodyLeft);
    m_continueRequested = false; // the body is on its way: no need to ask for it
    if (m_bodyLeft == 0)
        m_phase = Phase::Complete;
}

RequestFraming::Refusal RequestFraming::headersTooLarge() const
{
    return Refusal{431, u"the request's headers are larger than %1"_s.arg(sizeText(m_maxHead))};
}

std::optional<RequestFraming::Refusal> RequestFraming::readHead(QByteArrayView bytes, qsizetype& used)
{
    // Blank bytes before a request line are skipped, as QtHttpServer does, but count against the allowance:
    // QtHttpServer keeps every byte until a request is whole.
    qsizetype start = 0;
    if (m_head.isEmpty()) {
        while (start < bytes.size() && isBlank(bytes[start]))
            ++start;
        m_blankBytes += start;
        if (m_blankBytes > m_maxHead)
            return headersTooLarge();
    }
    const qsizetype before = m_head.size();
    // Never keep more than the allowance (plus the blank line that ends it) of a head that does not end.
    const qsizetype room = qsizetype(m_maxHead) + 4 - before;
    m_head.append(bytes.sliced(start, std::min(bytes.size() - start, std::max<qsizetype>(room, 0))));
    // The head ends at the first empty line: "\r\n\r\n", or bare "\n\n" that lenient parsers accept too.
    qsizetype end = -1;
    for (qsizetype i = m_head.indexOf('\n', std::max<qsizetype>(0, before - 3)); i >= 0; i = m_head.indexOf('\n', i + 1)) {
        if (i + 1 < m_head.size() && m_head[i + 1] == '\n') {
            end = i + 2;
            break;
        }
        if (i + 2 < m_head.size() && m_head[i + 1] == '\r' && m_head[i + 2] == '\n') {
            end = i + 3;
            break;
        }
    }
    if (end < 0) {
        if (m_head.size() + m_blankBytes > m_maxHead)
            return headersTooLarge();
        used = bytes.size();
        return std::nullopt;
    }
    if (end + m_blankBytes > m_maxHead)
        return headersTooLarge();
    used = start + (end - before);
    const QByteArray head = m_head.left(end);
    m_head.clear();
    m_blankBytes = 0;
    if (std::optional<Refusal> refused = checkHead(head))
        return refused;
    m_phase = m_bodyLeft > 0 ? Phase::Body : Phase::Complete;
    m_trailingBlank = 0;
    return std::nullopt;
}

std::optional<RequestFraming::Refusal> RequestFraming::checkHead(QByteArrayView head)
{
    std::optional<qint64> length;
    bool expectsContinue = false;
    std::optional<bool> keepAlive; // from a Connection header
    const QList<QByteArray> lines = head.toByteArray().trimmed().split('\n');
    const bool http10 = lines.constFirst().trimmed().endsWith("HTTP/1.0");
    for (qsizetype i = 1; i < lines.size(); ++i) { // the first line is the request line
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        if (line.front() == ' ' || line.front() == '\t')
            return Refusal{400, u"folded header lines are not accepted"_s};
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return Refusal{400, u"a header line has no name"_s};
        const QByteArray name = line.first(colon).trimmed().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed();
        if (name == "transfer-encoding")
            return Refusal{411, u"send the body with a Content-Length header; chunked bodies are not accepted"_s};
        if (name == "expect") {
            if (value.toLower() != "100-continue")
                return Refusal{417, u"only \"Expect: 100-continue\" is supported"_s};
            expectsContinue = true;
        } else if (name == "connection") {
            const QByteArray options = value.toLower();
            if (options.contains("close"))
                keepAlive = false;
            else if (options.contains("keep-alive"))
                keepAlive = true;
        } else if (name == "content-length") {
            // Digits only and short enough to be a number: anything else is a way past a size check.
            if (!isAllDigits(value) || value.size() > 15)
                return Refusal{400, u"Content-Length must be a number of bytes"_s};
            const qint64 announced = value.toLongLong();
            if (length && *length != announced)
                return Refusal{400, u"the request has two different Content-Length headers"_s};
            length = announced;
        }
    }
    if (length && *length > m_maxBody)
        return Refusal{413, u"the request is larger than %1; send fewer events per request"_s.arg(sizeText(m_maxBody))};
    m_bodyLeft = length.value_or(0);
    m_continueRequested = expectsContinue && m_bodyLeft > 0;
    m_closeRequested = keepAlive ? !*keepAlive : http10;
    return std::nullopt;
}

bool RequestFraming::takeContinueRequest()
{
    const bool requested = m_continueRequested && m_phase == Phase::Body;
    m_continueRequested = false;
    return requested;
}

bool RequestFraming::handedOver()
{
    if (m_phase != Phase::Complete)
        return false;
    m_phase = Phase::Answering;
    return true;
}

void RequestFraming::answered()
{
    if (m_phase == Phase::Answering || m_phase == Phase::Complete) {
        m_phase = Phase::Head;
        m_closeRequested = false;
    }
}

} // namespace ClearSignal
