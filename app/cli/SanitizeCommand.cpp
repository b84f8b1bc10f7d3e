// SPDX-License-Identifier: GPL-3.0-or-later
#include "SanitizeCommand.h"

#include "CliSupport.h"
#include "RulesCommand.h"
#include "common/NdjsonReader.h"
#include "event/EventParser.h"
#include "sanitize/SanitizeOutput.h"
#include "sanitize/Sanitizer.h"

#include <QCommandLineParser>

namespace ClearSignal::Cli {

using namespace Qt::Literals::StringLiterals;

int runSanitize(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sanitizes cs-event/1 events (one JSON object per line) under a rules file and writes one JSON line per "
        u"input line: forward (with the exact TikTok Events API data[] item), drop, quarantine or reject."_s);
    const QCommandLineOption rulesOption(u"rules"_s, u"The clearsignal.rules/1 file to apply."_s, u"FILE"_s);
    const QCommandLineOption inputOption(u"input"_s, u"Events to read (default: - for standard input)."_s, u"FILE"_s,
                                         u"-"_s);
    const QCommandLineOption outputOption(u"output"_s, u"Where to write results (default: - for standard output)."_s,
                                          u"FILE"_s, u"-"_s);
    const QCommandLineOption explainOption(u"explain"_s,
                                           u"Add a trace to every line: each field's action, rule and reason."_s);
    const QCommandLineOption nowOption(
        u"now"_s, u"Pretend the current time is TIME (Unix seconds or ISO-8601), for reproducible replays."_s,
        u"TIME"_s);
    parser.addOptions({rulesOption, inputOption, outputOption, explainOption, nowOption});

    int exitCode = Success;
    if (!parseArguments(parser, u"sanitize"_s, arguments, exitCode))
        return exitCode;
    if (!parser.isSet(rulesOption)) {
        printError(u"sanitize needs --rules FILE (start from one of resources/templates/*.json)"_s);
        return UsageError;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(u"unexpected argument \"%1\"; events are read with --input"_s.arg(parser.positionalArguments().first()));
        return UsageError;
    }

    FixedClock fixedClock(0);
    const Clock* clock = &SystemClock::instance();
    if (parser.isSet(nowOption)) {
        qint64 now = 0;
        if (!parseNow(parser.value(nowOption), now))
            return UsageError;
        fixedClock.setNowSeconds(now);
        clock = &fixedClock;
    }

    std::optional<RuleSet> rules = loadRulesOrReport(parser.value(rulesOption));
    if (!rules)
        return InvalidInput;
    Expected<Sanitizer> sanitizer = Sanitizer::create(std::move(*rules), *clock);
    if (!sanitizer) {
        printError(sanitizer.errorMessage());
        return RuntimeFailure;
    }

    const std::unique_ptr<QFile> input = openInput(parser.value(inputOption));
    if (!input)
        return InvalidInput;
    const std::unique_ptr<QFile> output = openOutput(parser.value(outputOption));
    if (!output)
        return RuntimeFailure;

    const Sanitizer::Options options{parser.isSet(explainOption)};
    NdjsonReader reader(*input, EventLimits::maxEventBytes);
    NdjsonReader::Line line;
    while (reader.next(line)) {
        QByteArray result;
        if (line.tooLong) {
            result = SanitizeOutput::rejectLine(
                line.number, u"the event is %1 bytes; the limit is %2 bytes (64 KiB)"_s.arg(line.size).arg(
                                 EventLimits::maxEventBytes));
        } else if (Expected<RawEvent> event = EventParser::parse(line.bytes); !event) {
            result = SanitizeOutput::rejectLine(line.number, event.errorMessage());
        } else {
            result = SanitizeOutput::resultLine(line.number, sanitizer->sanitize(*event, options), options.explain);
        }
        result += '\n';
        if (output->write(result) != result.size()) {
            printError(u"cannot write the output: %1"_s.arg(output->errorString()));
            return RuntimeFailure;
        }
    }
    if (!reader.errorString().isEmpty()) {
        printError(u"reading the events failed: %1"_s.arg(reader.errorString()));
        return RuntimeFailure;
    }
    if (!output->flush()) {
        printError(u"cannot write the output: %1"_s.arg(output->errorString()));
        return RuntimeFailure;
    }
    return Success;
}

} // namespace ClearSignal::Cli
