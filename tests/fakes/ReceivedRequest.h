// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fault.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace ClearSignal::Fakes {

/// How the Access-Token header of a request compared with the fake's token.
enum class TokenCheck { Unchecked, Matched, Missing, Wrong };

/// One request to the track endpoint as it arrived, and the answer the fake chose for it.
struct ReceivedRequest
{
    QDateTime receivedAt; ///< UTC
    QByteArray method;
    QString path;
    QByteArray accessToken;   ///< the Access-Token header as sent; empty when absent
    QByteArray authorization; ///< recorded so a test can see a token sent the wrong way (Bearer)
    QByteArray contentType;
    QByteArray userAgent;
    QByteArray body; ///< the exact bytes received
    QJsonValue json; ///< the parsed body; Undefined when it is not JSON
    TokenCheck token = TokenCheck::Unchecked;
    std::optional<Fault> fault; ///< the scripted fault this request consumed
    int httpStatus = 0;         ///< 0 when never answered (Timeout, Drop)
    std::optional<qint64> code; ///< the envelope's code; none for HTML answers and no answer
    QString message;
    QString requestId;

    /// The data[] items of the parsed body (empty when there is none).
    QList<QJsonObject> items() const;
    /// One line of the record file and of GET /control/requests; withBody adds the parsed body (or the raw text
    /// when it is not JSON).
    QJsonObject toJson(bool withBody) const;
    static QString tokenCheckName(TokenCheck check);
};

/// One data[] item of a request answered with code 0, with what it needs from its request.
struct AcceptedEvent
{
    QJsonObject item; ///< the data[] item as sent
    QString eventSource;
    QString eventSourceId;
    QString testEventCode; ///< empty for real traffic
    QString requestId;
    int index = 0; ///< the item's position in its batch

    QJsonObject toJson() const;
};

} // namespace ClearSignal::Fakes

Q_DECLARE_METATYPE(ClearSignal::Fakes::ReceivedRequest)
