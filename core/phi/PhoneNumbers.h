// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace ClearSignal {

/// Thin wrapper over Google's libphonenumber, the one place ClearSignal parses phone numbers.
namespace PhoneNumbers {

/// E.164 form ("+15125550147") of a phone number written any common way, or nullopt when it is not
/// a possible number. Numbers without a country code are read as numbers of defaultRegion ("US").
std::optional<QString> toE164(QStringView text, const QString& defaultRegion);

/// True when text is a number libphonenumber considers valid (stricter than possible) for defaultRegion.
bool isValidNumber(QStringView text, const QString& defaultRegion);

/// True when text is a possible number (right length for its country).
bool isPossibleNumber(QStringView text, const QString& defaultRegion);

/// True for a two-letter region code libphonenumber knows ("US", "GB", "MX").
bool isSupportedRegion(const QString& region);

} // namespace PhoneNumbers

} // namespace ClearSignal
