// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace ClearSignal {

/// What kind of thing a PhiHit found.
enum class PhiKind {
    HealthTerm,  ///< a lexicon term: health context
    Identifier,  ///< an identifier of a person (email, phone, SSN, ...)
    Unscannable  ///< a value too large or too deeply encoded to inspect fully: treated as a hit (fail closed)
};

/// Identifier kinds, as reported in "term" for PhiKind::Identifier.
namespace IdentifierKind {
inline constexpr QLatin1StringView email{"email"};
inline constexpr QLatin1StringView phone{"phone"};
inline constexpr QLatin1StringView ssn{"ssn"};
inline constexpr QLatin1StringView dateOfBirth{"date_of_birth"};
inline constexpr QLatin1StringView medicalRecordNumber{"medical_record_number"};
inline constexpr QLatin1StringView streetAddress{"street_address"};
inline constexpr QLatin1StringView personName{"person_name"};
inline constexpr QLatin1StringView ipAddress{"ip_address"};
inline constexpr QLatin1StringView sha256Hash{"sha256_hash"};
inline constexpr QLatin1StringView sha1Hash{"sha1_hash"};
inline constexpr QLatin1StringView md5Hash{"md5_hash"};
} // namespace IdentifierKind

/// One finding of the PHI scanner. It never carries the value it was found in: only the term
/// (a lexicon term or an identifier kind), where it was, and how the value had to be decoded.
struct PhiHit
{
    PhiKind kind = PhiKind::HealthTerm;
    QString term;     ///< "semaglutide", or an identifier kind such as "email"
    QString category; ///< condition, procedure, medication, specialty, identifier or unscannable
    QString listId;   ///< lexicon list for health terms
    QString field;    ///< field path the value came from ("page.url")
    QString location; ///< where inside the value ("path", "query:state", "host")
    QString decoding; ///< decoding steps applied before the hit showed ("percent>base64>json"), empty if none
    qsizetype begin = -1; ///< span in the scanned text when it was found without decoding, else -1
    qsizetype end = -1;

    bool operator==(const PhiHit& other) const = default;
};

using PhiHits = QList<PhiHit>;

} // namespace ClearSignal
