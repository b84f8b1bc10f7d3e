// SPDX-License-Identifier: GPL-3.0-or-later
// clearsignal-cli: the headless entry point. Argument parsing and wiring only; the work is in core/.

#include "CliSupport.h"
#include "ImportCommand.h"
#include "RelayCommand.h"
#include "RulesCommand.h"
#include "SanitizeCommand.h"
#ifdef CLEARSIGNAL_HAS_SCANNER
#include "ScanCommand.h"
#endif
#include "WorkspaceCommand.h"
#include "common/Version.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::Literals::StringLiterals;
using namespace ClearSignal;

namespace {

QString usage()
{
    return u"Usage: clearsignal-cli COMMAND [OPTIONS]\n"
           u"\n"
           u"Keeps protected health information off TikTok while a practice still measures its ads.\n"
           u"\n"
           u"Commands:\n"
           u"  sanitize --rules FILE [--input FILE|-] [--output FILE|-] [--explain]\n"
           u"                     Sanitize cs-event/1 events (NDJSON) into TikTok Events API items\n"
           u"  rules validate FILE\n"
           u"                     Check a rules file; names the JSON path of every problem\n"
           u"  rules test --rules FILE --input EVENTS.ndjson\n"
           u"                     Replay a corpus: counts per decision and every would-be leak\n"
           u"  scan URL|--demo [--max-pages N] [--depth N] [--consent none|reject|accept|gpc|all] [--forms]\n"
           u"       [--json FILE] [--baseline FILE] [--fail-on critical|high|medium|new]\n"
           u"                     Crawl a site in the embedded browser and report what it sends to ad platforms\n"
           u"  workspace create FILE --site URL --pixel-id ID [--template NAME | --rules FILE] [--origin URL ...]\n"
           u"  workspace show FILE [--json] | workspace set FILE KEY=VALUE... | workspace set-token FILE\n"
           u"  workspace replay-dead-letters FILE [--dry-run]\n"
           u"                     Create and configure a site's workspace (the token is read from standard input)\n"
           u"  relay --workspace FILE [--listen HOST:PORT] [--endpoint URL] [--test-event-code CODE]\n"
           u"                     Take the site's events, check consent, sanitize, queue and deliver to TikTok\n"
           u"  import-conversions --workspace FILE --csv FILE --mapping FILE [--dry-run] [--no-send]\n"
           u"                     Send a booking or CRM export as offline conversions, through the same rules\n"
           u"\n"
           u"Options:\n"
           u"  -h, --help         Show this help (also after a command: clearsignal-cli sanitize --help)\n"
           u"  -v, --version      Show the version\n"
           u"\n"
           u"Exit codes: 0 success, 1 findings at --fail-on or the rules would leak, 2 usage error, 3 invalid input\n"
           u"file, 4 runtime failure, 130 scan stopped with Ctrl-C (what was found is still written).\n"
           u"Manual: docs/cli.md\n"_s;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication::setApplicationName(u"clearsignal-cli"_s);
    if (argc > 1 && qstrcmp(argv[1], "scan") == 0) {
#ifdef CLEARSIGNAL_HAS_SCANNER
        return Cli::runScan(argc, argv); // creates the application object the embedded browser needs
#else
        Cli::printError(u"this build has no scanner (it was configured without QtWebEngine)"_s);
        return Cli::RuntimeFailure;
#endif
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"ClearSignal"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CLEARSIGNAL_VERSION));

    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.size() > 1 ? arguments.at(1) : QString();
    if (command.isEmpty()) {
        QTextStream(stderr) << usage();
        return Cli::UsageError;
    }
    if (command == "-h"_L1 || command == "--help"_L1 || command == "help"_L1) {
        QTextStream(stdout) << usage();
        return Cli::Success;
    }
    if (command == "-v"_L1 || command == "--version"_L1) {
        QTextStream(stdout) << u"clearsignal-cli "_s << QCoreApplication::applicationVersion() << u'\n';
        return Cli::Success;
    }
    if (command == "sanitize"_L1) {
        QStringList rest = arguments.mid(2);
        rest.prepend(arguments.constFirst() + u" sanitize"_s);
        return Cli::runSanitize(rest);
    }
    if (command == "rules"_L1)
        return Cli::runRules(arguments);
    if (command == "workspace"_L1)
        return Cli::runWorkspace(arguments);
    if (command == "import-conversions"_L1) {
        QStringList rest = arguments.mid(2);
        rest.prepend(arguments.constFirst() + u" import-conversions"_s);
        return Cli::runImportConversions(rest);
    }
    if (command == "relay"_L1) {
        QStringList rest = arguments.mid(2);
        rest.prepend(arguments.constFirst() + u" relay"_s);
        return Cli::runRelay(rest);
    }

    Cli::printError(u"unknown command \"%1\"\n\n"_s.arg(command) + usage());
    return Cli::UsageError;
}
