// SPDX-License-Identifier: GPL-3.0-or-later
#include "CanaryTracer.h"

#include "common/JsonWriter.h"
#include "tiktok/IdentifierHashing.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QUrl>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

QString hashHex(const QString& text, QCryptographicHash::Algorithm algorithm)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), algorithm).toHex());
}

} // namespace

CanaryTracer::CanaryTracer(const QString& token)
{
    const QString lower = token.toLower();
    // Plausible enough for form validation, unmistakable when found: the token is in every value.
    m_canaries = {
        {u"email"_s, u"canary.%1@clearsignal-canary.test"_s.arg(lower)},
        {u"phone"_s, u"(312) 555-01%1"_s.arg(QString::number(qHash(lower) % 90 + 10))},
        {u"first_name"_s, u"Canaria%1"_s.arg(lower)},
        {u"last_name"_s, u"Testwell%1"_s.arg(lower)},
        {u"date_of_birth"_s, u"1971-07-23"_s},
        {u"zip_code"_s, u"60601"_s},
        {u"address"_s, u"%1 Canary Lane"_s.arg(QString::number(qHash(lower) % 9000 + 1000))},
        {u"message"_s, u"canary-message-%1 question about a consultation"_s.arg(lower)},
        {u"text"_s, u"canary-%1"_s.arg(lower)},
    };

    auto add = [this](const QString& field, const QString& encoding, const QString& text, bool caseless = false) {
        if (!text.isEmpty())
            m_needles.append({field, encoding, text, caseless});
    };
    for (const Canary& canary : std::as_const(m_canaries)) {
        // Short generic values (a date, a ZIP code) would match innocent text: only their encodings that are
        // unique enough are searched. The phone number is one reserved for fiction (555-01xx).
        const bool distinctive = canary.value.contains(lower) || canary.field == "phone"_L1;
        const QString normalized = canary.field == "email"_L1
                                       ? IdentifierHashing::normalizeEmail(canary.value).value_or(canary.value)
                                   : canary.field == "phone"_L1
                                       ? IdentifierHashing::normalizePhone(canary.value, u"US"_s).value_or(canary.value)
                                   : canary.field == "first_name"_L1 || canary.field == "last_name"_L1
                                       ? IdentifierHashing::normalizeName(canary.value).value_or(canary.value)
                                       : canary.value.trimmed().toLower();
        if (distinctive) {
            add(canary.field, u"plain"_s, canary.value);
            add(canary.field, u"lowercase"_s, canary.value.trimmed().toLower(), true);
            add(canary.field, u"url_encoded"_s, QString::fromLatin1(QUrl::toPercentEncoding(canary.value)), true);
            add(canary.field, u"url_encoded"_s, QString::fromLatin1(QUrl::toPercentEncoding(canary.value)).replace(u"%20"_s, u"+"_s), true);
            add(canary.field, u"base64"_s, QString::fromLatin1(canary.value.toUtf8().toBase64()));
            add(canary.field, u"base64"_s, QString::fromLatin1(canary.value.toUtf8().toBase64(QByteArray::Base64UrlEncoding
                                                                                           | QByteArray::OmitTrailingEquals)));
            QByteArray escaped;
            JsonWriter::appendString(escaped, canary.value);
            add(canary.field, u"json"_s, QString::fromUtf8(escaped.mid(1).chopped(1)));
        }
        QStringList forms = {normalized, canary.value};
        if (canary.field == "phone"_L1) {
            // Sites hash whatever their own clean-up leaves: E.164, the digits with or without country code.
            QString digits = canary.value;
            digits.remove(QRegularExpression(u"[^0-9]"_s));
            const QString e164 = normalized.startsWith(u'+') ? normalized : u"+1"_s + digits;
            forms = {e164, e164.mid(1), digits, canary.value};
            add(canary.field, u"e164"_s, e164);
            add(canary.field, u"e164"_s, e164.mid(1));
            add(canary.field, u"digits"_s, digits);
        }
        forms.removeDuplicates();
        for (const QString& form : std::as_const(forms)) {
            add(canary.field, u"sha256"_s, hashHex(form, QCryptographicHash::Sha256), true);
            add(canary.field, u"sha1"_s, hashHex(form, QCryptographicHash::Sha1), true);
            add(canary.field, u"md5"_s, hashHex(form, QCryptographicHash::Md5), true);
        }
    }
}

QByteArray CanaryTracer::formValuesJson() const
{
    auto value = [this](QLatin1StringView field) {
        for (const Canary& canary : m_canaries) {
            if (canary.field == field)
                return canary.value;
        }
        return QString();
    };
    JsonWriter writer;
    writer.beginObject();
    writer.field("email"_L1, value("email"_L1));
    writer.field("phone"_L1, value("phone"_L1));
    writer.field("firstName"_L1, value("first_name"_L1));
    writer.field("lastName"_L1, value("last_name"_L1));
    writer.field("dob"_L1, value("date_of_birth"_L1));
    writer.field("zip"_L1, value("zip_code"_L1));
    writer.field("address"_L1, value("address"_L1));
    writer.field("message"_L1, value("message"_L1));
    writer.field("text"_L1, value("text"_L1));
    writer.endObject();
    return writer.take();
}

QList<CanaryTracer::Sighting> CanaryTracer::search(const QString& text, const QString& where, int requestId) const
{
    QList<Sighting> sightings;
    QList<const Needle*> matched;
    for (const Needle& needle : m_needles) {
        if (!text.contains(needle.text, needle.caseInsensitive ? Qt::CaseInsensitive : Qt::CaseSensitive))
            continue;
        // A needle inside one already found is that same occurrence seen again ("canaria7f3a9c" in
        // "Canaria7f3a9c", the digits in "+13125550142", a JSON form equal to the plain one): the first,
        // more specific encoding is the one reported.
        const bool covered = std::any_of(matched.begin(), matched.end(), [&](const Needle* m) {
            return m->field == needle.field && m->text.contains(needle.text, Qt::CaseInsensitive);
        });
        matched.append(&needle);
        if (covered)
            continue;
        const bool known = std::any_of(sightings.begin(), sightings.end(), [&](const Sighting& s) {
            return s.field == needle.field && s.encoding == needle.encoding;
        });
        if (!known)
            sightings.append({needle.field, needle.encoding, where, requestId});
    }
    return sightings;
}

} // namespace ClearSignal
