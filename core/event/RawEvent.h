// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EventField.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace ClearSignal {

/// The value of one EventField: text, a number, or (for content_ids and contents) JSON.
/// Text stays as its bytes in the event's source until something reads it: most fields of most events
/// are dropped by the rules, and decoding them would be wasted work on the relay's hot path.
struct FieldValue
{
    enum class Kind : quint8 { Absent, Text, Number, Json };
    Kind kind = Kind::Absent;
    bool escaped = false;      ///< the source bytes contain JSON escapes
    mutable bool decoded = true;
    mutable QString text;      ///< valid once decoded
    qsizetype begin = 0;       ///< the UTF-8 bytes in RawEvent::source, while not decoded
    qsizetype end = 0;
    double number = 0;
    QByteArray json; ///< compact, validated JSON in ClearSignal's key order (Kind::Json)
};

/// One cs-event/1 event as a site sent it, after strict validation. It may hold PHI:
/// it lives in memory only and is never written anywhere as it is.
/// Reading a text field decodes it on first use, so one RawEvent must not be read from two threads at
/// once; copies are independent, so hand each thread its own.
struct RawEvent
{
    QByteArray source;               ///< the JSON the event was read from (shared, not copied)
    QString name;                    ///< "event", 1 to 128 characters
    std::optional<qint64> eventTime; ///< Unix seconds; absent means "time of receipt"
    QString visitorId;
    std::array<FieldValue, eventFieldCount> fields;
    QByteArray customPropertiesJson; ///< properties ClearSignal has no field for, as a JSON object; never sent
    QByteArray formJson;             ///< the form fields, as a JSON object; never sent
    QStringList unknownFields;       ///< paths of keys cs-event/1 does not define (safe labels only); dropped

    /// Custom properties and form fields are only looked at to explain a trace: parsed on demand.
    QJsonObject customProperties() const;
    QJsonObject form() const;

    const FieldValue& field(EventField f) const { return fields[size_t(f)]; }
    bool has(EventField f) const { return field(f).kind != FieldValue::Kind::Absent; }
    /// The text of a string field; empty when absent. Decodes on first use: a RawEvent is read by one
    /// thread at a time.
    const QString& text(EventField f) const { return textOf(field(f)); }
    const QString& textOf(const FieldValue& value) const;
    double number(EventField f) const { return field(f).number; }
    /// Any field as a QJsonValue (Undefined when absent), for the paths that want one.
    QJsonValue value(EventField f) const;

    void setText(EventField f, QString text);
    /// A string field still in the source: bytes [begin, end) of source, decoded when read.
    void setSourceText(EventField f, qsizetype begin, qsizetype end, bool escaped);
    void setNumber(EventField f, double number);
    void setJson(EventField f, QByteArray json);
};

} // namespace ClearSignal
