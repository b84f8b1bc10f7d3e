// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace ClearSignal::Cli {

/// clearsignal-cli relay --workspace FILE [--listen HOST:PORT] [--endpoint URL] [--test-event-code CODE]
/// Runs until SIGINT or SIGTERM, then commits what it read and stops.
int runRelay(const QStringList& arguments);

} // namespace ClearSignal::Cli
