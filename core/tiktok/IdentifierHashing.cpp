// SPDX-License-Identifier: GPL-3.0-or-later
#include "IdentifierHashing.h"

#include "phi/PhoneNumbers.h"
#include "phi/WordTokenizer.h"

#include <QCryptographicHash>

namespace ClearSignal::IdentifierHashing {

namespace {

std::optional<QString> nonEmpty(QString text)
{
    if (text.isEmpty())
        return std::nullopt;
    return text;
}

QString withoutCharacters(QStringView text, bool (*drop)(QChar))
{
    QString result;
    result.reserve(text.size());
    for (QChar c : text) {
        if (!drop(c))
            result.append(c);
    }
    return result;
}

} // namespace

std::optional<QString> normalizeEmail(QStringView email)
{
    const QString normalized = email.trimmed().toString().toLower();
    const qsizetype at = normalized.indexOf(u'@');
    if (at <= 0 || at != normalized.lastIndexOf(u'@') || !normalized.mid(at + 1).contains(u'.'))
        return std::nullopt;
    return normalized;
}

std::optional<QString> normalizePhone(QStringView phone, const QString& region)
{
    if (phone.trimmed().isEmpty())
        return std::nullopt;
    return PhoneNumbers::toE164(phone.trimmed(), region);
}

std::optional<QString> normalizeExternalId(QStringView id)
{
    return nonEmpty(id.trimmed().toString().toLower());
}

std::optional<QString> normalizeName(QStringView name)
{
    return nonEmpty(withoutCharacters(name, [](QChar c) { return c.isSpace(); }).toLower());
}

std::optional<QString> normalizeZipCode(QStringView zip)
{
    return nonEmpty(withoutCharacters(zip, [](QChar c) { return c.isSpace() || c == u'-'; }).toLower());
}

std::optional<QString> normalizePlace(QStringView place)
{
    QString result;
    for (QChar c : place) {
        const QChar folded = foldForMatching(c); // lowercase, accents removed, null for punctuation
        if (!folded.isNull())
            result.append(folded);
    }
    return nonEmpty(result);
}

QString sha256Hex(QStringView normalized)
{
    return QString::fromLatin1(QCryptographicHash::hash(normalized.toUtf8(), QCryptographicHash::Sha256).toHex());
}

bool isSha256Hex(QStringView value)
{
    if (value.size() != 64)
        return false;
    return std::all_of(value.begin(), value.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
    });
}

std::optional<QString> hash(Identifier kind, QStringView value, const QString& phoneRegion)
{
    const QStringView trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    if (isSha256Hex(trimmed))
        return trimmed.toString().toLower();
    std::optional<QString> normalized;
    switch (kind) {
    case Identifier::Email:
        normalized = normalizeEmail(trimmed);
        break;
    case Identifier::Phone:
        normalized = normalizePhone(trimmed, phoneRegion);
        break;
    case Identifier::ExternalId:
        normalized = normalizeExternalId(trimmed);
        break;
    case Identifier::FirstName:
    case Identifier::LastName:
        normalized = normalizeName(trimmed);
        break;
    case Identifier::ZipCode:
        normalized = normalizeZipCode(trimmed);
        break;
    }
    if (!normalized)
        return std::nullopt;
    return sha256Hex(*normalized);
}

} // namespace ClearSignal::IdentifierHashing
