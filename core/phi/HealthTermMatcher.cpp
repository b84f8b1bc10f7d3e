// SPDX-License-Identifier: GPL-3.0-or-later
#include "HealthTermMatcher.h"

#include <algorithm>
#include <queue>

namespace ClearSignal {

namespace {

std::u16string_view toView(QStringView text)
{
    return {reinterpret_cast<const char16_t*>(text.utf16()), size_t(text.size())};
}

} // namespace

HealthTermMatcher::HealthTermMatcher(QList<LexiconTerm> terms) : m_terms(std::move(terms))
{
    m_trieTerm.push_back(-1);
    m_goto.push_back({});
    m_goto[0].fill(-1);
    m_output.push_back(-1);
    m_depth.push_back(0);

    WordTokenizer tokenizer;
    for (int index = 0; index < m_terms.size(); ++index) {
        tokenizer.tokenize(m_terms.at(index).term);
        if (tokenizer.tokens().empty())
            continue;
        std::vector<int> ids;
        std::u16string joined;
        for (const WordTokenizer::Token& token : tokenizer.tokens()) {
            const std::u16string_view text = toView(tokenizer.tokenText(token));
            ids.push_back(internToken(text));
            joined.append(text);
        }
        addSequence(ids, index);
        if (ids.size() > 1)
            addSequence({internToken(joined)}, index);
        if (int(joined.size()) >= minSubstringLength && !m_terms.at(index).wordOnly)
            addSubstring(joined, index);
    }
    buildAutomaton();
}

int HealthTermMatcher::internToken(std::u16string_view token)
{
    if (auto it = m_vocabulary.find(token); it != m_vocabulary.end())
        return it->second;
    const std::u16string& stored = m_tokenStorage.emplace_back(token);
    const int id = int(m_vocabulary.size());
    m_vocabulary.emplace(std::u16string_view(stored), id);
    return id;
}

int HealthTermMatcher::tokenId(std::u16string_view token) const
{
    const auto it = m_vocabulary.find(token);
    return it == m_vocabulary.end() ? -1 : it->second;
}

int HealthTermMatcher::lookupWithPlural(std::u16string_view token) const
{
    if (const int id = tokenId(token); id >= 0)
        return id;
    if (token.size() >= 4 && token.back() == u's') {
        if (const int id = tokenId(token.substr(0, token.size() - 1)); id >= 0)
            return id;
        // "-es" follows sibilants in English ("braces") and consonants in Spanish ("ansiedades"),
        // never a "v": "fives" is not a plural of "fiv".
        const std::u16string_view stem = token.substr(0, token.size() - 2);
        static constexpr std::u16string_view esStems = u"sxzhdnrlj";
        if (token[token.size() - 2] == u'e' && esStems.find(stem.back()) != std::u16string_view::npos)
            return tokenId(stem);
    }
    return -1;
}

void HealthTermMatcher::addSequence(const std::vector<int>& tokenIds, int termIndex)
{
    int node = 0;
    for (const int id : tokenIds) {
        const quint64 key = (quint64(node) << 32) | quint32(id);
        auto it = m_trieEdges.find(key);
        if (it == m_trieEdges.end()) {
            const int child = int(m_trieTerm.size());
            m_trieTerm.push_back(-1);
            it = m_trieEdges.emplace(key, child).first;
        }
        node = it->second;
    }
    if (m_trieTerm[node] < 0) // the first list to name a term keeps it
        m_trieTerm[node] = termIndex;
    m_maxSequence = std::max(m_maxSequence, int(tokenIds.size()));
}

int HealthTermMatcher::symbol(char16_t c)
{
    if (c >= u'a' && c <= u'z')
        return c - u'a';
    if (c >= u'0' && c <= u'9')
        return 26 + (c - u'0');
    return 36;
}

void HealthTermMatcher::addSubstring(std::u16string_view joined, int termIndex)
{
    for (char16_t c : joined) {
        if (symbol(c) == 36)
            return; // letters outside a-z after folding: matched as words only
    }
    int state = 0;
    for (char16_t c : joined) {
        const int s = symbol(c);
        if (m_goto[state][s] < 0) {
            m_goto[state][s] = int(m_goto.size());
            m_goto.push_back({});
            m_goto.back().fill(-1);
            m_output.push_back(-1);
            m_depth.push_back(m_depth[state] + 1);
        }
        state = m_goto[state][s];
    }
    if (m_output[state] < 0)
        m_output[state] = termIndex;
}

void HealthTermMatcher::buildAutomaton()
{
    // Classic Aho-Corasick, turned into a full transition table so matching never follows failure links.
    const size_t states = m_goto.size();
    m_fail.assign(states, 0);
    m_outputLink.assign(states, -1);
    std::queue<int> queue;
    for (int s = 0; s < alphabetSize; ++s) {
        const int next = m_goto[0][s];
        if (next < 0) {
            m_goto[0][s] = 0;
        } else {
            m_fail[next] = 0;
            queue.push(next);
        }
    }
    while (!queue.empty()) {
        const int state = queue.front();
        queue.pop();
        const int fail = m_fail[state];
        m_outputLink[state] = m_output[fail] >= 0 ? fail : m_outputLink[fail];
        for (int s = 0; s < alphabetSize; ++s) {
            const int next = m_goto[state][s];
            if (next < 0) {
                m_goto[state][s] = m_goto[fail][s];
            } else {
                m_fail[next] = m_goto[fail][s];
                queue.push(next);
            }
        }
    }
}

void HealthTermMatcher::match(const WordTokenizer& text, std::vector<Match>& out) const
{
    const size_t first = out.size();
    findSequences(text, out);
    findWholeWords(text, out);
    findSubstrings(text, out);
    // Leftmost first, longer first at the same place: the order people read the hits in.
    std::stable_sort(out.begin() + qsizetype(first), out.end(), [](const Match& a, const Match& b) {
        return a.sourceBegin != b.sourceBegin ? a.sourceBegin < b.sourceBegin : a.sourceEnd > b.sourceEnd;
    });
}

void HealthTermMatcher::findSequences(const WordTokenizer& text, std::vector<Match>& out) const
{
    const std::vector<WordTokenizer::Token>& tokens = text.tokens();
    std::vector<int> ids(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i)
        ids[i] = lookupWithPlural(toView(text.tokenText(tokens[i])));

    for (size_t start = 0; start < tokens.size(); ++start) {
        int node = 0;
        const size_t end = std::min(tokens.size(), start + size_t(m_maxSequence));
        for (size_t j = start; j < end && ids[j] >= 0; ++j) {
            const auto edge = m_trieEdges.find((quint64(node) << 32) | quint32(ids[j]));
            if (edge == m_trieEdges.end())
                break;
            node = edge->second;
            if (m_trieTerm[node] >= 0)
                out.push_back({m_trieTerm[node], tokens[start].sourceBegin, tokens[j].sourceEnd});
        }
    }
}

void HealthTermMatcher::findWholeWords(const WordTokenizer& text, std::vector<Match>& out) const
{
    // A raw word split by its capitals can hide a term written in mixed case: "PrEP" reads as "pr ep".
    for (const WordTokenizer::RawWord& word : text.rawWords()) {
        if (!word.split)
            continue; // a word that stayed one token was looked up as a sequence already
        const int id = lookupWithPlural(toView(text.rawWordText(word)));
        if (id < 0)
            continue;
        const auto edge = m_trieEdges.find(quint32(id));
        if (edge != m_trieEdges.end() && m_trieTerm[edge->second] >= 0)
            out.push_back({m_trieTerm[edge->second], word.sourceBegin, word.sourceBegin + word.length});
    }
}

void HealthTermMatcher::findSubstrings(const WordTokenizer& text, std::vector<Match>& out) const
{
    if (m_goto.size() <= 1)
        return;
    for (const WordTokenizer::RawWord& word : text.rawWords()) {
        const QStringView folded = text.rawWordText(word);
        if (folded.size() < minSubstringLength)
            continue;
        int state = 0;
        for (qsizetype i = 0; i < folded.size(); ++i) {
            state = m_goto[state][symbol(folded[i].unicode())];
            for (int s = m_output[state] >= 0 ? state : m_outputLink[state]; s > 0; s = m_outputLink[s]) {
                const qsizetype begin = word.sourceBegin + i + 1 - m_depth[s];
                out.push_back({m_output[s], begin, word.sourceBegin + i + 1});
            }
        }
    }
}

} // namespace ClearSignal
