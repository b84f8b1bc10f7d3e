// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QTimeZone>

namespace ClearSignal {

/// How the columns of a booking or CRM export become events (clearsignal.conversions/1, docs/formats.md).
struct ConversionMapping
{
    static constexpr QLatin1StringView schema{"clearsignal.conversions/1"};

    QString eventSource = QStringLiteral("offline"); ///< offline or crm
    QString eventSetId;                              ///< TikTok's offline or CRM event set id
    QString event;                                   ///< the event of every row, when no column names it
    /// cs-event/1 field -> CSV column: event, event_id, event_time, visitor_id, consent, email, phone,
    /// external_id, first_name, last_name, zip_code, ttclid, value, currency.
    QHash<QString, QString> columns;
    QString timeFormat = QStringLiteral("iso8601"); ///< iso8601, unix, or a Qt date-time format
    QTimeZone timeZone = QTimeZone::utc();          ///< for times written without an offset (required unless unix)
    QString currency;                               ///< when no column gives it
    bool decimalComma = false;                      ///< amounts written 1.250,00 (decimal_separator ",")
    QStringList consentYes = {QStringLiteral("yes"), QStringLiteral("y"), QStringLiteral("true"),
                              QStringLiteral("1"), QStringLiteral("opted in"), QStringLiteral("granted")};
    QStringList consentNo = {QStringLiteral("no"), QStringLiteral("n"), QStringLiteral("false"),
                             QStringLiteral("0"), QStringLiteral("opted out"), QStringLiteral("withdrawn")};

    /// Every field a column may feed, in the order events are built.
    static const QStringList& fields();

    /// Reads a mapping; the error names the JSON path (`$.columns.email`) and says what is expected.
    static Expected<ConversionMapping> parse(const QByteArray& json);
    /// Checks that every mapped column exists in `header`.
    Status checkHeader(const QStringList& header) const;
};

} // namespace ClearSignal
