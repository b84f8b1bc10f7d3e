// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonDom.h"

#include <QSet>

#include <QJsonArray>
#include <QJsonObject>

#include <charconv>
#include <cmath>
#include <cstring>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

/// Bytes a string can contain without a closer look: printable ASCII except the quote and the backslash.
constexpr bool plainStringByte(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/// True when none of eight bytes is a quote, a backslash, a control character or non-ASCII (SWAR test).
inline bool plainWord(const char* bytes)
{
    quint64 word;
    std::memcpy(&word, bytes, 8);
    constexpr quint64 ones = 0x0101010101010101ull;
    constexpr quint64 highs = 0x8080808080808080ull;
    auto hasZeroByte = [](quint64 x) { return (x - ones) & ~x & highs; };
    const quint64 control = (word - ones * 0x20) & ~word & highs; // a byte below 0x20
    const quint64 quote = hasZeroByte(word ^ (ones * '"'));
    const quint64 backslash = hasZeroByte(word ^ (ones * '\\'));
    return ((word & highs) | control | quote | backslash) == 0;
}

} // namespace

/// Recursive descent over the bytes; depth is bounded, so recursion is too.
class JsonDomParser final
{
public:
    JsonDomParser(JsonDom& dom, int maxDepth) : m_dom(dom), m_data(dom.m_source.constData()),
        m_size(dom.m_source.size()), m_maxDepth(maxDepth) {}

    std::optional<Error> run()
    {
        m_dom.m_nodes.reserve(size_t(m_size / 12 + 4));
        skipSpace();
        if (!value(-1, 1))
            return m_error;
        skipSpace();
        if (m_pos != m_size) {
            fail(u"unexpected text after the JSON value"_s);
            return m_error;
        }
        return std::nullopt;
    }

private:
    bool fail(const QString& what)
    {
        if (!m_error)
            m_error = Error{u"invalid JSON at offset %1: %2"_s.arg(m_pos).arg(what)};
        return false;
    }

    void skipSpace()
    {
        while (m_pos < m_size) {
            const char c = m_data[m_pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
                return;
            ++m_pos;
        }
    }

    int addNode(JsonDom::Type type, int parent, int depth)
    {
        JsonDom::Node node;
        node.type = type;
        node.parent = parent;
        node.depth = depth;
        node.begin = m_pos;
        m_dom.m_nodes.push_back(node);
        return int(m_dom.m_nodes.size() - 1);
    }

    bool literal(const char* text, qsizetype length)
    {
        if (m_size - m_pos < length || std::memcmp(m_data + m_pos, text, size_t(length)) != 0)
            return fail(u"expected a value"_s);
        m_pos += length;
        return true;
    }

    bool value(int parent, int depth)
    {
        if (depth > m_maxDepth)
            return fail(u"nested more than %1 levels deep"_s.arg(m_maxDepth));
        if (m_pos >= m_size)
            return fail(u"unexpected end of input"_s);
        const char c = m_data[m_pos];
        int index = -1;
        switch (c) {
        case '{':
            return object(parent, depth);
        case '[':
            return array(parent, depth);
        case '"': {
            index = addNode(JsonDom::Type::String, parent, depth);
            bool escaped = false;
            qsizetype begin = 0;
            qsizetype end = 0;
            if (!string(begin, end, escaped))
                return false;
            JsonDom::Node& node = m_dom.m_nodes[size_t(index)];
            node.begin = begin;
            node.end = end;
            node.escaped = escaped;
            return true;
        }
        case 't':
            index = addNode(JsonDom::Type::Bool, parent, depth);
            m_dom.m_nodes[size_t(index)].boolean = true;
            if (!literal("true", 4))
                return false;
            break;
        case 'f':
            index = addNode(JsonDom::Type::Bool, parent, depth);
            if (!literal("false", 5))
                return false;
            break;
        case 'n':
            index = addNode(JsonDom::Type::Null, parent, depth);
            if (!literal("null", 4))
                return false;
            break;
        default:
            if (c == '-' || (c >= '0' && c <= '9'))
                return number(parent, depth);
            return fail(u"expected a value"_s);
        }
        m_dom.m_nodes[size_t(index)].end = m_pos;
        return true;
    }

    bool number(int parent, int depth)
    {
        const int index = addNode(JsonDom::Type::Number, parent, depth);
        const qsizetype begin = m_pos;
        auto digits = [&] {
            const qsizetype start = m_pos;
            while (m_pos < m_size && m_data[m_pos] >= '0' && m_data[m_pos] <= '9')
                ++m_pos;
            return m_pos > start;
        };
        if (m_data[m_pos] == '-')
            ++m_pos;
        if (m_pos < m_size && m_data[m_pos] == '0') {
            ++m_pos;
        } else if (!digits()) {
            return fail(u"illegal number"_s);
        }
        if (m_pos < m_size && m_data[m_pos] == '.') {
            ++m_pos;
            if (!digits())
                return fail(u"illegal number"_s);
        }
        if (m_pos < m_size && (m_data[m_pos] == 'e' || m_data[m_pos] == 'E')) {
            ++m_pos;
            if (m_pos < m_size && (m_data[m_pos] == '+' || m_data[m_pos] == '-'))
                ++m_pos;
            if (!digits())
                return fail(u"illegal number"_s);
        }
        double number = 0;
        const auto [end, error] = std::from_chars(m_data + begin, m_data + m_pos, number);
        if (error != std::errc() || end != m_data + m_pos || !std::isfinite(number)) {
            // Out of double's range either way (too large, or too close to zero): refused, never clamped.
            m_pos = begin;
            return fail(u"illegal number (out of range)"_s);
        }
        JsonDom::Node& node = m_dom.m_nodes[size_t(index)];
        node.number = number;
        node.begin = begin;
        node.end = m_pos;
        return true;
    }

    /// Validates a string and finds its end; m_pos is on the opening quote.
    bool string(qsizetype& begin, qsizetype& end, bool& escaped)
    {
        ++m_pos;
        begin = m_pos;
        escaped = false;
        while (m_pos < m_size) {
            // Skip the plain ASCII run eight bytes at a time; stop at quotes, escapes, controls and UTF-8.
            while (m_size - m_pos >= 8 && plainWord(m_data + m_pos))
                m_pos += 8;
            while (m_pos < m_size && plainStringByte(static_cast<unsigned char>(m_data[m_pos])))
                ++m_pos;
            if (m_pos >= m_size)
                break;
            const auto c = static_cast<unsigned char>(m_data[m_pos]);
            if (c == '"') {
                end = m_pos;
                ++m_pos;
                return true;
            }
            if (c < 0x20)
                return fail(u"control character in a string; escape it"_s);
            if (c == '\\') {
                escaped = true;
                if (!escape())
                    return false;
                continue;
            }
            if (c < 0x80) {
                ++m_pos;
                continue;
            }
            if (!utf8Sequence())
                return fail(u"invalid UTF-8 in a string"_s);
        }
        return fail(u"unterminated string"_s);
    }

    bool hex4(quint32& value)
    {
        if (m_size - m_pos < 4)
            return false;
        value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_data[m_pos + i];
            value <<= 4;
            if (c >= '0' && c <= '9')
                value |= quint32(c - '0');
            else if (c >= 'a' && c <= 'f')
                value |= quint32(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                value |= quint32(c - 'A' + 10);
            else
                return false;
        }
        m_pos += 4;
        return true;
    }

    bool escape()
    {
        ++m_pos; // backslash
        if (m_pos >= m_size)
            return fail(u"unterminated string"_s);
        const char c = m_data[m_pos++];
        if (std::strchr("\"\\/bfnrt", c) && c != '\0')
            return true;
        if (c != 'u')
            return fail(u"invalid escape sequence"_s);
        quint32 unit = 0;
        if (!hex4(unit))
            return fail(u"invalid \\u escape"_s);
        if (unit >= 0xdc00 && unit <= 0xdfff)
            return fail(u"invalid \\u escape (unpaired surrogate)"_s);
        if (unit >= 0xd800 && unit <= 0xdbff) {
            quint32 low = 0;
            if (m_size - m_pos < 6 || m_data[m_pos] != '\\' || m_data[m_pos + 1] != 'u')
                return fail(u"invalid \\u escape (unpaired surrogate)"_s);
            m_pos += 2;
            if (!hex4(low) || low < 0xdc00 || low > 0xdfff)
                return fail(u"invalid \\u escape (unpaired surrogate)"_s);
        }
        return true;
    }

    /// One multi-byte UTF-8 sequence: shortest form, no surrogates, at most U+10FFFF.
    bool utf8Sequence()
    {
        const auto* bytes = reinterpret_cast<const unsigned char*>(m_data + m_pos);
        const qsizetype available = m_size - m_pos;
        const unsigned char lead = bytes[0];
        int length = 0;
        quint32 min = 0;
        quint32 codePoint = 0;
        if ((lead & 0xe0) == 0xc0) {
            length = 2;
            min = 0x80;
            codePoint = lead & 0x1f;
        } else if ((lead & 0xf0) == 0xe0) {
            length = 3;
            min = 0x800;
            codePoint = lead & 0x0f;
        } else if ((lead & 0xf8) == 0xf0) {
            length = 4;
            min = 0x10000;
            codePoint = lead & 0x07;
        } else {
            return false;
        }
        if (available < length)
            return false;
        for (int i = 1; i < length; ++i) {
            if ((bytes[i] & 0xc0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (bytes[i] & 0x3f);
        }
        if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
            return false;
        m_pos += length;
        return true;
    }

    bool array(int parent, int depth)
    {
        const int index = addNode(JsonDom::Type::Array, parent, depth);
        ++m_pos;
        skipSpace();
        int previous = -1;
        if (m_pos < m_size && m_data[m_pos] == ']') {
            ++m_pos;
            m_dom.m_nodes[size_t(index)].end = m_pos;
            return true;
        }
        for (;;) {
            const int child = int(m_dom.m_nodes.size());
            if (!value(index, depth + 1))
                return false;
            link(index, previous, child);
            previous = child;
            const Next next = afterMember(index, ']');
            if (next != Next::More)
                return next == Next::Closed;
        }
    }

    bool object(int parent, int depth)
    {
        const int index = addNode(JsonDom::Type::Object, parent, depth);
        ++m_pos;
        skipSpace();
        int previous = -1;
        if (m_pos < m_size && m_data[m_pos] == '}') {
            ++m_pos;
            m_dom.m_nodes[size_t(index)].end = m_pos;
            return true;
        }
        // Small objects compare keys pairwise; past a handful of members a set of the decoded keys takes over, so
        // a hostile object with a hundred thousand keys costs linear time, not quadratic.
        QSet<QString> keys;
        int members = 0;
        for (;;) {
            if (m_pos >= m_size)
                return fail(u"unexpected end of input"_s);
            if (m_data[m_pos] != '"')
                return fail(u"expected a key in double quotes"_s);
            const qsizetype keyOffset = m_pos;
            qsizetype keyBegin = 0;
            qsizetype keyEnd = 0;
            bool keyEscaped = false;
            if (!string(keyBegin, keyEnd, keyEscaped))
                return false;
            skipSpace();
            if (m_pos >= m_size || m_data[m_pos] != ':')
                return fail(u"expected ':' after a key"_s);
            ++m_pos;
            skipSpace();
            const int child = int(m_dom.m_nodes.size());
            if (!value(index, depth + 1))
                return false;
            JsonDom::Node& member = m_dom.m_nodes[size_t(child)];
            member.keyBegin = keyBegin;
            member.keyEnd = keyEnd;
            member.keyEscaped = keyEscaped;
            bool duplicate = false;
            if (++members <= smallObjectMembers) {
                duplicate = isDuplicateKey(index, child);
                if (!duplicate && members == smallObjectMembers) {
                    for (int i = m_dom.m_nodes[size_t(index)].firstChild; i >= 0; i = m_dom.m_nodes[size_t(i)].nextSibling)
                        keys.insert(m_dom.key(i));
                    keys.insert(m_dom.key(child));
                }
            } else {
                const QString key = m_dom.key(child);
                duplicate = keys.contains(key);
                keys.insert(key);
            }
            if (duplicate) {
                m_pos = keyOffset;
                return fail(u"duplicate key"_s);
            }
            link(index, previous, child);
            previous = child;
            const Next next = afterMember(index, '}');
            if (next != Next::More)
                return next == Next::Closed;
        }
    }

    enum class Next { More, Closed, Failed };

    /// After a member of an array or object: a comma (more follow) or the closing bracket.
    Next afterMember(int container, char close)
    {
        skipSpace();
        if (m_pos >= m_size) {
            fail(u"unexpected end of input"_s);
            return Next::Failed;
        }
        if (m_data[m_pos] == ',') {
            ++m_pos;
            skipSpace();
            return Next::More;
        }
        if (m_data[m_pos] == close) {
            ++m_pos;
            m_dom.m_nodes[size_t(container)].end = m_pos;
            return Next::Closed;
        }
        fail(close == ']' ? u"expected ',' or ']'"_s : u"expected ',' or '}'"_s);
        return Next::Failed;
    }

    void link(int parent, int previous, int child)
    {
        JsonDom::Node& parentNode = m_dom.m_nodes[size_t(parent)];
        if (previous < 0)
            parentNode.firstChild = child;
        else
            m_dom.m_nodes[size_t(previous)].nextSibling = child;
        ++parentNode.childCount;
    }

    static constexpr int smallObjectMembers = 16;

    bool isDuplicateKey(int object, int child) const
    {
        const JsonDom::Node& added = m_dom.m_nodes[size_t(child)];
        const bool anyEscaped = added.keyEscaped;
        for (int i = m_dom.m_nodes[size_t(object)].firstChild; i >= 0; i = m_dom.m_nodes[size_t(i)].nextSibling) {
            const JsonDom::Node& other = m_dom.m_nodes[size_t(i)];
            if (anyEscaped || other.keyEscaped) {
                if (m_dom.key(i) == m_dom.key(child))
                    return true;
            } else if (other.keyEnd - other.keyBegin == added.keyEnd - added.keyBegin
                       && std::memcmp(m_data + other.keyBegin, m_data + added.keyBegin,
                                      size_t(added.keyEnd - added.keyBegin))
                              == 0) {
                return true;
            }
        }
        return false;
    }

    JsonDom& m_dom;
    const char* m_data;
    qsizetype m_size;
    qsizetype m_pos = 0;
    int m_maxDepth;
    std::optional<Error> m_error;
};

Expected<JsonDom> JsonDom::parse(const QByteArray& json, int maxDepth)
{
    JsonDom dom;
    dom.m_source = json;
    if (std::optional<Error> error = JsonDomParser(dom, maxDepth).run())
        return *error;
    return dom;
}

QString JsonDom::decodeString(const QByteArray& source, qsizetype begin, qsizetype end, bool escaped)
{
    const char* data = source.constData();
    if (!escaped)
        return QString::fromUtf8(data + begin, end - begin);
    // Escapes were validated while parsing; decode them into UTF-16 directly.
    QString result;
    result.reserve(end - begin);
    qsizetype runStart = begin;
    auto flush = [&](qsizetype upTo) {
        if (upTo > runStart)
            result += QString::fromUtf8(data + runStart, upTo - runStart);
    };
    auto hex4 = [&](qsizetype at) {
        char16_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = data[at + i];
            value = char16_t(value << 4);
            value |= char16_t(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return value;
    };
    qsizetype i = begin;
    while (i < end) {
        if (data[i] != '\\') {
            ++i;
            continue;
        }
        flush(i);
        const char c = data[i + 1];
        switch (c) {
        case 'b':
            result += u'\b';
            break;
        case 'f':
            result += u'\f';
            break;
        case 'n':
            result += u'\n';
            break;
        case 'r':
            result += u'\r';
            break;
        case 't':
            result += u'\t';
            break;
        case 'u':
            result += QChar(hex4(i + 2));
            i += 4;
            break;
        default:
            result += QLatin1Char(c);
        }
        i += 2;
        runStart = i;
    }
    flush(end);
    return result;
}

QString JsonDom::string(int index) const
{
    const Node& n = node(index);
    return decodeString(m_source, n.begin, n.end, n.escaped);
}

QString JsonDom::key(int index) const
{
    const Node& n = node(index);
    return decodeString(m_source, n.keyBegin, n.keyEnd, n.keyEscaped);
}

bool JsonDom::keyIs(int index, QLatin1StringView name) const
{
    const Node& n = node(index);
    if (n.keyEscaped)
        return key(index) == name;
    return n.keyEnd - n.keyBegin == name.size()
           && std::memcmp(m_source.constData() + n.keyBegin, name.data(), size_t(name.size())) == 0;
}

int JsonDom::member(int object, QLatin1StringView name) const
{
    for (int i = node(object).firstChild; i >= 0; i = node(i).nextSibling) {
        if (keyIs(i, name))
            return i;
    }
    return -1;
}

QByteArrayView JsonDom::raw(int index) const
{
    const Node& n = node(index);
    if (n.type == Type::String)
        return QByteArrayView(m_source.constData() + n.begin - 1, n.end - n.begin + 2);
    return QByteArrayView(m_source.constData() + n.begin, n.end - n.begin);
}

QJsonValue JsonDom::toJsonValue(int index) const
{
    const Node& n = node(index);
    switch (n.type) {
    case Type::Null:
        return QJsonValue(QJsonValue::Null);
    case Type::Bool:
        return n.boolean;
    case Type::Number: {
        // Whole numbers that fit keep full 64-bit precision, as QJsonValue does.
        const QByteArrayView literal = raw(index);
        qint64 integer = 0;
        const auto [end, error] = std::from_chars(literal.data(), literal.data() + literal.size(), integer);
        if (error == std::errc() && end == literal.data() + literal.size())
            return integer;
        // Like Qt, integral values that fit are integers ("1.0" reads as 1).
        if (std::trunc(n.number) == n.number && std::fabs(n.number) < 9.2e18)
            return qint64(n.number);
        return n.number;
    }
    case Type::String:
        return string(index);
    case Type::Array: {
        QJsonArray array;
        for (int i = n.firstChild; i >= 0; i = node(i).nextSibling)
            array.append(toJsonValue(i));
        return array;
    }
    case Type::Object: {
        QJsonObject object;
        for (int i = n.firstChild; i >= 0; i = node(i).nextSibling)
            object.insert(key(i), toJsonValue(i));
        return object;
    }
    }
    return {};
}

} // namespace ClearSignal
