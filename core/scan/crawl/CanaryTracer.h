// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scan/model/ScanModel.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace ClearSignal {

/// Synthetic form values, unique per scan, and the search for them in everything a page sent.
///
/// A value counts as sent when it appears in a request URL, body, cookie or storage value in any of the
/// encodings trackers use: as typed, lowercased and trimmed, E.164 (phones), SHA-256, SHA-1 or MD5 (of the
/// normalised value), base64, URL-encoded (percent or "+"), or escaped inside JSON.
class CanaryTracer final
{
public:
    struct Canary
    {
        QString field; ///< email, phone, first_name, last_name, date_of_birth, zip_code, address, message, text
        QString value;
    };
    struct Sighting
    {
        QString field;    ///< which canary
        QString encoding; ///< plain, lowercase, e164, digits, sha256, sha1, md5, base64, url_encoded, json
        QString where;    ///< url, body, cookie, storage
        int requestId = 0;
    };

    /// token makes the values unique ("7f3a9c"); tests pass a fixed one.
    explicit CanaryTracer(const QString& token);

    const QList<Canary>& canaries() const { return m_canaries; }
    /// The JSON object forms.js fills forms from.
    QByteArray formValuesJson() const;

    QList<Sighting> search(const QString& text, const QString& where, int requestId) const;

private:
    struct Needle
    {
        QString field;
        QString encoding;
        QString text;
        bool caseInsensitive = false;
    };
    QList<Canary> m_canaries;
    QList<Needle> m_needles;
};

} // namespace ClearSignal
