// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QString>
#include <QStringList>

#include <memory>

class QCommandLineParser;

namespace ClearSignal::Cli {

/// Exit codes of clearsignal-cli (docs/cli.md).
enum ExitCode : int {
    Success = 0,
    FindingsOrLeaks = 1, ///< scan findings at or above --fail-on; rules test: the rules would leak
    UsageError = 2,
    InvalidInput = 3,
    RuntimeFailure = 4,
    Interrupted = 130, ///< scan stopped with Ctrl-C; what was found is still written
};

/// Writes a message for people to stderr, prefixed with the program name.
void printError(const QString& message);
void printWarning(const QString& message);

/// Parses arguments of a subcommand ("sanitize", "rules test"); prints help or a usage error and sets
/// exitCode when it should stop.
bool parseArguments(QCommandLineParser& parser, const QString& command, const QStringList& arguments, int& exitCode);

/// Opens FILE or "-" (stdin/stdout). On failure prints what went wrong and returns nullptr.
std::unique_ptr<QFile> openInput(const QString& path);
std::unique_ptr<QFile> openOutput(const QString& path);

/// Reads --now (Unix seconds or ISO-8601) into seconds; prints a usage error and returns false if it is malformed.
bool parseNow(const QString& text, qint64& seconds);

} // namespace ClearSignal::Cli
