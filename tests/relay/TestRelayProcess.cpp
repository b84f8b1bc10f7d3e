// SPDX-License-Identifier: GPL-3.0-or-later
// The real relay process (clearsignal-cli relay) against the real fake-events-api process: what reaches TikTok,
// what the relay keeps on disk and prints, how it rides out TikTok's faults, how it answers bad requests.
#include "RelayHarness.h"

#include "phi/ValueDecoding.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QUuid>

using namespace ClearSignal;
using namespace ClearSignal::RelayTests;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 corpusNow = 1795305600; // the corpus's fixed "now": 2026-11-22T00:00:00Z

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray batchOf(const QList<QJsonObject>& events)
{
    QJsonArray array;
    for (const QJsonObject& event : events)
        array.append(event);
    return compact(QJsonObject{{"events"_L1, array}});
}

/// A conversion as the collector sends it, on the site's own pages.
QJsonObject conversion(const QString& name, const QString& id, const QString& visitor, qint64 time)
{
    QJsonObject event{{"event"_L1, name},
                      {"event_id"_L1, id},
                      {"event_time"_L1, time},
                      {"page"_L1, QJsonObject{{"url"_L1, u"https://clinic.example/contact"_s}}},
                      {"properties"_L1, QJsonObject{{"value"_L1, 150}, {"currency"_L1, u"USD"_s}}}};
    if (!visitor.isEmpty())
        event.insert("visitor_id"_L1, visitor);
    return event;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Moves every event_time of a corpus line by `offset` seconds, keeping its form (Unix seconds or ISO-8601 with
/// its zone), so "too old" and "in the future" mean against the real clock what they meant against corpusNow.
QByteArray shiftEventTime(const QByteArray& line, qint64 offset)
{
    static const QRegularExpression number(u"\"event_time\":(-?\\d+)([,}])"_s);
    static const QRegularExpression iso(u"\"event_time\":\"([^\"]+)\""_s);
    QString text = QString::fromUtf8(line);
    if (const QRegularExpressionMatch match = number.match(text); match.hasMatch()) {
        text.replace(match.capturedStart(1), match.capturedLength(1),
                     QString::number(match.captured(1).toLongLong() + offset));
    } else if (const QRegularExpressionMatch match = iso.match(text); match.hasMatch()) {
        const QDateTime time = QDateTime::fromString(match.captured(1), Qt::ISODateWithMs);
        if (time.isValid()) {
            const QDateTime shifted = time.addSecs(offset).toOffsetFromUtc(time.offsetFromUtc());
            const QString original = match.captured(1);
            const QString format =
                original.contains(u'.') ? u"yyyy-MM-dd'T'HH:mm:ss.zzz"_s : u"yyyy-MM-dd'T'HH:mm:ss"_s;
            const QString zone = original.endsWith(u'Z') ? u"Z"_s : original.right(6); // "-06:00"
            text.replace(match.capturedStart(1), match.capturedLength(1), shifted.toString(format) + zone);
        }
    }
    return text.toUtf8();
}

/// The forms a planted value could take on disk or in a log besides itself: percent-encoded (a URL kept whole)
/// and JSON-escaped (a value kept inside a JSON text). Lowercase, like the haystacks they are looked for in.
QList<QByteArray> needleForms(const QString& needle)
{
    const QString lower = needle.toLower();
    QList<QByteArray> forms{lower.toUtf8(), QUrl::toPercentEncoding(lower).toLower(),
                            QUrl::toPercentEncoding(lower, " ").replace(' ', '+').toLower()};
    QByteArray escaped;
    for (const QChar c : lower) {
        if (c.unicode() < 0x80)
            escaped += char(c.unicode());
        else
            escaped += u"\\u%1"_s.arg(c.unicode(), 4, 16, QChar(u'0')).toLatin1();
    }
    forms.append(escaped);
    std::sort(forms.begin(), forms.end());
    forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
    return forms;
}

/// A text searched for planted values: lowercased, and again with its percent-encoding undone (up to 4 layers).
struct Haystack
{
    QString name;
    QByteArray lower;
    QString decoded;

    Haystack(QString haystackName, const QByteArray& content)
        : name(std::move(haystackName)), lower(content.toLower()),
          decoded(ValueDecoding::percentDecodeRepeatedly(QString::fromUtf8(content), true, 4).toLower())
    {}
    bool contains(const QString& needle) const
    {
        const QList<QByteArray> forms = needleForms(needle);
        return std::any_of(forms.begin(), forms.end(), [&](const QByteArray& form) { return lower.contains(form); }) ||
               decoded.contains(needle.toLower());
    }
    /// Some text around the first raw occurrence, to tell where in a record a value was kept.
    QString around(const QString& needle) const
    {
        const qsizetype at = lower.indexOf(needle.toLower().toUtf8());
        if (at < 0)
            return {};
        const qsizetype from = std::max<qsizetype>(0, at - 60);
        return QString::fromUtf8(lower.mid(from, at - from + needle.size() + 20)).simplified();
    }
};

} // namespace

class TestRelayProcess final : public QObject
{
    Q_OBJECT

private slots:
    void deliversExactlyTheConsentedPreviewOnce();
    void keepsNoPhiOnDiskOrInLogs();
    void recoversFromFaultsAndDeadLettersThePoisonedEvent();
    void answersBadRequestsClearly();
    void importsConversionsAndReplaysDeadLetters();

private:
    static void verifyCleanStop(RelayHarness& relay);
};

void TestRelayProcess::verifyCleanStop(RelayHarness& relay)
{
    const RelayExit exit = relay.stopRelay();
    QVERIFY2(exit.finished, exit.output.constData());
    QCOMPARE(exit.status, QProcess::NormalExit);
    QCOMPARE(exit.exitCode, 0);
    QVERIFY2(exit.output.contains("Relay stopped.\n"), exit.output.constData());
}

void TestRelayProcess::deliversExactlyTheConsentedPreviewOnce()
{
    RelayHarness relay;
    const Status up = relay.setUp(u"med-spa"_s);
    QVERIFY2(up, qPrintable(up.errorMessage()));
    const Headers ingest = relay.ingestHeaders();

    // Consent as the banner reports it. Carol withdraws her grant; Dave's grant arrives with GPC, which makes it a
    // withdrawal.
    const auto consent = [&](const QString& visitor, bool ads, const Headers& extra) -> HttpReply {
        const QJsonObject record{{"visitor_id"_L1, visitor}, {"ads"_L1, ads}, {"source"_L1, u"banner"_s}};
        return relay.send("POST", u"/v1/consent"_s, compact(record), ingest + extra);
    };
    for (const auto& [visitor, ads, extra] :
         {std::tuple{u"v-alice"_s, true, Headers{}}, std::tuple{u"v-bob"_s, true, Headers{}},
          std::tuple{u"v-carol"_s, true, Headers{}}, std::tuple{u"v-carol"_s, false, Headers{}},
          std::tuple{u"v-dave"_s, true, Headers{{"Sec-GPC", "1"}}}}) {
        const HttpReply answer = consent(visitor, ads, extra);
        QCOMPARE(answer.status, 204);
        QVERIFY(answer.body.isEmpty());
    }

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 time = now - 120;
    QJsonObject aliceLead = conversion(u"Lead"_s, u"e-lead-alice"_s, u"v-alice"_s, time);
    aliceLead.insert(
        "page"_L1,
        QJsonObject{{"url"_L1, u"https://clinic.example/contact?utm_source=tiktok&ttclid=E.C.P.Cq47caGOQkYKmCJTViul"_s},
                    {"title"_L1, u"Contact us"_s}});
    QJsonObject bobBooking = conversion(u"book_appointment"_s, u"e-book-bob"_s, u"v-bob"_s, time);
    bobBooking.insert("page"_L1, QJsonObject{{"url"_L1, u"https://clinic.example/book/consultation"_s}});
    QJsonObject alicePurchase = conversion(u"Purchase"_s, u"e-purchase-alice"_s, u"v-alice"_s, time);
    alicePurchase.insert("properties"_L1, QJsonObject{{"value"_L1, 300.5}, {"currency"_L1, u"USD"_s}});
    const QJsonObject bobCall = conversion(u"click_to_call"_s, u"e-call-bob"_s, u"v-bob"_s, time);

    const QList<QJsonObject> mixed = {
        aliceLead,                                                              // 0 forwarded
        bobBooking,                                                             // 1 forwarded
        conversion(u"Lead"_s, u"e-lead-nobody"_s, u"v-nobody"_s, time),         // 2 no consent record
        conversion(u"Lead"_s, u"e-lead-carol"_s, u"v-carol"_s, time),           // 3 withdrawn
        QJsonObject{{"event"_L1, 42}, {"event_id"_L1, u"e-invalid-type"_s}},    // 4 invalid
        aliceLead,                                                              // 5 same event_id again
        QJsonObject{{"event_id"_L1, u"e-invalid-missing"_s}},                   // 6 invalid
        alicePurchase,                                                          // 7 forwarded
        conversion(u"scroll_depth"_s, u"e-scroll-alice"_s, u"v-alice"_s, time), // 8 unmapped
        conversion(u"Lead"_s, u"lead-ozempic-7"_s, u"v-alice"_s, time),         // 9 quarantined
        conversion(u"Lead"_s, u"e-lead-dave"_s, u"v-dave"_s, time),             // 10 GPC grant = withdrawn
        conversion(u"Lead"_s, u"e-lead-anonymous"_s, QString(), time),          // 11 no visitor, no consent
    };
    const HttpReply accepted = relay.send("POST", u"/v1/events"_s, batchOf(mixed), ingest);
    QCOMPARE(accepted.status, 202);
    QCOMPARE(accepted.header("Access-Control-Allow-Origin"), RelayHarness::site.toUtf8());
    QCOMPARE(accepted.json().value("accepted"_L1).toInt(), 10);
    const QJsonArray rejected = accepted.json().value("rejected"_L1).toArray();
    QCOMPARE(rejected.size(), 2);
    QCOMPARE(rejected.at(0).toObject().value("index"_L1).toInt(), 4);
    QCOMPARE(rejected.at(0).toObject().value("error"_L1).toString(), u"event must be a string, not a number"_s);
    QCOMPARE(rejected.at(1).toObject().value("index"_L1).toInt(), 6);
    QCOMPARE(rejected.at(1).toObject().value("error"_L1).toString(),
             u"event is required: the name of what happened, such as \"Lead\""_s);

    // Consent granted, but this request carries GPC: the browser's objection wins.
    const HttpReply gpc =
        relay.send("POST", u"/v1/events"_s, batchOf({conversion(u"Lead"_s, u"e-gpc-alice"_s, u"v-alice"_s, time)}),
                   ingest + Headers{{"Sec-GPC", "1"}});
    QCOMPARE(gpc.status, 202);
    QCOMPARE(gpc.body, QByteArray("{\"accepted\":1,\"rejected\":[]}"));
    // The same event_id in a later request: dropped whether it is still queued or already delivered.
    QCOMPARE(relay.send("POST", u"/v1/events"_s, compact(bobBooking), ingest).status, 202);
    // sendBeacon: text/plain, the key in the query.
    const HttpReply beacon =
        relay.send("POST", u"/v1/events?key="_s + relay.ingestKey(), compact(bobCall),
                   {{"Content-Type", "text/plain;charset=UTF-8"}, {"Origin", RelayHarness::site.toUtf8()}});
    QCOMPARE(beacon.status, 202);
    QCOMPARE(beacon.body, QByteArray("{\"accepted\":1,\"rejected\":[]}"));

    // Refusals: each a JSON {"error"} saying what to fix, and none of their events counted or sent.
    const QByteArray refusedEvent = compact(conversion(u"Lead"_s, u"e-refused"_s, u"v-alice"_s, time));
    QList<QJsonObject> tooMany;
    for (int i = 0; i < 501; ++i)
        tooMany.append(conversion(u"Lead"_s, u"e-many-%1"_s.arg(i), u"v-alice"_s, time));
    QJsonObject huge = conversion(u"Lead"_s, u"e-huge"_s, u"v-alice"_s, time);
    huge.insert("form"_L1, QJsonObject{{"message"_L1, QString(1024 * 1024, u'a')}});
    struct Refusal
    {
        const char* what;
        QByteArray body;
        Headers headers;
        int status;
        QString error; // the whole message, or its start when it ends with "..."
    };
    const QList<Refusal> refusals = {
        {"wrong key",
         refusedEvent,
         {{"Content-Type", "application/json"}, {"X-ClearSignal-Key", "not-the-key"}},
         401,
         u"wrong ingest key: copy the key from the workspace (clearsignal-cli workspace show)"_s},
        {"no key", refusedEvent, {{"Content-Type", "application/json"}}, 401, u"no ingest key: ..."_s},
        {"foreign origin",
         refusedEvent,
         {{"Content-Type", "application/json"},
          {"X-ClearSignal-Key", relay.ingestKey().toUtf8()},
          {"Origin", "https://evil.example"}},
         403,
         u"the origin https://evil.example is not allowed to send events; ..."_s},
        {"bad JSON", "{\"events\": [" + refusedEvent, ingest, 400, QString()},
        {"wrong content type",
         refusedEvent,
         {{"Content-Type", "text/html"}, {"X-ClearSignal-Key", relay.ingestKey().toUtf8()}},
         415,
         u"send application/json or text/plain, not text/html"_s},
        {"over 1 MiB", compact(huge), ingest, 413,
         u"the request is larger than 1 MiB; send fewer events per request"_s},
        {"501 events", batchOf(tooMany), ingest, 413, u"501 events in one request; send at most 500"_s},
    };
    for (const Refusal& refusal : refusals) {
        const HttpReply answer = relay.send("POST", u"/v1/events"_s, refusal.body, refusal.headers);
        QVERIFY2(answer.status == refusal.status, qPrintable(u"%1: %2 %3"_s.arg(QLatin1StringView(refusal.what))
                                                                 .arg(answer.status)
                                                                 .arg(QString::fromUtf8(answer.body))));
        QVERIFY2(answer.header("Content-Type").startsWith("application/json"), refusal.what);
        const QString error = answer.json().value("error"_L1).toString();
        QVERIFY2(!error.isEmpty(), refusal.what);
        if (refusal.error.endsWith("..."_L1))
            QVERIFY2(error.startsWith(refusal.error.chopped(3)), qPrintable(error));
        else if (!refusal.error.isEmpty())
            QCOMPARE(error, refusal.error);
    }

    // Exactly the consented, valid, first-seen events arrive, each once.
    QStringList expected = {u"e-book-bob"_s, u"e-call-bob"_s, u"e-lead-alice"_s, u"e-purchase-alice"_s};
    QVERIFY2(RelayHarness::waitUntil([&] { return relay.fakeAccepted().size() >= expected.size(); }, 20000),
             qPrintable(QString::fromUtf8(QJsonDocument(relay.health()).toJson())));
    QVERIFY(RelayHarness::waitUntil([&] { return relay.relayIdle(); }, 10000));
    const QJsonArray delivered = relay.fakeAccepted();
    QStringList ids = acceptedEventIds(delivered);
    ids.sort();
    QCOMPARE(ids, expected);

    // Each is what `clearsignal-cli sanitize` previews for it under the workspace's rules.
    const Expected<QString> rules = RelayHarness::writeWorkspaceRules(u"med-spa"_s, relay.filePath(u"rules.json"_s));
    QVERIFY2(rules, qPrintable(rules.errorMessage()));
    const QByteArray input = compact(aliceLead) + '\n' + compact(bobBooking) + '\n' + compact(alicePurchase) + '\n' +
                             compact(bobCall) + '\n';
    const CliResult preview = RelayHarness::runCli(
        {u"sanitize"_s, u"--rules"_s, *rules, u"--now"_s, QString::number(QDateTime::currentSecsSinceEpoch())}, input);
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.describe()));
    QHash<QString, QJsonObject> previewed;
    for (const QByteArray& line : preview.out.trimmed().split('\n')) {
        const QJsonObject result = QJsonDocument::fromJson(line).object();
        QCOMPARE(result.value("decision"_L1).toString(), u"forward"_s);
        previewed.insert(result.value("event_id"_L1).toString(), result.value("tiktok"_L1).toObject());
    }
    QCOMPARE(previewed.size(), 4);
    for (const QJsonValue& value : delivered) {
        const QJsonObject accepted = value.toObject();
        const QJsonObject item = accepted.value("item"_L1).toObject();
        QCOMPARE(compact(item), compact(previewed.value(item.value("event_id"_L1).toString())));
        QCOMPARE(accepted.value("event_source"_L1).toString(), u"web"_s);
        QCOMPARE(accepted.value("event_source_id"_L1).toString(), RelayHarness::pixelId);
        QVERIFY(!accepted.contains("test_event_code"_L1));
    }
    // The ttclid left the URL for user.ttclid; the URL kept only the origin.
    const QJsonObject lead = previewed.value(u"e-lead-alice"_s);
    QCOMPARE(lead.value("user"_L1).toObject().value("ttclid"_L1).toString(), u"E.C.P.Cq47caGOQkYKmCJTViul"_s);
    QCOMPARE(lead.value("page"_L1).toObject().value("url"_L1).toString(), u"https://clinic.example/"_s);

    // Every request passed the fake's checks: the token, then TikTok's schema; nothing was sent twice.
    const QJsonArray requests = relay.fakeRequests();
    QVERIFY(!requests.isEmpty());
    int sentItems = 0;
    for (const QJsonValue& value : requests) {
        const QJsonObject request = value.toObject();
        const QString where = QString::fromUtf8(compact(request));
        QVERIFY2(request.value("token"_L1).toString() == "matched"_L1, qPrintable(where));
        QVERIFY2(request.value("http_status"_L1).toInt() == 200 && request.value("code"_L1).toInteger(-1) == 0,
                 qPrintable(where));
        QCOMPARE(request.value("method"_L1).toString(), u"POST"_s);
        sentItems += request.value("events"_L1).toInt();
    }
    QCOMPARE(sentItems, 4);

    const QJsonObject health = relay.health();
    QCOMPARE(health.value("received"_L1).toInt(), 15); // 12 + the GPC, duplicate and beacon requests
    QCOMPARE(health.value("delivered"_L1).toInt(), 4);
    QCOMPARE(health.value("queue_depth"_L1).toInt(), 0);
    QCOMPARE(health.value("quarantined"_L1).toInt(), 1);
    QCOMPARE(health.value("rejected_invalid"_L1).toInt(), 2);
    QCOMPARE(health.value("dead_lettered"_L1).toInt(), 0);
    QCOMPARE(health.value("resent_after_restart"_L1).toInt(), 0);
    QCOMPARE(compact(health.value("dropped"_L1).toObject()), compact(QJsonObject{{"no_consent"_L1, 2},
                                                                                 {"consent_withdrawn"_L1, 2},
                                                                                 {"gpc"_L1, 1},
                                                                                 {"duplicate_event_id"_L1, 2},
                                                                                 {"unmapped_event"_L1, 1}}));
    verifyCleanStop(relay);
    if (QTest::currentTestFailed())
        return;
}

void TestRelayProcess::keepsNoPhiOnDiskOrInLogs()
{
    RelayHarness relay;
    QVERIFY(QDir().exists(QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR)));
    Status step = relay.startFake();
    QVERIFY2(step, qPrintable(step.errorMessage()));
    step = relay.createWorkspace(u"glp1-clinic"_s, {u"consent_policy=unless_opted_out"_s});
    QVERIFY2(step, qPrintable(step.errorMessage()));
    // Before any event: what the workspace holds of itself (the rules name "glp-1" in a mapping pattern).
    const Haystack pristine(u"the new workspace"_s, readFile(relay.workspacePath()));
    step = relay.startRelay();
    QVERIFY2(step, qPrintable(step.errorMessage()));

    const QJsonObject expect =
        QJsonDocument::fromJson(readFile(QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/corpus/glp1-clinic.expect.json")))
            .object();
    const QList<QByteArray> corpus =
        readFile(QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/corpus/glp1-clinic.ndjson")).split('\n');
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QByteArray shifted;
    int answered = 0;
    for (const QByteArray& original : corpus) {
        const QByteArray line = shiftEventTime(original, now - corpusNow);
        shifted += line + '\n';
        if (line.trimmed().isEmpty())
            continue;
        const HttpReply answer = relay.send("POST", u"/v1/events"_s, line, relay.ingestHeaders());
        QVERIFY2(answer.status == 202 || answer.status == 400, answer.body.constData());
        ++answered;
    }
    QVERIFY(answered >= 40);

    // The relay forwards exactly what the preview forwards for the same events and rules.
    const Expected<QString> rules =
        RelayHarness::writeWorkspaceRules(u"glp1-clinic"_s, relay.filePath(u"rules.json"_s));
    QVERIFY2(rules, qPrintable(rules.errorMessage()));
    const CliResult preview =
        RelayHarness::runCli({u"sanitize"_s, u"--rules"_s, *rules, u"--now"_s, QString::number(now)}, shifted);
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.describe()));
    QHash<qint64, QString> decisions;
    QStringList forwarded;
    for (const QByteArray& line : preview.out.trimmed().split('\n')) {
        const QJsonObject result = QJsonDocument::fromJson(line).object();
        decisions.insert(result.value("line"_L1).toInteger(), result.value("decision"_L1).toString());
        if (result.value("decision"_L1).toString() == "forward"_L1)
            forwarded.append(result.value("event_id"_L1).toString());
    }
    // The shift kept every decision the corpus expects (too old stays too old, the future stays ahead).
    for (const QJsonValue& value : expect.value("events"_L1).toArray()) {
        const QJsonObject line = value.toObject();
        QVERIFY2(decisions.value(line.value("line"_L1).toInteger()) == line.value("decision"_L1).toString(),
                 qPrintable(QString::fromUtf8(compact(line))));
    }
    QVERIFY2(forwarded.size() >= 20, "too few events forwarded for the check to mean anything");
    forwarded.sort();
    QVERIFY(RelayHarness::waitUntil([&] { return relay.fakeAccepted().size() >= forwarded.size(); }, 20000));
    QVERIFY(RelayHarness::waitUntil([&] { return relay.relayIdle(); }, 10000));
    QStringList delivered = acceptedEventIds(relay.fakeAccepted());
    delivered.sort();
    QCOMPARE(delivered, forwarded);

    // Every file of the workspace (the database, its WAL and shared memory), while the relay runs and after it
    // stopped and folded the WAL in, and everything the relay printed.
    QList<Haystack> files;
    const QFileInfo workspace(relay.workspacePath());
    const auto snapshot = [&](const QString& when) {
        for (const QFileInfo& file :
             workspace.dir().entryInfoList({workspace.fileName() + u'*'}, QDir::Files | QDir::Hidden))
            files.append(Haystack(file.fileName() + when, readFile(file.filePath())));
    };
    snapshot(u" (relay running)"_s);
    QVERIFY(files.size() >= 2); // the WAL exists while the relay runs
    verifyCleanStop(relay);
    if (QTest::currentTestFailed())
        return;
    snapshot(u" (relay stopped)"_s);
    const Haystack log(u"the relay's output"_s, relay.relayOutput());
    QVERIFY(log.lower.contains("relay listening on"));

    // Each planted value once, with the corpus lines that planted it.
    QMap<QString, QStringList> needles;
    for (const QJsonValue& value : expect.value("events"_L1).toArray()) {
        const QJsonObject line = value.toObject();
        for (const QJsonValue& needle : line.value("needles"_L1).toArray())
            needles[needle.toString().toLower()].append(QString::number(line.value("line"_L1).toInteger()));
    }
    QVERIFY(needles.size() >= 30);
    const auto where = [&](const QString& needle) -> QString {
        return u"\"%1\" (planted on corpus line %2)"_s.arg(needle, needles.value(needle).join(u", "_s));
    };
    QStringList leaks;
    for (auto it = needles.cbegin(); it != needles.cend(); ++it) {
        if (log.contains(it.key()))
            leaks.append(where(it.key()) + u" in "_s + log.name);
        // A term of the rules themselves is in the file before any event: the tables below are searched for it.
        if (pristine.contains(it.key()))
            continue;
        for (const Haystack& file : std::as_const(files)) {
            if (file.contains(it.key()))
                leaks.append(where(it.key()) + u" in the file "_s + file.name);
        }
    }

    // Row by row, every table but the rules revisions (which hold the template, not a visitor's data).
    {
        const QString connection = QUuid::createUuid().toString();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(relay.workspacePath());
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
            QVERIFY(db.open());
            QSqlQuery tables(db);
            QVERIFY(tables.exec(u"SELECT name FROM sqlite_master WHERE type = 'table'"_s));
            QStringList names;
            while (tables.next())
                names.append(tables.value(0).toString());
            QVERIFY(names.contains(u"audit"_s) && names.contains(u"outbox"_s));
            for (const QString& table : std::as_const(names)) {
                if (table == "rules_revisions"_L1)
                    continue;
                QSqlQuery rows(db);
                QVERIFY(rows.exec(u"SELECT * FROM "_s + table));
                QByteArray content;
                while (rows.next()) {
                    for (int column = 0; column < rows.record().count(); ++column)
                        content += rows.value(column).toByteArray() + '\n';
                }
                const Haystack rowsText(u"the table "_s + table, content);
                for (auto it = needles.cbegin(); it != needles.cend(); ++it) {
                    if (rowsText.contains(it.key()))
                        leaks.append(where(it.key()) + u" in "_s + rowsText.name + u": ..."_s +
                                     rowsText.around(it.key()) + u"..."_s);
                }
                if (table == "audit"_L1)
                    QVERIFY2(rowsText.lower.contains("\"decision\":\"forward\""), "the audit trail records decisions");
            }
        }
        QSqlDatabase::removeDatabase(connection);
    }
    QVERIFY2(leaks.isEmpty(), qPrintable(u"planted PHI kept by the relay:\n"_s + leaks.join(u'\n')));
}

void TestRelayProcess::recoversFromFaultsAndDeadLettersThePoisonedEvent()
{
    RelayHarness relay;
    const Status up = relay.setUp(u"med-spa"_s, {u"consent_policy=unless_opted_out"_s});
    QVERIFY2(up, qPrintable(up.errorMessage()));
    // Consumed one per request, in arrival order. At most three failures in a row (the breaker opens at five, for
    // a minute): the drop is normally invisible, Qt resending the POST once on a fresh connection.
    const QJsonArray faults = {
        QJsonObject{{"kind"_L1, u"timeout"_s}}, QJsonObject{{"kind"_L1, u"http_status"_s}, {"status"_L1, 502}},
        QJsonObject{{"kind"_L1, u"code"_s}, {"code"_L1, 40100}}, QJsonObject{{"kind"_L1, u"drop"_s}},
        QJsonObject{{"kind"_L1, u"slow"_s}, {"ms"_L1, 1500}}};
    QVERIFY(relay.queueFaults(faults));
    const QString poison = u"f-poison"_s;
    QVERIFY(relay.rejectEventId(poison));

    const qint64 time = QDateTime::currentSecsSinceEpoch() - 60;
    QStringList first;
    QList<QJsonObject> firstBatch;
    for (int i = 0; i < 10; ++i) {
        first.append(u"f-%1"_s.arg(i, 2, 10, QChar(u'0')));
        firstBatch.append(conversion(u"Lead"_s, first.last(), u"v-%1"_s.arg(i), time));
    }
    QList<QJsonObject> secondBatch;
    QStringList expected = first;
    for (int i = 10; i < 50; ++i) {
        const QString id = i == 33 ? poison : u"f-%1"_s.arg(i, 2, 10, QChar(u'0'));
        secondBatch.append(conversion(u"Schedule"_s, id, u"v-%1"_s.arg(i), time));
        if (id != poison)
            expected.append(id);
    }
    expected.sort();

    // The first batch takes the timeout (3 s until the relay gives up: request_timeout); the second takes 502, 40100, the drop and
    // the slow answer, which refuses it for the poisoned event: halves are sent until that one is alone.
    QCOMPARE(relay.send("POST", u"/v1/events"_s, batchOf(firstBatch), relay.ingestHeaders()).status, 202);
    QVERIFY(RelayHarness::waitUntil([&] { return !relay.fakeRequests().isEmpty(); }, 10000));
    QCOMPARE(relay.send("POST", u"/v1/events"_s, batchOf(secondBatch), relay.ingestHeaders()).status, 202);
    QVERIFY2(RelayHarness::waitUntil(
                 [&] {
                     const QJsonObject health = relay.health();
                     return health.value("delivered"_L1).toInt() + health.value("dead_lettered"_L1).toInt() == 50 &&
                            relay.relayIdle();
                 },
                 55000),
             qPrintable(QString::fromUtf8(QJsonDocument(relay.health()).toJson())));

    // Each good event accepted, every copy identical, nothing else; the poisoned one never.
    const QJsonArray accepted = relay.fakeAccepted();
    QHash<QString, QByteArray> copies;
    int duplicates = 0;
    for (const QJsonValue& value : accepted) {
        const QJsonObject item = value.toObject().value("item"_L1).toObject();
        const QString id = item.value("event_id"_L1).toString();
        if (copies.contains(id)) {
            ++duplicates;
            QCOMPARE(compact(item), copies.value(id));
        }
        copies.insert(id, compact(item));
    }
    QStringList ids = copies.keys();
    ids.sort();
    QCOMPARE(ids, expected);
    const QJsonObject health = relay.health();
    // A copy may only come from a resend after a restart; this relay never restarted, and no fault here takes
    // events without answering (the timeout and the drop are never judged; the slow answer arrives in time).
    QVERIFY(duplicates <= health.value("resent_after_restart"_L1).toInt());
    QCOMPARE(duplicates, 0);
    QCOMPARE(health.value("delivered"_L1).toInt(), 49);
    QCOMPARE(health.value("dead_lettered"_L1).toInt(), 1);
    QCOMPARE(health.value("received"_L1).toInt(), 50);
    QVERIFY(!health.value("last_tiktok_error"_L1).toString().isEmpty());

    // The faults were consumed in order, by the requests the relay really sent, all with the token.
    const QJsonArray requests = relay.fakeRequests();
    QVERIFY(requests.size() >= 5 + 10); // the faults, then at least one bisection down to the poisoned event
    const QStringList kinds = {u"timeout"_s, u"http_status"_s, u"code"_s, u"drop"_s, u"slow"_s};
    for (int i = 0; i < requests.size(); ++i) {
        const QJsonObject request = requests.at(i).toObject();
        const QString where = QString::fromUtf8(compact(request));
        QVERIFY2(request.value("token"_L1).toString() == "matched"_L1, qPrintable(where));
        QCOMPARE(request.value("fault"_L1).toObject().value("kind"_L1).toString(), kinds.value(i));
        const QStringList sent = request.value("event_ids"_L1).toVariant().toStringList();
        if (i == 0)
            QCOMPARE(sent, first);
        if (i == 1)
            QCOMPARE(sent.size(), 40);
        if (request.value("http_status"_L1).toInt() != 200 || i < 3)
            continue; // faulted before judging
        if (sent.contains(poison)) {
            QVERIFY2(request.value("code"_L1).toInteger() == 40002, qPrintable(where));
            QVERIFY2(request.value("message"_L1).toString().contains(poison), qPrintable(where));
        } else {
            QVERIFY2(request.value("code"_L1).toInteger(-1) == 0, qPrintable(where));
        }
    }
    verifyCleanStop(relay);
    if (QTest::currentTestFailed())
        return;

    const CliResult shown = RelayHarness::runCli({u"workspace"_s, u"show"_s, relay.workspacePath(), u"--json"_s});
    QVERIFY2(shown.exitCode == 0, qPrintable(shown.describe()));
    const QJsonObject counts = QJsonDocument::fromJson(shown.out).object().value("counts"_L1).toObject();
    QCOMPARE(counts.value("dead_letters"_L1).toInt(), 1);
    QCOMPARE(counts.value("dead_lettered"_L1).toInt(), 1);
    QCOMPARE(counts.value("delivered"_L1).toInt(), 49);
    // 40 -> 20 -> 10 -> 5 -> 3 or 2 -> ...: at least five refused batches were split.
    QVERIFY(counts.value("batches_split"_L1).toInt() >= 5);
    // The timed-out first batch once, the second batch after the 502 and after the 40100.
    QVERIFY(counts.value("retries"_L1).toInt() >= 10 + 40 + 40);
    // Nothing waits any more; all fifty were queued once.
    QCOMPARE(counts.value("waiting_for_tiktok"_L1).toInt(), 0);
    QCOMPARE(counts.value("queued"_L1).toInt(), 50);
}

void TestRelayProcess::answersBadRequestsClearly()
{
    RelayHarness relay;
    const Status up = relay.setUp(u"med-spa"_s);
    QVERIFY2(up, qPrintable(up.errorMessage()));

    const HttpReply missing = relay.send("GET", u"/unknown"_s);
    QCOMPARE(missing.status, 404);
    QVERIFY(missing.header("Content-Type").startsWith("application/json"));
    QCOMPARE(missing.json().value("error"_L1).toString(),
             u"no such endpoint; the relay serves /v1/events, /v1/consent, /v1/health and /cs.js"_s);

    const HttpReply put = relay.send("PUT", u"/v1/events"_s, "{}", relay.ingestHeaders());
    QCOMPARE(put.status, 405);
    QCOMPARE(put.header("Allow"), QByteArray("POST, OPTIONS"));
    QCOMPARE(put.json().value("error"_L1).toString(), u"use POST /v1/events or POST /v1/consent"_s);

    const HttpReply preflight = relay.send("OPTIONS", u"/v1/events"_s, {},
                                           {{"Origin", RelayHarness::site.toUtf8()},
                                            {"Access-Control-Request-Method", "POST"},
                                            {"Access-Control-Request-Headers", "content-type, x-clearsignal-key"}});
    QCOMPARE(preflight.status, 204);
    QVERIFY(preflight.body.isEmpty());
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), RelayHarness::site.toUtf8());
    QCOMPARE(preflight.header("Access-Control-Allow-Methods"), QByteArray("POST, OPTIONS"));
    QCOMPARE(preflight.header("Access-Control-Allow-Headers"), QByteArray("Content-Type, X-ClearSignal-Key"));
    QCOMPARE(preflight.header("Vary"), QByteArray("Origin"));
    const HttpReply foreign = relay.send("OPTIONS", u"/v1/events"_s, {}, {{"Origin", "https://evil.example"}});
    QCOMPARE(foreign.status, 403);
    QVERIFY(foreign.header("Access-Control-Allow-Origin").isEmpty());

    const HttpReply script = relay.send("GET", u"/cs.js"_s);
    QCOMPARE(script.status, 200);
    QCOMPARE(script.header("Content-Type"), QByteArray("application/javascript; charset=utf-8"));
    QCOMPARE(script.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QVERIFY(script.body.contains("sendBeacon"));

    const QJsonObject health = relay.health();
    QCOMPARE(health.value("status"_L1).toString(), u"ok"_s);
    QCOMPARE(health.value("received"_L1).toInt(), 0); // none of the above is an event
    verifyCleanStop(relay);
    if (QTest::currentTestFailed())
        return;
}

void TestRelayProcess::importsConversionsAndReplaysDeadLetters()
{
    RelayHarness relay;
    QVERIFY2(relay.startFake(), "fake-events-api did not start");
    const Status created = relay.createWorkspace(u"med-spa"_s, {});
    QVERIFY2(created, qPrintable(created.errorMessage()));
    qputenv("CLEARSIGNAL_TIKTOK_TOKEN", RelayHarness::accessToken.toUtf8());
    const auto write = [&](const QString& name, const QByteArray& text) {
        QFile file(relay.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    const QString today = QDateTime::currentDateTimeUtc().addSecs(-3600).toString(u"yyyy-MM-dd HH:mm"_s);
    write(u"bookings.csv"_s, u"Booking ID,Booked At,Click,Amount,Consent,Notes\n"
                              "B-1,%1,E.C.P.one,150,yes,first visit\n"
                              "B-2,%1,,80,yes,\n"
                              "B-3,%1,,99,no,\n"
                              "B-4,%1,E.C.P.four,60,yes,\n"_s.arg(today).toUtf8());
    write(u"mapping.json"_s, R"({"schema": "clearsignal.conversions/1", "event_source": "crm",
        "event_set_id": "CRMSET00000000000001", "event": "Schedule", "time_format": "yyyy-MM-dd HH:mm",
        "time_zone": "UTC", "currency": "USD", "columns": {"event_id": "Booking ID", "event_time": "Booked At", "ttclid": "Click",
        "value": "Amount", "consent": "Consent"}})");
    // TikTok refuses one of them: it ends as a dead letter, the others are delivered.
    QVERIFY(relay.rejectEventId(u"B-4"_s));
    const QStringList import = {u"import-conversions"_s, u"--workspace"_s, relay.workspacePath(), u"--csv"_s,
                                relay.filePath(u"bookings.csv"_s), u"--mapping"_s, relay.filePath(u"mapping.json"_s)};
    const CliResult first = RelayHarness::runCli(import);
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(QString::fromUtf8(first.out),
             u"4 row(s): 3 queued, 0 quarantined, 0 not readable, 1 dropped (consent_withdrawn)\n"
             "2 event(s) delivered to TikTok; 0 waiting (the relay or the next import retries them)\n"_s);
    QJsonArray accepted = relay.fakeAccepted();
    QCOMPARE(accepted.size(), 2);
    for (const QJsonValue& event : std::as_const(accepted)) {
        QCOMPARE(event.toObject().value("event_source"_L1).toString(), u"crm"_s);
        QCOMPARE(event.toObject().value("event_source_id"_L1).toString(), u"CRMSET00000000000001"_s);
    }
    // The same file again sends nothing twice, and does not retry the refused one (that is replay-dead-letters).
    const CliResult again = RelayHarness::runCli(import);
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(QString::fromUtf8(again.out), u"4 row(s): 0 queued, 0 quarantined, 0 not readable, "
                                            "1 dropped (consent_withdrawn), 3 dropped (duplicate_event_id)\n"_s);
    // TikTok accepts B-4 now; the dead letter goes again under the current rules, and the relay delivers it.
    QVERIFY(relay.sendToFake("POST", u"/control/reset"_s).status == 200);
    const CliResult replay =
        RelayHarness::runCli({u"workspace"_s, u"replay-dead-letters"_s, relay.workspacePath()});
    QVERIFY2(replay.exitCode == 0, qPrintable(replay.describe()));
    QCOMPARE(QString::fromUtf8(replay.out),
             u"1 dead letter(s): 1 queued again\nThe relay delivers them when it runs.\n"_s);
    QVERIFY2(relay.startRelay(), "the relay did not start");
    QVERIFY(RelayHarness::waitUntil([&] { return relay.fakeAccepted().size() == 1; }, 20000));
    const QJsonObject item = relay.fakeAccepted().first().toObject().value("item"_L1).toObject();
    QCOMPARE(item.value("event_id"_L1).toString(), u"B-4"_s);
    QCOMPARE(item.value("user"_L1).toObject().value("ttclid"_L1).toString(), u"E.C.P.four"_s);
    QCOMPARE(relay.stopRelay().exitCode, 0);
}

QTEST_GUILESS_MAIN(TestRelayProcess)
#include "TestRelayProcess.moc"
