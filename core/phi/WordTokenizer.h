// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <vector>

namespace ClearSignal {

QChar foldNonAscii(QChar c);

/// Folds one character for matching: lowercase, accents removed (é -> e, ñ -> n).
/// Characters that are neither letters nor digits fold to a null QChar.
inline QChar foldForMatching(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= 0x80)
        return foldNonAscii(c);
    if (u >= 'A' && u <= 'Z')
        return QChar(char16_t(u + 32));
    if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9'))
        return c;
    return QChar();
}

/// Splits text into the words the health lexicon is matched against.
///
/// Runs of letters and digits form raw words; anything else separates. A raw word that reads like
/// words ("BookedGLP1Consultation") is split further at camelCase and letter/digit boundaries
/// ("booked glp 1 consultation"); a raw word that reads like a random id ("CpYBrX9Gm1lC") is kept
/// whole, so chance fragments of ids never look like short terms such as "hiv".
class WordTokenizer final
{
public:
    struct Token
    {
        qsizetype begin; ///< offset into folded()
        qsizetype length;
        qsizetype sourceBegin; ///< span in the tokenized text, for highlighting
        qsizetype sourceEnd;
    };
    struct RawWord
    {
        qsizetype begin; ///< offset into folded() of the whole raw word
        qsizetype length;
        qsizetype sourceBegin;
        bool split = false; ///< it became more than one token
    };

    void tokenize(QStringView text);

    /// All tokens, folded and separated by one space; raw words are also stored here.
    const QString& folded() const { return m_folded; }
    const std::vector<Token>& tokens() const { return m_tokens; }
    const std::vector<RawWord>& rawWords() const { return m_rawWords; }
    QStringView tokenText(const Token& token) const { return QStringView(m_folded).mid(token.begin, token.length); }
    QStringView rawWordText(const RawWord& word) const { return QStringView(m_folded).mid(word.begin, word.length); }

    /// True when a raw word has the case and digit pattern of a generated id rather than of words.
    static bool looksLikeId(QStringView word);

private:
    void addRawWord(QStringView text, qsizetype begin, qsizetype end);

    QString m_folded;
    std::vector<Token> m_tokens;
    std::vector<RawWord> m_rawWords;
};

} // namespace ClearSignal
