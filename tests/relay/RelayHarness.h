// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <utility>

namespace ClearSignal::RelayTests {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

/// One HTTP exchange as the test saw it; status 0 when no answer arrived (networkError says why).
struct HttpReply
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QString networkError;

    QByteArray header(const QByteArray& name) const;
    QJsonObject json() const;
};

/// A finished run of clearsignal-cli.
struct CliResult
{
    int exitCode = -1; ///< -1 when it crashed or did not finish
    QByteArray out;
    QByteArray err;
    QString problem; ///< when it did not finish normally: what happened

    /// The exit code, or what went wrong, and stderr: for failure messages.
    QString describe() const;
};

/// How a relay process ended after SIGTERM.
struct RelayExit
{
    bool finished = false; ///< false when it had to be killed
    QProcess::ExitStatus status = QProcess::CrashExit;
    int exitCode = -1;
    QByteArray output; ///< its stdout and stderr, merged
};

/// Runs the real processes a deployment runs: a workspace made with `clearsignal-cli workspace`, the relay
/// (`clearsignal-cli relay`, token in CLEARSIGNAL_TIKTOK_TOKEN) and `fake-events-api` standing in for TikTok, and
/// talks to them over loopback HTTP only. Every process it started is ended by its destructor.
class RelayHarness final
{
public:
    static inline const QString pixelId = QStringLiteral("CTESTPIXEL0000000001");
    static inline const QString site = QStringLiteral("https://clinic.example");
    static inline const QString accessToken = QStringLiteral("secret-token");

    RelayHarness();
    ~RelayHarness();
    RelayHarness(const RelayHarness&) = delete;
    RelayHarness& operator=(const RelayHarness&) = delete;

    /// The fake, then a workspace from `templateName` pointed at it (plus `settings`, KEY=VALUE), then the relay.
    Status setUp(const QString& templateName, const QStringList& settings = {});
    Status startFake();
    Status createWorkspace(const QString& templateName, const QStringList& settings);
    /// Starts the relay and waits until GET /v1/health answers.
    Status startRelay();
    /// SIGKILL: no chance to commit or answer anything.
    void killRelay();
    /// SIGTERM, then waits for the relay to end on its own.
    RelayExit stopRelay();
    void stopFake();
    bool relayRunning() const;

    QString workspacePath() const { return m_workspace; }
    QString ingestKey() const { return m_key; }
    quint16 relayPort() const { return m_relayPort; }
    QString filePath(const QString& name) const { return m_dir.filePath(name); }
    /// Everything every relay process of this harness printed so far (stdout and stderr merged).
    QByteArray relayOutput();

    /// Runs clearsignal-cli with `arguments`, `input` on its standard input.
    static CliResult runCli(const QStringList& arguments, const QByteArray& input = {});
    /// A bundled rules template as the workspace holds it: with this harness's pixel id and site origin.
    static Expected<QString> writeWorkspaceRules(const QString& templateName, const QString& path);

    /// Content-Type JSON, the ingest key and the site's own Origin: what the collector sends.
    Headers ingestHeaders() const;
    HttpReply send(const QByteArray& method, const QString& path, const QByteArray& body = {},
                   const Headers& headers = {}, int timeoutMs = 10000);
    /// Starts a POST to the relay and returns at once; the caller owns the reply.
    QNetworkReply* postAsync(const QString& path, const QByteArray& body, const Headers& headers);
    QJsonObject health();

    // The fake's control API.
    HttpReply sendToFake(const QByteArray& method, const QString& path, const QByteArray& body = {});
    Status queueFaults(const QJsonArray& faults);
    Status rejectEventId(const QString& eventId);
    QJsonArray fakeAccepted();
    QJsonArray fakeRequests();

    /// Processes events until `condition` holds or `timeoutMs` passed; true when it holds.
    static bool waitUntil(const std::function<bool()>& condition, int timeoutMs);
    /// True once the relay's queue is empty and nothing is on the network.
    bool relayIdle();
    static quint16 freePort();

private:
    HttpReply exchange(const QByteArray& method, const QUrl& url, const QByteArray& body, const Headers& headers,
                       int timeoutMs);
    void collectRelayOutput();

    QTemporaryDir m_dir;
    QString m_workspace;
    QString m_key;
    quint16 m_relayPort = 0;
    QString m_endpoint;
    quint16 m_fakePort = 0;
    std::unique_ptr<QProcess> m_fake;
    std::unique_ptr<QProcess> m_relay;
    QByteArray m_relayOutput;
    QNetworkAccessManager m_network;
};

/// The event_id of every item the fake accepted, in arrival order (an id appears once per accepted copy).
QStringList acceptedEventIds(const QJsonArray& accepted);

} // namespace ClearSignal::RelayTests
