// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EventField.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace ClearSignal {

/// One cs-event/1 event as a site sent it, after strict validation. It may hold PHI:
/// it lives in memory only and is never written anywhere as it is.
struct RawEvent
{
    RawEvent() { fields.fill(QJsonValue(QJsonValue::Undefined)); }

    QString name;                   ///< "event", 1 to 128 characters
    std::optional<qint64> eventTime; ///< Unix seconds; absent means "time of receipt"
    QString visitorId;
    std::array<QJsonValue, eventFieldCount> fields; ///< QJsonValue::Undefined where the event has no such field
    QJsonObject customProperties;   ///< properties ClearSignal has no field for; never sent
    QJsonObject form;               ///< form fields; never sent
    QStringList unknownFields;      ///< paths of keys cs-event/1 does not define; dropped

    const QJsonValue& field(EventField f) const { return fields[static_cast<size_t>(f)]; }
    QJsonValue& field(EventField f) { return fields[static_cast<size_t>(f)]; }
    bool has(EventField f) const { return !field(f).isUndefined(); }
    QString text(EventField f) const { return field(f).toString(); }
};

} // namespace ClearSignal
