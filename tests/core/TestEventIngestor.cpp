// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/EventParser.h"
#include "consent/ConsentReader.h"
#include "relay/EventIngestor.h"
#include "relay/IngestRecorder.h"
#include "relay/RelayStore.h"
#include "rules/RuleTemplates.h"
#include "storage/Workspace.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 now = 1790000000;
const QString key = u"test-ingest-key-0123456789"_s;
const QString pixel = u"CTESTPIXEL0000000001"_s;

} // namespace

/// The relay's request handling, without sockets: checks, consent, sanitizing, dedup, what is written.
class TestEventIngestor final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void refusesBadRequests_data();
    void refusesBadRequests();
    void consentIsDecidedOnTheServer();
    void laterWithdrawalsAlwaysWin();
    void batchReportsEachInvalidEvent();
    void queuesExactlyWhatTheSanitizerPreviews();
    void duplicatesAreDroppedAndEventsWithoutIdGetOne();
    void fullQueueIsRefused();
    void nothingOnDiskHoldsTheEventsValues();
    void unreadableConsentFailsClosed();

private:
    IngestRequest request(const QByteArray& body, bool gpc = false) const;
    QJsonObject post(const QByteArray& body, bool gpc = false);
    void grant(const QString& visitor, bool ads, qint64 at = now);
    QList<QByteArray> queuedItems();

    FixedClock m_clock{now};
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<RelayStore> m_store;
    std::unique_ptr<ConsentReader> m_consent;
    std::unique_ptr<EventIngestor> m_ingestor;
    std::unique_ptr<IngestRecorder> m_recorder;
    std::shared_ptr<const Sanitizer> m_sanitizer;
};

void TestEventIngestor::init()
{
    static int run = 0;
    auto workspace = Workspace::create(m_dir.filePath(u"%1-%2.csdb"_s.arg(QString::fromLatin1(QTest::currentTestFunction())).arg(++run)));
    QVERIFY2(workspace, qPrintable(workspace.errorMessage()));
    m_workspace = std::move(*workspace);
    auto store = RelayStore::open(*m_workspace, KeyedHasher(QByteArray(32, 'k')));
    QVERIFY(store);
    m_store = std::move(*store);
    RuleSetLoad rules = RuleTemplates::load(u"glp1-clinic"_s);
    QVERIFY(rules.rules);
    rules.rules->pixelId = pixel;
    auto sanitizer = Sanitizer::create(*rules.rules, m_clock);
    QVERIFY(sanitizer);
    m_sanitizer = std::make_shared<const Sanitizer>(std::move(*sanitizer));
    IngestConfig config;
    config.ingestKey = key;
    config.allowedOrigins = {u"https://clinic.example"_s};
    config.rulesRevision = 4;
    config.sanitizer = m_sanitizer;
    m_consent = std::make_unique<ConsentReader>(*m_workspace, KeyedHasher(QByteArray(32, 'k')));
    m_ingestor = std::make_unique<EventIngestor>(*m_consent, m_store->queueDepthCounter(), m_clock);
    m_ingestor->setConfig(config);
    m_recorder = std::make_unique<IngestRecorder>(*m_store, m_clock);
}

void TestEventIngestor::cleanup()
{
    m_recorder.reset();
    m_ingestor.reset();
    m_consent.reset();
    m_store.reset();
    m_workspace.reset();
}

IngestRequest TestEventIngestor::request(const QByteArray& body, bool gpc) const
{
    IngestRequest request;
    request.body = body;
    request.contentType = "application/json";
    request.ingestKey = key;
    request.origin = u"https://clinic.example"_s;
    request.gpc = gpc;
    return request;
}

QJsonObject TestEventIngestor::post(const QByteArray& body, bool gpc)
{
    const EventIngestor::Prepared prepared = m_ingestor->prepareEvents(request(body, gpc));
    if (prepared.answer)
        return QJsonObject{{u"status"_s, prepared.answer->status},
                           {u"body"_s, QJsonDocument::fromJson(prepared.answer->body).object()}};
    HttpAnswer answer;
    const Status written = m_workspace->transaction([&]() -> Status {
        Expected<HttpAnswer> result = m_recorder->write(prepared);
        if (!result)
            return result.error();
        answer = *result;
        return m_recorder->finishCommit();
    });
    if (!written)
        return QJsonObject{{u"error"_s, written.errorMessage()}};
    return QJsonObject{{u"status"_s, answer.status}, {u"body"_s, QJsonDocument::fromJson(answer.body).object()}};
}

void TestEventIngestor::grant(const QString& visitor, bool ads, qint64 at)
{
    const QByteArray body = QJsonDocument(QJsonObject{{u"visitor_id"_s, visitor},
                                                      {u"ads"_s, ads},
                                                      {u"source"_s, u"banner"_s},
                                                      {u"timestamp"_s, double(at)}})
                                .toJson(QJsonDocument::Compact);
    const EventIngestor::Prepared prepared = m_ingestor->prepareConsent(request(body));
    QVERIFY(!prepared.answer);
    QVERIFY(m_workspace->transaction([&]() -> Status {
        Expected<HttpAnswer> answer = m_recorder->write(prepared);
        if (!answer)
            return answer.error();
        if (answer->status != 204)
            return Error{u"not 204"_s};
        return Ok;
    }));
}

QList<QByteArray> TestEventIngestor::queuedItems()
{
    QList<QByteArray> items;
    QSqlQuery query(m_workspace->database());
    if (query.exec(u"SELECT item FROM outbox ORDER BY id"_s)) {
        while (query.next())
            items.append(query.value(0).toByteArray());
    }
    return items;
}

void TestEventIngestor::refusesBadRequests_data()
{
    QTest::addColumn<QString>("ingestKey");
    QTest::addColumn<QString>("origin");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    const QByteArray lead = R"({"event":"Lead"})";
    QTest::addRow("no key") << QString() << QString() << QByteArray("application/json") << lead << 401
                            << u"no ingest key: send the site's key in the X-ClearSignal-Key header (or ?key= for "
                               "beacons)"_s;
    QTest::addRow("wrong key") << u"nope"_s << QString() << QByteArray("application/json") << lead << 401
                               << u"wrong ingest key: copy the key from the workspace (clearsignal-cli workspace "
                                  "show)"_s;
    QTest::addRow("foreign origin")
        << key << u"https://evil.example"_s << QByteArray("application/json") << lead << 403
        << u"the origin https://evil.example is not allowed to send events; add it to the workspace's origins "
           "(clearsignal-cli workspace set FILE origins=...)"_s;
    QTest::addRow("form post") << key << QString() << QByteArray("application/x-www-form-urlencoded") << lead << 415
                               << u"send application/json or text/plain, not application/x-www-form-urlencoded"_s;
    QTest::addRow("too big") << key << QString() << QByteArray("text/plain; charset=UTF-8")
                             << QByteArray(1024 * 1024 + 1, ' ') << 413
                             << u"the request is larger than 1 MiB; send fewer events per request"_s;
    QTest::addRow("not json") << key << QString() << QByteArray("application/json") << QByteArray("{\"event\":")
                              << 400 << u"invalid JSON at offset 9: unexpected end of input"_s;
    QTest::addRow("array") << key << QString() << QByteArray("application/json") << QByteArray("[1]") << 400
                           << u"send one event object or {\"events\": [...]}"_s;
    QTest::addRow("empty batch") << key << QString() << QByteArray("application/json")
                                 << QByteArray(R"({"events":[]})") << 400
                                 << u"\"events\" is empty; send at least one event"_s;
    QByteArray many = "{\"events\":[";
    for (int i = 0; i < 501; ++i)
        many += (i ? ",{}" : "{}");
    many += "]}";
    QTest::addRow("501 events") << key << QString() << QByteArray("application/json") << many << 413
                                << u"501 events in one request; send at most 500"_s;
}

void TestEventIngestor::refusesBadRequests()
{
    QFETCH(QString, ingestKey);
    QFETCH(QString, origin);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    IngestRequest ingest = request(body);
    ingest.ingestKey = ingestKey;
    ingest.origin = origin;
    ingest.contentType = contentType;
    const EventIngestor::Prepared prepared = m_ingestor->prepareEvents(ingest);
    QVERIFY(prepared.answer);
    QCOMPARE(prepared.answer->status, status);
    QCOMPARE(QJsonDocument::fromJson(prepared.answer->body).object().value("error"_L1).toString(), error);
    QCOMPARE(queuedItems().size(), 0);
}

void TestEventIngestor::consentIsDecidedOnTheServer()
{
    grant(u"granted"_s, true);
    grant(u"withdrawn"_s, true, now - 100);
    grant(u"withdrawn"_s, false, now - 50);
    const auto decide = [&](const QString& visitor, bool gpc) {
        const QByteArray body = R"({"event":"Lead","event_id":"e-)" + visitor.toUtf8() + (gpc ? "-gpc" : "")
                                + R"(","visitor_id":")" + visitor.toUtf8() + R"("})";
        const EventIngestor::Prepared prepared = m_ingestor->prepareEvents(request(body, gpc));
        return prepared.events.value(0).result.reasons.value(0, decisionName(prepared.events.value(0).result.decision));
    };
    QCOMPARE(decide(u"granted"_s, false), u"forward"_s);
    QCOMPARE(decide(u"stranger"_s, false), u"no_consent"_s);
    QCOMPARE(decide(u"withdrawn"_s, false), u"consent_withdrawn"_s);
    QCOMPARE(decide(u"granted"_s, true), u"gpc"_s); // Sec-GPC beats a grant
    // The event's own claim of consent is not a field cs-event/1 knows: it cannot sneak past.
    const EventIngestor::Prepared claimed =
        m_ingestor->prepareEvents(request(R"({"event":"Lead","visitor_id":"stranger","consent":{"ads":true}})"));
    QCOMPARE(claimed.events.value(0).result.reasons, QStringList{u"no_consent"_s});

    // Under unless_opted_out, no record is enough, but withdrawal and GPC still block.
    IngestConfig config = m_ingestor->config();
    config.consentPolicy = ConsentPolicy::UnlessOptedOut;
    m_ingestor->setConfig(config);
    QCOMPARE(decide(u"stranger"_s, false), u"forward"_s);
    QCOMPARE(decide(u"withdrawn"_s, false), u"consent_withdrawn"_s);
    QCOMPARE(decide(u"stranger"_s, true), u"gpc"_s);
}

void TestEventIngestor::laterWithdrawalsAlwaysWin()
{
    // A grant only replaces what is newer than what is recorded; a withdrawal always wins when it arrives later,
    // whatever its (client's) clock says: a skewed clock must not keep a visitor's events flowing.
    grant(u"v"_s, true, now - 10);
    grant(u"v"_s, true, now - 20); // an older grant arriving late changes nothing
    QCOMPARE(m_consent->consentFor(u"v"_s).value()->recordedAt, now - 10);
    grant(u"v"_s, false, now - 30); // an "older" withdrawal arriving later still withdraws
    QCOMPARE(m_consent->consentFor(u"v"_s).value()->ads, false);
    grant(u"v"_s, true, now - 40); // and an older grant does not undo it
    QCOMPARE(m_consent->consentFor(u"v"_s).value()->ads, false);
    grant(u"v"_s, true, now - 5); // a newer one does
    QCOMPARE(m_consent->consentFor(u"v"_s).value()->ads, true);
    // A grant sent with Sec-GPC is recorded as a withdrawal.
    IngestRequest withGpc = request(R"({"visitor_id":"w","ads":true,"source":"banner"})", true);
    const EventIngestor::Prepared prepared = m_ingestor->prepareConsent(withGpc);
    QVERIFY(!prepared.answer);
    QCOMPARE(prepared.consentRecord.ads, false);
    QCOMPARE(prepared.consentRecord.recordedAt, now);

    const EventIngestor::Prepared bad = m_ingestor->prepareConsent(request(R"({"visitor_id":"w","ads":"yes"})"));
    QVERIFY(bad.answer);
    QCOMPARE(bad.answer->status, 400);
    QCOMPARE(QJsonDocument::fromJson(bad.answer->body).object().value("error"_L1).toString(),
             u"unexpected field \"ads\" or wrong type; a consent record has visitor_id (string), ads (true or false), "
             "source and timestamp"_s);
    // The visitor id is not stored as such, only its keyed hash.
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"SELECT visitor FROM consent"_s) && query.next());
    QCOMPARE(query.value(0).toString(), m_store->hasher().hash(u"v"_s));
}

void TestEventIngestor::batchReportsEachInvalidEvent()
{
    grant(u"v"_s, true);
    const QJsonObject answer = post(R"({"events":[{"event":"Lead","event_id":"a","visitor_id":"v"},)"
                                    R"({"event":""},{"event":"Lead","event_id":"b","visitor_id":"v"}]})");
    QCOMPARE(answer.value("status"_L1).toInt(), 202);
    const QJsonObject body = answer.value("body"_L1).toObject();
    QCOMPARE(body.value("accepted"_L1).toInt(), 2);
    const QJsonArray rejected = body.value("rejected"_L1).toArray();
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected.at(0).toObject().value("index"_L1).toInt(), 1);
    QVERIFY(!rejected.at(0).toObject().value("error"_L1).toString().isEmpty());
    QCOMPARE(queuedItems().size(), 2);
    const QHash<QString, qint64> counters = m_store->counters();
    QCOMPARE(counters.value(u"received"_s), 3);
    QCOMPARE(counters.value(u"queued"_s), 2);
    QCOMPARE(counters.value(u"rejected_invalid"_s), 1);
}

void TestEventIngestor::queuesExactlyWhatTheSanitizerPreviews()
{
    grant(u"v-1"_s, true);
    const QByteArray event =
        R"({"event":"BookedGLP1Consultation","event_id":"evt-9","event_time":1789999990,"visitor_id":"v-1",)"
        R"("page":{"url":"https://clinic.example/services/semaglutide-weight-loss/book?ttclid=E.C.P.xyz"},)"
        R"("user":{"email":"pat@example.com"},"properties":{"value":150,"currency":"USD"}})";
    QCOMPARE(post(event).value("status"_L1).toInt(), 202);
    const Expected<RawEvent> parsed = EventParser::parse(event);
    QVERIFY(parsed);
    const SanitizeResult preview = m_sanitizer->sanitize(*parsed);
    QCOMPARE(preview.decision, Decision::Forward);
    QCOMPARE(queuedItems(), QList<QByteArray>{preview.item});
    QCOMPARE(preview.item, QByteArray(R"({"event":"Schedule","event_time":1789999990,"event_id":"evt-9",)"
                                      R"("user":{"ttclid":"E.C.P.xyz"},"page":{"url":"https://clinic.example/"},)"
                                      R"("properties":{"value":150,"currency":"USD"}})"));
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"SELECT pixel_id, event_id, rules_revision, test_event_code FROM outbox"_s) && query.next());
    QCOMPARE(query.value(0).toString(), pixel);
    QCOMPARE(query.value(1).toString(), u"evt-9"_s);
    QCOMPARE(query.value(2).toInt(), 4);
    QCOMPARE(query.value(3).toString(), QString());

    // The audit trail says what happened and why, with field names and keyed hashes only.
    QVERIFY(query.exec(u"SELECT record FROM audit WHERE kind = 'events' ORDER BY seq DESC LIMIT 1"_s) && query.next());
    const QJsonArray events = QJsonDocument::fromJson(query.value(0).toByteArray()).object().value("events"_L1).toArray();
    QCOMPARE(events.size(), 1);
    const KeyedHasher& hasher = m_consent->hasher();
    QCOMPARE(events.first().toObject(),
             (QJsonObject{{u"decision"_s, u"forward"_s},
                          {u"consent"_s, u"consented"_s},
                          {u"rules_revision"_s, 4},
                          {u"event_key"_s, hasher.hash(u"evt-9")},
                          {u"visitor_key"_s, hasher.hash(u"v-1")},
                          {u"tiktok_event"_s, u"Schedule"_s},
                          {u"rule"_s, u"mappings[booking]"_s},
                          {u"fields"_s, QJsonArray{u"event"_s, u"event_time"_s, u"event_id"_s, u"user.ttclid"_s,
                                                   u"page.url"_s, u"properties.value"_s, u"properties.currency"_s}}}));
}

void TestEventIngestor::duplicatesAreDroppedAndEventsWithoutIdGetOne()
{
    grant(u"v"_s, true);
    QCOMPARE(post(R"({"event":"Lead","event_id":"same","visitor_id":"v"})").value("status"_L1).toInt(), 202);
    QCOMPARE(post(R"({"event":"Lead","event_id":"same","visitor_id":"v"})").value("status"_L1).toInt(), 202);
    QCOMPARE(post(R"({"event":"Lead","visitor_id":"v"})").value("status"_L1).toInt(), 202);
    const QList<QByteArray> items = queuedItems();
    QCOMPARE(items.size(), 2);
    const QString generated = QJsonDocument::fromJson(items.at(1)).object().value("event_id"_L1).toString();
    QVERIFY2(generated.startsWith(u"cs-"_s) && generated.size() == 39, qPrintable(generated));
    QCOMPARE(m_store->counters().value(u"dropped:duplicate_event_id"_s), 1);
}

void TestEventIngestor::fullQueueIsRefused()
{
    grant(u"v"_s, true);
    IngestConfig config = m_ingestor->config();
    config.maxQueuedEvents = 1;
    m_ingestor->setConfig(config);
    QCOMPARE(post(R"({"event":"Lead","event_id":"1","visitor_id":"v"})").value("status"_L1).toInt(), 202);
    const QJsonObject refused = post(R"({"event":"Lead","event_id":"2","visitor_id":"v"})");
    QCOMPARE(refused.value("status"_L1).toInt(), 503);
    QCOMPARE(refused.value("body"_L1).toObject().value("error"_L1).toString(),
             u"the relay's queue is full (TikTok has not accepted events for a while); try again later"_s);
}

void TestEventIngestor::nothingOnDiskHoldsTheEventsValues()
{
    grant(u"visitor-needle-7731"_s, true);
    const QStringList needles = {u"visitor-needle-7731"_s, u"semaglutide"_s, u"pat.needle@example.com"_s,
                                 u"Needleton"_s,           u"555-0199"_s,    u"E11.9"_s};
    post(R"({"events":[{"event":"BookedGLP1Consultation","event_id":"n-1","visitor_id":"visitor-needle-7731",)"
         R"("page":{"url":"https://clinic.example/services/semaglutide/book","title":"Semaglutide | E11.9"},)"
         R"("user":{"email":"pat.needle@example.com","phone":"555-0199","last_name":"Needleton"},)"
         R"("form":{"diagnosis":"E11.9"}},)"
         R"({"event":"Lead","event_id":"n-2","visitor_id":"someone-else",)"
         R"("page":{"url":"https://clinic.example/semaglutide?email=pat.needle@example.com"}}]})");
    QCOMPARE(m_store->counters().value(u"received"_s), 2);
    // Every byte the workspace wrote: the database and its write-ahead log.
    m_recorder.reset();
    m_ingestor.reset();
    m_consent.reset();
    m_store.reset();
    QByteArray bytes;
    QDirIterator files(m_dir.path(), {u"nothingOnDiskHoldsTheEventsValues-*.csdb*"_s}, QDir::Files);
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        bytes += file.readAll();
    }
    QVERIFY(bytes.size() > 4096);
    for (const QString& needle : needles)
        QVERIFY2(!bytes.contains(needle.toUtf8()), qPrintable(needle));
}

void TestEventIngestor::unreadableConsentFailsClosed()
{
    IngestConfig config = m_ingestor->config();
    config.consentPolicy = ConsentPolicy::UnlessOptedOut; // where "no record" would mean "send"
    m_ingestor->setConfig(config);
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"ALTER TABLE consent RENAME TO consent_elsewhere"_s));
    const EventIngestor::Prepared prepared =
        m_ingestor->prepareEvents(request(R"({"event":"Lead","event_id":"x","visitor_id":"withdrew"})"));
    QVERIFY(prepared.answer);
    QCOMPARE(prepared.answer->status, 503);
    QCOMPARE(QJsonDocument::fromJson(prepared.answer->body).object().value("error"_L1).toString(),
             u"the relay could not read its consent records; send the events again later"_s);
    QVERIFY(prepared.events.isEmpty());
}

QTEST_GUILESS_MAIN(TestEventIngestor)
#include "TestEventIngestor.moc"
