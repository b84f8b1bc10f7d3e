// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HealthLexicon.h"
#include "WordTokenizer.h"

#include <array>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ClearSignal {

/// Finds lexicon terms in tokenized text.
///
/// Two strategies, chosen per term: short terms (fewer than 6 letters and digits, like "hiv" or "botox")
/// and terms marked word-only must match whole words, as a word sequence ("weight loss" in "weight-loss",
/// "WeightLoss") or joined ("weightloss"). Longer terms are also found inside words
/// ("semaglutideclinic") with an Aho-Corasick automaton. A final plural "s"/"es" is tolerated.
class HealthTermMatcher final
{
public:
    struct Match
    {
        int termIndex;
        qsizetype sourceBegin;
        qsizetype sourceEnd;
    };

    /// Terms shorter than this (letters and digits only) match whole words only.
    static constexpr int minSubstringLength = 6;

    explicit HealthTermMatcher(QList<LexiconTerm> terms);

    const LexiconTerm& term(int index) const { return m_terms.at(index); }
    int termCount() const { return int(m_terms.size()); }

    /// Appends every match in the tokenized text, in text order.
    void match(const WordTokenizer& text, std::vector<Match>& out) const;

private:
    static constexpr int alphabetSize = 37; // a-z, 0-9, anything else

    void findSequences(const WordTokenizer& text, std::vector<Match>& out) const;
    void findWholeWords(const WordTokenizer& text, std::vector<Match>& out) const;
    void findSubstrings(const WordTokenizer& text, std::vector<Match>& out) const;
    int tokenId(std::u16string_view token) const;
    int lookupWithPlural(std::u16string_view token) const;
    int internToken(std::u16string_view token);
    void addSequence(const std::vector<int>& tokenIds, int termIndex);
    void addSubstring(std::u16string_view joined, int termIndex);
    void buildAutomaton();
    static int symbol(char16_t c);

    QList<LexiconTerm> m_terms;

    std::deque<std::u16string> m_tokenStorage;
    std::unordered_map<std::u16string_view, int> m_vocabulary;
    std::unordered_map<quint64, int> m_trieEdges; // (node << 32 | token id) -> node
    std::vector<int> m_trieTerm;                   // node -> term index or -1
    int m_maxSequence = 1;

    std::vector<std::array<int, alphabetSize>> m_goto;
    std::vector<int> m_fail;
    std::vector<int> m_output;     // state -> term ending here, or -1
    std::vector<int> m_outputLink; // state -> nearest suffix state with an output, or -1
    std::vector<int> m_depth;
};

} // namespace ClearSignal
