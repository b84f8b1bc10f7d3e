// SPDX-License-Identifier: GPL-3.0-or-later
#include "relay/Dispatcher.h"
#include "relay/RelayStore.h"
#include "storage/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 now = 1790000000;
const QString pixel = u"CTESTPIXEL0000000001"_s;

/// Answers each post from a script (default: code 0), after the event loop turns, and remembers what was sent.
class ScriptedTransport final : public HttpTransport
{
public:
    struct Sent
    {
        QUrl url;
        Headers headers;
        QJsonObject body;
    };
    std::function<HttpResult(const QJsonObject& body)> answer = [](const QJsonObject&) {
        return HttpResult{200, R"({"code":0,"message":"OK","request_id":"req-1","data":null})", {}};
    };
    QList<Sent> sent;

    void post(const QUrl& url, const Headers& headers, const QByteArray& body, int,
              std::function<void(HttpResult)> done) override
    {
        const QJsonObject object = QJsonDocument::fromJson(body).object();
        sent.append({url, headers, object});
        const HttpResult result = answer(object);
        QTimer::singleShot(0, [done = std::move(done), result] { done(result); });
    }

    QStringList eventIds(qsizetype request) const
    {
        QStringList ids;
        for (const QJsonValue& item : sent.at(request).body.value("data"_L1).toArray())
            ids.append(item.toObject().value("event_id"_L1).toString());
        return ids;
    }
};

HttpResult tiktok(qint64 code, const char* message = "error")
{
    return HttpResult{200, QJsonDocument(QJsonObject{{u"code"_s, double(code)},
                                                     {u"message"_s, QString::fromLatin1(message)},
                                                     {u"request_id"_s, u"req-x"_s}})
                               .toJson(QJsonDocument::Compact),
                      {}};
}

} // namespace

/// Delivery: batching, retries with backoff, bisection of refused batches, the breaker, expiry, restarts.
class TestDispatcher final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void deliversInBatchesOfAtMost1000AndTestEventsAlone();
    void retriesLaterWithBackoff_data();
    void retriesLaterWithBackoff();
    void bisectsARefusedBatchToDeadLetterOnlyThePoison();
    void breakerStopsTheStormAndRecovers();
    void unauthorizedPausesAndKeepsTheQueue();
    void aWrongAddressPausesInsteadOfRefusingEveryEvent();
    void aFailedBookkeepingCommitDoesNotStrandItems();
    void expiredEventsAreNotSent();
    void itemsOnTheNetworkAtACrashAreResentAndCounted();
    void auditChainHoldsAndShowsTampering();
    void anUndocumentedSuccessCodeIsCountedAndShown();

private:
    void enqueue(int count, const QString& testCode = {}, qint64 eventTime = now - 60, int firstId = 0);
    qint64 count(const QString& sql);
    void runUntilIdle(Dispatcher& dispatcher);

    FixedClock m_clock{now};
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<RelayStore> m_store;
    ScriptedTransport m_transport;
    DispatchConfig m_config;
};

void TestDispatcher::init()
{
    static int run = 0;
    auto workspace = Workspace::create(m_dir.filePath(u"%1-%2.csdb"_s.arg(QString::fromLatin1(QTest::currentTestFunction())).arg(++run)));
    QVERIFY(workspace);
    m_workspace = std::move(*workspace);
    auto store = RelayStore::open(*m_workspace, KeyedHasher(QByteArray(32, 'k')));
    QVERIFY(store);
    m_store = std::move(*store);
    m_clock.setNowSeconds(now);
    m_transport = ScriptedTransport();
    m_config = DispatchConfig();
    m_config.endpoint = QUrl(u"http://127.0.0.1:1/open_api/v1.3/event/track/"_s);
    m_config.accessToken = u"token-abc"_s;
}

void TestDispatcher::cleanup()
{
    m_store.reset();
    m_workspace.reset();
}

void TestDispatcher::enqueue(int count, const QString& testCode, qint64 eventTime, int firstId)
{
    QVERIFY(m_workspace->transaction([&]() -> Status {
        for (int i = firstId; i < firstId + count; ++i) {
            QueuedItem item;
            item.pixelId = pixel;
            item.eventId = u"e-%1"_s.arg(i);
            item.testEventCode = testCode;
            item.eventTime = eventTime;
            item.item = R"({"event":"Lead","event_time":)" + QByteArray::number(eventTime) + R"(,"event_id":"e-)"
                        + QByteArray::number(i) + R"("})";
            if (Expected<bool> queued = m_store->enqueue(item, now); !queued)
                return queued.error();
        }
        return Ok;
    }));
}

qint64 TestDispatcher::count(const QString& sql)
{
    QSqlQuery query(m_workspace->database());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

void TestDispatcher::runUntilIdle(Dispatcher& dispatcher)
{
    dispatcher.wake();
    for (int turn = 0; turn < 200; ++turn) {
        QCoreApplication::processEvents();
        QTest::qWait(1);
        if (!dispatcher.busy() && turn > 5)
            break;
    }
}

void TestDispatcher::deliversInBatchesOfAtMost1000AndTestEventsAlone()
{
    enqueue(2300);
    enqueue(2, u"TEST123"_s, now - 60, 5000);
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QList<qsizetype> sizes;
    for (const ScriptedTransport::Sent& sent : std::as_const(m_transport.sent))
        sizes.append(sent.body.value("data"_L1).toArray().size());
    QCOMPARE(sizes, (QList<qsizetype>{1000, 1000, 300, 1, 1}));
    const ScriptedTransport::Sent& first = m_transport.sent.first();
    QCOMPARE(first.url, m_config.endpoint);
    QCOMPARE(first.headers, (HttpTransport::Headers{{"Access-Token", "token-abc"}}));
    QCOMPARE(first.body.value("event_source"_L1).toString(), u"web"_s);
    QCOMPARE(first.body.value("event_source_id"_L1).toString(), pixel);
    QVERIFY(!first.body.contains("test_event_code"_L1));
    QCOMPARE(m_transport.sent.at(3).body.value("test_event_code"_L1).toString(), u"TEST123"_s);
    QCOMPARE(m_transport.eventIds(3), QStringList{u"e-5000"_s});
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM delivered"_s), 2302);
    QCOMPARE(m_store->counters().value(u"delivered"_s), 2302);
    QCOMPARE(m_store->queueDepth(), 0);
}

void TestDispatcher::retriesLaterWithBackoff_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("networkError");
    QTest::addRow("rate limited") << 200 << tiktok(40100, "Too many requests").body << QString();
    QTest::addRow("tiktok system error") << 200 << tiktok(50000).body << QString();
    QTest::addRow("502 with html") << 502 << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>")
                                   << QString();
    QTest::addRow("connection refused") << 0 << QByteArray() << u"Connection refused"_s;
}

void TestDispatcher::retriesLaterWithBackoff()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, networkError);
    enqueue(3);
    m_transport.answer = [&](const QJsonObject&) { return HttpResult{status, body, networkError}; };
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), 1); // the next try waits for its time: the clock did not move
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE in_flight = 0 AND attempts = 1"_s), 3);
    const qint64 next = count(u"SELECT MIN(next_attempt_at) FROM outbox"_s);
    QVERIFY2(next >= now + 1 && next <= now + 2, qPrintable(QString::number(next - now))); // 2 s ceiling, jittered
    QCOMPARE(count(u"SELECT COUNT(*) FROM dead_letters"_s), 0);

    // Later attempts wait longer: the second retry's ceiling is 4 s.
    m_clock.setNowSeconds(next);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), 2);
    const qint64 second = count(u"SELECT MIN(next_attempt_at) FROM outbox"_s);
    QVERIFY2(second >= next + 2 && second <= next + 4, qPrintable(QString::number(second - next)));

    // When TikTok answers again, everything goes out, once.
    m_transport.answer = [](const QJsonObject&) { return tiktok(0, "OK"); };
    m_clock.setNowSeconds(second);
    runUntilIdle(dispatcher);
    QCOMPARE(count(u"SELECT COUNT(*) FROM delivered"_s), 3);
    QCOMPARE(m_store->counters().value(u"retries"_s), 6);
}

void TestDispatcher::bisectsARefusedBatchToDeadLetterOnlyThePoison()
{
    enqueue(1000);
    m_transport.answer = [](const QJsonObject& body) {
        for (const QJsonValue& item : body.value("data"_L1).toArray()) {
            if (item.toObject().value("event_id"_L1).toString() == "e-613"_L1)
                return tiktok(40002, "Batch.0.event_id: poison");
        }
        return tiktok(0, "OK");
    };
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QCOMPARE(count(u"SELECT COUNT(*) FROM delivered"_s), 999);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 0);
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"SELECT event_id, code, message, item FROM dead_letters"_s) && query.next());
    QCOMPARE(query.value(0).toString(), u"e-613"_s);
    QCOMPARE(query.value(1).toInt(), 40002);
    QCOMPARE(query.value(2).toString(), u"Batch.0.event_id: poison"_s);
    QCOMPARE(query.value(3).toByteArray(), QByteArray(R"({"event":"Lead","event_time":1789999940,"event_id":"e-613"})"));
    QVERIFY(!query.next());
    // 1000 -> 500 -> 250 -> 125 -> 63 -> 32 -> 16 -> 8 -> 4 -> 2 -> 1: one refused request per level, plus
    // the accepted halves: far fewer than sending 1000 events one by one.
    QVERIFY2(m_transport.sent.size() <= 21, qPrintable(QString::number(m_transport.sent.size())));
    QCOMPARE(m_store->counters().value(u"dead_lettered"_s), 1);
}

void TestDispatcher::breakerStopsTheStormAndRecovers()
{
    enqueue(5);
    m_config.maxBatch = 1; // five requests, five failures
    m_config.maxConcurrentRequests = 1;
    m_transport.answer = [](const QJsonObject&) { return HttpResult{503, "unavailable", {}}; };
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    for (int minute = 0; minute < 10; ++minute) {
        runUntilIdle(dispatcher);
        m_clock.setNowSeconds(m_clock.nowSeconds() + 3); // retries of the single events come due quickly
    }
    const qsizetype beforeOpen = m_transport.sent.size();
    QCOMPARE(beforeOpen, 5); // the fifth consecutive failure opened the breaker
    QCOMPARE(dispatcher.status().value("state"_L1).toString(), u"paused"_s);
    // Open: nothing goes out until the pause ends, then one probe at a time.
    m_clock.setNowSeconds(now + 61 + 30);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), beforeOpen + 1);
    m_transport.answer = [](const QJsonObject&) { return tiktok(0, "OK"); };
    m_clock.setNowSeconds(m_clock.nowSeconds() + 700);
    runUntilIdle(dispatcher);
    QCOMPARE(count(u"SELECT COUNT(*) FROM delivered"_s), 5);
    QCOMPARE(dispatcher.status().value("state"_L1).toString(), u"running"_s);
}

void TestDispatcher::unauthorizedPausesAndKeepsTheQueue()
{
    enqueue(2);
    m_transport.answer = [](const QJsonObject&) { return tiktok(40105, "Access token is incorrect"); };
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 2);
    QCOMPARE(count(u"SELECT COUNT(*) FROM dead_letters"_s), 0);
    const QJsonObject status = dispatcher.status();
    QCOMPARE(status.value("state"_L1).toString(), u"paused"_s);
    QVERIFY(status.value("last_error"_L1).toString().contains(u"token"_s, Qt::CaseInsensitive));
}

void TestDispatcher::aWrongAddressPausesInsteadOfRefusingEveryEvent()
{
    enqueue(8);
    m_transport.answer = [](const QJsonObject&) { return HttpResult{404, "<html>Not Found</html>", {}}; };
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), 1); // not split: every half would be refused the same way
    QCOMPARE(count(u"SELECT COUNT(*) FROM dead_letters"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE in_flight = 0"_s), 8);
    const QJsonObject status = dispatcher.status();
    QCOMPARE(status.value("state"_L1).toString(), u"paused"_s);
    QCOMPARE(status.value("pause_reason"_L1).toString(),
             u"the Events API address answered HTTP 404 without TikTok's answer; check the endpoint setting"_s);
}

void TestDispatcher::aFailedBookkeepingCommitDoesNotStrandItems()
{
    enqueue(3);
    // TikTok accepts, but recording the delivery fails (as on a full disk).
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"CREATE TRIGGER full_disk BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'full'); END"_s));
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE in_flight = 1"_s), 3);
    QVERIFY(dispatcher.status().value("last_error"_L1).toString().startsWith(u"error while recording a delivery"_s));
    // The disk has room again: the items were not left marked as on the network; they go again, counted.
    QVERIFY(query.exec(u"DROP TRIGGER full_disk"_s));
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), 2);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM delivered"_s), 3);
    QCOMPARE(m_store->counters().value(u"resent_after_storage_error"_s), 3);
}

void TestDispatcher::expiredEventsAreNotSent()
{
    enqueue(2, {}, now - 8 * 86400);
    enqueue(1, {}, now - 60, 100);
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), 1);
    QCOMPARE(m_transport.eventIds(0), QStringList{u"e-100"_s});
    QCOMPARE(count(u"SELECT COUNT(*) FROM dead_letters WHERE message LIKE 'older than the event age limit%'"_s), 2);
    QCOMPARE(m_store->counters().value(u"dropped:too_old_to_send"_s), 2);
}

void TestDispatcher::itemsOnTheNetworkAtACrashAreResentAndCounted()
{
    enqueue(3);
    {
        Expected<QList<QueuedItem>> due = m_store->due(now, 10);
        QVERIFY(due);
        QVERIFY(m_workspace->transaction([&] { return m_store->markInFlight(due->mid(0, 2)); }));
    }
    // The relay died here. A new one finds two items that may or may not have reached TikTok.
    m_store.reset();
    auto store = RelayStore::open(*m_workspace, KeyedHasher(QByteArray(32, 'k')));
    QVERIFY(store);
    m_store = std::move(*store);
    QCOMPARE(m_store->resumedInFlight(), 2);
    QCOMPARE(m_store->counters().value(u"resent_after_restart"_s), 2);
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.eventIds(0), (QStringList{u"e-0"_s, u"e-1"_s, u"e-2"_s}));
    QCOMPARE(count(u"SELECT COUNT(*) FROM delivered"_s), 3);
}

void TestDispatcher::auditChainHoldsAndShowsTampering()
{
    enqueue(3);
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    runUntilIdle(dispatcher);
    QVERIFY(m_store->verifyAuditChain());
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"SELECT record FROM audit WHERE kind = 'delivery'"_s) && query.next());
    const QJsonObject record = QJsonDocument::fromJson(query.value(0).toString().toUtf8()).object();
    QCOMPARE(record.value("outcome"_L1).toString(), u"delivered"_s);
    QCOMPARE(record.value("events"_L1).toInt(), 3);
    QCOMPARE(record.value("request_id"_L1).toString(), u"req-1"_s);
    QCOMPARE(record.value("event_keys"_L1).toArray().first().toString(), m_store->hasher().hash(u"e-0"_s));
    // Someone edits the file around the triggers (drops them, rewrites a record): the chain shows it.
    QVERIFY(query.exec(u"DROP TRIGGER audit_no_update"_s));
    QVERIFY(query.exec(u"UPDATE audit SET record = '{}' WHERE seq = 1"_s));
    const Status verified = m_store->verifyAuditChain();
    QVERIFY(!verified);
    QCOMPARE(verified.errorMessage(), u"the audit trail was altered at record 1: its hash does not match"_s);
}

void TestDispatcher::anUndocumentedSuccessCodeIsCountedAndShown()
{
    // 20001: integrations treat it as success, TikTok documents nothing. Delivered (resending could double-count
    // conversions), but counted, audited and shown with TikTok's words as the last error, never silent.
    enqueue(3);
    m_transport.answer = [](const QJsonObject&) { return tiktok(20001, "Partial events failed"); };
    Dispatcher dispatcher(*m_store, m_transport, m_clock, m_config);
    QSignalSpy failed(&dispatcher, &Dispatcher::deliveryFailed);
    runUntilIdle(dispatcher);
    QCOMPARE(m_transport.sent.size(), 1);
    QCOMPARE(count(u"SELECT COUNT(*) FROM delivered"_s), 3);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 0);
    QCOMPARE(m_store->counters().value(u"delivered"_s), 3);
    QCOMPARE(m_store->counters().value(u"partial_success_answers"_s), 1);
    const QString expected = u"TikTok accepted 3 events with code 20001 instead of 0 (\"Partial events failed\"); it "
                             "may not have recorded all of them (request req-x)"_s;
    QCOMPARE(dispatcher.status().value("last_error"_L1).toString(), expected);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().first().toString(), expected);
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"SELECT record FROM audit WHERE kind = 'delivery'"_s) && query.next());
    const QJsonObject record = QJsonDocument::fromJson(query.value(0).toString().toUtf8()).object();
    QCOMPARE(record.value("code"_L1).toInt(), 20001);
    QCOMPARE(record.value("request_id"_L1).toString(), u"req-x"_s);
    // TikTok's words stay out of the file: the trail cannot be edited, and they could echo what was sent.
    QVERIFY(!record.contains("message"_L1));

    // A plain 0 adds no count.
    enqueue(1, {}, now - 60, 10);
    m_transport.answer = [](const QJsonObject&) { return tiktok(0, "OK"); };
    runUntilIdle(dispatcher);
    QCOMPARE(m_store->counters().value(u"delivered"_s), 4);
    QCOMPARE(m_store->counters().value(u"partial_success_answers"_s), 1);
}

QTEST_GUILESS_MAIN(TestDispatcher)
#include "TestDispatcher.moc"
