// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace ClearSignal::Cli {

/// clearsignal-cli workspace create|show|set|set-token ...
int runWorkspace(const QStringList& arguments);

} // namespace ClearSignal::Cli
