// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scan/model/ScanModel.h"

namespace ClearSignal::BaselineDiff {

/// Adds new_* findings for what the current scan has and the approved baseline did not: a tracker, a pixel
/// id, an event, a third-party script (by URL, or the same URL with different content), a health term.
void addChanges(const ScanResult& baseline, ScanResult& current);

} // namespace ClearSignal::BaselineDiff
