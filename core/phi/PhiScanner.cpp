// SPDX-License-Identifier: GPL-3.0-or-later
#include "PhiScanner.h"

#include "ValueDecoding.h"
#include "common/KeyLabel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;
using namespace ValueDecoding;

namespace {

QString foldedTerm(const QString& term)
{
    WordTokenizer tokenizer;
    tokenizer.tokenize(term);
    QStringList words;
    for (const WordTokenizer::Token& token : tokenizer.tokens())
        words.append(tokenizer.tokenText(token).toString());
    return words.join(u' ');
}

std::vector<bool> allowedFlags(const HealthTermMatcher& matcher, const QSet<QString>& allowed)
{
    std::vector<bool> flags(size_t(matcher.termCount()), false);
    if (allowed.isEmpty())
        return flags;
    for (int i = 0; i < matcher.termCount(); ++i)
        flags[size_t(i)] = allowed.contains(foldedTerm(matcher.term(i).term));
    return flags;
}

bool isWebScheme(QStringView scheme)
{
    return scheme.isEmpty() || scheme.compare(u"https", Qt::CaseInsensitive) == 0
           || scheme.compare(u"http", Qt::CaseInsensitive) == 0;
}

/// Unicode that hides a term from word matching: "sema\u200Bglutide" (a zero-width space), "depresio\u0301n"
/// (an accent written as a separate mark), fullwidth letters. NFKC composes and folds the forms; the
/// invisible format characters and leftover combining marks are removed.
QString normalizedForMatching(QStringView text)
{
    QString result = text.toString().normalized(QString::NormalizationForm_KC);
    result.removeIf([](QChar c) {
        const QChar::Category category = c.category();
        return category == QChar::Mark_NonSpacing || category == QChar::Other_Format;
    });
    return result;
}

QString appendStep(const QString& decoding, QLatin1StringView step)
{
    return decoding.isEmpty() ? QString(step) : decoding + u'>' + step;
}

} // namespace

/// One scan of one value: carries the budget and the scratch buffers.
class PhiScanSession final
{
public:
    PhiScanSession(const PhiScanner& scanner, const PhiScanner::FieldScan& field) : m_scanner(scanner), m_field(field)
    {
        m_identifierOptions.phoneRegion = scanner.phoneRegion();
        m_identifierOptions.hashes = field.hashes;
        m_identifierOptions.md5 = field.md5;
        m_identifierOptions.ipAddresses = field.ipAddresses;
    }

    void scanValue(QStringView text, const QString& key, const QString& location, const QString& decoding,
                   int depth);
    PhiHits takeHits() { return std::move(m_hits); }

private:
    void scanUrl(const UrlParts& url, const QString& location, const QString& decoding, int depth);
    void scanPath(QStringView path, const QString& location, const QString& decoding, int depth);
    void scanQuery(QStringView query, const QString& location, const QString& decoding, int depth);
    void inspect(QStringView text, const QString& key, const QString& location, const QString& decoding,
                 bool identifiers = true);
    void decodeFurther(QStringView text, const QString& key, const QString& location, const QString& decoding,
                       int depth);
    void scanJson(const QJsonValue& value, const QString& key, const QString& location, const QString& decoding,
                  int depth);
    void addTermHits(const HealthTermMatcher& matcher, const std::vector<bool>& allowed, const QString& location,
                     const QString& decoding, bool direct);
    void addHit(PhiHit hit);
    bool spend(qsizetype chars);
    void markUnscannable(const QString& location);

    const PhiScanner& m_scanner;
    const PhiScanner::FieldScan& m_field;
    IdentifierDetector::Options m_identifierOptions;
    // Scratch buffers reused by every scan on this thread: each inspect() finishes with them before
    // anything recurses, and the relay scans millions of short values.
    static thread_local WordTokenizer s_tokenizer;
    static thread_local std::vector<HealthTermMatcher::Match> s_matches;
    static thread_local std::vector<IdentifierDetector::Hit> s_identifiers;
    WordTokenizer& m_tokenizer = s_tokenizer;
    std::vector<HealthTermMatcher::Match>& m_matches = s_matches;
    std::vector<IdentifierDetector::Hit>& m_identifiers = s_identifiers;
    PhiHits m_hits;
    int m_pieces = 0;
    qsizetype m_chars = 0;
    bool m_exhausted = false;
};

thread_local WordTokenizer PhiScanSession::s_tokenizer;
thread_local std::vector<HealthTermMatcher::Match> PhiScanSession::s_matches;
thread_local std::vector<IdentifierDetector::Hit> PhiScanSession::s_identifiers;

void PhiScanSession::addHit(PhiHit hit)
{
    for (const PhiHit& existing : std::as_const(m_hits)) {
        if (existing.kind == hit.kind && existing.term == hit.term && existing.location == hit.location)
            return;
    }
    hit.field = m_field.field;
    m_hits.append(std::move(hit));
}

void PhiScanSession::markUnscannable(const QString& location)
{
    if (m_exhausted)
        return;
    m_exhausted = true;
    PhiHit hit;
    hit.kind = PhiKind::Unscannable;
    hit.term = u"too_complex_to_scan"_s;
    hit.category = u"unscannable"_s;
    hit.location = location;
    addHit(hit);
}

bool PhiScanSession::spend(qsizetype chars)
{
    const PhiScanner::Budget& budget = m_scanner.m_budget;
    if (m_exhausted)
        return false;
    ++m_pieces;
    m_chars += chars;
    return m_pieces <= budget.maxPieces && m_chars <= budget.maxChars;
}

void PhiScanSession::addTermHits(const HealthTermMatcher& matcher, const std::vector<bool>& allowed,
                                 const QString& location, const QString& decoding, bool direct)
{
    m_matches.clear();
    matcher.match(m_tokenizer, m_matches);
    for (const HealthTermMatcher::Match& match : m_matches) {
        if (allowed[size_t(match.termIndex)])
            continue;
        const LexiconTerm& term = matcher.term(match.termIndex);
        PhiHit hit;
        hit.kind = PhiKind::HealthTerm;
        hit.term = term.term;
        hit.category = term.category;
        hit.listId = term.listId;
        hit.location = location;
        hit.decoding = decoding;
        if (direct) {
            hit.begin = match.sourceBegin;
            hit.end = match.sourceEnd;
        }
        addHit(hit);
    }
}

void PhiScanSession::inspect(QStringView text, const QString& key, const QString& location, const QString& decoding,
                             bool identifiers)
{
    if (text.isEmpty())
        return;
    if (!spend(text.size())) {
        markUnscannable(location);
        return;
    }
    const bool nonAscii = std::any_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x80; });
    QString normalized;
    if (nonAscii) {
        normalized = normalizedForMatching(text);
        text = normalized;
    }
    const bool direct = decoding.isEmpty() && location.isEmpty() && !nonAscii;
    if (m_field.healthTerms) {
        m_tokenizer.tokenize(text);
        addTermHits(*m_scanner.m_lexicon, m_scanner.m_lexiconAllowed, location, decoding, direct);
        if (m_scanner.m_extraTerms)
            addTermHits(*m_scanner.m_extraTerms, m_scanner.m_extraAllowed, location, decoding, direct);
    }
    if (identifiers && m_field.identifiers) {
        m_identifiers.clear();
        IdentifierDetector::detect(text, classifyKey(key), m_identifierOptions, m_identifiers);
        for (const IdentifierDetector::Hit& found : m_identifiers) {
            PhiHit hit;
            hit.kind = PhiKind::Identifier;
            hit.term = found.kind;
            hit.category = u"identifier"_s;
            hit.location = location;
            hit.decoding = decoding;
            if (direct) {
                hit.begin = found.begin;
                hit.end = found.end;
            }
            addHit(hit);
        }
    }
}

void PhiScanSession::scanValue(QStringView text, const QString& key, const QString& location,
                               const QString& decoding, int depth)
{
    if (text.isEmpty() || m_exhausted)
        return;
    if (depth > m_scanner.m_budget.maxDepth) {
        markUnscannable(location);
        return;
    }
    // Web URLs are taken apart; anything else shaped like "scheme://..." is scanned whole, as text.
    if (const std::optional<UrlParts> url = splitUrl(text); url && isWebScheme(url->scheme)) {
        scanUrl(*url, location, decoding, depth);
        return;
    }
    inspect(text, key, location, decoding);
    decodeFurther(text, key, location, decoding, depth);
}

void PhiScanSession::decodeFurther(QStringView text, const QString& key, const QString& location,
                                   const QString& decoding, int depth)
{
    if (m_exhausted)
        return;
    if (text.contains(u'%') || text.contains(u'+')) {
        const QString decoded = percentDecodeRepeatedly(text, true, 4);
        if (decoded != text)
            scanValue(decoded, key, location, appendStep(decoding, "percent"_L1), depth + 1);
    }
    if (looksLikeJson(text)) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error == QJsonParseError::NoError) {
            const QJsonValue root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
            scanJson(root, key, location, appendStep(decoding, "json"_L1), depth + 1);
        }
    }
    for (const Base64Segment& segment : findBase64Segments(text)) {
        if (const std::optional<QString> decoded = decodeBase64Text(text.mid(segment.begin, segment.length)))
            scanValue(*decoded, key, location, appendStep(decoding, "base64"_L1), depth + 1);
    }
}

void PhiScanSession::scanJson(const QJsonValue& value, const QString& key, const QString& location,
                              const QString& decoding, int depth)
{
    if (m_exhausted)
        return;
    if (depth > m_scanner.m_budget.maxDepth + 8) {
        markUnscannable(location);
        return;
    }
    if (value.isString()) {
        scanValue(value.toString(), key, location, decoding, depth);
    } else if (value.isDouble()) {
        // Numbers can be phone numbers or record numbers when their key says so.
        if (classifyKey(key) != KeyContext::None)
            inspect(QString::number(value.toDouble(), 'f', 0), key, location, decoding);
    } else if (value.isArray()) {
        for (const QJsonValue& item : value.toArray())
            scanJson(item, key, location, decoding, depth + 1);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString childLocation = location.isEmpty() ? keyLabel(u"json", it.key())
                                                             : keyLabel(location, it.key(), u'.');
            inspect(it.key(), QString(), childLocation, decoding); // keys can be data too
            scanJson(it.value(), it.key(), childLocation, decoding, depth + 1);
        }
    }
}

void PhiScanSession::scanUrl(const UrlParts& url, const QString& location, const QString& decoding, int depth)
{
    auto where = [&](QLatin1StringView part) {
        return location.isEmpty() ? QString(part) : location + u'>' + part;
    };

    const QString host = url.host.toString().toLower();
    const QString domain = registrableDomain(host);
    const bool topLevel = location.isEmpty() && decoding.isEmpty(); // the value itself, not a URL inside it
    if ((m_field.ownHost && topLevel) || m_field.ownDomains.contains(domain)) {
        // The practice's own domain names the practice, which TikTok knows already; subdomains can name a service.
        const QStringView subdomain = QStringView(host).first(std::max<qsizetype>(0, host.size() - domain.size()));
        inspect(subdomain, QString(), where("host"_L1), decoding, false);
    } else {
        inspect(host, QString(), where("host"_L1), decoding);
    }
    if (!url.userInfo.isEmpty())
        scanValue(percentDecodeRepeatedly(url.userInfo, false, 4), QString(), where("userinfo"_L1), decoding, depth + 1);
    scanPath(url.path, where("path"_L1), decoding, depth);
    scanQuery(url.query, where("query"_L1), decoding, depth);
    if (!url.fragment.isEmpty()) {
        // Single-page apps put routes ("#/services/ozempic") or parameters ("#state=...") in the fragment.
        QStringView fragment = url.fragment;
        if (const qsizetype question = fragment.indexOf(u'?'); question >= 0) {
            scanQuery(fragment.mid(question + 1), where("fragment"_L1), decoding, depth);
            fragment = fragment.first(question);
        }
        if (fragment.contains(u'=') && !fragment.contains(u'/'))
            scanQuery(fragment, where("fragment"_L1), decoding, depth);
        else
            scanPath(fragment, where("fragment"_L1), decoding, depth);
    }
}

void PhiScanSession::scanPath(QStringView path, const QString& location, const QString& decoding, int depth)
{
    if (path.isEmpty() || path == u"/")
        return;
    inspect(path, QString(), location, decoding);
    int rounds = 0;
    const QString decoded = percentDecodeRepeatedly(path, false, 4, &rounds);
    if (rounds > 0)
        inspect(decoded, QString(), location, appendStep(decoding, "percent"_L1));
    // Encoded payloads live inside one segment; "/" also belongs to the base64 alphabet.
    for (QStringView segment : QStringView(decoded).split(u'/', Qt::SkipEmptyParts)) {
        if (segment.size() >= 16 || looksLikeJson(segment))
            decodeFurther(segment, QString(), location, rounds > 0 ? appendStep(decoding, "percent"_L1) : decoding,
                          depth + 1);
    }
}

void PhiScanSession::scanQuery(QStringView query, const QString& location, const QString& decoding, int depth)
{
    for (const auto& [rawKey, rawValue] : splitQuery(query)) {
        if (m_exhausted)
            return;
        const QString key = percentDecodeRepeatedly(rawKey, true, 4);
        if (rawValue.isNull()) {
            // "?jane.doe@gmail.com" or "?semaglutide": an item without "=" is a value, not a key.
            scanValue(key, QString(), location, decoding, depth + 1);
            continue;
        }
        const QString itemLocation = keyLabel(location, key);
        inspect(key, QString(), itemLocation, decoding); // keys can be data too ("?5125550147=1")
        if (rawValue.isEmpty())
            continue;
        int rounds = 0;
        const QString value = percentDecodeRepeatedly(rawValue, true, 4, &rounds);
        const QString valueDecoding = rounds > 0 ? appendStep(decoding, "percent"_L1) : decoding;
        scanValue(value, key, itemLocation, valueDecoding, depth + 1);
        // "+" is a space in queries but also a base64 character: look at the value both ways.
        if (rawValue.contains(u'+')) {
            const QString plusKept = percentDecodeRepeatedly(rawValue, false, 4);
            for (const Base64Segment& segment : findBase64Segments(plusKept)) {
                if (const auto text = decodeBase64Text(QStringView(plusKept).mid(segment.begin, segment.length)))
                    scanValue(*text, key, itemLocation, appendStep(valueDecoding, "base64"_L1), depth + 2);
            }
        }
    }
}

Expected<std::shared_ptr<const HealthTermMatcher>> PhiScanner::bundledMatcher()
{
    static const Expected<std::shared_ptr<const HealthTermMatcher>> matcher =
        []() -> Expected<std::shared_ptr<const HealthTermMatcher>> {
        const Expected<HealthLexicon>& lexicon = HealthLexicon::bundled();
        if (!lexicon)
            return Error{u"the bundled health lexicon cannot be loaded (%1); reinstall ClearSignal"_s.arg(
                lexicon.errorMessage())};
        return std::shared_ptr<const HealthTermMatcher>(std::make_shared<HealthTermMatcher>(lexicon->terms()));
    }();
    return matcher;
}

Expected<std::shared_ptr<const PhiScanner>> PhiScanner::create(const Vocabulary& vocabulary, QString phoneRegion)
{
    Expected<std::shared_ptr<const HealthTermMatcher>> matcher = bundledMatcher();
    if (!matcher)
        return matcher.error();
    return std::shared_ptr<const PhiScanner>(
        std::make_shared<PhiScanner>(*matcher, vocabulary, std::move(phoneRegion)));
}

PhiScanner::PhiScanner(std::shared_ptr<const HealthTermMatcher> lexicon, const Vocabulary& vocabulary,
                       QString phoneRegion)
    : m_lexicon(std::move(lexicon)), m_phoneRegion(std::move(phoneRegion))
{
    QSet<QString> allowed;
    for (const QString& term : vocabulary.allowedTerms)
        allowed.insert(foldedTerm(term));
    m_lexiconAllowed = allowedFlags(*m_lexicon, allowed);
    if (!vocabulary.extraTerms.isEmpty()) {
        m_extraTerms = std::make_unique<HealthTermMatcher>(vocabulary.extraTerms);
        m_extraAllowed = allowedFlags(*m_extraTerms, allowed);
    }
}

PhiHits PhiScanner::scan(QStringView value, const FieldScan& field) const
{
    PhiScanSession session(*this, field);
    session.scanValue(value, field.key, QString(), QString(), 0);
    return session.takeHits();
}

} // namespace ClearSignal
