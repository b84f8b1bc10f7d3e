// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayCommand.h"

#include "CliSupport.h"
#include "relay/RelayService.h"
#include "secrets/AccessTokenSource.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace ClearSignal::Cli {

using namespace Qt::Literals::StringLiterals;

namespace {

int signalPipe[2] = {-1, -1};

void onStopSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

} // namespace

int runRelay(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs the relay: takes the site's events on a first-party endpoint, checks consent, sanitizes, queues them "
        u"on disk and delivers them to the TikTok Events API. The access token comes from the system keychain "
        u"(clearsignal-cli workspace set-token) or from CLEARSIGNAL_TIKTOK_TOKEN. Stops cleanly on Ctrl-C."_s);
    const QCommandLineOption workspaceOption(u"workspace"_s, u"The workspace file."_s, u"FILE"_s);
    const QCommandLineOption listenOption(u"listen"_s, u"Address and port to listen on (default: the workspace's, "
                                                       "127.0.0.1:8787)."_s, u"HOST:PORT"_s);
    const QCommandLineOption endpointOption(u"endpoint"_s, u"The Events API address (default: TikTok's)."_s, u"URL"_s);
    const QCommandLineOption testOption(u"test-event-code"_s, u"Send every event as a test event with this code."_s,
                                        u"CODE"_s);
    parser.addOptions({workspaceOption, listenOption, endpointOption, testOption});
    int exitCode = Success;
    if (!parseArguments(parser, u"relay"_s, arguments, exitCode))
        return exitCode;
    if (!parser.isSet(workspaceOption)) {
        printError(u"relay needs --workspace FILE"_s);
        return UsageError;
    }

    QString workspaceId;
    {
        Expected<std::unique_ptr<Workspace>> workspace = Workspace::open(parser.value(workspaceOption));
        if (!workspace) {
            printError(workspace.errorMessage());
            return RuntimeFailure;
        }
        workspaceId = (*workspace)->setting(u"workspace_id"_s);
    }
    KeychainSecretStore keychain;
    const Expected<QString> token = resolveAccessToken(keychain, workspaceId);
    if (!token) {
        printError(token.errorMessage());
        return RuntimeFailure;
    }

    RelayOptions options;
    options.listen = parser.value(listenOption);
    options.endpoint = parser.value(endpointOption);
    options.testEventCode = parser.value(testOption);
    options.accessToken = *token;
    RelayService relay;
    QObject::connect(&relay, &RelayService::storageFailed, [](const QString& message) { printError(message); });
    QObject::connect(&relay, &RelayService::deliveryFailed, [](const QString& message) { printWarning(message); });
    if (Status started = relay.start(parser.value(workspaceOption), options); !started) {
        printError(started.errorMessage());
        return RuntimeFailure;
    }
    if (relay.isExposed())
        printWarning(u"the relay listens on %1, not only on this computer: put it behind a TLS reverse proxy "
                     "(docs/relay.md); browsers will not send events from an https site to plain http"_s.arg(
                         relay.address().toString()));
    QTextStream(stderr) << u"Relay listening on http://%1:%2/ (Ctrl-C stops it)\n"_s.arg(
                               relay.address().protocol() == QAbstractSocket::IPv6Protocol
                                   ? u'[' + relay.address().toString() + u']'
                                   : relay.address().toString())
                               .arg(relay.port());

    // Signals become a byte on a pipe, read by the event loop: the handler itself does nothing unsafe.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0) {
        printError(u"cannot set up signal handling"_s);
        return RuntimeFailure;
    }
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, [] { QCoreApplication::quit(); });
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    QCoreApplication::exec();
    relay.stop();
    QTextStream(stderr) << u"Relay stopped.\n"_s;
    return Success;
}

} // namespace ClearSignal::Cli
