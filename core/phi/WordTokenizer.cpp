// SPDX-License-Identifier: GPL-3.0-or-later
#include "WordTokenizer.h"

#include <algorithm>
#include <array>

namespace ClearSignal {

namespace {

enum class CharClass { Other, Lower, Upper, Digit };

CharClass classify(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x80) {
        if (u >= 'a' && u <= 'z')
            return CharClass::Lower;
        if (u >= 'A' && u <= 'Z')
            return CharClass::Upper;
        if (u >= '0' && u <= '9')
            return CharClass::Digit;
        return CharClass::Other;
    }
    if (c.isSurrogate())
        return CharClass::Other;
    if (c.isUpper() || c.isTitleCase())
        return CharClass::Upper;
    if (c.isLetter())
        return CharClass::Lower;
    if (c.isDigit())
        return CharClass::Digit;
    return CharClass::Other;
}

/// Folding of U+0080..U+024F (Latin-1 Supplement and Latin Extended-A/B), computed once.
const std::array<char16_t, 0x250 - 0x80>& latinFoldTable()
{
    static const auto table = [] {
        std::array<char16_t, 0x250 - 0x80> result{};
        for (char16_t u = 0x80; u < 0x250; ++u) {
            const QChar c(u);
            char16_t folded = 0;
            if (c.isLetterOrNumber()) {
                QChar lower = c.toLower();
                const QString decomposed = lower.decomposition();
                if (!decomposed.isEmpty() && decomposed.at(0).unicode() < 0x80)
                    lower = decomposed.at(0);
                folded = lower.unicode();
            }
            result[u - 0x80] = folded;
        }
        // Letters without a decomposition that readers still treat as plain Latin letters.
        result[0xdf - 0x80] = u's'; // ß
        result[0xf8 - 0x80] = u'o'; // ø
        result[0xd8 - 0x80] = u'o'; // Ø
        result[0xe6 - 0x80] = u'a'; // æ
        result[0xc6 - 0x80] = u'a'; // Æ
        result[0x142 - 0x80] = u'l'; // ł
        result[0x141 - 0x80] = u'l'; // Ł
        return result;
    }();
    return table;
}

} // namespace

QChar foldNonAscii(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x250)
        return QChar(latinFoldTable()[u - 0x80]);
    if (c.isSurrogate() || !c.isLetterOrNumber())
        return QChar();
    return c.toLower();
}

bool WordTokenizer::looksLikeId(QStringView word)
{
    // Groups of hex digits ("4ed1" in a UUID) are ids, whatever their length; "ed" must not come out of them.
    bool hexLetter = false;
    bool digit = false;
    const bool allHex = std::all_of(word.begin(), word.end(), [&](QChar c) {
        const char16_t u = c.unicode();
        const bool isDigit = u >= '0' && u <= '9';
        const bool isHexLetter = (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
        digit |= isDigit;
        hexLetter |= isHexLetter;
        return isDigit || isHexLetter;
    });
    if (allHex && digit && hexLetter)
        return true;
    if (word.size() < 8)
        return false;
    int transitions = 0;
    int digitRuns = 0;
    CharClass previous = CharClass::Other;
    for (QChar c : word) {
        CharClass current = classify(c);
        if (current == CharClass::Digit && previous != CharClass::Digit)
            ++digitRuns;
        if (previous != CharClass::Other && current != previous)
            ++transitions;
        previous = current;
    }
    // Words change class a few times ("BookedGLP1Consultation": 5 in 22); generated ids flip constantly.
    return digitRuns >= 3 || transitions * 5 > word.size() * 2;
}

void WordTokenizer::tokenize(QStringView text)
{
    m_folded.clear();
    m_tokens.clear();
    m_rawWords.clear();
    m_folded.reserve(text.size() * 2 + 8);

    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && classify(text[i]) == CharClass::Other)
            ++i;
        const qsizetype begin = i;
        while (i < n && classify(text[i]) != CharClass::Other)
            ++i;
        if (i > begin)
            addRawWord(text, begin, i);
    }
}

void WordTokenizer::addRawWord(QStringView text, qsizetype begin, qsizetype end)
{
    const QStringView word = text.mid(begin, end - begin);

    // The whole raw word, folded, for substring search of long terms.
    const qsizetype rawStart = m_folded.size();
    m_folded.resize(rawStart + word.size() + 1);
    QChar* out = m_folded.data() + rawStart;
    for (QChar c : word)
        *out++ = foldForMatching(c);
    *out = u' ';
    m_rawWords.push_back({rawStart, word.size(), begin});

    auto addToken = [&](qsizetype from, qsizetype to) {
        m_tokens.push_back({rawStart + (from - begin), to - from, from, to});
    };

    if (looksLikeId(word)) {
        addToken(begin, end);
        return;
    }
    qsizetype tokenStart = begin;
    for (qsizetype i = begin + 1; i < end; ++i) {
        const CharClass previous = classify(text[i - 1]);
        const CharClass current = classify(text[i]);
        const bool letterDigitBoundary = (previous == CharClass::Digit) != (current == CharClass::Digit);
        const bool lowerToUpper = previous == CharClass::Lower && current == CharClass::Upper;
        // "GLPConsult": split before the last capital of a run when a lowercase letter follows.
        const bool acronymEnd = previous == CharClass::Upper && current == CharClass::Upper && i + 1 < end
                                && classify(text[i + 1]) == CharClass::Lower;
        if (letterDigitBoundary || lowerToUpper || acronymEnd) {
            addToken(tokenStart, i);
            tokenStart = i;
            m_rawWords.back().split = true;
        }
    }
    addToken(tokenStart, end);
}

} // namespace ClearSignal
