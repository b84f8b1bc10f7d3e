// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestFraming.h"

#include <QList>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

bool isAllDigits(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
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
            m_bodyLeft -= take;
            at += qsizetype(take);
            if (m_bodyLeft == 0)
                m_phase = Phase::Complete;
            break;
        }
        case Phase::Complete:
            // In the same read as the request before it: QtHttpServer would take both as one request.
            return Refusal{400, u"send one request at a time on a connection, and wait for its answer"_s};
        case Phase::Answering:
            return Refusal{0, u"a request arrived before the previous one was answered"_s};
        }
    }
    return std::nullopt;
}

std::optional<RequestFraming::Refusal> RequestFraming::readHead(QByteArrayView bytes, qsizetype& used)
{
    // Empty lines before a request line are tolerated, as by HTTP parsers; they are not part of the head.
    qsizetype start = 0;
    if (m_head.isEmpty()) {
        while (start < bytes.size() && (bytes[start] == '\r' || bytes[start] == '\n'))
            ++start;
        // They count against the allowance all the same: QtHttpServer keeps every byte until a request is whole.
        m_blankBytes += start;
        if (m_blankBytes > m_maxHead)
            return Refusal{431, u"the request's headers are larger than %1 KiB"_s.arg(m_maxHead / 1024)};
    }
    const qsizetype before = m_head.size();
    // Never keep more than the allowance (plus the blank line that ends it) of a head that does not end.
    const qsizetype room = qsizetype(m_maxHead) + 4 - before;
    m_head.append(bytes.sliced(start, std::min(bytes.size() - start, std::max<qsizetype>(room, 0))));
    // The head ends at the first empty line: "\r\n\r\n", or bare "\n\n" that lenient parsers accept too.
    const qsizetype searchFrom = std::max<qsizetype>(0, before - 3);
    qsizetype end = -1;
    for (qsizetype i = m_head.indexOf('\n', searchFrom); i >= 0; i = m_head.indexOf('\n', i + 1)) {
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
            return Refusal{431, u"the request's headers are larger than %1 KiB"_s.arg(m_maxHead / 1024)};
        used = bytes.size();
        return std::nullopt;
    }
    if (end + m_blankBytes > m_maxHead)
        return Refusal{431, u"the request's headers are larger than %1 KiB"_s.arg(m_maxHead / 1024)};
    used = start + (end - before);
    const QByteArray head = m_head.left(end);
    m_head.clear();
    m_blankBytes = 0;
    if (std::optional<Refusal> refused = checkHead(head))
        return refused;
    m_phase = m_bodyLeft > 0 ? Phase::Body : Phase::Complete;
    return std::nullopt;
}

std::optional<RequestFraming::Refusal> RequestFraming::checkHead(QByteArrayView head)
{
    std::optional<qint64> length;
    const QList<QByteArray> lines = head.toByteArray().trimmed().split('\n');
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
        if (name != "content-length")
            continue;
        // Digits only and short enough to be a number: anything else is a way past a size check.
        if (!isAllDigits(value) || value.size() > 15)
            return Refusal{400, u"Content-Length must be a number of bytes"_s};
        const qint64 announced = value.toLongLong();
        if (length && *length != announced)
            return Refusal{400, u"the request has two different Content-Length headers"_s};
        length = announced;
    }
    if (length && *length > m_maxBody)
        return Refusal{413, u"the request is larger than %1 MiB; send fewer events per request"_s.arg(
                                m_maxBody / (1024 * 1024))};
    m_bodyLeft = length.value_or(0);
    return std::nullopt;
}

void RequestFraming::handedOver()
{
    if (m_phase == Phase::Complete)
        m_phase = Phase::Answering;
}

void RequestFraming::answered()
{
    if (m_phase == Phase::Answering || m_phase == Phase::Complete)
        m_phase = Phase::Head;
}

} // namespace ClearSignal
