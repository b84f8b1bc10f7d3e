// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <utility>

namespace ClearSignal {

/// An HTTP answer of the relay, independent of the server library, so the logic is tested without sockets.
struct HttpAnswer
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;

    /// {"error": message} with the status: every refusal says what was wrong and what to do.
    static HttpAnswer error(int status, const QString& message);
    static HttpAnswer json(int status, const QJsonObject& object);
};

} // namespace ClearSignal
