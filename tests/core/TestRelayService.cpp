// SPDX-License-Identifier: GPL-3.0-or-later
#include "relay/RelayService.h"
#include "rules/RuleTemplates.h"
#include "storage/Workspace.h"
#include "storage/WorkspaceSettings.h"
#include "storage/WorkspaceSetup.h"

#include <QJsonArray>
#include <QMutex>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString pixel = u"CTESTPIXEL0000000001"_s;

/// What the dispatcher posted, shared between the relay's writer thread and the test.
struct Posted
{
    QMutex lock;
    QList<QByteArray> bodies;
    qsizetype size()
    {
        const QMutexLocker locker(&lock);
        return bodies.size();
    }
    QList<QByteArray> all()
    {
        const QMutexLocker locker(&lock);
        return bodies;
    }
};

/// Remembers what the dispatcher posts and answers TikTok's "OK" (on the writer thread, where it is made).
class RecordingTransport final : public HttpTransport
{
public:
    explicit RecordingTransport(std::shared_ptr<Posted> posted) : m_posted(std::move(posted)) {}
    void post(const QUrl&, const Headers&, const QByteArray& body, int, std::function<void(HttpResult)> done) override
    {
        {
            const QMutexLocker locker(&m_posted->lock);
            m_posted->bodies.append(body);
        }
        QTimer::singleShot(0, [done = std::move(done)] {
            done(HttpResult{200, R"({"code":0,"message":"OK","request_id":"r","data":null})", {}});
        });
    }

private:
    std::shared_ptr<Posted> m_posted;
};

struct Reply
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray& name) const
    {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

} // namespace

/// The relay over real HTTP on loopback: routes, CORS, the collector script, health, rate limits, group commit.
class TestRelayService final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void answersEveryRoute();
    void preflightAndCorsFollowTheOriginAllowlist();
    void eventsAreStoredBeforeTheAnswerAndDelivered();
    void manyConcurrentRequestsShareCommits();
    void rateLimitAnswers429();
    void consentSentJustBeforeAnEventCounts();
    void behindAProxyEachVisitorHasItsOwnLimit();
    void oneRelayPerWorkspace();
    void startFailsClearly();
    void aLargeBodyIsRefusedBeforeItIsRead();

private:
    QString createWorkspace(const QString& name, int rateLimit = 600,
                            ConsentPolicy policy = ConsentPolicy::UnlessOptedOut);
    Reply send(const QByteArray& method, const QString& path, const QByteArray& body = {},
               const QList<std::pair<QByteArray, QByteArray>>& headers = {});
    QUrl url(const QString& path) const { return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_relay->port()).arg(path)); }

    QTemporaryDir m_dir;
    QString m_key;
    std::shared_ptr<Posted> m_posted;
    StoreWriter::TransportFactory transport()
    {
        return [posted = m_posted] { return std::make_unique<RecordingTransport>(posted); };
    }
    std::unique_ptr<RelayService> m_relay;
    QNetworkAccessManager m_network;
};

QString TestRelayService::createWorkspace(const QString& name, int rateLimit, ConsentPolicy policy)
{
    const QString path = m_dir.filePath(name);
    WorkspaceSettings settings;
    settings.rateLimitPerMinute = rateLimit;
    settings.consentPolicy = policy;
    RuleSet rules = *RuleTemplates::load(u"med-spa"_s).rules;
    rules.pixelId = pixel;
    rules.siteOrigins = {u"https://clinic.example"_s};
    const Expected<WorkspaceSettings> created = createSiteWorkspace(path, settings, rules, {u"test"_s, u"test"_s, 1});
    if (!created)
        return {};
    m_key = created->ingestKey;
    return path;
}

void TestRelayService::init()
{
    m_posted = std::make_shared<Posted>();
    const QString path = createWorkspace(QString::fromLatin1(QTest::currentTestFunction()) + u".csdb"_s);
    QVERIFY(!path.isEmpty());
    m_relay = std::make_unique<RelayService>();
    RelayOptions options;
    options.listen = u"127.0.0.1:0"_s;
    options.accessToken = u"token"_s;
    const Status started = m_relay->start(path, options, transport());
    QVERIFY2(started, qPrintable(started.errorMessage()));
    QVERIFY(m_relay->port() != 0);
    QVERIFY(!m_relay->isExposed());
}

void TestRelayService::cleanup()
{
    m_relay.reset();
}

Reply TestRelayService::send(const QByteArray& method, const QString& path, const QByteArray& body,
                             const QList<std::pair<QByteArray, QByteArray>>& headers)
{
    QNetworkRequest request(url(path));
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply* reply = m_network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    Reply result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
                 reply->rawHeaderPairs()};
    reply->deleteLater();
    return result;
}

void TestRelayService::answersEveryRoute()
{
    const Reply script = send("GET", u"/cs.js"_s);
    QCOMPARE(script.status, 200);
    QCOMPARE(script.header("Content-Type"), QByteArray("application/javascript; charset=utf-8"));
    QVERIFY(script.body.contains("navigator.globalPrivacyControl"));
    QVERIFY(script.body.contains("sendBeacon"));
    QCOMPARE(script.header("Cache-Control"), QByteArray("public, max-age=3600"));

    const Reply health = send("GET", u"/v1/health"_s);
    QCOMPARE(health.status, 200);
    const QJsonObject status = QJsonDocument::fromJson(health.body).object();
    QCOMPARE(status.value("status"_L1).toString(), u"ok"_s);
    QCOMPARE(status.value("queue_depth"_L1).toInt(), 0);
    QCOMPARE(status.value("rules_revision"_L1).toInt(), 1);

    const Reply missing = send("GET", u"/admin"_s);
    QCOMPARE(missing.status, 404);
    QCOMPARE(QJsonDocument::fromJson(missing.body).object().value("error"_L1).toString(),
             u"no such endpoint; the relay serves /v1/events, /v1/consent, /v1/health and /cs.js"_s);
    const Reply wrongMethod = send("PUT", u"/v1/events"_s, "{}");
    QCOMPARE(wrongMethod.status, 405);
    QCOMPARE(wrongMethod.header("Allow"), QByteArray("POST, OPTIONS"));
}

void TestRelayService::preflightAndCorsFollowTheOriginAllowlist()
{
    const Reply allowed = send("OPTIONS", u"/v1/events"_s, {},
                               {{"Origin", "https://clinic.example"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(allowed.status, 204);
    QCOMPARE(allowed.header("Access-Control-Allow-Origin"), QByteArray("https://clinic.example"));
    QCOMPARE(allowed.header("Access-Control-Allow-Headers"), QByteArray("Content-Type, X-ClearSignal-Key"));
    const Reply refused = send("OPTIONS", u"/v1/events"_s, {}, {{"Origin", "https://evil.example"}});
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.header("Access-Control-Allow-Origin"), QByteArray());
}

void TestRelayService::eventsAreStoredBeforeTheAnswerAndDelivered()
{
    const Reply accepted =
        send("POST", u"/v1/events?key="_s + m_key, R"({"event":"Lead","event_id":"http-1"})",
             {{"Content-Type", "text/plain;charset=UTF-8"}, {"Origin", "https://clinic.example"}});
    QCOMPARE(accepted.status, 202);
    QCOMPARE(accepted.body, QByteArray(R"({"accepted":1,"rejected":[]})"));
    QCOMPARE(accepted.header("Access-Control-Allow-Origin"), QByteArray("https://clinic.example"));
    QTRY_COMPARE(m_posted->size(), 1);
    const QJsonObject sent = QJsonDocument::fromJson(m_posted->all().first()).object();
    QCOMPARE(sent.value("event_source_id"_L1).toString(), pixel);
    QCOMPARE(sent.value("data"_L1).toArray().first().toObject().value("event_id"_L1).toString(), u"http-1"_s);
    QTRY_COMPARE(QJsonDocument::fromJson(send("GET", u"/v1/health"_s).body).object().value("delivered"_L1).toInt(), 1);

    const Reply gpc = send("POST", u"/v1/events"_s, R"({"event":"Lead","event_id":"http-2"})",
                           {{"Content-Type", "application/json"}, {"X-ClearSignal-Key", m_key.toUtf8()}, {"Sec-GPC", "1"}});
    QCOMPARE(gpc.status, 202);
    const QJsonObject health = QJsonDocument::fromJson(send("GET", u"/v1/health"_s).body).object();
    QCOMPARE(health.value("dropped"_L1).toObject().value("gpc"_L1).toInt(), 1);
    QCOMPARE(health.value("received"_L1).toInt(), 2);
}

void TestRelayService::manyConcurrentRequestsShareCommits()
{
    QList<QNetworkReply*> replies;
    for (int i = 0; i < 60; ++i) {
        QNetworkRequest request(url(u"/v1/events"_s));
        request.setRawHeader("Content-Type", "application/json");
        request.setRawHeader("X-ClearSignal-Key", m_key.toUtf8());
        replies.append(m_network.post(request, R"({"event":"Lead","event_id":"c-)" + QByteArray::number(i) + "\"}"));
    }
    for (QNetworkReply* reply : std::as_const(replies)) {
        if (!reply->isFinished())
            QVERIFY(QSignalSpy(reply, &QNetworkReply::finished).wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
        reply->deleteLater();
    }
    QTRY_COMPARE(QJsonDocument::fromJson(send("GET", u"/v1/health"_s).body).object().value("delivered"_L1).toInt(), 60);
    int sentEvents = 0;
    for (const QByteArray& body : m_posted->all())
        sentEvents += int(QJsonDocument::fromJson(body).object().value("data"_L1).toArray().size());
    QCOMPARE(sentEvents, 60);
}

void TestRelayService::rateLimitAnswers429()
{
    m_relay.reset();
    const QString path = createWorkspace(u"limited.csdb"_s, 3);
    m_relay = std::make_unique<RelayService>();
    RelayOptions options;
    options.listen = u"127.0.0.1:0"_s;
    QVERIFY(m_relay->start(path, options, transport()));
    const QList<std::pair<QByteArray, QByteArray>> headers = {{"Content-Type", "application/json"},
                                                              {"X-ClearSignal-Key", m_key.toUtf8()}};
    for (int i = 0; i < 3; ++i)
        QCOMPARE(send("POST", u"/v1/events"_s, R"({"event":"Lead"})", headers).status, 202);
    const Reply limited = send("POST", u"/v1/events"_s, R"({"event":"Lead"})", headers);
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("Retry-After"), QByteArray("5"));
    QCOMPARE(QJsonDocument::fromJson(limited.body).object().value("error"_L1).toString(),
             u"too many requests from this address; slow down"_s);
}

void TestRelayService::consentSentJustBeforeAnEventCounts()
{
    m_relay.reset();
    const QString path = createWorkspace(u"required.csdb"_s, 600, ConsentPolicy::Required);
    m_relay = std::make_unique<RelayService>();
    RelayOptions options;
    options.listen = u"127.0.0.1:0"_s;
    QVERIFY(m_relay->start(path, options, transport()));
    // The banner's "accept" and the page view go out together; the event must not lose the race to the commit.
    QNetworkRequest request(url(u"/v1/consent?key="_s + m_key));
    request.setRawHeader("Content-Type", "text/plain");
    QNetworkReply* consent = m_network.post(request, R"({"visitor_id":"v-race","ads":true,"source":"banner"})");
    QNetworkRequest eventRequest(url(u"/v1/events?key="_s + m_key));
    eventRequest.setRawHeader("Content-Type", "text/plain");
    QNetworkReply* event = m_network.post(eventRequest, R"({"event":"Lead","event_id":"race-1","visitor_id":"v-race"})");
    for (QNetworkReply* reply : {consent, event}) {
        if (!reply->isFinished())
            QVERIFY(QSignalSpy(reply, &QNetworkReply::finished).wait(10000));
    }
    QCOMPARE(consent->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 204);
    QCOMPARE(event->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
    consent->deleteLater();
    event->deleteLater();
    QTRY_COMPARE(m_posted->size(), 1);
    // And without a grant, the same event is dropped.
    const Reply stranger = send("POST", u"/v1/events?key="_s + m_key, R"({"event":"Lead","visitor_id":"nobody"})",
                                {{"Content-Type", "text/plain"}});
    QCOMPARE(stranger.status, 202);
    QTRY_COMPARE(QJsonDocument::fromJson(send("GET", u"/v1/health"_s).body)
                     .object().value("dropped"_L1).toObject().value("no_consent"_L1).toInt(), 1);
}

void TestRelayService::behindAProxyEachVisitorHasItsOwnLimit()
{
    m_relay.reset();
    const QString path = createWorkspace(u"proxied.csdb"_s, 2);
    m_relay = std::make_unique<RelayService>();
    RelayOptions options;
    options.listen = u"127.0.0.1:0"_s;
    QVERIFY(m_relay->start(path, options, transport()));
    const auto post = [&](const QByteArray& visitor) {
        return send("POST", u"/v1/events"_s, R"({"event":"Lead"})",
                    {{"Content-Type", "application/json"},
                     {"X-ClearSignal-Key", m_key.toUtf8()},
                     {"X-Forwarded-For", "198.51.100.7, " + visitor}})
            .status;
    };
    // The proxy (a loopback peer) names the visitor last; the limit is per visitor, not per proxy.
    QCOMPARE(post("203.0.113.1"), 202);
    QCOMPARE(post("203.0.113.1"), 202);
    QCOMPARE(post("203.0.113.1"), 429);
    QCOMPARE(post("203.0.113.2"), 202);
    // Consent answers are never refused for speed: a withdrawal must not be lost.
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(send("POST", u"/v1/consent"_s, R"({"visitor_id":"v","ads":false,"source":"banner"})",
                      {{"Content-Type", "application/json"},
                       {"X-ClearSignal-Key", m_key.toUtf8()},
                       {"X-Forwarded-For", "203.0.113.1"}})
                     .status,
                 204);
    }
}

void TestRelayService::oneRelayPerWorkspace()
{
    RelayService second;
    RelayOptions options;
    options.listen = u"127.0.0.1:0"_s;
    const QString path = m_dir.filePath(u"oneRelayPerWorkspace.csdb"_s);
    const Status refused = second.start(path, options, transport());
    QVERIFY(!refused);
    QCOMPARE(refused.errorMessage(), u"another relay (process %1) is running on %2; stop it first, or give this one "
                                     "its own workspace"_s.arg(QCoreApplication::applicationPid()).arg(path));
    // Once the first one stops, the workspace is free again.
    m_relay.reset();
    QVERIFY(second.start(path, options, transport()));
}

void TestRelayService::startFailsClearly()
{
    RelayService second;
    RelayOptions options;
    options.listen = u"127.0.0.1:%1"_s.arg(m_relay->port());
    const QString path = createWorkspace(u"second.csdb"_s);
    const Status taken = second.start(path, options, transport());
    QVERIFY(!taken);
    QCOMPARE(taken.errorMessage(), u"cannot listen on 127.0.0.1:%1: the port is in use or needs more permissions; "
                                   "choose another with --listen HOST:PORT"_s.arg(m_relay->port()));
    options.listen = u"localhost:80"_s;
    RelayService third;
    QCOMPARE(third.start(path, options, transport()).errorMessage(),
             u"--listen must be an IP address and a port, such as 127.0.0.1:8787, not \"localhost:80\""_s);
}

void TestRelayService::aLargeBodyIsRefusedBeforeItIsRead()
{
    // QtHttpServer would read a whole request into memory first; the relay cuts it off while it arrives.
    const QByteArray refusal = R"({"error":"the request is larger than 1 MiB; send fewer events per request"})";
    const auto exchange = [this](const QByteArray& head, qint64 bodyBytes) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_relay->port());
        if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
            return std::pair<QByteArray, qint64>{};
        socket.write(head);
        QByteArray answer;
        qint64 sent = 0;
        const QByteArray chunk(64 * 1024, 'a');
        // Keeps sending, as a hostile client would, until the relay answers and hangs up (checked by the caller).
        const bool hungUp = QTest::qWaitFor([&] {
            answer += socket.readAll();
            if (socket.state() != QAbstractSocket::ConnectedState)
                return true;
            if (sent < bodyBytes && socket.bytesToWrite() < 256 * 1024) {
                socket.write(head.contains("chunked") ? QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n"
                                                      : chunk);
                sent += chunk.size();
            }
            return false;
        }, 20000);
        answer += socket.readAll();
        return std::pair{hungUp ? answer : QByteArray("(the relay did not hang up)"), sent};
    };

    // Announced: refused at once, long before the 50 MB arrive (tests/core/TestGuardedTcpServer has every way
    // around it that was tried).
    const auto [announced, announcedSent] = exchange(
        "POST /v1/events HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nX-ClearSignal-Key: " +
            m_key.toUtf8() + "\r\nContent-Length: 50000000\r\n\r\n",
        50'000'000);
    QVERIFY2(announced.startsWith("HTTP/1.1 413 Payload Too Large\r\n"), QByteArray(announced.left(200) + " sent " + QByteArray::number(announcedSent)).constData());
    QVERIFY(announced.endsWith(QByteArray(QByteArray("\r\n\r\n") + refusal)));
    QVERIFY2(announcedSent < 20'000'000, QByteArray::number(announcedSent).constData());

    // Not announced (chunked): refused before any of it is read.
    const auto [chunked, chunkedSent] = exchange(
        "POST /v1/events HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nX-ClearSignal-Key: " +
            m_key.toUtf8() + "\r\nTransfer-Encoding: chunked\r\n\r\n",
        50'000'000);
    QVERIFY2(chunked.startsWith("HTTP/1.1 411 Length Required\r\n"), chunked.left(200).constData());
    QVERIFY2(chunkedSent < 20'000'000, QByteArray::number(chunkedSent).constData());

    // A body just under the limit still reaches the handler, which answers it (here: not JSON).
    const Reply large = send("POST", u"/v1/events"_s, QByteArray(1024 * 1024 - 10, ' ') + "x",
                             {{"X-ClearSignal-Key", m_key.toUtf8()}, {"Content-Type", "application/json"}});
    QCOMPARE(large.status, 400);
    // And the relay goes on serving.
    QCOMPARE(send("POST", u"/v1/events"_s, R"({"event":"Lead","event_id":"after-large"})",
                  {{"X-ClearSignal-Key", m_key.toUtf8()}, {"Content-Type", "application/json"}})
                 .status,
             202);
}

QTEST_GUILESS_MAIN(TestRelayService)
#include "TestRelayService.moc"
