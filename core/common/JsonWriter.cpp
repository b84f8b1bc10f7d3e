// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonWriter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ClearSignal {

void JsonWriter::separate()
{
    if (m_needComma)
        m_out += ',';
}

void JsonWriter::beginObject()
{
    separate();
    m_out += '{';
    m_needComma = false;
}

void JsonWriter::endObject()
{
    m_out += '}';
    m_needComma = true;
}

void JsonWriter::beginArray()
{
    separate();
    m_out += '[';
    m_needComma = false;
}

void JsonWriter::endArray()
{
    m_out += ']';
    m_needComma = true;
}

void JsonWriter::key(QStringView name)
{
    separate();
    appendString(m_out, name);
    m_out += ':';
    m_needComma = false;
}

void JsonWriter::key(QLatin1StringView name)
{
    // Keys written from code are plain ASCII identifiers: one resize, one copy.
    const qsizetype start = m_out.size();
    const qsizetype comma = m_needComma ? 1 : 0;
    m_out.resize(start + comma + name.size() + 3);
    char* write = m_out.data() + start;
    if (comma)
        *write++ = ',';
    *write++ = '"';
    std::memcpy(write, name.data(), size_t(name.size()));
    write += name.size();
    *write++ = '"';
    *write = ':';
    m_needComma = false;
}

void JsonWriter::value(QStringView text)
{
    separate();
    appendString(m_out, text);
    m_needComma = true;
}

void JsonWriter::value(QLatin1StringView text)
{
    value(QStringView(QString(text)));
}

void JsonWriter::value(qint64 number)
{
    separate();
    m_out += QByteArray::number(number);
    m_needComma = true;
}

void JsonWriter::value(double number)
{
    separate();
    m_out += formatNumber(number);
    m_needComma = true;
}

void JsonWriter::value(bool flag)
{
    separate();
    m_out += flag ? "true" : "false";
    m_needComma = true;
}

void JsonWriter::null()
{
    separate();
    m_out += "null";
    m_needComma = true;
}

void JsonWriter::raw(const QByteArray& json)
{
    separate();
    m_out += json;
    m_needComma = true;
}

void JsonWriter::value(const QJsonValue& json)
{
    switch (json.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        null();
        break;
    case QJsonValue::Bool:
        value(json.toBool());
        break;
    case QJsonValue::Double:
        value(json.toDouble());
        break;
    case QJsonValue::String:
        value(QStringView(json.toString()));
        break;
    case QJsonValue::Array: {
        beginArray();
        const QJsonArray array = json.toArray();
        for (const QJsonValue& item : array)
            value(item);
        endArray();
        break;
    }
    case QJsonValue::Object: {
        beginObject();
        const QJsonObject object = json.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            key(QStringView(it.key()));
            value(it.value());
        }
        endObject();
        break;
    }
    }
}

QByteArray JsonWriter::indented(const QByteArray& compact, int indent)
{
    QByteArray out;
    out.reserve(compact.size() * 2);
    int level = 0;
    bool inString = false;
    auto newline = [&](int depth) {
        out += '\n';
        out.append(QByteArray(depth * indent, ' '));
    };
    for (qsizetype i = 0; i < compact.size(); ++i) {
        const char c = compact[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < compact.size())
                out += compact[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            const char close = c == '{' ? '}' : ']';
            if (i + 1 < compact.size() && compact[i + 1] == close) {
                out += c;
                out += close;
                ++i;
                break;
            }
            out += c;
            newline(++level);
            break;
        }
        case '}':
        case ']':
            newline(--level);
            out += c;
            break;
        case ',':
            out += c;
            newline(level);
            break;
        case ':':
            out += ": ";
            break;
        default:
            out += c;
        }
    }
    out += '\n';
    return out;
}

QByteArray JsonWriter::formatNumber(double number)
{
    if (!std::isfinite(number))
        return QByteArrayLiteral("null");
    if (std::floor(number) == number && std::fabs(number) < 9007199254740992.0)
        return QByteArray::number(qint64(number));
    return QByteArray::number(number, 'g', QLocale::FloatingPointShortest);
}

void JsonWriter::appendString(QByteArray& out, QStringView text)
{
    // Most strings are plain printable ASCII: copy them without converting or escaping.
    const bool plain = std::all_of(text.begin(), text.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return u >= 0x20 && u < 0x7f && u != '"' && u != '\\';
    });
    if (plain) {
        const qsizetype start = out.size();
        out.resize(start + text.size() + 2);
        char* write = out.data() + start;
        *write++ = '"';
        for (QChar c : text)
            *write++ = char(c.unicode());
        *write = '"';
        return;
    }
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    const char* data = utf8.constData();
    const qsizetype size = utf8.size();
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const auto byte = static_cast<unsigned char>(data[i]);
        const char* escape = nullptr;
        char unicodeEscape[7];
        if (byte == '"') {
            escape = "\\\"";
        } else if (byte == '\\') {
            escape = "\\\\";
        } else if (byte == '\n') {
            escape = "\\n";
        } else if (byte == '\r') {
            escape = "\\r";
        } else if (byte == '\t') {
            escape = "\\t";
        } else if (byte < 0x20 || byte == 0x7f) {
            unicodeEscape[0] = '\\';
            unicodeEscape[1] = 'u';
            unicodeEscape[2] = '0';
            unicodeEscape[3] = '0';
            unicodeEscape[4] = hex[byte >> 4];
            unicodeEscape[5] = hex[byte & 0xf];
            unicodeEscape[6] = '\0';
            escape = unicodeEscape;
        } else if (byte == 0xe2 && i + 2 < size && static_cast<unsigned char>(data[i + 1]) == 0x80
                   && (static_cast<unsigned char>(data[i + 2]) & 0xfe) == 0xa8) {
            // U+2028 and U+2029 are valid JSON but break JavaScript string literals: escape them.
            escape = static_cast<unsigned char>(data[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
            out.append(data + runStart, i - runStart);
            out += escape;
            i += 2;
            runStart = i + 1;
            continue;
        }
        if (escape) {
            out.append(data + runStart, i - runStart);
            out += escape;
            runStart = i + 1;
        }
    }
    out.append(data + runStart, size - runStart);
    out += '"';
}

} // namespace ClearSignal
