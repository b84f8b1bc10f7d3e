// SPDX-License-Identifier: GPL-3.0-or-later
#include "RawEvent.h"

#include "common/JsonDom.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ClearSignal {

QJsonValue RawEvent::value(EventField f) const
{
    const FieldValue& value = field(f);
    switch (value.kind) {
    case FieldValue::Kind::Absent:
        break;
    case FieldValue::Kind::Text:
        return textOf(value);
    case FieldValue::Kind::Number:
        return value.number;
    case FieldValue::Kind::Json: {
        const QJsonDocument document = QJsonDocument::fromJson(value.json);
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    }
    return QJsonValue(QJsonValue::Undefined);
}

const QString& RawEvent::textOf(const FieldValue& value) const
{
    if (!value.decoded) {
        value.text = JsonDom::decodeString(source, value.begin, value.end, value.escaped);
        value.decoded = true;
    }
    return value.text;
}

void RawEvent::setText(EventField f, QString text)
{
    FieldValue& value = fields[size_t(f)];
    value.kind = FieldValue::Kind::Text;
    value.text = std::move(text);
    value.decoded = true;
}

void RawEvent::setSourceText(EventField f, qsizetype begin, qsizetype end, bool escaped)
{
    FieldValue& value = fields[size_t(f)];
    value.kind = FieldValue::Kind::Text;
    value.begin = begin;
    value.end = end;
    value.escaped = escaped;
    value.decoded = false;
    value.text.clear();
}

void RawEvent::setNumber(EventField f, double number)
{
    FieldValue& value = fields[size_t(f)];
    value.kind = FieldValue::Kind::Number;
    value.number = number;
}

QJsonObject RawEvent::customProperties() const
{
    return QJsonDocument::fromJson(customPropertiesJson).object();
}

QJsonObject RawEvent::form() const
{
    return QJsonDocument::fromJson(formJson).object();
}

void RawEvent::setJson(EventField f, QByteArray json)
{
    FieldValue& value = fields[size_t(f)];
    value.kind = FieldValue::Kind::Json;
    value.json = std::move(json);
}

} // namespace ClearSignal
