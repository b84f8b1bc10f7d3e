// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventParser.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

// Plausible event times: 2000-01-01 to 2100-01-01. Anything else is a unit or format mistake.
constexpr qint64 earliestEventTime = 946684800;
constexpr qint64 latestEventTime = 4102444800;
constexpr double maxMoney = 1e12;
constexpr double maxCount = 1e9;
constexpr int maxArrayStringLength = 256;

QString typeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"true/false"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"missing"_s;
}

Error typeError(QStringView path, QStringView expected, const QJsonValue& got)
{
    return Error{u"%1 must be %2, not %3"_s.arg(path, expected, typeName(got))};
}

/// Walks the whole event once for limits no single field check sees: nesting depth and
/// strings that are not valid Unicode (lone surrogates from \u escapes). Paths are built only for
/// the error message, on the way back up, so a valid event costs no allocations here.
struct TreeProblem
{
    QStringList path; ///< innermost key first
    QString what;
};

std::optional<TreeProblem> findTreeProblem(const QJsonValue& value, int depth)
{
    if (value.isString()) {
        if (!value.toString().isValidUtf16())
            return TreeProblem{{}, u"contains an invalid \\u escape (an unpaired surrogate); send valid UTF-8 text"_s};
        return std::nullopt;
    }
    if (!value.isObject() && !value.isArray())
        return std::nullopt;
    if (depth > EventLimits::maxDepth)
        return TreeProblem{{}, u"is nested more than %1 levels deep; flatten the data"_s.arg(EventLimits::maxDepth)};
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.key().isValidUtf16())
                return TreeProblem{{}, u"has a key with an invalid \\u escape; send valid UTF-8 text"_s};
            if (auto problem = findTreeProblem(it.value(), depth + 1)) {
                problem->path.append(it.key());
                return problem;
            }
        }
    } else {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto problem = findTreeProblem(array.at(i), depth + 1)) {
                problem->path.append(u"[%1]"_s.arg(i));
                return problem;
            }
        }
    }
    return std::nullopt;
}

std::optional<Error> checkTree(const QJsonObject& event)
{
    std::optional<TreeProblem> problem = findTreeProblem(QJsonValue(event), 1);
    if (!problem)
        return std::nullopt;
    QString path;
    for (auto it = problem->path.crbegin(); it != problem->path.crend(); ++it)
        path += it->startsWith(u'[') || path.isEmpty() ? *it : u'.' + *it;
    return Error{u"%1 %2"_s.arg(path.isEmpty() ? u"the event"_s : path, problem->what)};
}

bool hasControlCharacter(QStringView text)
{
    for (QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    }
    return false;
}

std::optional<Error> checkString(QStringView path, const QJsonValue& value, int maxLength)
{
    if (!value.isString())
        return typeError(path, u"a string", value);
    if (value.toString().size() > maxLength)
        return Error{u"%1 is %2 characters long; the limit is %3"_s.arg(path).arg(value.toString().size()).arg(maxLength)};
    return std::nullopt;
}

std::optional<Error> checkNumber(QStringView path, const QJsonValue& value, double max, bool integral)
{
    if (!value.isDouble())
        return typeError(path, integral ? u"a whole number" : u"a number", value);
    const double number = value.toDouble();
    if (!std::isfinite(number) || number < 0 || number > max)
        return Error{u"%1 must be between 0 and %2"_s.arg(path, QString::number(qint64(max)))};
    if (integral && std::floor(number) != number)
        return Error{u"%1 must be a whole number"_s.arg(path)};
    return std::nullopt;
}

/// Reads properties.contents: an array of small objects with known keys.
Expected<QJsonValue> readContents(const QJsonValue& value, QStringList& unknownFields)
{
    const QString path = u"properties.contents"_s;
    if (!value.isArray())
        return typeError(path, u"an array", value);
    const QJsonArray input = value.toArray();
    if (input.size() > fieldSpec(EventField::PropContents).maxLength)
        return Error{u"%1 has %2 entries; the limit is %3"_s.arg(path)
                         .arg(input.size())
                         .arg(fieldSpec(EventField::PropContents).maxLength)};
    QJsonArray output;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QString itemPath = u"%1[%2]"_s.arg(path).arg(i);
        if (!input.at(i).isObject())
            return typeError(itemPath, u"an object", input.at(i));
        const QJsonObject item = input.at(i).toObject();
        QJsonObject kept;
        for (auto it = item.begin(); it != item.end(); ++it) {
            const QString key = it.key();
            const QString keyPath = itemPath + u'.' + key;
            if (it.value().isNull())
                continue;
            if (key == "price"_L1) {
                if (auto error = checkNumber(keyPath, it.value(), maxMoney, false))
                    return *error;
            } else if (key == "quantity"_L1) {
                if (auto error = checkNumber(keyPath, it.value(), maxCount, true))
                    return *error;
            } else if (key == "content_id"_L1 || key == "content_name"_L1 || key == "content_category"_L1
                       || key == "brand"_L1) {
                if (auto error = checkString(keyPath, it.value(), 1024))
                    return *error;
            } else {
                unknownFields.append(keyPath);
                continue;
            }
            kept.insert(key, it.value());
        }
        output.append(kept);
    }
    return QJsonValue(output);
}

Expected<QJsonValue> readField(const EventFieldSpec& spec, const QJsonValue& value, QStringList& unknownFields)
{
    const QString path = spec.path;
    switch (spec.kind) {
    case FieldValueKind::String: {
        if (spec.field != EventField::PropCurrency) {
            if (auto error = checkString(path, value, spec.maxLength))
                return *error;
            return value;
        }
        if (!value.isString())
            return typeError(path, u"a string", value);
        const QString text = value.toString();
        {
            const bool letters = text.size() == 3 && std::all_of(text.begin(), text.end(), [](QChar c) {
                return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z');
            });
            if (!letters)
                return Error{u"properties.currency must be a three-letter ISO 4217 code such as USD"_s};
            return QJsonValue(text.toUpper());
        }
    }
    case FieldValueKind::Number:
        if (auto error = checkNumber(path, value, maxMoney, false))
            return *error;
        return value;
    case FieldValueKind::Integer:
        if (auto error = checkNumber(path, value, maxCount, true))
            return *error;
        return value;
    case FieldValueKind::StringArray: {
        if (!value.isArray())
            return typeError(path, u"an array of strings", value);
        const QJsonArray array = value.toArray();
        if (array.size() > spec.maxLength)
            return Error{u"%1 has %2 entries; the limit is %3"_s.arg(path).arg(array.size()).arg(spec.maxLength)};
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto error = checkString(u"%1[%2]"_s.arg(path).arg(i), array.at(i), maxArrayStringLength))
                return *error;
        }
        return value;
    }
    case FieldValueKind::Contents:
        return readContents(value, unknownFields);
    }
    return value;
}

/// True for values a producer uses to mean "nothing here".
bool isEmptyValue(const QJsonValue& value)
{
    return value.isNull() || value.isUndefined() || (value.isString() && value.toString().isEmpty());
}

std::optional<Error> readSection(EventSection section, QLatin1StringView sectionKey, const QJsonObject& root,
                                 RawEvent& event)
{
    const QJsonValue sectionValue = root.value(sectionKey);
    if (sectionValue.isUndefined() || sectionValue.isNull())
        return std::nullopt;
    if (!sectionValue.isObject())
        return typeError(QString(sectionKey), u"an object", sectionValue);
    const QJsonObject object = sectionValue.toObject();

    for (auto it = object.begin(); it != object.end(); ++it) {
        const EventFieldSpec* spec = nullptr;
        for (const EventFieldSpec& candidate : allFieldSpecs()) {
            if (candidate.section == section && it.key() == candidate.key) {
                spec = &candidate;
                break;
            }
        }
        if (!spec) {
            if (section == EventSection::Properties) {
                if (event.customProperties.size() >= EventLimits::maxCustomProperties)
                    return Error{u"properties has more than %1 custom keys"_s.arg(EventLimits::maxCustomProperties)};
                event.customProperties.insert(it.key(), it.value());
            } else {
                event.unknownFields.append(QString(sectionKey) + u'.' + it.key());
            }
            continue;
        }
        if (isEmptyValue(it.value()))
            continue;
        Expected<QJsonValue> value = readField(*spec, it.value(), event.unknownFields);
        if (!value)
            return value.error();
        event.field(spec->field) = std::move(*value);
    }
    return std::nullopt;
}

} // namespace

Expected<qint64> EventParser::parseEventTime(const QJsonValue& value)
{
    qint64 seconds = 0;
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (std::floor(number) != number)
            return Error{u"event_time must be whole Unix seconds"_s};
        if (number > 1e11 && number < 1e14)
            return Error{u"event_time %1 looks like milliseconds; send Unix seconds"_s.arg(qint64(number))};
        seconds = qint64(number);
    } else if (value.isString()) {
        const QString text = value.toString();
        const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!time.isValid())
            return Error{u"event_time is not an ISO-8601 date-time such as 2026-11-21T15:04:05Z"_s};
        if (time.timeSpec() == Qt::LocalTime)
            return Error{u"event_time has no time zone; add Z or an offset such as -05:00"_s};
        seconds = time.toSecsSinceEpoch();
    } else {
        return typeError(u"event_time", u"Unix seconds or an ISO-8601 string", value);
    }
    if (seconds < earliestEventTime || seconds > latestEventTime)
        return Error{u"event_time %1 is outside 2000-2100; send Unix seconds"_s.arg(seconds)};
    return seconds;
}

Expected<RawEvent> EventParser::parse(QByteArrayView json)
{
    if (json.size() > EventLimits::maxEventBytes)
        return Error{u"the event is %1 bytes; the limit is %2 bytes (64 KiB)"_s.arg(json.size()).arg(
            EventLimits::maxEventBytes)};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{u"invalid JSON at offset %1: %2"_s.arg(parseError.offset).arg(parseError.errorString())};
    if (!document.isObject())
        return Error{u"an event must be a JSON object, not %1"_s.arg(document.isArray() ? u"an array"_s : u"a value"_s)};
    return parseObject(document.object());
}

Expected<RawEvent> EventParser::parseObject(const QJsonObject& object)
{
    if (auto error = checkTree(object))
        return *error;

    RawEvent event;
    const QJsonValue name = object.value("event"_L1);
    if (name.isUndefined() || name.isNull())
        return Error{u"event is required: the name of what happened, such as \"Lead\""_s};
    if (!name.isString())
        return typeError(u"event", u"a string", name);
    event.name = name.toString();
    if (event.name.trimmed().isEmpty() || event.name.size() > EventLimits::maxNameLength)
        return Error{u"event must be 1 to %1 characters"_s.arg(EventLimits::maxNameLength)};
    if (hasControlCharacter(event.name))
        return Error{u"event contains control characters"_s};

    const QJsonValue time = object.value("event_time"_L1);
    if (!time.isUndefined() && !time.isNull()) {
        Expected<qint64> seconds = parseEventTime(time);
        if (!seconds)
            return seconds.error();
        event.eventTime = *seconds;
    }

    const QJsonValue visitor = object.value("visitor_id"_L1);
    if (!isEmptyValue(visitor)) {
        if (auto error = checkString(u"visitor_id", visitor, 128))
            return *error;
        event.visitorId = visitor.toString();
    }

    const QJsonValue eventId = object.value("event_id"_L1);
    if (!isEmptyValue(eventId)) {
        const EventFieldSpec& spec = fieldSpec(EventField::EventId);
        if (auto error = checkString(QString(spec.path), eventId, spec.maxLength))
            return *error;
        event.field(EventField::EventId) = eventId;
    }

    if (auto error = readSection(EventSection::Page, "page"_L1, object, event))
        return *error;
    if (auto error = readSection(EventSection::User, "user"_L1, object, event))
        return *error;
    if (auto error = readSection(EventSection::Properties, "properties"_L1, object, event))
        return *error;

    const QJsonValue form = object.value("form"_L1);
    if (!form.isUndefined() && !form.isNull()) {
        if (!form.isObject())
            return typeError(u"form", u"an object", form);
        event.form = form.toObject();
        if (event.form.size() > EventLimits::maxFormFields)
            return Error{u"form has %1 fields; the limit is %2"_s.arg(event.form.size()).arg(EventLimits::maxFormFields)};
    }

    static const QLatin1StringView knownTopLevel[] = {"event"_L1, "event_id"_L1, "event_time"_L1, "visitor_id"_L1,
                                                     "page"_L1,  "user"_L1,     "properties"_L1, "form"_L1};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(std::begin(knownTopLevel), std::end(knownTopLevel), it.key()) == std::end(knownTopLevel))
            event.unknownFields.append(it.key());
    }
    return event;
}

} // namespace ClearSignal
