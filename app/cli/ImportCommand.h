// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace ClearSignal::Cli {

/// clearsignal-cli import-conversions --workspace FILE --csv FILE --mapping FILE [--dry-run] [--no-send]
int runImportConversions(const QStringList& arguments);

} // namespace ClearSignal::Cli
