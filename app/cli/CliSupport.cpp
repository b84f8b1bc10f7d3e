// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliSupport.h"

#include "event/EventParser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace ClearSignal::Cli {

using namespace Qt::Literals::StringLiterals;

void printError(const QString& message)
{
    QTextStream(stderr) << QCoreApplication::applicationName() << u": "_s << message << u'\n';
}

void printWarning(const QString& message)
{
    QTextStream(stderr) << QCoreApplication::applicationName() << u": warning: "_s << message << u'\n';
}

bool parseArguments(QCommandLineParser& parser, const QString& command, const QStringList& arguments, int& exitCode)
{
    const QCommandLineOption help = parser.addHelpOption();
    if (!parser.parse(arguments)) {
        printError(parser.errorText() + u"\nRun with --help for usage."_s);
        exitCode = UsageError;
        return false;
    }
    if (parser.isSet(help)) {
        // QCommandLineParser names the executable's path; name the command the way people type it.
        QString help = parser.helpText();
        const qsizetype usageEnd = help.indexOf(u" [options]"_s);
        if (help.startsWith(u"Usage: "_s) && usageEnd > 0)
            help.replace(7, usageEnd - 7, u"clearsignal-cli "_s + command);
        QTextStream(stdout) << help;
        exitCode = Success;
        return false;
    }
    return true;
}

std::unique_ptr<QFile> openInput(const QString& path)
{
    auto file = std::make_unique<QFile>();
    const bool opened = path == "-"_L1 ? file->open(stdin, QIODevice::ReadOnly)
                                      : (file->setFileName(path), file->open(QIODevice::ReadOnly));
    if (!opened) {
        printError(u"cannot read %1: %2"_s.arg(path, file->errorString()));
        return nullptr;
    }
    return file;
}

std::unique_ptr<QFile> openOutput(const QString& path)
{
    auto file = std::make_unique<QFile>();
    const bool opened = path == "-"_L1
                            ? file->open(stdout, QIODevice::WriteOnly)
                            : (file->setFileName(path), file->open(QIODevice::WriteOnly | QIODevice::Truncate));
    if (!opened) {
        printError(u"cannot write %1: %2"_s.arg(path, file->errorString()));
        return nullptr;
    }
    return file;
}

bool parseNow(const QString& text, qint64& seconds)
{
    bool isNumber = false;
    const qint64 number = text.toLongLong(&isNumber);
    const Expected<qint64> parsed = isNumber ? EventParser::parseEventTime(double(number))
                                             : EventParser::parseEventTime(text);
    if (!parsed) {
        printError(u"--now: %1"_s.arg(parsed.errorMessage().replace(u"event_time"_s, u"the time"_s)));
        return false;
    }
    seconds = *parsed;
    return true;
}

} // namespace ClearSignal::Cli
