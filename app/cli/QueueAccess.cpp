// SPDX-License-Identifier: GPL-3.0-or-later
#include "QueueAccess.h"

#include "CliSupport.h"
#include "relay/RelayService.h"

namespace ClearSignal::Cli {

std::unique_ptr<QueueAccess> QueueAccess::open(const QString& path, int& exitCode)
{
    auto access = std::make_unique<QueueAccess>();
    Expected<std::unique_ptr<Workspace>> workspace = Workspace::open(path);
    if (!workspace) {
        printError(workspace.errorMessage());
        exitCode = RuntimeFailure;
        return nullptr;
    }
    access->workspace = std::move(*workspace);
    const Expected<WorkspaceSettings> settings = WorkspaceSettings::load(*access->workspace);
    auto rules = RulesHistory::current(*access->workspace);
    if (!settings || !rules) {
        printError(!settings ? settings.errorMessage() : rules.errorMessage());
        exitCode = InvalidInput;
        return nullptr;
    }
    access->settings = *settings;
    access->revision = rules->first;
    access->relayLock = std::make_unique<QLockFile>(RelayService::lockPath(path));
    access->relayLock->setStaleLockTime(0);
    access->relayRunning = !access->relayLock->tryLock(0);
    Expected<Sanitizer> sanitizer = Sanitizer::create(rules->second);
    Expected<std::unique_ptr<RelayStore>> store =
        RelayStore::open(*access->workspace, KeyedHasher(QByteArray::fromHex(settings->hashKeyHex.toLatin1())),
                         !access->relayRunning);
    if (!sanitizer || !store) {
        printError(!sanitizer ? sanitizer.errorMessage() : store.errorMessage());
        exitCode = RuntimeFailure;
        return nullptr;
    }
    access->sanitizer = std::make_unique<Sanitizer>(std::move(*sanitizer));
    access->store = std::move(*store);
    return access;
}

} // namespace ClearSignal::Cli
