// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QRegularExpression>
#include <QString>

namespace ClearSignal {

/// Matches an event name or a URL path: exactly, by glob or by regular expression.
///
/// Globs match the whole text; "*" stays within one path segment, "**" crosses segments, "?" is one
/// character, and a trailing "/**" also matches the directory itself ("/book/**" matches "/book").
/// Regular expressions search anywhere in the text (anchor them with ^ and $ to match all of it).
/// Matching ignores case unless caseSensitive is set.
class TextMatcher final
{
public:
    enum class Kind { Exact, Glob, Regex };

    /// Fails with the regular-expression error and its offset when the pattern does not compile.
    static Expected<TextMatcher> create(Kind kind, const QString& pattern, bool caseSensitive = false);

    bool matches(QStringView text) const;

    Kind kind() const { return m_kind; }
    const QString& pattern() const { return m_pattern; }
    bool caseSensitive() const { return m_caseSensitive; }

    static QLatin1StringView kindName(Kind kind);
    /// The regular expression a glob stands for (anchored).
    static QString globToRegex(const QString& glob);

private:
    TextMatcher() = default;

    Kind m_kind = Kind::Exact;
    QString m_pattern;
    bool m_caseSensitive = false;
    QRegularExpression m_regex;
};

} // namespace ClearSignal
