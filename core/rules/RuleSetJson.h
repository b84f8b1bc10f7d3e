// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RuleSet.h"

#include <QByteArray>
#include <QList>

namespace ClearSignal {

/// One problem in a rules document, located by its JSON path ("$.mappings[2].tiktok_event").
struct RuleProblem
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    QString path;
    QString message;

    QString toString() const;
};

/// The result of reading a rules document: the rules when there is no error, and every problem found.
struct RuleSetLoad
{
    std::optional<RuleSet> rules;
    QList<RuleProblem> problems;

    bool hasErrors() const;
    /// All problems, one per line, errors first.
    QString report() const;
};

/// Reads and writes clearsignal.rules/1 (docs/formats.md). Reading validates everything and reports
/// every problem at once, so a person can fix a file in one pass.
namespace RuleSetJson {

inline constexpr QLatin1StringView schema{"clearsignal.rules/1"};

RuleSetLoad parse(const QByteArray& json);
RuleSetLoad load(const QString& path);
/// Stable, readable JSON (fixed key order, 2-space indent): the same rules always give the same bytes.
QByteArray serialize(const RuleSet& rules);

} // namespace RuleSetJson

} // namespace ClearSignal
