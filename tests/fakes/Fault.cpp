// SPDX-License-Identifier: GPL-3.0-or-later
#include "Fault.h"

#include <QHttpServerResponder>
#include <QMetaEnum>

namespace ClearSignal::Fakes {

using namespace Qt::Literals::StringLiterals;

namespace {

// QHttpServerResponder looks the reason phrase up with std::map::at: an unknown status would throw.
bool isKnownErrorStatus(int status)
{
    const QMetaEnum statuses = QMetaEnum::fromType<QHttpServerResponder::StatusCode>();
    return status >= 400 && status <= 599 && statuses.valueToKey(status) != nullptr;
}

Expected<qint64> integerMember(const QJsonObject& json, QLatin1StringView key)
{
    const QJsonValue value = json.value(key);
    if (!value.isDouble() || value.toDouble() != double(value.toInteger()))
        return Error{u"fault \"%1\" needs an integer \"%2\""_s.arg(json.value("kind"_L1).toString(), key)};
    return value.toInteger();
}

} // namespace

Fault Fault::http(int status, qint64 code)
{
    Fault fault;
    fault.kind = Kind::HttpStatus;
    fault.status = status;
    fault.code = code;
    return fault;
}

Fault Fault::apiCode(qint64 code, const QString& message)
{
    Fault fault;
    fault.kind = Kind::Code;
    fault.code = code;
    fault.message = message;
    return fault;
}

Fault Fault::timeout()
{
    Fault fault;
    fault.kind = Kind::Timeout;
    return fault;
}

Fault Fault::drop()
{
    Fault fault;
    fault.kind = Kind::Drop;
    return fault;
}

Fault Fault::slow(std::chrono::milliseconds delay)
{
    Fault fault;
    fault.kind = Kind::Slow;
    fault.delay = delay;
    return fault;
}

QString Fault::kindName() const
{
    switch (kind) {
    case Kind::HttpStatus:
        return u"http_status"_s;
    case Kind::Code:
        return u"code"_s;
    case Kind::Timeout:
        return u"timeout"_s;
    case Kind::Drop:
        return u"drop"_s;
    case Kind::Slow:
        return u"slow"_s;
    }
    return {};
}

Expected<Fault> Fault::fromJson(const QJsonObject& json)
{
    const QString kind = json.value("kind"_L1).toString();
    QStringList allowed = {u"kind"_s};
    Fault fault;
    if (kind == "http_status"_L1) {
        allowed << u"status"_s << u"code"_s;
        const Expected<qint64> status = integerMember(json, "status"_L1);
        if (!status)
            return status.error();
        if (!isKnownErrorStatus(int(*status)))
            return Error{u"fault \"http_status\": %1 is not an HTTP error status (400-599)"_s.arg(*status)};
        fault = http(int(*status), json.value("code"_L1).toInteger());
    } else if (kind == "code"_L1) {
        allowed << u"code"_s << u"message"_s;
        const Expected<qint64> code = integerMember(json, "code"_L1);
        if (!code)
            return code.error();
        if (*code <= 0)
            return Error{u"fault \"code\": the code must be positive (0 is success: queue no fault)"_s};
        if (json.contains("message"_L1) && !json.value("message"_L1).isString())
            return Error{u"fault \"code\": \"message\" must be a string"_s};
        fault = apiCode(*code, json.value("message"_L1).toString());
    } else if (kind == "timeout"_L1) {
        fault = timeout();
    } else if (kind == "drop"_L1) {
        fault = drop();
    } else if (kind == "slow"_L1) {
        allowed << u"ms"_s;
        const Expected<qint64> ms = integerMember(json, "ms"_L1);
        if (!ms)
            return ms.error();
        if (*ms < 0 || *ms > 600'000)
            return Error{u"fault \"slow\": \"ms\" must be between 0 and 600000"_s};
        fault = slow(std::chrono::milliseconds(*ms));
    } else {
        return Error{u"unknown fault kind \"%1\": use http_status, code, timeout, drop or slow"_s.arg(kind)};
    }
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!allowed.contains(it.key()))
            return Error{u"fault \"%1\" has no \"%2\""_s.arg(kind, it.key())};
    }
    return fault;
}

QJsonObject Fault::toJson() const
{
    QJsonObject json{{"kind"_L1, kindName()}};
    switch (kind) {
    case Kind::HttpStatus:
        json.insert("status"_L1, status);
        if (code != 0)
            json.insert("code"_L1, code);
        break;
    case Kind::Code:
        json.insert("code"_L1, code);
        if (!message.isEmpty())
            json.insert("message"_L1, message);
        break;
    case Kind::Slow:
        json.insert("ms"_L1, qint64(delay.count()));
        break;
    case Kind::Timeout:
    case Kind::Drop:
        break;
    }
    return json;
}

QString Fault::defaultMessage(qint64 code, const QString& pixelCode)
{
    switch (code) {
    case 0:
        return u"OK"_s;
    case 40001:
        return u"No permission to operate pixel code: %1. You must be an admin or operator of this advertiser "
               "account."_s.arg(pixelCode);
    case 40002:
        return u"Invalid parameters."_s;
    case 40100:
        return u"Too many requests. Please retry in some time."_s;
    case 40104:
        return u"Access token is null. Please check your access token."_s;
    case 40105:
        return u"Access token is incorrect or has been revoked."_s;
    case 50000:
        return u"System error. Please retry later."_s;
    case 50002:
        return u"Service error. Please retry later."_s;
    default:
        return u"Error %1."_s.arg(code);
    }
}

} // namespace ClearSignal::Fakes
