// SPDX-License-Identifier: GPL-3.0-or-later
#include "RulesCommand.h"

#include "CliSupport.h"
#include "common/NdjsonReader.h"
#include "event/EventParser.h"
#include "rules/RuleSetJson.h"
#include "sanitize/ReplayReport.h"
#include "sanitize/Sanitizer.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace ClearSignal::Cli {

using namespace Qt::Literals::StringLiterals;

namespace {

/// One line for people: what the rules send.
QString summary(const RuleSet& rules)
{
    QStringList sent;
    for (const EventFieldSpec& spec : allFieldSpecs()) {
        const FieldPolicy policy = rules.policy(spec.field);
        if (policy != FieldPolicy::Drop)
            sent.append(policy == FieldPolicy::Keep ? QString(spec.path) : u"%1 (%2)"_s.arg(spec.path, policyName(policy)));
    }
    return u"%1 mapping(s); sends event, event_time, %2"_s.arg(rules.mappings.size()).arg(sent.join(u", "_s));
}

int validate(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Checks a clearsignal.rules/1 file and names the JSON path of every problem."_s);
    parser.addPositionalArgument(u"FILE"_s, u"The rules file."_s);
    int exitCode = Success;
    if (!parseArguments(parser, u"rules validate"_s, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printError(u"rules validate needs exactly one FILE"_s);
        return UsageError;
    }
    const QString path = parser.positionalArguments().constFirst();
    const std::optional<RuleSet> rules = loadRulesOrReport(path);
    if (!rules)
        return InvalidInput;
    QTextStream(stdout) << u"%1: valid %2 (\"%3\": %4)\n"_s.arg(path, RuleSetJson::schema, rules->name, summary(*rules));
    return Success;
}

int test(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Replays a corpus of cs-event/1 events through a rules file without sending anything. Prints counts per "
        u"decision and every event that would leak or was quarantined, with the term and field. Exits with 1 when "
        u"any event would leak."_s);
    const QCommandLineOption rulesOption(u"rules"_s, u"The clearsignal.rules/1 file to test."_s, u"FILE"_s);
    const QCommandLineOption inputOption(u"input"_s, u"The events (NDJSON; - for standard input)."_s, u"FILE"_s);
    const QCommandLineOption nowOption(u"now"_s, u"Pretend the current time is TIME (Unix seconds or ISO-8601)."_s,
                                       u"TIME"_s);
    parser.addOptions({rulesOption, inputOption, nowOption});
    int exitCode = Success;
    if (!parseArguments(parser, u"rules test"_s, arguments, exitCode))
        return exitCode;
    if (!parser.isSet(rulesOption) || !parser.isSet(inputOption)) {
        printError(u"rules test needs --rules FILE and --input EVENTS.ndjson"_s);
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

    ReplayReport report;
    NdjsonReader reader(*input, EventLimits::maxEventBytes);
    NdjsonReader::Line line;
    while (reader.next(line)) {
        if (line.tooLong) {
            report.addReject(line.number, u"the event is %1 bytes; the limit is 64 KiB"_s.arg(line.size));
            continue;
        }
        const Expected<RawEvent> event = EventParser::parse(line.bytes);
        if (!event)
            report.addReject(line.number, event.errorMessage());
        else
            report.add(line.number, sanitizer->sanitize(*event));
    }
    if (!reader.errorString().isEmpty()) {
        printError(u"reading the events failed: %1"_s.arg(reader.errorString()));
        return RuntimeFailure;
    }
    QTextStream(stdout) << report.format();
    return report.wouldLeak().isEmpty() ? Success : FindingsOrLeaks;
}

} // namespace

std::optional<RuleSet> loadRulesOrReport(const QString& path)
{
    RuleSetLoad loaded = RuleSetJson::load(path);
    for (const RuleProblem& problem : loaded.problems) {
        const QString message = u"%1: %2: %3"_s.arg(path, problem.path, problem.message);
        if (problem.severity == RuleProblem::Severity::Error)
            printError(message);
        else
            printWarning(message);
    }
    if (loaded.hasErrors()) {
        printError(u"%1 has errors; fix them and run again (clearsignal-cli rules validate %1)"_s.arg(path));
        return std::nullopt;
    }
    return std::move(loaded.rules);
}

int runRules(const QStringList& arguments)
{
    // arguments: program, "rules", action, ...
    const QString action = arguments.size() > 2 ? arguments.at(2) : QString();
    QStringList rest = arguments.mid(3);
    rest.prepend(arguments.constFirst() + u" rules "_s + action);
    if (action == "validate"_L1)
        return validate(rest);
    if (action == "test"_L1)
        return test(rest);
    if (action == "--help"_L1 || action == "-h"_L1 || action.isEmpty()) {
        QTextStream(action.isEmpty() ? stderr : stdout)
            << u"Usage: clearsignal-cli rules validate FILE\n"
               u"       clearsignal-cli rules test --rules FILE --input EVENTS.ndjson [--now TIME]\n"_s;
        return action.isEmpty() ? UsageError : Success;
    }
    printError(u"unknown rules action \"%1\"; use validate or test"_s.arg(action));
    return UsageError;
}

} // namespace ClearSignal::Cli
