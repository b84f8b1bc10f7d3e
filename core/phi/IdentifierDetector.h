// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <vector>

namespace ClearSignal {

/// What the key a value sits under says about the value ("dob", "patient_name", "phone").
/// Labels make weak patterns (a bare 9-digit number, two capitalised words) strong.
enum class KeyContext { None, Email, Phone, Ssn, Birth, RecordNumber, PersonName, Address };

/// Classifies a key name (field, query parameter or JSON key) by its normalised spelling.
KeyContext classifyKey(QStringView key);

/// Finds identifiers of a person in one piece of text: emails, phone numbers (libphonenumber),
/// US SSNs, dates of birth, medical record and member numbers, street addresses, labelled names,
/// IP addresses and values that are already SHA-256, SHA-1 or MD5 hashes.
class IdentifierDetector final
{
public:
    struct Options
    {
        QString phoneRegion = QStringLiteral("US");
        bool hashes = true; ///< report hex strings of hash length
        bool md5 = true;    ///< report 32-hex strings (off where UUID-like ids are expected)
        bool ipAddresses = true;
    };
    struct Hit
    {
        QLatin1StringView kind; ///< one of IdentifierKind
        qsizetype begin;
        qsizetype end;
    };

    /// Appends every identifier in text. key says what the text is labelled as, if anything.
    static void detect(QStringView text, KeyContext key, const Options& options, std::vector<Hit>& out);

private:
    static void findEmails(QStringView text, std::vector<Hit>& out);
    static void findHashes(QStringView text, const Options& options, std::vector<Hit>& out);
    static void findSsns(QStringView text, KeyContext key, std::vector<Hit>& out);
    static void findDatesOfBirth(QStringView text, KeyContext key, quint32 labels, std::vector<Hit>& out);
    static void findIpAddresses(QStringView text, std::vector<Hit>& out);
    static void findPhones(QStringView text, KeyContext key, const Options& options, std::vector<Hit>& out);
    static void findRecordNumbers(QStringView text, KeyContext key, quint32 labels, std::vector<Hit>& out);
    static void findStreetAddresses(QStringView text, KeyContext key, quint32 labels, std::vector<Hit>& out);
    static void findNames(QStringView text, KeyContext key, std::vector<Hit>& out);
};

} // namespace ClearSignal
