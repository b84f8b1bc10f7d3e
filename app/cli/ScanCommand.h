// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace ClearSignal::Cli {

/// `clearsignal-cli scan`: crawls a site (or the bundled demo clinic) in the embedded browser and reports
/// findings. It creates its own QGuiApplication, because the browser needs one and its environment must be
/// set before: main() calls it before creating any application object.
int runScan(int argc, char* argv[]);

} // namespace ClearSignal::Cli
