// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace ClearSignal::Cli {

/// clearsignal-cli sanitize --rules FILE [--input FILE|-] [--output FILE|-] [--explain] [--now TIME]
int runSanitize(const QStringList& arguments);

} // namespace ClearSignal::Cli
