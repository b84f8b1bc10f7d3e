// SPDX-License-Identifier: GPL-3.0-or-later
#include "IdentifierDetector.h"

#include "PhiHit.h"
#include "PhoneNumbers.h"

#include <QHostAddress>
#include <QRegularExpression>

#include <algorithm>
#include <bit>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

bool isAsciiAlnum(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}

bool isDigit(QChar c)
{
    return c.unicode() >= '0' && c.unicode() <= '9';
}

bool isHex(QChar c)
{
    const char16_t u = c.unicode();
    return isDigit(c) || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
}

qsizetype digitCount(QStringView text)
{
    return std::count_if(text.begin(), text.end(), isDigit);
}

/// Label words that make a regular expression worth running. Most values contain none of them, so one
/// pass over the text (ASCII case folded) replaces a substring search per word.
enum LabelBit : quint32 {
    BirthLabel = 1u << 0,   ///< dob, d.o.b, birth, born, nacimiento, nacid(o/a)
    RecordLabel = 1u << 1,  ///< mrn, record, patient, chart, member, expediente
    StreetLabel = 1u << 2,  ///< calle, avenida, avda, carrera, camino, paseo
};

quint32 labelMask(QStringView text)
{
    struct Label
    {
        QStringView word;
        quint32 bit;
    };
    static constexpr Label labels[] = {
        {u"dob", BirthLabel},       {u"d.o.b", BirthLabel},    {u"birth", BirthLabel},   {u"born", BirthLabel},
        {u"nacimiento", BirthLabel}, {u"nacid", BirthLabel},   {u"mrn", RecordLabel},    {u"record", RecordLabel},
        {u"patient", RecordLabel},  {u"chart", RecordLabel},   {u"member", RecordLabel}, {u"expediente", RecordLabel},
        {u"calle", StreetLabel},    {u"avenida", StreetLabel}, {u"avda", StreetLabel},   {u"carrera", StreetLabel},
        {u"camino", StreetLabel},   {u"paseo", StreetLabel},
    };
    // For each first letter, the labels that start with it.
    static const std::array<quint32, 26> byFirstLetter = [] {
        std::array<quint32, 26> result{};
        for (size_t i = 0; i < std::size(labels); ++i)
            result[size_t(labels[i].word[0].unicode() - u'a')] |= 1u << i;
        return result;
    }();
    auto lower = [](char16_t c) { return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c; };
    quint32 mask = 0;
    const qsizetype size = text.size();
    for (qsizetype i = 0; i + 2 < size; ++i) {
        const char16_t first = lower(text[i].unicode());
        if (first < u'a' || first > u'z')
            continue;
        for (quint32 candidates = byFirstLetter[size_t(first - u'a')]; candidates; candidates &= candidates - 1) {
            const Label& label = labels[std::countr_zero(candidates)];
            if ((mask & label.bit) || i + label.word.size() > size)
                continue;
            qsizetype j = 1;
            while (j < label.word.size() && lower(text[i + j].unicode()) == label.word[j].unicode())
                ++j;
            if (j == label.word.size())
                mask |= label.bit;
        }
    }
    return mask;
}

/// A digit followed by a space and a letter: the opening of "1234 Oak Street".
bool hasNumberThenWord(QStringView text)
{
    for (qsizetype i = 0; i + 2 < text.size(); ++i) {
        if (isDigit(text[i]) && text[i + 1].isSpace() && (text[i + 2].isLetter() || text[i + 2].isSpace()))
            return true;
    }
    return false;
}

/// Lowercase letters and digits only: "First-Name" and "first_name" both become "firstname".
QString normalizeKey(QStringView key)
{
    QString result;
    result.reserve(key.size());
    for (QChar c : key) {
        if (isAsciiAlnum(c))
            result.append(c.toLower());
    }
    return result;
}

/// True for digits in groups of at most four, split by one kind of separator: how phone numbers are written
/// and order numbers ("2026-118842") or prices ("800-1200") mostly are not.
bool hasPhoneGrouping(QStringView candidate)
{
    QChar separator;
    int groups = 0;
    int groupLength = 0;
    for (QChar c : candidate) {
        if (isDigit(c)) {
            if (++groupLength > 4)
                return false;
            continue;
        }
        if (!separator.isNull() && c != separator)
            return false;
        separator = c;
        if (groupLength > 0)
            ++groups;
        groupLength = 0;
    }
    if (groupLength > 0)
        ++groups;
    return groups >= 3;
}

bool overlapsAny(const std::vector<IdentifierDetector::Hit>& hits, qsizetype begin, qsizetype end)
{
    return std::any_of(hits.begin(), hits.end(), [&](const auto& hit) { return begin < hit.end && hit.begin < end; });
}

QRegularExpression caseless(const QString& pattern)
{
    QRegularExpression expression(pattern, QRegularExpression::CaseInsensitiveOption
                                               | QRegularExpression::UseUnicodePropertiesOption);
    expression.optimize();
    return expression;
}

const QString dateAlternatives = uR"((?:(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01]))"
                                 uR"(|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)?\d{2})"
                                 uR"(|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic)[a-z]*\.? \d{1,2},? (?:19|20)\d{2})"
                                 uR"(|\d{1,2} (?:de )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic)[a-z]*\.?,? (?:de )?(?:19|20)\d{2}))"_s;

} // namespace

KeyContext classifyKey(QStringView key)
{
    if (key.isEmpty())
        return KeyContext::None;
    static const QHash<QString, KeyContext> keys = [] {
        QHash<QString, KeyContext> result;
        auto add = [&](KeyContext context, std::initializer_list<const char16_t*> names) {
            for (const char16_t* name : names)
                result.insert(QString::fromUtf16(name), context);
        };
        add(KeyContext::Email, {u"email", u"emailaddress", u"mail", u"em", u"correo", u"correoelectronico", u"useremail"});
        add(KeyContext::Phone, {u"phone", u"phonenumber", u"tel", u"telephone", u"mobile", u"mobilephone", u"cell",
                                u"cellphone", u"ph", u"telefono", u"celular", u"movil", u"whatsapp", u"fax",
                                u"userphone", u"contactphone"});
        add(KeyContext::Ssn, {u"ssn", u"socialsecurity", u"socialsecuritynumber", u"ssnumber", u"segurosocial",
                              u"numerodesegurosocial"});
        add(KeyContext::Birth, {u"dob", u"dateofbirth", u"birthdate", u"birthday", u"bday", u"birth", u"db",
                                u"fechadenacimiento", u"fechanacimiento", u"nacimiento", u"patientdob"});
        add(KeyContext::RecordNumber,
            {u"mrn", u"medicalrecord", u"medicalrecordnumber", u"recordnumber", u"patientid", u"patientnumber",
             u"chart", u"chartnumber", u"chartid", u"memberid", u"membernumber", u"insuranceid", u"insurancenumber",
             u"policynumber", u"policyid", u"subscriberid", u"healthplanid", u"beneficiaryid", u"medicaidid",
             u"medicareid", u"medicarenumber", u"groupnumber", u"expediente", u"numerodeexpediente"});
        add(KeyContext::PersonName,
            {u"name", u"firstname", u"fname", u"fn", u"lastname", u"lname", u"ln", u"surname", u"fullname",
             u"patientname", u"patient", u"nombre", u"apellido", u"apellidos", u"nombrecompleto", u"yourname",
             u"contactname", u"customername", u"givenname", u"familyname", u"middlename", u"guardianname"});
        add(KeyContext::Address, {u"address", u"streetaddress", u"street", u"addr", u"address1", u"address2",
                                  u"addressline1", u"addressline2", u"homeaddress", u"direccion", u"domicilio",
                                  u"calle"});
        return result;
    }();
    return keys.value(normalizeKey(key), KeyContext::None);
}

namespace {

/// What one pass over the text learns, so that detectors that cannot match skip their own passes.
struct TextShape
{
    int digits = 0;
    int longestDigitRun = 0;
    int longestHexRun = 0;
    bool at = false;
    bool colon = false;
    bool equals = false;
    bool digitDotDigit = false;
};

TextShape shapeOf(QStringView text)
{
    TextShape shape;
    int digitRun = 0;
    int hexRun = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        const bool digit = c >= u'0' && c <= u'9';
        const bool hex = digit || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        shape.digits += digit;
        digitRun = digit ? digitRun + 1 : 0;
        hexRun = hex ? hexRun + 1 : 0;
        shape.longestDigitRun = std::max(shape.longestDigitRun, digitRun);
        shape.longestHexRun = std::max(shape.longestHexRun, hexRun);
        shape.at |= c == u'@';
        shape.colon |= c == u':';
        shape.equals |= c == u'=';
        if (c == u'.' && i > 0 && i + 1 < text.size() && isDigit(text[i - 1]) && isDigit(text[i + 1]))
            shape.digitDotDigit = true;
    }
    return shape;
}

} // namespace

void IdentifierDetector::detect(QStringView text, KeyContext key, const Options& options, std::vector<Hit>& out)
{
    if (text.isEmpty())
        return;
    const TextShape shape = shapeOf(text);
    const quint32 labels = labelMask(text);
    const size_t first = out.size();
    if (shape.at)
        findEmails(text, out);
    if (options.hashes && shape.longestHexRun >= 32)
        findHashes(text, options, out);
    if (shape.digits > 0) {
        if (shape.digits >= 9 && (shape.longestDigitRun >= 3 || key == KeyContext::Ssn))
            findSsns(text, key, out);
        findDatesOfBirth(text, key, labels, out);
        if (options.ipAddresses && (shape.digitDotDigit || shape.colon))
            findIpAddresses(text, out);
        if (shape.digits >= 7)
            findPhones(text, key, options, out);
        findRecordNumbers(text, key, labels, out);
        findStreetAddresses(text, key, labels, out);
    }
    if (key == KeyContext::PersonName || shape.colon || shape.equals)
        findNames(text, key, out);
    std::sort(out.begin() + qsizetype(first), out.end(),
              [](const Hit& a, const Hit& b) { return a.begin < b.begin; });
}

void IdentifierDetector::findEmails(QStringView text, std::vector<Hit>& out)
{
    static const auto isLocal = [](QChar c) {
        return isAsciiAlnum(c) || c == u'.' || c == u'_' || c == u'%' || c == u'+' || c == u'-';
    };
    static const auto isDomain = [](QChar c) { return isAsciiAlnum(c) || c == u'.' || c == u'-'; };

    for (qsizetype at = text.indexOf(u'@'); at >= 0; at = text.indexOf(u'@', at + 1)) {
        qsizetype begin = at;
        while (begin > 0 && isLocal(text[begin - 1]))
            --begin;
        qsizetype end = at + 1;
        while (end < text.size() && isDomain(text[end]))
            ++end;
        while (end > at + 1 && (text[end - 1] == u'.' || text[end - 1] == u'-'))
            --end;
        // The address ends with the letters of its top-level domain: "jane@gmail.com-0042" is "jane@gmail.com".
        const QStringView domain = text.mid(at + 1, end - at - 1);
        const qsizetype lastDot = domain.lastIndexOf(u'.');
        if (begin == at || lastDot <= 0)
            continue;
        qsizetype tldLength = 0;
        while (lastDot + 1 + tldLength < domain.size() && domain[lastDot + 1 + tldLength].isLetter())
            ++tldLength;
        if (tldLength < 2)
            continue;
        out.push_back({IdentifierKind::email, begin, at + 1 + lastDot + 1 + tldLength});
    }
}

void IdentifierDetector::findHashes(QStringView text, const Options& options, std::vector<Hit>& out)
{
    qsizetype i = 0;
    while (i < text.size()) {
        if (!isHex(text[i]) || (i > 0 && isAsciiAlnum(text[i - 1]))) {
            ++i;
            continue;
        }
        qsizetype end = i;
        bool letter = false;
        bool digit = false;
        while (end < text.size() && isHex(text[end])) {
            (isDigit(text[end]) ? digit : letter) = true;
            ++end;
        }
        const qsizetype length = end - i;
        const bool bounded = end == text.size() || !isAsciiAlnum(text[end]);
        if (bounded && letter && digit) {
            if (length == 64)
                out.push_back({IdentifierKind::sha256Hash, i, end});
            else if (length == 40)
                out.push_back({IdentifierKind::sha1Hash, i, end});
            else if (length == 32 && options.md5)
                out.push_back({IdentifierKind::md5Hash, i, end});
        }
        i = std::max(end, i + 1);
    }
}

void IdentifierDetector::findSsns(QStringView text, KeyContext key, std::vector<Hit>& out)
{
    if (digitCount(text) < 9)
        return;
    static const QRegularExpression pattern(uR"((?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-]))"_s);
    QRegularExpressionMatchIterator it = pattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const bool separated = !match.capturedView(2).isEmpty();
        // A bare nine-digit number is an SSN only when the field says so.
        if (!separated && key != KeyContext::Ssn)
            continue;
        const int area = match.capturedView(1).toInt();
        if (area == 0 || area == 666 || area >= 900 || match.capturedView(3).toInt() == 0
            || match.capturedView(4).toInt() == 0)
            continue;
        out.push_back({IdentifierKind::ssn, match.capturedStart(), match.capturedEnd()});
    }
}

void IdentifierDetector::findDatesOfBirth(QStringView text, KeyContext key, quint32 labels, std::vector<Hit>& out)
{
    static const QRegularExpression date = caseless(uR"((?<![\w/.-])%1(?![\w/-]))"_s.arg(dateAlternatives));
    static const QRegularExpression labelled =
        caseless(uR"(\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born(?: on)?|fecha de nacimiento|nacid[oa] el)\b\W{0,3})"_s
                 + dateAlternatives);
    if (key == KeyContext::Birth) {
        QRegularExpressionMatchIterator it = date.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch match = it.next();
            out.push_back({IdentifierKind::dateOfBirth, match.capturedStart(), match.capturedEnd()});
        }
        return;
    }
    if (!(labels & BirthLabel))
        return;
    QRegularExpressionMatchIterator it = labelled.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        out.push_back({IdentifierKind::dateOfBirth, match.capturedStart(), match.capturedEnd()});
    }
}

void IdentifierDetector::findIpAddresses(QStringView text, std::vector<Hit>& out)
{
    static const QRegularExpression ipv4(
        uR"((?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]))"_s);
    if (text.count(u'.') >= 3) {
        QRegularExpressionMatchIterator it = ipv4.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch match = it.next();
            const qsizetype begin = match.capturedStart();
            // "Chrome/120.0.0.0" is a product version, not an address.
            if (begin >= 2 && text[begin - 1] == u'/' && isAsciiAlnum(text[begin - 2]))
                continue;
            if (match.capturedView() == u"0.0.0.0")
                continue;
            out.push_back({IdentifierKind::ipAddress, begin, match.capturedEnd()});
        }
    }

    if (!text.contains(u':'))
        return;
    qsizetype i = 0;
    while (i < text.size()) {
        if (!(isHex(text[i]) || text[i] == u':') || (i > 0 && (isAsciiAlnum(text[i - 1]) || text[i - 1] == u':'))) {
            ++i;
            continue;
        }
        qsizetype end = i;
        while (end < text.size() && (isHex(text[end]) || text[end] == u':' || text[end] == u'.'))
            ++end;
        const QStringView candidate = text.mid(i, end - i);
        const qsizetype colons = candidate.count(u':');
        if (colons >= 2 && (candidate.contains(u"::") || colons == 7)
            && (end == text.size() || !isAsciiAlnum(text[end]))) {
            QHostAddress address;
            if (address.setAddress(candidate.toString()) && address.protocol() == QAbstractSocket::IPv6Protocol)
                out.push_back({IdentifierKind::ipAddress, i, end});
        }
        i = std::max(end, i + 1);
    }
}

void IdentifierDetector::findPhones(QStringView text, KeyContext key, const Options& options, std::vector<Hit>& out)
{
    static const auto isPhoneChar = [](QChar c) {
        return isDigit(c) || c == u' ' || c == u'-' || c == u'.' || c == u'(' || c == u')' || c == u'+'
               || c == QChar(0xa0);
    };
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        const bool starts = isDigit(c) || c == u'+' || c == u'(';
        if (!starts || (i > 0 && isAsciiAlnum(text[i - 1]))) {
            ++i;
            continue;
        }
        qsizetype end = i;
        int digits = 0;
        while (end < text.size() && isPhoneChar(text[end]) && digits <= 15) {
            if (isDigit(text[end]))
                ++digits;
            ++end;
        }
        while (end > i && !isDigit(text[end - 1]))
            --end;
        const qsizetype next = std::max(end, i + 1);
        if (digits < 7 || digits > 15 || (end < text.size() && isAsciiAlnum(text[end])) || overlapsAny(out, i, end)) {
            i = next;
            continue;
        }
        const QStringView candidate = text.mid(i, end - i);
        bool found = false;
        if (key == KeyContext::Phone || candidate.startsWith(u'+') || candidate.contains(u'(')) {
            // Labelled as a phone, or written with a country code or an area code in parentheses.
            found = PhoneNumbers::isPossibleNumber(candidate, options.phoneRegion);
        } else if (digits >= 10 && hasPhoneGrouping(candidate)) {
            // "512-555-0147", "512.555.0147", "512 555 0147": groups of at most four digits.
            found = PhoneNumbers::isValidNumber(candidate, options.phoneRegion);
        } else if ((digits == 10 || digits == 11) && candidate.size() == digits) {
            // A bare run of ten or eleven digits, on its own or in an id ("call-5125550188"), that is a valid
            // number: in a field that leaves, reading it as a phone number is the safe mistake.
            found = PhoneNumbers::isValidNumber(candidate, options.phoneRegion);
        }
        if (found)
            out.push_back({IdentifierKind::phone, i, end});
        i = next;
    }
}

void IdentifierDetector::findRecordNumbers(QStringView text, KeyContext key, quint32 labels, std::vector<Hit>& out)
{
    static const QRegularExpression labelled = caseless(
        uR"(\b(?:mrn|medical record(?: number| no\.?| #)?|patient(?: id| number| no\.?| #)|chart(?: number| no\.?| #)|member(?: id| number| #)|expediente)\s*[:#=-]?\s*([a-z]{0,4}[-_]?\d[\w-]{2,23}))"_s);
    static const QRegularExpression glued = caseless(uR"(\bmrn[-_]?\d{4,}\b)"_s);
    if (key == KeyContext::RecordNumber) {
        static const QRegularExpression idShape(uR"(^\s*[A-Za-z0-9][A-Za-z0-9-]{3,23}\s*$)"_s);
        const qsizetype digitCount = std::count_if(text.begin(), text.end(), isDigit);
        if (digitCount >= 3 && idShape.match(text).hasMatch())
            out.push_back({IdentifierKind::medicalRecordNumber, 0, text.size()});
        return;
    }
    if (!(labels & RecordLabel))
        return;
    for (const QRegularExpression* pattern : {&labelled, &glued}) {
        QRegularExpressionMatchIterator it = pattern->globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch match = it.next();
            if (!overlapsAny(out, match.capturedStart(), match.capturedEnd()))
                out.push_back({IdentifierKind::medicalRecordNumber, match.capturedStart(), match.capturedEnd()});
        }
    }
}

void IdentifierDetector::findStreetAddresses(QStringView text, KeyContext key, quint32 labels,
                                             std::vector<Hit>& out)
{
    static const QRegularExpression street = caseless(
        uR"(\b\d{1,6}[a-z]?\s+(?:[nsew]\.?\s+)?(?:[\p{L}0-9.'-]+\s+){0,4}?)"
        uR"((?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|terrace|ter|)"
        uR"(parkway|pkwy|highway|hwy|circle|cir|trail|trl|square|sq|suite|ste|apt|apartment)\b\.?)"
        uR"(|\b(?:calle|avenida|avda?\.?|carrera|camino|paseo)\s+(?:[\p{L}0-9.'-]+\s+){0,4}?(?:#\s*)?\d{1,6}\b)"_s);
    if (key == KeyContext::Address) {
        const bool letters = std::any_of(text.begin(), text.end(), [](QChar c) { return c.isLetter(); });
        if (letters && text.trimmed().size() >= 5)
            out.push_back({IdentifierKind::streetAddress, 0, text.size()});
        return;
    }
    if (!hasNumberThenWord(text) && !(labels & StreetLabel))
        return;
    QRegularExpressionMatchIterator it = street.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        if (!overlapsAny(out, match.capturedStart(), match.capturedEnd()))
            out.push_back({IdentifierKind::streetAddress, match.capturedStart(), match.capturedEnd()});
    }
}

void IdentifierDetector::findNames(QStringView text, KeyContext key, std::vector<Hit>& out)
{
    if (key == KeyContext::PersonName) {
        static const QRegularExpression nameShape(
            uR"(^\s*\p{L}[\p{L}'.-]*(?:\s+\p{L}[\p{L}'.-]*){0,3}\s*$)"_s,
            QRegularExpression::UseUnicodePropertiesOption);
        if (text.size() <= 80 && nameShape.match(text).hasMatch())
            out.push_back({IdentifierKind::personName, 0, text.size()});
        return;
    }
    if (!text.contains(u':') && !text.contains(u'='))
        return;
    static const QRegularExpression labelled(
        uR"((?i:\b(?:patient(?: name)?|full name|first name|last name|name|nombre(?: completo)?|paciente)\s*[:=]\s*))"
        uR"(\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+){0,3})"_s,
        QRegularExpression::UseUnicodePropertiesOption);
    QRegularExpressionMatchIterator it = labelled.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        out.push_back({IdentifierKind::personName, match.capturedStart(), match.capturedEnd()});
    }
}

} // namespace ClearSignal
