// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanCommand.h"

#include "CliSupport.h"
#include "scan/SiteScanner.h"
#include "scan/capture/DevToolsConnection.h"
#include "scan/demo/LocalSiteServer.h"
#include "scan/findings/BaselineDiff.h"
#include "scan/model/ScanResultJson.h"
#include "ScanSummary.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace ClearSignal::Cli {

using namespace Qt::Literals::StringLiterals;

namespace {

std::atomic<int> interruptCount{0};

void onInterrupt(int)
{
    // The first Ctrl-C stops the scan and still writes what it found; a second one quits at once.
    if (interruptCount.fetch_add(1) >= 1)
        _exit(Interrupted);
}

/// QtWebEngine reports its start-up (sandbox, GL, DevTools port) as warnings; users of the CLI need none of it.
void filterBrowserMessages(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    static const QStringList noise = {u"Sandboxing disabled"_s, u"Remote debugging server started"_s,
                                      u"WebEngineContext used before"_s, u"QStandardPaths: XDG_RUNTIME_DIR"_s,
                                      u"No suitable graphics backend"_s, u"GL Type:"_s};
    const QLatin1StringView category(context.category ? context.category : "");
    if (category.startsWith("qt.webengine"_L1) || category == "js"_L1)
        return;
    if (type != QtFatalMsg && std::any_of(noise.begin(), noise.end(), [&](const QString& n) { return message.contains(n); }))
        return;
    QTextStream(stderr) << qFormatLogMessage(type, context, message) << u'\n';
}

/// Headless by default: offscreen when there is no display, no Chromium sandbox as root (it refuses to start).
void prepareBrowserEnvironment()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (::geteuid() == 0 && qEnvironmentVariableIsEmpty("QTWEBENGINE_DISABLE_SANDBOX"))
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    if (qEnvironmentVariableIsEmpty("QTWEBENGINE_CHROMIUM_FLAGS"))
        qputenv("QTWEBENGINE_CHROMIUM_FLAGS", "--log-level=3"); // Chromium's own chatter is not for our users
    DevToolsConnection::prepareEnvironment();
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
}

std::optional<QList<ConsentState>> parseConsent(const QString& text)
{
    if (text == "all"_L1)
        return QList<ConsentState>{ConsentState::None, ConsentState::Rejected, ConsentState::Accepted,
                                   ConsentState::Gpc};
    if (text == "reject"_L1)
        return QList<ConsentState>{ConsentState::Rejected};
    if (text == "accept"_L1)
        return QList<ConsentState>{ConsentState::Accepted};
    if (const std::optional<ConsentState> state = consentStateFromName(text))
        return QList<ConsentState>{*state};
    return std::nullopt;
}

bool parseCount(const QString& text, const QString& option, int minimum, int maximum, int& value)
{
    bool ok = false;
    value = text.toInt(&ok);
    if (ok && value >= minimum && value <= maximum)
        return true;
    printError(u"--%1 takes a number from %2 to %3, not \"%4\""_s.arg(option).arg(minimum).arg(maximum).arg(text));
    return false;
}

/// Chromium prints its DevTools address straight to stderr while it starts; nobody running a scan needs it.
class QuietStartup final
{
public:
    QuietStartup()
    {
        m_saved = ::dup(STDERR_FILENO);
        const int null = ::open("/dev/null", O_WRONLY);
        if (m_saved >= 0 && null >= 0)
            ::dup2(null, STDERR_FILENO);
        if (null >= 0)
            ::close(null);
    }
    ~QuietStartup() { end(); }
    void end()
    {
        if (m_saved < 0)
            return;
        ::dup2(m_saved, STDERR_FILENO);
        ::close(m_saved);
        m_saved = -1;
    }

private:
    int m_saved = -1;
};

bool writeScan(const QString& path, const QByteArray& json)
{
    if (path == "-"_L1) {
        QFile out;
        return out.open(stdout, QIODevice::WriteOnly) && out.write(json) == json.size();
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        printError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
        return false;
    }
    return true;
}

} // namespace

int runScan(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    arguments.removeAt(1); // "scan"

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Crawls a website in the embedded browser, records every request to TikTok and the other ad platforms "
        u"with its body, decodes their events and reports what health information and identifiers they carry."_s);
    parser.addPositionalArgument(u"URL"_s, u"The site to scan, e.g. https://clinic.example (or use --demo)."_s);
    const QCommandLineOption demoOption(u"demo"_s, u"Scan the bundled demo clinic site, served on 127.0.0.1."_s);
    const QCommandLineOption maxPagesOption(u"max-pages"_s, u"Visit at most N pages (default 50)."_s, u"N"_s, u"50"_s);
    const QCommandLineOption depthOption(u"depth"_s, u"Follow links at most N clicks deep (default 3)."_s, u"N"_s,
                                         u"3"_s);
    const QCommandLineOption consentOption(
        u"consent"_s, u"Consent states to scan in: none (default), reject, accept, gpc or all."_s, u"STATE"_s,
        u"none"_s);
    const QCommandLineOption formsOption(
        u"forms"_s, u"Fill and submit the site's forms with canary values and trace where they go."_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Write the clearsignal.scan/1 result to FILE (- for stdout)."_s,
                                        u"FILE"_s);
    const QCommandLineOption baselineOption(
        u"baseline"_s, u"Compare with an earlier scan and report what is new (new_* findings)."_s, u"FILE"_s);
    const QCommandLineOption failOnOption(
        u"fail-on"_s, u"Exit with 1 when a finding is at least this severe: critical, high, medium, or new."_s,
        u"LEVEL"_s);
    const QCommandLineOption parallelOption(u"parallel"_s, u"Load N pages at once (default 3, at most 8)."_s,
                                            u"N"_s, u"3"_s);
    const QCommandLineOption includeOption(u"include"_s, u"Only scan paths matching GLOB, e.g. /blog/** (repeatable)."_s,
                                           u"GLOB"_s);
    const QCommandLineOption excludeOption(u"exclude"_s, u"Skip paths matching GLOB (repeatable)."_s, u"GLOB"_s);
    const QCommandLineOption timeoutOption(u"page-timeout"_s, u"Give up on a page after S seconds (default 20)."_s,
                                           u"S"_s, u"20"_s);
    const QCommandLineOption noSitemapOption(u"no-sitemap"_s, u"Do not read sitemap.xml."_s);
    const QCommandLineOption quietOption(u"quiet"_s, u"No progress on stderr."_s);
    parser.addOptions({demoOption, maxPagesOption, depthOption, consentOption, formsOption, jsonOption,
                       baselineOption, failOnOption, parallelOption, includeOption, excludeOption, timeoutOption,
                       noSitemapOption, quietOption});

    int exitCode = Success;
    if (!parseArguments(parser, u"scan"_s, arguments, exitCode))
        return exitCode;

    ScanSettings settings;
    const QStringList positional = parser.positionalArguments();
    const bool demo = parser.isSet(demoOption);
    if (demo == !positional.isEmpty() || positional.size() > 1) {
        printError(u"scan needs one web address, or --demo for the bundled demo clinic\n"
                   u"Example: clearsignal-cli scan https://clinic.example --json scan.json"_s);
        return UsageError;
    }
    if (!demo) {
        QString address = positional.first();
        if (!address.contains(u"://"_s))
            address.prepend(u"https://"_s); // people type "clinic.example"
        settings.startUrl = QUrl(address);
        if (!settings.startUrl.isValid() || settings.startUrl.host().isEmpty()
            || (settings.startUrl.scheme() != "http"_L1 && settings.startUrl.scheme() != "https"_L1)) {
            printError(u"\"%1\" is not a web address; give one such as https://clinic.example"_s.arg(positional.first()));
            return UsageError;
        }
    }
    int timeoutSeconds = 20;
    if (!parseCount(parser.value(maxPagesOption), u"max-pages"_s, 1, 10000, settings.maxPages)
        || !parseCount(parser.value(depthOption), u"depth"_s, 0, 50, settings.maxDepth)
        || !parseCount(parser.value(parallelOption), u"parallel"_s, 1, 8, settings.parallelPages)
        || !parseCount(parser.value(timeoutOption), u"page-timeout"_s, 5, 600, timeoutSeconds))
        return UsageError;
    settings.timings.pageTimeoutMs = timeoutSeconds * 1000;
    const std::optional<QList<ConsentState>> states = parseConsent(parser.value(consentOption));
    if (!states) {
        printError(u"--consent takes none, reject, accept, gpc or all, not \"%1\""_s.arg(parser.value(consentOption)));
        return UsageError;
    }
    settings.consentStates = *states;
    settings.forms = parser.isSet(formsOption);
    settings.sitemap = !parser.isSet(noSitemapOption);
    settings.include = parser.values(includeOption);
    settings.exclude = parser.values(excludeOption);

    std::optional<ScanSummary::FailOn> failOn;
    if (parser.isSet(failOnOption)) {
        failOn = ScanSummary::parseFailOn(parser.value(failOnOption));
        if (!failOn) {
            printError(u"--fail-on takes critical, high, medium or new, not \"%1\""_s.arg(parser.value(failOnOption)));
            return UsageError;
        }
    }

    // Read the baseline and check the output folder before a scan that may take minutes.
    std::optional<ScanResult> baseline;
    if (parser.isSet(baselineOption)) {
        const std::unique_ptr<QFile> file = openInput(parser.value(baselineOption));
        if (!file)
            return InvalidInput;
        Expected<ScanResult> parsed = ScanResultJson::parse(file->readAll());
        if (!parsed) {
            printError(u"%1 is not a ClearSignal scan: %2"_s.arg(parser.value(baselineOption), parsed.errorMessage()));
            return InvalidInput;
        }
        baseline = std::move(*parsed);
    }
    const QString jsonPath = parser.value(jsonOption);
    if (!jsonPath.isEmpty() && jsonPath != "-"_L1) {
        const QFileInfo folder(QFileInfo(jsonPath).absolutePath());
        if (!folder.isDir() || !folder.isWritable()) {
            printError(u"cannot write %1: the folder %2 does not exist or is not writable"_s.arg(jsonPath,
                                                                                                  folder.filePath()));
            return RuntimeFailure;
        }
    }

    prepareBrowserEnvironment();
    qInstallMessageHandler(filterBrowserMessages);
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"clearsignal-cli"_s);

    std::unique_ptr<LocalSiteServer> demoSite;
    if (demo) {
        demoSite = std::make_unique<LocalSiteServer>(LocalSiteServer::demoRoot());
        const Expected<quint16> port = demoSite->listen();
        if (!port) {
            printError(u"cannot serve the demo site: "_s + port.errorMessage());
            return RuntimeFailure;
        }
        settings.startUrl = demoSite->siteUrl();
    }

    const bool quiet = parser.isSet(quietOption);
    QTextStream err(stderr);
    SiteScanner scanner(settings);
    QString failure;
    std::optional<ScanResult> result;
    QObject::connect(&scanner, &SiteScanner::progress, &app,
                     [&](int done, int total, const QString& url, ConsentState state) {
                         if (!quiet)
                             err << u"[%1/%2] %3 %4\n"_s.arg(done).arg(total).arg(consentStateName(state), url)
                                 << Qt::flush;
                     });
    QObject::connect(&scanner, &SiteScanner::failed, &app, [&](const QString& message) { failure = message; });
    QObject::connect(&scanner, &SiteScanner::finished, &app, [&](const ScanResult& finished) {
        result = finished;
        QCoreApplication::quit();
    });

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    // A parent (a CI runner, a test harness) may have left these blocked; Ctrl-C must still work.
    sigset_t interrupts;
    sigemptyset(&interrupts);
    sigaddset(&interrupts, SIGINT);
    sigaddset(&interrupts, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &interrupts, nullptr);
    QTimer interruptPoll;
    bool stopping = false;
    QObject::connect(&interruptPoll, &QTimer::timeout, &app, [&] {
        if (interruptCount.load() > 0 && !stopping) {
            stopping = true;
            err << u"Stopping; writing what was found so far (press Ctrl-C again to quit at once)\n"_s << Qt::flush;
            scanner.cancel();
        }
    });
    interruptPoll.start(100);

    if (!quiet)
        err << u"Scanning %1%2\n"_s.arg(settings.startUrl.toString(), demo ? u" (the bundled demo clinic)"_s : QString())
            << Qt::flush;
    QuietStartup quietStartup;
    QObject::connect(&scanner, &SiteScanner::browserReady, &app, [&] { quietStartup.end(); });
    QObject::connect(&scanner, &SiteScanner::failed, &app, [&] { quietStartup.end(); });
    QTimer::singleShot(0, &scanner, &SiteScanner::start);
    app.exec();
    quietStartup.end();
    interruptPoll.stop();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    if (!result) {
        printError(u"the scan ended without a result"_s);
        return RuntimeFailure;
    }
    if (baseline)
        BaselineDiff::addChanges(*baseline, *result);
    if (!jsonPath.isEmpty() && !writeScan(jsonPath, ScanResultJson::serialize(*result)))
        return RuntimeFailure;
    if (jsonPath != "-"_L1)
        QTextStream(stdout) << ScanSummary::text(*result);

    if (!failure.isEmpty()) {
        printError(failure);
        return RuntimeFailure;
    }
    if (const QString unreachable = ScanSummary::startPageError(*result); !unreachable.isEmpty()) {
        printError(unreachable);
        return RuntimeFailure;
    }
    if (interruptCount.load() > 0)
        return Interrupted;
    if (failOn && ScanSummary::fails(*result, *failOn))
        return FindingsOrLeaks;
    return Success;
}

} // namespace ClearSignal::Cli
