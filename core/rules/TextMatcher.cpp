// SPDX-License-Identifier: GPL-3.0-or-later
#include "TextMatcher.h"

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

QLatin1StringView TextMatcher::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Exact:
        return "exact"_L1;
    case Kind::Glob:
        return "glob"_L1;
    case Kind::Regex:
        return "regex"_L1;
    }
    return "exact"_L1;
}

QString TextMatcher::globToRegex(const QString& glob)
{
    QString regex = u"^"_s;
    QString literal;
    auto flush = [&] {
        regex += QRegularExpression::escape(literal);
        literal.clear();
    };
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob[i];
        if (c == u'/' && glob.mid(i) == u"/**") {
            flush();
            regex += u"(?:/.*)?"_s;
            break;
        }
        if (c == u'*' && i + 1 < glob.size() && glob[i + 1] == u'*') {
            flush();
            regex += u".*"_s;
            ++i;
        } else if (c == u'*') {
            flush();
            regex += u"[^/]*"_s;
        } else if (c == u'?') {
            flush();
            regex += u"[^/]"_s;
        } else {
            literal += c;
        }
    }
    flush();
    return regex + u'$';
}

Expected<TextMatcher> TextMatcher::create(Kind kind, const QString& pattern, bool caseSensitive)
{
    if (pattern.isEmpty())
        return Error{u"the pattern is empty"_s};
    TextMatcher matcher;
    matcher.m_kind = kind;
    matcher.m_pattern = pattern;
    matcher.m_caseSensitive = caseSensitive;
    if (kind == Kind::Exact)
        return matcher;

    QRegularExpression::PatternOptions options = QRegularExpression::UseUnicodePropertiesOption;
    if (!caseSensitive)
        options |= QRegularExpression::CaseInsensitiveOption;
    matcher.m_regex = QRegularExpression(kind == Kind::Glob ? globToRegex(pattern) : pattern, options);
    if (!matcher.m_regex.isValid())
        return Error{u"invalid regular expression at offset %1: %2"_s.arg(matcher.m_regex.patternErrorOffset())
                         .arg(matcher.m_regex.errorString())};
    matcher.m_regex.optimize();
    return matcher;
}

bool TextMatcher::matches(QStringView text) const
{
    if (m_kind == Kind::Exact)
        return text.compare(m_pattern, m_caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive) == 0;
    return m_regex.match(text).hasMatch();
}

} // namespace ClearSignal
