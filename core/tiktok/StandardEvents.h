// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace ClearSignal::StandardEvents {

/// TikTok's standard web event names (research/tiktok-api.md section 3), current and legacy.
/// Only these names ever leave ClearSignal.
const QStringList& all();

/// The canonical spelling of a standard event name, matched case-insensitively ("lead" -> "Lead").
std::optional<QString> canonical(QStringView name);

inline bool isStandard(QStringView name)
{
    return all().contains(name);
}

} // namespace ClearSignal::StandardEvents
