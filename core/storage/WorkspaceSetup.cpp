// SPDX-License-Identifier: GPL-3.0-or-later
#include "WorkspaceSetup.h"

#include "KeyedHasher.h"
#include "RulesHistory.h"
#include "Workspace.h"

#include <QFile>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

Expected<WorkspaceSettings> createSiteWorkspace(const QString& path, WorkspaceSettings settings, const RuleSet& rules,
                                                const WorkspaceOrigin& origin)
{
    Expected<std::unique_ptr<Workspace>> workspace = Workspace::create(path);
    if (!workspace)
        return workspace.error();
    settings.workspaceId = (*workspace)->setting(u"workspace_id"_s);
    settings.ingestKey = WorkspaceSettings::newIngestKey();
    settings.hashKeyHex = KeyedHasher::newKeyHex();
    const Status saved = (*workspace)->transaction([&]() -> Status {
        if (Status written = settings.save(**workspace); !written)
            return written;
        const Expected<int> revision = RulesHistory::add(**workspace, rules, origin.author, origin.reason,
                                                         origin.atSeconds);
        return revision ? Status(Ok) : Status(revision.error());
    });
    if (!saved) {
        workspace->reset(); // closed before its file goes
        QFile::remove(path);
        return saved.error();
    }
    return settings;
}

} // namespace ClearSignal
