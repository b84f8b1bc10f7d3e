// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReceivedRequest.h"

#include <QJsonArray>

namespace ClearSignal::Fakes {

using namespace Qt::Literals::StringLiterals;

QList<QJsonObject> ReceivedRequest::items() const
{
    QList<QJsonObject> result;
    const QJsonArray data = json.toObject().value("data"_L1).toArray();
    for (const QJsonValue& item : data)
        result.append(item.toObject());
    return result;
}

QJsonObject ReceivedRequest::toJson(bool withBody) const
{
    QJsonObject json{
        {"time"_L1, receivedAt.toString(Qt::ISODateWithMs)},
        {"method"_L1, QString::fromLatin1(method)},
        {"path"_L1, path},
        {"token"_L1, tokenCheckName(token)},
        {"http_status"_L1, httpStatus == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(httpStatus)},
        {"code"_L1, code ? QJsonValue(*code) : QJsonValue(QJsonValue::Null)},
        {"message"_L1, message},
        {"request_id"_L1, requestId},
        {"body_bytes"_L1, body.size()},
    };
    if (fault)
        json.insert("fault"_L1, fault->toJson());
    const QJsonObject parsed = this->json.toObject();
    if (parsed.contains("test_event_code"_L1))
        json.insert("test_event_code"_L1, parsed.value("test_event_code"_L1));
    QJsonArray eventIds;
    for (const QJsonObject& item : items())
        eventIds.append(item.value("event_id"_L1));
    json.insert("events"_L1, eventIds.size());
    json.insert("event_ids"_L1, eventIds);
    if (withBody) {
        if (this->json.isUndefined())
            json.insert("body_text"_L1, QString::fromUtf8(body));
        else
            json.insert("body"_L1, this->json);
    }
    return json;
}

QString ReceivedRequest::tokenCheckName(TokenCheck check)
{
    switch (check) {
    case TokenCheck::Unchecked:
        return u"unchecked"_s;
    case TokenCheck::Matched:
        return u"matched"_s;
    case TokenCheck::Missing:
        return u"missing"_s;
    case TokenCheck::Wrong:
        return u"wrong"_s;
    }
    return {};
}

QJsonObject AcceptedEvent::toJson() const
{
    QJsonObject json{
        {"event_source"_L1, eventSource},
        {"event_source_id"_L1, eventSourceId},
        {"request_id"_L1, requestId},
        {"index"_L1, index},
        {"item"_L1, item},
    };
    if (!testEventCode.isEmpty())
        json.insert("test_event_code"_L1, testEventCode);
    return json;
}

} // namespace ClearSignal::Fakes
