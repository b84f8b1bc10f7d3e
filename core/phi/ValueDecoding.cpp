// SPDX-License-Identifier: GPL-3.0-or-later
#include "ValueDecoding.h"

#include <QByteArray>
#include <QStringDecoder>
#include <QStringList>

#include <array>

namespace ClearSignal::ValueDecoding {

namespace {

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

bool isBase64Char(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '+' || u == '/'
           || u == '-' || u == '_';
}

bool isAsciiDigit(QChar c)
{
    return c.unicode() >= '0' && c.unicode() <= '9';
}

} // namespace

QString percentDecode(QStringView text, bool plusIsSpace)
{
    if (!text.contains(u'%') && !(plusIsSpace && text.contains(u'+')))
        return text.toString();
    QByteArray bytes;
    bytes.reserve(text.size());
    qsizetype runStart = 0;
    auto flush = [&](qsizetype upTo) {
        if (upTo > runStart)
            bytes += text.mid(runStart, upTo - runStart).toUtf8(); // whole runs keep surrogate pairs intact
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            flush(i);
            bytes.append(char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
            i += 2;
            runStart = i + 1;
        } else if (c == u'+' && plusIsSpace) {
            flush(i);
            bytes.append(' ');
            runStart = i + 1;
        }
    }
    flush(text.size());
    // Legacy forms encode Latin-1 ("Depresi%F3n"): read bytes that are not UTF-8 that way.
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString decoded = utf8(bytes);
    if (utf8.hasError())
        decoded = QString::fromLatin1(bytes);
    return decoded;
}

QString percentDecodeRepeatedly(QStringView text, bool plusIsSpace, int maxRounds, int* rounds)
{
    QString current = text.toString();
    int changed = 0;
    for (int round = 0; round < maxRounds; ++round) {
        QString next = percentDecode(current, plusIsSpace && round == 0);
        if (next == current)
            break;
        current = std::move(next);
        ++changed;
    }
    if (rounds)
        *rounds = changed;
    return current;
}

std::vector<Base64Segment> findBase64Segments(QStringView text, int minLength)
{
    std::vector<Base64Segment> segments;
    qsizetype i = 0;
    while (i < text.size()) {
        if (!isBase64Char(text[i])) {
            ++i;
            continue;
        }
        const qsizetype begin = i;
        bool upper = false;
        bool lower = false;
        bool digit = false;
        while (i < text.size() && isBase64Char(text[i])) {
            const char16_t u = text[i].unicode();
            upper |= u >= 'A' && u <= 'Z';
            lower |= u >= 'a' && u <= 'z';
            digit |= isAsciiDigit(text[i]);
            ++i;
        }
        while (i < text.size() && text[i] == u'=')
            ++i;
        // Plain words and paths rarely mix cases and digits the way encoded bytes do.
        const int mix = int(upper) + int(lower) + int(digit);
        if (i - begin >= minLength && mix >= 2)
            segments.push_back({begin, i - begin});
    }
    return segments;
}

namespace {

int base64Value(char16_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/// Decodes the first eight characters (six bytes) and checks they could start text. Random ids decode
/// to binary and fail here about 95% of the time, before any allocation.
bool opensLikeText(QStringView segment)
{
    if (segment.size() < 8)
        return false;
    quint64 bits = 0;
    for (int i = 0; i < 8; ++i) {
        const int value = base64Value(segment[i].unicode());
        if (value < 0)
            return false;
        bits = (bits << 6) | quint64(value);
    }
    for (int shift = 40; shift >= 0; shift -= 8) {
        const auto byte = static_cast<unsigned char>(bits >> shift);
        const bool text = (byte >= 0x20 && byte < 0x7f) || byte == '\t' || byte == '\n' || byte == '\r' || byte >= 0x80;
        if (!text)
            return false;
    }
    return true;
}

} // namespace

std::optional<QString> decodeBase64Text(QStringView segment)
{
    if (!opensLikeText(segment))
        return std::nullopt;
    QByteArray input = segment.toLatin1();
    while (input.endsWith('='))
        input.chop(1);
    const bool urlAlphabet = input.contains('-') || input.contains('_');
    if (urlAlphabet && (input.contains('+') || input.contains('/')))
        return std::nullopt;
    if (input.size() % 4 == 1)
        input.chop(1); // a stray trailing character cannot complete a byte
    const QByteArray::Base64Options options =
        (urlAlphabet ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding) | QByteArray::OmitTrailingEquals;
    const QByteArray::FromBase64Result result = QByteArray::fromBase64Encoding(input, options);
    if (!result || result.decoded.size() < 8)
        return std::nullopt;

    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(result.decoded);
    if (decoder.hasError())
        return std::nullopt;
    qsizetype printable = 0;
    for (QChar c : text) {
        if (c.isPrint() || c == u'\n' || c == u'\t')
            ++printable;
    }
    if (printable * 10 < text.size() * 9)
        return std::nullopt;
    return text;
}

std::optional<UrlParts> splitUrl(QStringView text)
{
    UrlParts parts;
    qsizetype authorityStart = 0;
    if (text.startsWith(u"//")) {
        authorityStart = 2;
    } else {
        // A scheme is at most 16 letters: look for "://" only there, not through the whole value.
        qsizetype colon = -1;
        for (qsizetype i = 1; i < std::min<qsizetype>(text.size(), 17); ++i) {
            if (text[i] == u':') {
                colon = i;
                break;
            }
        }
        if (colon < 0 || !text.mid(colon).startsWith(u"://"))
            return std::nullopt;
        for (QChar c : text.first(colon)) {
            if (!c.isLetterOrNumber() && c != u'+' && c != u'-' && c != u'.')
                return std::nullopt;
        }
        parts.scheme = text.first(colon);
        authorityStart = colon + 3;
    }
    qsizetype authorityEnd = authorityStart;
    while (authorityEnd < text.size() && text[authorityEnd] != u'/' && text[authorityEnd] != u'?'
           && text[authorityEnd] != u'#')
        ++authorityEnd;
    QStringView authority = text.mid(authorityStart, authorityEnd - authorityStart);
    if (const qsizetype at = authority.lastIndexOf(u'@'); at >= 0) {
        parts.userInfo = authority.first(at);
        authority = authority.mid(at + 1);
    }
    if (authority.startsWith(u'[')) {
        const qsizetype close = authority.indexOf(u']');
        if (close < 0)
            return std::nullopt;
        parts.host = authority.mid(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == u':')
            parts.port = authority.mid(close + 2);
    } else if (const qsizetype colon = authority.lastIndexOf(u':'); colon >= 0) {
        parts.host = authority.first(colon);
        parts.port = authority.mid(colon + 1);
    } else {
        parts.host = authority;
    }
    if (parts.host.isEmpty())
        return std::nullopt;
    // A port is digits only: anything else after the colon is not a URL this code understands, and the
    // value is then scanned as plain text, every character of it.
    if (!parts.port.isEmpty()) {
        bool numeric = false;
        const int port = parts.port.toInt(&numeric);
        if (!numeric || port < 0 || port > 65535 || parts.port.size() > 5
            || !std::all_of(parts.port.begin(), parts.port.end(), isAsciiDigit))
            return std::nullopt;
    }

    QStringView rest = text.mid(authorityEnd);
    if (const qsizetype hash = rest.indexOf(u'#'); hash >= 0) {
        parts.fragment = rest.mid(hash + 1);
        rest = rest.first(hash);
    }
    if (const qsizetype question = rest.indexOf(u'?'); question >= 0) {
        parts.query = rest.mid(question + 1);
        rest = rest.first(question);
    }
    parts.path = rest;
    return parts;
}

std::vector<std::pair<QStringView, QStringView>> splitQuery(QStringView query)
{
    std::vector<std::pair<QStringView, QStringView>> items;
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype end = start;
        while (end < query.size() && query[end] != u'&' && query[end] != u';')
            ++end;
        const QStringView item = query.mid(start, end - start);
        if (!item.isEmpty()) {
            const qsizetype equals = item.indexOf(u'=');
            if (equals < 0)
                items.emplace_back(item, QStringView());
            else
                items.emplace_back(item.first(equals), item.mid(equals + 1));
        }
        start = end + 1;
    }
    return items;
}

QString registrableDomain(QStringView host)
{
    while (host.endsWith(u'.'))
        host.chop(1);
    const bool numeric = !host.isEmpty() && std::all_of(host.begin(), host.end(), [](QChar c) {
        return isAsciiDigit(c) || c == u'.';
    });
    if (numeric || host.contains(u':'))
        return host.toString().toLower();
    // Walk back over the last labels; two-label public suffixes (co.uk, com.mx) keep one more label.
    const qsizetype lastDot = host.lastIndexOf(u'.');
    if (lastDot < 0)
        return host.toString().toLower();
    const qsizetype secondDot = host.lastIndexOf(u'.', lastDot - 1);
    if (secondDot < 0)
        return host.toString().toLower();
    static constexpr std::array<QStringView, 9> secondLevel = {u"co", u"com", u"org", u"net", u"gov",
                                                               u"edu", u"ac",  u"gob", u"nhs"};
    const QStringView tld = host.mid(lastDot + 1);
    const QStringView second = host.mid(secondDot + 1, lastDot - secondDot - 1);
    const bool twoLabelSuffix = tld.size() == 2 && std::any_of(secondLevel.begin(), secondLevel.end(), [&](QStringView s) {
        return second.compare(s, Qt::CaseInsensitive) == 0;
    });
    if (!twoLabelSuffix)
        return host.mid(secondDot + 1).toString().toLower();
    const qsizetype thirdDot = host.lastIndexOf(u'.', secondDot - 1);
    return host.mid(thirdDot + 1).toString().toLower();
}

bool looksLikeJson(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    return trimmed.size() >= 2
           && ((trimmed.front() == u'{' && trimmed.back() == u'}') || (trimmed.front() == u'[' && trimmed.back() == u']'));
}

} // namespace ClearSignal::ValueDecoding
