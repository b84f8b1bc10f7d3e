// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventsApiResponse.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

DeliveryOutcome EventsApiResponse::classifyCode(qint64 code)
{
    if (code == 0 || code == 20001)
        return DeliveryOutcome::Delivered;
    if (code == 40100 || (code >= 50000 && code < 60000))
        return DeliveryOutcome::RetryLater;
    if (code == 40104 || code == 40105)
        return DeliveryOutcome::Unauthorized;
    return DeliveryOutcome::Rejected;
}

EventsApiResponse EventsApiResponse::parse(int httpStatus, QByteArrayView body)
{
    EventsApiResponse response;
    response.httpStatus = httpStatus;

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &error);
    const QJsonObject envelope = document.object();
    const QJsonValue code = envelope.value("code"_L1);
    const bool isEnvelope = error.error == QJsonParseError::NoError && document.isObject() && code.isDouble()
                            && std::floor(code.toDouble()) == code.toDouble();
    if (isEnvelope) {
        response.code = qint64(code.toDouble());
        // The message is TikTok's text; cap it so a hostile answer cannot flood logs.
        response.message = envelope.value("message"_L1).toString().left(500);
        response.requestId = envelope.value("request_id"_L1).toString().left(100);
    }

    if (httpStatus == 401 || httpStatus == 403) {
        response.outcome = DeliveryOutcome::Unauthorized;
    } else if (httpStatus == 408 || httpStatus == 429 || httpStatus >= 500 || httpStatus == 0) {
        response.outcome = DeliveryOutcome::RetryLater;
    } else if (isEnvelope) {
        response.outcome = classifyCode(*response.code);
    } else if (httpStatus >= 400) {
        // 400, 404, 413 ... without TikTok's envelope will not get better by retrying.
        response.outcome = DeliveryOutcome::Rejected;
    } else {
        response.outcome = DeliveryOutcome::RetryLater; // a 200 that is not the envelope: a proxy or an outage page
    }

    switch (response.outcome) {
    case DeliveryOutcome::Delivered:
        response.explanation = u"TikTok accepted the events"_s;
        break;
    case DeliveryOutcome::RetryLater:
        if (isEnvelope && httpStatus < 500)
            response.explanation = u"TikTok asked to retry later (code %1: %2)"_s.arg(*response.code).arg(response.message);
        else if (httpStatus >= 400 || httpStatus == 0)
            response.explanation = u"TikTok's service is unavailable (HTTP %1); the events stay queued and are retried"_s.arg(
                httpStatus);
        else
            response.explanation = u"the answer was not TikTok's (HTTP %1 without the JSON envelope, perhaps a proxy "
                                   u"or an outage page); the events stay queued and are retried"_s.arg(httpStatus);
        break;
    case DeliveryOutcome::Rejected:
        response.explanation = response.code ? u"TikTok rejected the request (code %1: %2); the events are not retried"_s
                                                   .arg(*response.code)
                                                   .arg(response.message)
                                             : u"TikTok refused the request (HTTP %1); the events are not retried"_s.arg(
                                                   httpStatus);
        break;
    case DeliveryOutcome::Unauthorized:
        response.explanation = u"TikTok refused the access token; generate a new one in Events Manager and store it "
                               u"in ClearSignal. Events stay queued."_s;
        break;
    }
    return response;
}

EventsApiResponse EventsApiResponse::networkError(const QString& description)
{
    EventsApiResponse response;
    response.outcome = DeliveryOutcome::RetryLater;
    response.explanation = u"TikTok could not be reached (%1); the events stay queued and are retried"_s.arg(description);
    return response;
}

} // namespace ClearSignal
