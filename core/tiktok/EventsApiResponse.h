// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace ClearSignal {

/// What a sender should do after an Events API answer.
enum class DeliveryOutcome {
    Delivered,     ///< code 0 (or 20001, partial success as integrations treat it)
    RetryLater,    ///< 40100 rate limit, 5xxxx, HTTP 5xx/408/429, a 200 that is not the JSON envelope, network errors
    Rejected,      ///< 40001, 40002, other 4xxxx, and HTTP 4xx without the envelope: not retried; bisect a batch
    Unauthorized   ///< 40104/40105 or HTTP 401/403: the access token is missing or invalid; pause, keep the queue
};

/// The {"code", "message", "request_id"} envelope TikTok answers with, classified.
/// TikTok reports most errors as HTTP 200 with a non-zero code, so the body decides, not the status.
struct EventsApiResponse
{
    int httpStatus = 0;
    std::optional<qint64> code;
    QString message;
    QString requestId;
    DeliveryOutcome outcome = DeliveryOutcome::RetryLater;
    QString explanation; ///< for people: what happened and what to do

    static EventsApiResponse parse(int httpStatus, QByteArrayView body);
    static EventsApiResponse networkError(const QString& description);
    static DeliveryOutcome classifyCode(qint64 code);
};

} // namespace ClearSignal
