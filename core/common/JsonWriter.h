// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QLatin1StringView>
#include <QString>
#include <QStringView>

class QJsonValue;

namespace ClearSignal {

/// Writes compact JSON with keys in the order they are written.
/// QJsonDocument sorts keys; payloads and CLI output keep a fixed, readable order instead,
/// and the bytes a preview shows are the bytes that leave.
class JsonWriter final
{
public:
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();

    void key(QStringView name);
    /// For keys written in code: plain ASCII identifiers, copied without escaping.
    void key(QLatin1StringView name);

    void value(QStringView text);
    void value(const QString& text) { value(QStringView(text)); }
    void value(QLatin1StringView text);
    void value(qint64 number);
    void value(int number) { value(qint64(number)); }
    void value(double number);
    void value(bool flag);
    void null();
    /// Writes any QJsonValue (objects keep QJsonObject's key order).
    void value(const QJsonValue& json);
    /// Inserts an already serialized JSON value verbatim.
    void raw(const QByteArray& json);

    template<typename T>
    void field(QLatin1StringView name, const T& v)
    {
        key(name);
        value(v);
    }

    const QByteArray& bytes() const { return m_out; }
    QByteArray take() { return std::exchange(m_out, QByteArray()); }
    void reserve(qsizetype size) { m_out.reserve(size); }

    /// Appends text as a quoted, escaped JSON string.
    static void appendString(QByteArray& out, QStringView text);
    /// Re-indents compact JSON (as written by this class) for files people read and diff.
    static QByteArray indented(const QByteArray& compact, int indent = 2);
    /// Formats a number the way JSON output does here: integers without a fraction, others shortest round-trip.
    static QByteArray formatNumber(double number);

private:
    void separate();

    QByteArray m_out;
    bool m_needComma = false;
};

} // namespace ClearSignal
