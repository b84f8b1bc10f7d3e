// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayHarness.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <QUrl>

namespace ClearSignal::RelayTests {

using namespace Qt::Literals::StringLiterals;

QByteArray HttpReply::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString CliResult::describe() const
{
    return (problem.isEmpty() ? u"exit code %1"_s.arg(exitCode) : problem) + u": "_s + QString::fromUtf8(err);
}

QStringList acceptedEventIds(const QJsonArray& accepted)
{
    QStringList ids;
    for (const QJsonValue& event : accepted)
        ids.append(event.toObject().value("item"_L1).toObject().value("event_id"_L1).toString());
    return ids;
}

RelayHarness::RelayHarness()
{
    m_network.setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
}

RelayHarness::~RelayHarness()
{
    if (relayRunning())
        killRelay();
    stopFake();
}

Status RelayHarness::setUp(const QString& templateName, const QStringList& settings)
{
    if (!m_dir.isValid())
        return Error{u"cannot create a temporary directory"_s};
    if (Status fake = startFake(); !fake)
        return fake;
    if (Status workspace = createWorkspace(templateName, settings); !workspace)
        return workspace;
    return startRelay();
}

Status RelayHarness::startFake()
{
    m_fake = std::make_unique<QProcess>();
    m_fake->start(QStringLiteral(FAKE_EVENTS_API), {u"--port"_s, u"0"_s, u"--token"_s, accessToken});
    if (!m_fake->waitForStarted(10000))
        return Error{u"fake-events-api did not start: "_s + m_fake->errorString()};
    const QDeadlineTimer deadline(10000);
    while (!m_fake->canReadLine()) {
        if (deadline.hasExpired() || m_fake->state() != QProcess::Running)
            return Error{u"fake-events-api printed no \"listening\" line: "_s +
                         QString::fromUtf8(m_fake->readAllStandardError())};
        m_fake->waitForReadyRead(100);
    }
    const QString line = QString::fromUtf8(m_fake->readLine()).trimmed();
    if (!line.startsWith("listening http://127.0.0.1:"_L1))
        return Error{u"unexpected first line of fake-events-api: "_s + line};
    m_endpoint = line.mid(10);
    m_fakePort = quint16(QUrl(m_endpoint).port());
    return m_fakePort != 0 ? Status(Ok) : Status(Error{u"no port in "_s + line});
}

Status RelayHarness::createWorkspace(const QString& templateName, const QStringList& settings)
{
    m_workspace = m_dir.filePath(u"clinic.csdb"_s);
    const CliResult created = runCli({u"workspace"_s, u"create"_s, m_workspace, u"--site"_s, site, u"--pixel-id"_s,
                                      pixelId, u"--template"_s, templateName});
    if (created.exitCode != 0)
        return Error{u"workspace create failed, "_s + created.describe()};
    m_key = QString::fromUtf8(created.out).trimmed();
    if (m_key.size() != 32 || created.out.count('\n') != 1)
        return Error{u"workspace create must print the ingest key and nothing else, not: "_s +
                     QString::fromUtf8(created.out)};
    m_relayPort = freePort();
    QStringList set = {u"workspace"_s,
                       u"set"_s,
                       m_workspace,
                       u"listen=127.0.0.1:"_s + QString::number(m_relayPort),
                       u"rate_limit=10000000"_s,
                       u"request_timeout=3"_s, // a hung request is given up quickly; slow answers take 1.5 s
                       u"endpoint="_s + m_endpoint};
    set += settings;
    const CliResult changed = runCli(set);
    if (changed.exitCode != 0)
        return Error{u"workspace set failed, "_s + changed.describe()};
    return Ok;
}

Status RelayHarness::startRelay()
{
    collectRelayOutput();
    m_relay = std::make_unique<QProcess>();
    m_relay->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"CLEARSIGNAL_TIKTOK_TOKEN"_s, accessToken);
    m_relay->setProcessEnvironment(environment);
    m_relay->start(QStringLiteral(CLEARSIGNAL_CLI), {u"relay"_s, u"--workspace"_s, m_workspace});
    if (!m_relay->waitForStarted(10000))
        return Error{u"the relay did not start: "_s + m_relay->errorString()};
    bool exited = false;
    const bool healthy = waitUntil(
        [&] {
            exited = m_relay->state() != QProcess::Running;
            return exited || send("GET", u"/v1/health"_s, {}, {}, 2000).status == 200;
        },
        15000);
    if (!healthy || exited)
        return Error{u"the relay did not answer /v1/health: "_s + QString::fromUtf8(relayOutput())};
    return Ok;
}

void RelayHarness::killRelay()
{
    if (!m_relay)
        return;
    m_relay->kill();
    m_relay->waitForFinished(10000);
    collectRelayOutput();
}

RelayExit RelayHarness::stopRelay()
{
    RelayExit exit;
    if (!m_relay)
        return exit;
    if (m_relay->state() == QProcess::Running) {
        m_relay->terminate();
        exit.finished = m_relay->waitForFinished(20000);
        if (!exit.finished) {
            m_relay->kill();
            m_relay->waitForFinished(10000);
        }
    }
    exit.status = m_relay->exitStatus();
    exit.exitCode = m_relay->exitCode();
    exit.output = m_relay->readAll();
    m_relayOutput += exit.output;
    return exit;
}

void RelayHarness::stopFake()
{
    if (!m_fake || m_fake->state() == QProcess::NotRunning)
        return;
    m_fake->terminate();
    if (!m_fake->waitForFinished(10000)) {
        m_fake->kill();
        m_fake->waitForFinished(10000);
    }
}

bool RelayHarness::relayRunning() const
{
    return m_relay && m_relay->state() != QProcess::NotRunning;
}

void RelayHarness::collectRelayOutput()
{
    if (m_relay)
        m_relayOutput += m_relay->readAll();
}

QByteArray RelayHarness::relayOutput()
{
    collectRelayOutput();
    return m_relayOutput;
}

CliResult RelayHarness::runCli(const QStringList& arguments, const QByteArray& input)
{
    QProcess process;
    process.start(QStringLiteral(CLEARSIGNAL_CLI), arguments);
    CliResult result;
    if (!process.waitForStarted(10000)) {
        result.problem = u"did not start: "_s + process.errorString();
        return result;
    }
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        result.problem = u"did not finish within a minute: "_s + process.errorString();
        process.kill();
        process.waitForFinished(10000);
    } else if (process.exitStatus() == QProcess::NormalExit) {
        result.exitCode = process.exitCode();
    } else {
        result.problem = u"crashed: "_s + process.errorString();
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

Expected<QString> RelayHarness::writeWorkspaceRules(const QString& templateName, const QString& path)
{
    QFile source(QStringLiteral(CLEARSIGNAL_SOURCE_DIR "/resources/templates/") + templateName + u".json"_s);
    if (!source.open(QIODevice::ReadOnly))
        return Error{u"cannot read "_s + source.fileName()};
    QJsonObject rules = QJsonDocument::fromJson(source.readAll()).object();
    // What `workspace create --site --pixel-id --template` stores as rules revision 1.
    rules.insert("pixel_id"_L1, pixelId);
    rules.insert("site_origins"_L1, QJsonArray{site});
    QFile target(path);
    if (!target.open(QIODevice::WriteOnly) || target.write(QJsonDocument(rules).toJson()) < 0)
        return Error{u"cannot write "_s + path};
    return path;
}

Headers RelayHarness::ingestHeaders() const
{
    return {{"Content-Type", "application/json"}, {"X-ClearSignal-Key", m_key.toUtf8()}, {"Origin", site.toUtf8()}};
}

HttpReply RelayHarness::exchange(const QByteArray& method, const QUrl& url, const QByteArray& body,
                                 const Headers& headers, int timeoutMs)
{
    QNetworkRequest request(url);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply* reply = m_network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, reply, &QNetworkReply::abort);
    if (!reply->isFinished())
        loop.exec();
    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.networkError = reply->errorString();
    reply->deleteLater();
    return result;
}

HttpReply RelayHarness::send(const QByteArray& method, const QString& path, const QByteArray& body,
                             const Headers& headers, int timeoutMs)
{
    return exchange(method, QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_relayPort).arg(path)), body, headers, timeoutMs);
}

QNetworkReply* RelayHarness::postAsync(const QString& path, const QByteArray& body, const Headers& headers)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_relayPort).arg(path)));
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    return m_network.post(request, body);
}

QJsonObject RelayHarness::health()
{
    const HttpReply reply = send("GET", u"/v1/health"_s, {}, {}, 5000);
    return reply.status == 200 ? reply.json() : QJsonObject();
}

bool RelayHarness::relayIdle()
{
    const QJsonObject status = health();
    return status.value("status"_L1).toString() == "ok"_L1 && status.value("queue_depth"_L1).toInteger(-1) == 0 &&
           status.value("delivery"_L1).toObject().value("requests_in_flight"_L1).toInteger(-1) == 0;
}

HttpReply RelayHarness::sendToFake(const QByteArray& method, const QString& path, const QByteArray& body)
{
    return exchange(method, QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_fakePort).arg(path)), body,
                    {{"Content-Type", "application/json"}}, 10000);
}

Status RelayHarness::queueFaults(const QJsonArray& faults)
{
    const HttpReply reply = sendToFake("POST", u"/control/faults"_s, QJsonDocument(faults).toJson());
    if (reply.status != 200 || reply.json().value("queued"_L1).toInteger() != faults.size())
        return Error{u"the fake refused the faults: "_s + QString::fromUtf8(reply.body)};
    return Ok;
}

Status RelayHarness::rejectEventId(const QString& eventId)
{
    const HttpReply reply =
        sendToFake("POST", u"/control/reject"_s, QJsonDocument(QJsonObject{{"event_id"_L1, eventId}}).toJson());
    return reply.status == 200 ? Status(Ok) : Status(Error{QString::fromUtf8(reply.body)});
}

QJsonArray RelayHarness::fakeAccepted()
{
    return sendToFake("GET", u"/control/accepted"_s).json().value("events"_L1).toArray();
}

QJsonArray RelayHarness::fakeRequests()
{
    return sendToFake("GET", u"/control/requests"_s).json().value("requests"_L1).toArray();
}

bool RelayHarness::waitUntil(const std::function<bool()>& condition, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(25);
    }
    return true;
}

quint16 RelayHarness::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace ClearSignal::RelayTests
