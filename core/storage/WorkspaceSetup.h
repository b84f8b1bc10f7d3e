// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "WorkspaceSettings.h"
#include "common/Expected.h"
#include "rules/RuleSet.h"

#include <QString>

namespace ClearSignal {

/// Who made a new workspace and when, for the first entry of its rules history.
struct WorkspaceOrigin
{
    QString author;
    QString reason;
    qint64 atSeconds = 0;
};

/// Creates the workspace file at `path` for one site: `settings` with a new workspace id, ingest key and hashing
/// key, and `rules` as revision 1, in one transaction. Nothing is left behind when it fails. Returns the settings
/// as stored (the ingest key is the one to put on the site).
Expected<WorkspaceSettings> createSiteWorkspace(const QString& path, WorkspaceSettings settings, const RuleSet& rules,
                                                const WorkspaceOrigin& origin);

} // namespace ClearSignal
