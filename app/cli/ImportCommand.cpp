// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImportCommand.h"

#include "CliSupport.h"
#include "QueueAccess.h"
#include "consent/ConsentReader.h"
#include "conversions/ConversionImporter.h"
#include "relay/Dispatcher.h"
#include "secrets/AccessTokenSource.h"
#include "secrets/KeychainSecretStore.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QTimer>
#include <QElapsedTimer>
#include <QTextStream>

namespace ClearSignal::Cli {

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray readAll(const QString& path, bool& ok)
{
    const std::unique_ptr<QFile> file = openInput(path);
    ok = file != nullptr;
    return ok ? file->readAll() : QByteArray();
}

/// Sends what is queued until the queue is empty, or nothing moved for a while (TikTok down: the relay or the
/// next import retries). Returns how many events were delivered.
int deliver(RelayStore& store, const WorkspaceSettings& settings, const RuleSet& rules, const QString& token)
{
    NetworkHttpTransport transport;
    DispatchConfig config;
    config.endpoint = QUrl(settings.endpoint);
    config.accessToken = token;
    config.maxEventAgeSeconds = qint64(rules.maxEventAgeDays) * 86400;
    config.requestTimeoutMs = settings.requestTimeoutSeconds * 1000;
    Dispatcher dispatcher(store, transport, SystemClock::instance(), config);
    int delivered = 0;
    QObject::connect(&dispatcher, &Dispatcher::delivered, [&](int events) { delivered += events; });
    dispatcher.wake();
    QElapsedTimer idle;
    idle.start();
    qint64 lastDepth = store.queueDepth();
    const auto waitABit = [] {
        QEventLoop loop;
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    };
    while (store.queueDepth() > 0 && idle.elapsed() < 30000) {
        waitABit();
        if (store.queueDepth() != lastDepth) {
            lastDepth = store.queueDepth();
            idle.restart();
        }
    }
    while (dispatcher.busy()) // answers already on their way are recorded before the file closes
        waitABit();
    return delivered;
}

} // namespace

int runImportConversions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Imports offline conversions from a booking or CRM export (CSV). Each row goes through the workspace's "
        u"consent policy and rules, like the relay's events, and is sent as event_source offline or crm. Rows that "
        u"cannot be read are listed with their line; the others are imported. Importing the same file again sends "
        u"nothing twice."_s);
    const QCommandLineOption workspaceOption(u"workspace"_s, u"The workspace file."_s, u"FILE"_s);
    const QCommandLineOption csvOption(u"csv"_s, u"The export (UTF-8 CSV with a header line)."_s, u"FILE"_s);
    const QCommandLineOption mappingOption(u"mapping"_s, u"Which column is which (clearsignal.conversions/1)."_s,
                                           u"FILE"_s);
    const QCommandLineOption dryRunOption(u"dry-run"_s, u"Check and count, store and send nothing."_s);
    const QCommandLineOption noSendOption(u"no-send"_s, u"Queue the events for the relay instead of sending now."_s);
    parser.addOptions({workspaceOption, csvOption, mappingOption, dryRunOption, noSendOption});
    int exitCode = Success;
    if (!parseArguments(parser, u"import-conversions"_s, arguments, exitCode))
        return exitCode;
    if (!parser.isSet(workspaceOption) || !parser.isSet(csvOption) || !parser.isSet(mappingOption)) {
        printError(u"import-conversions needs --workspace FILE, --csv FILE and --mapping FILE"_s);
        return UsageError;
    }
    bool ok = false;
    const QByteArray mappingBytes = readAll(parser.value(mappingOption), ok);
    if (!ok)
        return InvalidInput;
    const Expected<ConversionMapping> mapping = ConversionMapping::parse(mappingBytes);
    if (!mapping) {
        printError(parser.value(mappingOption) + u": "_s + mapping.errorMessage());
        return InvalidInput;
    }
    const QByteArray csvBytes = readAll(parser.value(csvOption), ok);
    if (!ok)
        return InvalidInput;
    const Expected<CsvTable> table = CsvReader::parse(csvBytes);
    if (!table) {
        printError(parser.value(csvOption) + u": "_s + table.errorMessage());
        return InvalidInput;
    }

    // A relay running on this workspace owns delivery: then the import only adds to its queue.
    int failure = Success;
    const std::unique_ptr<QueueAccess> access = QueueAccess::open(parser.value(workspaceOption), failure);
    if (!access)
        return failure;
    const bool send = !parser.isSet(dryRunOption) && !parser.isSet(noSendOption) && !access->relayRunning;
    QString token;
    if (send) {
        KeychainSecretStore keychain;
        const Expected<QString> resolved = resolveAccessToken(keychain, access->settings.workspaceId);
        if (!resolved) {
            printError(resolved.errorMessage() + u" (or import with --no-send and let the relay deliver)"_s);
            return RuntimeFailure;
        }
        token = *resolved;
    }
    const ConsentReader consent(*access->workspace, access->store->hasher());
    ConversionImporter importer(*access->store, consent, *access->sanitizer, access->settings.consentPolicy,
                                SystemClock::instance());
    const Expected<ImportReport> report = importer.import(*table, *mapping, access->settings.testEventCode,
                                                          access->revision.revision, parser.isSet(dryRunOption));
    if (!report) {
        printError(report.errorMessage());
        return RuntimeFailure;
    }
    for (const QString& error : report->errors)
        printError(error);

    QTextStream out(stdout);
    out << u"%1 row(s): %2 %3, %4 quarantined, %5 not readable"_s.arg(report->rows)
               .arg(report->queued)
               .arg(parser.isSet(dryRunOption) ? u"would be sent"_s : u"queued"_s)
               .arg(report->quarantined)
               .arg(report->errors.size());
    for (auto it = report->dropped.cbegin(); it != report->dropped.cend(); ++it)
        out << u", %1 dropped (%2)"_s.arg(it.value()).arg(it.key());
    out << u'\n';
    if (access->relayRunning && !parser.isSet(dryRunOption))
        out << u"The relay running on this workspace delivers them.\n"_s;
    if (send && access->store->queueDepth() > 0) {
        out.flush();
        const int delivered = deliver(*access->store, access->settings, access->sanitizer->rules(), token);
        out << u"%1 event(s) delivered to TikTok; %2 waiting (the relay or the next import retries them)\n"_s
                   .arg(delivered)
                   .arg(access->store->queueDepth());
    }
    return report->errors.isEmpty() ? Success : InvalidInput;
}

} // namespace ClearSignal::Cli
