// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "relay/RelayStore.h"
#include "rules/RuleSet.h"
#include "sanitize/Sanitizer.h"
#include "storage/RulesHistory.h"
#include "storage/Workspace.h"
#include "storage/WorkspaceSettings.h"

#include <QLockFile>

#include <memory>

namespace ClearSignal::Cli {

/// A workspace opened by a command that adds to its queue (import-conversions, replay-dead-letters): settings,
/// rules in force, their sanitizer and the store. When a relay runs on the workspace it owns delivery and what
/// is in flight, so the store is opened as a guest and the command leaves sending to it.
struct QueueAccess
{
    std::unique_ptr<QLockFile> relayLock; ///< held by this command when no relay runs
    bool relayRunning = false;
    std::unique_ptr<Workspace> workspace;
    WorkspaceSettings settings;
    RulesRevision revision;
    std::unique_ptr<Sanitizer> sanitizer;
    std::unique_ptr<RelayStore> store; ///< declared last: closed before the workspace

    /// Prints what went wrong and sets `exitCode` (runtime failure or invalid input) when it returns nullptr.
    static std::unique_ptr<QueueAccess> open(const QString& path, int& exitCode);
};

} // namespace ClearSignal::Cli
