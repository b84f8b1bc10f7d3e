// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConversionMapping.h"

#include "tiktok/StandardEvents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

const QStringList& ConversionMapping::fields()
{
    static const QStringList all = {u"event"_s,      u"event_id"_s,   u"event_time"_s, u"visitor_id"_s, u"consent"_s,
                                    u"email"_s,      u"phone"_s,      u"external_id"_s, u"first_name"_s, u"last_name"_s,
                                    u"zip_code"_s,   u"ttclid"_s,     u"value"_s,       u"currency"_s};
    return all;
}

Expected<ConversionMapping> ConversionMapping::parse(const QByteArray& json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{u"the mapping is not valid JSON (offset %1: %2)"_s.arg(parseError.offset).arg(parseError.errorString())};
    if (!document.isObject())
        return Error{u"$: the mapping must be a JSON object"_s};
    const QJsonObject root = document.object();
    ConversionMapping mapping;
    const auto text = [&](const QString& key) -> Expected<QString> {
        const QJsonValue value = root.value(key);
        if (value.isUndefined())
            return QString();
        if (!value.isString())
            return Error{u"$.%1 must be a string"_s.arg(key)};
        return value.toString();
    };
    static const QStringList known = {u"schema"_s,     u"event_source"_s, u"event_set_id"_s, u"event"_s,
                                      u"columns"_s,    u"time_format"_s,  u"time_zone"_s,    u"currency"_s,
                                      u"consent_yes"_s, u"consent_no"_s, u"decimal_separator"_s};
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!known.contains(it.key()))
            return Error{u"$.%1 is not a mapping field; the fields are %2"_s.arg(it.key(), known.join(u", "_s))};
    }
    if (root.value("schema"_L1).toString() != schema)
        return Error{u"$.schema must be \"%1\""_s.arg(schema)};
    for (const QString& key : {u"event_source"_s, u"event_set_id"_s, u"event"_s, u"time_format"_s, u"time_zone"_s,
                               u"currency"_s, u"decimal_separator"_s}) {
        Expected<QString> value = text(key);
        if (!value)
            return value.error();
        if (value->isEmpty())
            continue;
        if (key == "event_source"_L1) {
            if (*value != "offline"_L1 && *value != "crm"_L1)
                return Error{u"$.event_source must be \"offline\" (store visits, bookings) or \"crm\" (leads)"_s};
            mapping.eventSource = *value;
        } else if (key == "event_set_id"_L1) {
            mapping.eventSetId = value->trimmed();
        } else if (key == "event"_L1) {
            const std::optional<QString> standard = StandardEvents::canonical(*value);
            if (!standard)
                return Error{u"$.event must be a TikTok standard event such as Schedule or CompletePayment, not \"%1\""_s
                                 .arg(*value)};
            mapping.event = *standard;
        } else if (key == "time_format"_L1) {
            mapping.timeFormat = *value;
        } else if (key == "time_zone"_L1) {
            const QTimeZone zone(value->toUtf8());
            if (!zone.isValid())
                return Error{u"$.time_zone must be a time zone such as America/Chicago, not \"%1\""_s.arg(*value)};
            mapping.timeZone = zone;
        } else if (key == "currency"_L1) {
            mapping.currency = value->toUpper();
        } else if (key == "decimal_separator"_L1) {
            if (*value != "."_L1 && *value != ","_L1)
                return Error{u"$.decimal_separator must be \".\" (1,250.00) or \",\" (1.250,00)"_s};
            mapping.decimalComma = *value == ","_L1;
        }
    }
    if (mapping.eventSetId.isEmpty())
        return Error{u"$.event_set_id is required: the id of the offline or CRM event set in TikTok Events Manager"_s};
    const QJsonValue columns = root.value("columns"_L1);
    if (!columns.isObject())
        return Error{u"$.columns must be an object from field to column name, such as {\"event_time\": \"Booked at\"}"_s};
    const QJsonObject columnObject = columns.toObject();
    for (auto it = columnObject.begin(); it != columnObject.end(); ++it) {
        if (!fields().contains(it.key()))
            return Error{u"$.columns.%1 is not a field; fields are %2"_s.arg(it.key(), fields().join(u", "_s))};
        if (!it.value().isString() || it.value().toString().trimmed().isEmpty())
            return Error{u"$.columns.%1 must name a column of the CSV"_s.arg(it.key())};
        mapping.columns.insert(it.key(), it.value().toString().trimmed());
    }
    if (mapping.event.isEmpty() && !mapping.columns.contains(u"event"_s))
        return Error{u"give $.event (the TikTok event of every row) or $.columns.event"_s};
    if (mapping.timeFormat != "unix"_L1 && !root.contains("time_zone"_L1))
        return Error{u"$.time_zone is required: the clinic's time zone, such as America/Chicago, for times written "
                     "without an offset (use \"UTC\" if the export is in UTC)"_s};
    if (!mapping.columns.contains(u"event_time"_s))
        return Error{u"$.columns.event_time is required: TikTok needs when each conversion happened"_s};
    for (const QString& key : {u"consent_yes"_s, u"consent_no"_s}) {
        const QJsonValue list = root.value(key);
        if (list.isUndefined())
            continue;
        if (!list.isArray())
            return Error{u"$.%1 must be a list of words"_s.arg(key)};
        QStringList words;
        for (const QJsonValue& word : list.toArray()) {
            const QString text = word.toString().trimmed().toLower();
            if (!word.isString() || text.isEmpty())
                return Error{u"$.%1 must hold words, not empty values"_s.arg(key)};
            words.append(text);
        }
        (key == "consent_yes"_L1 ? mapping.consentYes : mapping.consentNo) = words;
    }
    for (const QString& word : std::as_const(mapping.consentYes)) {
        if (mapping.consentNo.contains(word))
            return Error{u"\"%1\" is in both $.consent_yes and $.consent_no"_s.arg(word)};
    }
    return mapping;
}

Status ConversionMapping::checkHeader(const QStringList& header) const
{
    for (auto it = columns.begin(); it != columns.end(); ++it) {
        if (!header.contains(it.value(), Qt::CaseInsensitive))
            return Error{u"the mapping reads column \"%1\" for %2, but the CSV has no such column (it has: %3)"_s.arg(
                it.value(), it.key(), header.join(u", "_s))};
    }
    return Ok;
}

} // namespace ClearSignal
