// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace ClearSignal {

/// One Events API 2.0 request body (POST /open_api/v1.3/event/track/).
/// The data[] items are the exact bytes the sanitizer produced, so what a preview shows is what leaves.
struct EventsApiRequest
{
    static constexpr int maxEvents = 1000;
    static constexpr QLatin1StringView defaultEndpoint{"https://business-api.tiktok.com/open_api/v1.3/event/track/"};

    QString eventSource = QStringLiteral("web"); ///< web, app, offline or crm
    QString eventSourceId;                       ///< the pixel ID for web events
    QString testEventCode;                       ///< empty for real traffic
    QList<QByteArray> items;                     ///< serialized data[] items

    /// The request body, or an error naming what is wrong (no items, too many, unknown source).
    Expected<QByteArray> toJson() const;
};

} // namespace ClearSignal
