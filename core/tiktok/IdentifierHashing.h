// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace ClearSignal::IdentifierHashing {

/// Normalisation TikTok expects before hashing (research/tiktok-api.md section 2). Each returns
/// nullopt when nothing usable is left, so an empty or malformed value is treated as absent.
std::optional<QString> normalizeEmail(QStringView email);                     ///< trim, lowercase
std::optional<QString> normalizePhone(QStringView phone, const QString& region); ///< E.164 with "+"
std::optional<QString> normalizeExternalId(QStringView id);                   ///< trim, lowercase
std::optional<QString> normalizeName(QStringView name);                       ///< whitespace removed, lowercase
std::optional<QString> normalizeZipCode(QStringView zip);                     ///< spaces and dashes removed, lowercase
/// City, state and country are sent in clear: letters and digits only, lowercase, accents removed.
std::optional<QString> normalizePlace(QStringView place);

/// Lowercase hex SHA-256 of the UTF-8 bytes.
QString sha256Hex(QStringView normalized);

/// True for 64 hex digits: a value hashed already, passed through (lowercased) instead of hashed again.
bool isSha256Hex(QStringView value);

/// Which normalisation an identifier gets.
enum class Identifier { Email, Phone, ExternalId, FirstName, LastName, ZipCode };

/// Normalises and hashes one identifier; an already hashed value is lowercased and passed through.
std::optional<QString> hash(Identifier kind, QStringView value, const QString& phoneRegion);

} // namespace ClearSignal::IdentifierHashing
