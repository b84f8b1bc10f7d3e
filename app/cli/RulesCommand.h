// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rules/RuleSet.h"

#include <QStringList>

#include <optional>

namespace ClearSignal::Cli {

/// clearsignal-cli rules validate FILE | rules test --rules FILE --input EVENTS.ndjson
int runRules(const QStringList& arguments);

/// Loads a rules file, printing every problem (with its JSON path) to stderr. nullopt when it has errors.
std::optional<RuleSet> loadRulesOrReport(const QString& path);

} // namespace ClearSignal::Cli
