// SPDX-License-Identifier: GPL-3.0-or-later
// fake-events-api: the fake TikTok Events API as a process, for tests that run the real relay and for trials.
#include "FakeEventsApi.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

using namespace ClearSignal::Fakes;
using namespace Qt::Literals::StringLiterals;

namespace {

int signalPipe[2] = {-1, -1};

// Only async-signal-safe work here: the event loop reads the pipe and quits.
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}

bool installSignalHandlers()
{
    if (::pipe2(signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    // A parent (a test harness, a CI runner) may have left these blocked.
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &stops, nullptr);
    return true;
}

void printError(const QString& message)
{
    std::fputs(qUtf8Printable(u"fake-events-api: "_s + message + u'\n'), stderr);
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"fake-events-api"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A fake TikTok Events API 2.0 on 127.0.0.1 that checks requests strictly, records them and misbehaves on "
        "request (POST /control/faults). Prints one line, \"listening URL\", when ready; stops on SIGTERM or "
        "SIGINT."_s);
    parser.addHelpOption();
    const QCommandLineOption portOption(u"port"_s, u"The port to listen on; 0 (the default) picks a free one."_s,
                                        u"N"_s, u"0"_s);
    const QCommandLineOption tokenOption(
        u"token"_s,
        u"The Access-Token every request must carry (default: $FAKE_EVENTS_API_TOKEN; none: not checked)."_s,
        u"TOKEN"_s);
    const QCommandLineOption recordOption(u"record"_s, u"Append one JSON line per handled request to FILE."_s,
                                          u"FILE"_s);
    parser.addOptions({portOption, tokenOption, recordOption});
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        printError(u"--port must be a number from 0 to 65535, not \"%1\""_s.arg(parser.value(portOption)));
        return 2;
    }
    const QString token =
        parser.isSet(tokenOption) ? parser.value(tokenOption) : qEnvironmentVariable("FAKE_EVENTS_API_TOKEN");

    QFile record;
    if (parser.isSet(recordOption)) {
        record.setFileName(parser.value(recordOption));
        if (!record.open(QIODevice::WriteOnly | QIODevice::Append)) {
            printError(u"cannot open the record file %1: %2"_s.arg(record.fileName(), record.errorString()));
            return 2;
        }
    }
    if (!installSignalHandlers()) {
        printError(u"cannot install the SIGTERM and SIGINT handlers"_s);
        return 1;
    }

    FakeEventsApi api;
    api.setAccessToken(token);
    api.enableControlApi();
    if (record.isOpen()) {
        QObject::connect(&api, &FakeEventsApi::requestHandled, &app, [&record](const ReceivedRequest& request) {
            record.write(QJsonDocument(request.toJson(true)).toJson(QJsonDocument::Compact) + '\n');
            record.flush(); // a test reads the file while the fake runs
        });
    }
    QSocketNotifier stop(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&stop, &QSocketNotifier::activated, &app, &QCoreApplication::quit);

    if (!api.listen(quint16(port))) {
        printError(u"cannot listen on 127.0.0.1:%1 (is the port in use?)"_s.arg(port));
        return 1;
    }
    if (token.isEmpty())
        printError(u"no --token and no FAKE_EVENTS_API_TOKEN: the Access-Token header is not checked"_s);
    std::fputs(qUtf8Printable(u"listening "_s + api.endpoint().toString() + u'\n'), stdout);
    std::fflush(stdout);
    return app.exec();
}
