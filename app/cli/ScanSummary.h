// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scan/model/ScanModel.h"

#include <optional>

namespace ClearSignal::Cli::ScanSummary {

/// --fail-on: a minimum severity, or "new" (any new_* finding of a baseline comparison).
struct FailOn
{
    std::optional<Severity> atLeast;
    bool anyNew = false;
};
std::optional<FailOn> parseFailOn(const QString& text);
bool fails(const ScanResult& result, const FailOn& failOn);

/// What a person reads after a scan: counts, pages that failed, then every finding, most severe first.
QString text(const ScanResult& result);

/// A message when not even the start page could be loaded (wrong address, site down, offline); empty otherwise.
QString startPageError(const ScanResult& result);

} // namespace ClearSignal::Cli::ScanSummary
