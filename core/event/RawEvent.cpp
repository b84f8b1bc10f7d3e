// SPDX-License-Identifier: GPL-3.0-or-later
#include "RawEvent.h"

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
        return value.text;
    case FieldValue::Kind::Number:
        return value.number;
    case FieldValue::Kind::Json: {
        const QJsonDocument document = QJsonDocument::fromJson(value.json);
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    }
    return QJsonValue(QJsonValue::Undefined);
}

void RawEvent::setText(EventField f, QString text)
{
    FieldValue& value = fields[size_t(f)];
    value.kind = FieldValue::Kind::Text;
    value.text = std::move(text);
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
