// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <optional>
#include <vector>

namespace ClearSignal::ValueDecoding {

/// Decodes %XX escapes as UTF-8 (and "+" as a space when plusIsSpace). Invalid UTF-8 becomes U+FFFD.
QString percentDecode(QStringView text, bool plusIsSpace);

/// Percent-decodes until the text stops changing or maxRounds is reached ("%2520" -> "%20" -> " ").
/// rounds receives the number of rounds that changed something.
QString percentDecodeRepeatedly(QStringView text, bool plusIsSpace, int maxRounds, int* rounds = nullptr);

/// A run of base64 or base64url characters long enough to hide text.
struct Base64Segment
{
    qsizetype begin;
    qsizetype length;
};
std::vector<Base64Segment> findBase64Segments(QStringView text, int minLength = 16);

/// Decodes standard or URL-safe base64 (padding optional) to text, but only when the bytes are valid
/// UTF-8 and mostly printable: random ids decode to binary and are left alone.
std::optional<QString> decodeBase64Text(QStringView segment);

/// The parts of an absolute URL, as written (still percent-encoded).
struct UrlParts
{
    QStringView scheme;
    QStringView userInfo;
    QStringView host;
    QStringView port;
    QStringView path;
    QStringView query;
    QStringView fragment;
};
/// Splits "scheme://user@host:port/path?query#fragment" without normalising anything.
/// Also accepts scheme-relative "//host/path". Returns nullopt for anything else.
std::optional<UrlParts> splitUrl(QStringView text);

/// "a=b&c=d" -> {("a","b"), ("c","d")}, still encoded. Separators: & and ;.
std::vector<std::pair<QStringView, QStringView>> splitQuery(QStringView query);

/// The registrable part of a host name: "botox.glowmedspa.com" -> "glowmedspa.com",
/// "clinic.co.uk" -> "clinic.co.uk". IP addresses and single labels are returned whole.
QString registrableDomain(QStringView host);

/// True for text that opens like a JSON object or array.
bool looksLikeJson(QStringView text);

} // namespace ClearSignal::ValueDecoding
