// SPDX-License-Identifier: GPL-3.0-or-later
#include "scan/model/ScanResultJson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestScanResultJson : public QObject
{
    Q_OBJECT

private slots:
    void matchesGoldenFile();
    void neverWritesBodies();
    void roundTrips();
    void readsAMinimalScan();
    void reportsWhatIsWrong_data();
    void reportsWhatIsWrong();
};

namespace {

const QString goldenPath = QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR) + u"/scan/result.golden.json"_s;
const QByteArray secretBody = R"({"context":{"user":{"email":"canary.7f3a9c@clearsignal-canary.test"}}})";

/// A scan with every field of the format set, and text that needs escaping.
ScanResult fullScan()
{
    ScanResult scan;
    scan.startUrl = u"https://northside.example/"_s;
    scan.startedAt = u"2026-11-20T09:00:00Z"_s;
    scan.finishedAt = u"2026-11-20T09:03:12Z"_s;
    scan.stoppedEarly = true;
    scan.settings = QJsonObject{{u"max_pages"_s, 50},
                                {u"depth"_s, 3},
                                {u"consent"_s, QJsonArray{u"none"_s, u"rejected"_s}},
                                {u"forms"_s, true},
                                {u"exclude"_s, QJsonArray{}}};

    ScanPage home{u"https://northside.example/"_s, 200, u"Dermal \u201cFillers\u201d & Botox \u2014 Se\u00f1or \"Spa\"\n"_s,
                  ConsentState::None, 0, QString(), {u"https://www.youtube-nocookie.com/embed/x"_s}};
    ScanPage broken{u"https://northside.example/book"_s, 0, QString(), ConsentState::Gpc, 1,
                    u"the page did not answer within 30 seconds"_s, {}};
    scan.pages = {home, broken};

    CapturedRequest pixel;
    pixel.id = 17;
    pixel.pageUrl = home.url;
    pixel.consentState = ConsentState::Rejected;
    pixel.frameUrl = home.url;
    pixel.url = u"https://analytics.tiktok.com/api/v2/pixel"_s;
    pixel.method = u"POST"_s;
    pixel.resourceType = u"fetch"_s;
    pixel.initiator = u"https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C4TEST"_s;
    pixel.thirdParty = true;
    pixel.vendor = u"tiktok"_s;
    pixel.body = secretBody;
    pixel.contentType = u"application/json"_s;
    CapturedRequest script;
    script.id = 18;
    script.pageUrl = home.url;
    script.consentState = ConsentState::Rejected;
    script.frameUrl = home.url;
    script.url = u"https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C4TEST&lib=ttq"_s;
    script.method = u"GET"_s;
    script.resourceType = u"script"_s;
    script.initiator = u"parser"_s;
    script.thirdParty = true;
    script.vendor = u"tiktok"_s;
    script.contentSha256 = u"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"_s;
    CapturedRequest document;
    document.id = 19;
    document.pageUrl = broken.url;
    document.consentState = ConsentState::Gpc;
    document.url = broken.url;
    document.method = u"GET"_s;
    document.resourceType = u"document"_s;
    document.initiator = u"parser"_s;
    scan.requests = {pixel, script, document};

    TrackerEvent event;
    event.requestId = 17;
    event.vendor = u"tiktok"_s;
    event.pixelId = u"C4TEST"_s;
    event.event = u"SubmitForm"_s;
    event.endpoint = u"/api/v2/pixel"_s;
    event.pageUrl = home.url;
    event.consentState = ConsentState::Rejected;
    event.sentUrl = u"https://northside.example/?ttclid=E.C.P.abc"_s;
    event.sentReferrer = u"https://www.tiktok.com/"_s;
    event.sentTitle = home.title;
    event.identifiers = {u"ttclid"_s, u"hashed_email"_s};
    event.properties = QJsonObject{{u"value"_s, 150},
                                   {u"currency"_s, u"USD"_s},
                                   {u"contents"_s, QJsonArray{QJsonObject{{u"content_id"_s, u"botox-20"_s}}}},
                                   {u"ratio"_s, 0.25},
                                   {u"flag"_s, true},
                                   {u"nothing"_s, QJsonValue::Null}};
    event.clickedText = u"Book now \u2192"_s;
    scan.trackerEvents = {event};

    scan.cookies = {{u"_ttp"_s, u".northside.example"_s, u"tiktok"_s, ConsentState::Rejected,
                     u"2027-11-20T09:00:01Z"_s, QString()},
                    {u"PHPSESSID"_s, u"northside.example"_s, QString(), ConsentState::None, QString(), QString()}};
    scan.storage = {{u"https://northside.example"_s, u"local"_s, u"tt_sessionId"_s, u"tiktok"_s, ConsentState::Accepted},
                    {u"https://northside.example"_s, u"session"_s, u"cart"_s, QString(), ConsentState::None}};

    scan.findings = {
        {u"health_context_sent"_s, Severity::Critical, u"TikTok received \u201cbotox\u201d (medication) in the page title"_s,
         home.url, u"tiktok"_s, ConsentState::Rejected,
         QJsonObject{{u"request_id"_s, 17},
                     {u"field"_s, u"context.page.title"_s},
                     {u"term"_s, u"botox"_s},
                     {u"category"_s, u"medication"_s},
                     {u"consent_states"_s, QJsonArray{u"rejected"_s, u"gpc"_s}}},
         u"Stop sending the page title to TikTok."_s},
        {u"new_third_party_script"_s, Severity::Medium, u"A new third-party script: https://cdn.example/x.js"_s,
         home.url, QString(), std::nullopt,
         QJsonObject{{u"url"_s, u"https://cdn.example/x.js"_s}, {u"content_sha256"_s, u""_s}}, u"Review it."_s},
    };
    return scan;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// The smallest scan parse() accepts, as an object to damage.
QJsonObject minimal()
{
    return QJsonObject{{u"schema"_s, u"clearsignal.scan/1"_s},
                       {u"pages"_s, QJsonArray{}},
                       {u"requests"_s, QJsonArray{}},
                       {u"tracker_events"_s, QJsonArray{}},
                       {u"findings"_s, QJsonArray{}}};
}

QByteArray with(const QString& key, const QJsonValue& value)
{
    QJsonObject root = minimal();
    if (value.isUndefined())
        root.remove(key);
    else
        root.insert(key, value);
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QJsonObject validPage()
{
    return QJsonObject{{u"url"_s, u"https://a.example/"_s}, {u"status"_s, 200}, {u"title"_s, u"A"_s},
                       {u"consent_state"_s, u"none"_s}, {u"depth"_s, 0}, {u"frames"_s, QJsonArray{}}};
}

QJsonObject changed(QJsonObject object, const QString& key, const QJsonValue& value)
{
    object.insert(key, value);
    return object;
}

} // namespace

void TestScanResultJson::matchesGoldenFile()
{
    const QByteArray json = ScanResultJson::serialize(fullScan());
    if (qEnvironmentVariableIsSet("CLEARSIGNAL_UPDATE_GOLDEN")) {
        QDir().mkpath(QFileInfo(goldenPath).path());
        QFile file(goldenPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json);
        QSKIP("golden file rewritten; review the diff before committing");
    }
    const QByteArray expected = readFile(goldenPath);
    QVERIFY2(!expected.isEmpty(), qPrintable(u"cannot read "_s + goldenPath));
    const QList<QByteArray> actualLines = json.split('\n');
    const QList<QByteArray> expectedLines = expected.split('\n');
    for (qsizetype i = 0; i < std::min(actualLines.size(), expectedLines.size()); ++i)
        QCOMPARE(actualLines.at(i), expectedLines.at(i));
    QCOMPARE(json, expected);
    // Serializing is deterministic, and the output is valid JSON.
    QCOMPARE(ScanResultJson::serialize(fullScan()), json);
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
}

void TestScanResultJson::neverWritesBodies()
{
    const QByteArray json = ScanResultJson::serialize(fullScan());
    QVERIFY(!json.contains("canary"));
    QVERIFY(!json.contains("7f3a9c"));
    const QJsonArray requests = QJsonDocument::fromJson(json).object().value("requests"_L1).toArray();
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests.at(0).toObject().value("body_bytes"_L1).toInt(), int(secretBody.size()));
    QCOMPARE(requests.at(1).toObject().value("body_bytes"_L1).toInt(), 0);
    QStringList keys = requests.at(0).toObject().keys();
    QVERIFY(!keys.contains(u"body"_s));
    QVERIFY(!keys.contains(u"content_type"_s));
    // No value anywhere holds the body.
    const Expected<ScanResult> parsed = ScanResultJson::parse(json);
    QVERIFY(parsed);
    QVERIFY(parsed->requests.at(0).body.isEmpty());
}

void TestScanResultJson::roundTrips()
{
    const ScanResult original = fullScan();
    const Expected<ScanResult> parsed = ScanResultJson::parse(ScanResultJson::serialize(original));
    QVERIFY2(parsed, qPrintable(parsed.errorMessage()));
    const ScanResult& copy = *parsed;

    QCOMPARE(copy.startUrl, original.startUrl);
    QCOMPARE(copy.startedAt, original.startedAt);
    QCOMPARE(copy.finishedAt, original.finishedAt);
    QCOMPARE(copy.stoppedEarly, original.stoppedEarly);
    QCOMPARE(copy.settings, original.settings);

    QCOMPARE(copy.pages.size(), original.pages.size());
    for (qsizetype i = 0; i < original.pages.size(); ++i) {
        const ScanPage& a = copy.pages.at(i);
        const ScanPage& b = original.pages.at(i);
        QCOMPARE(a.url, b.url);
        QCOMPARE(a.status, b.status);
        QCOMPARE(a.title, b.title);
        QCOMPARE(a.consentState, b.consentState);
        QCOMPARE(a.depth, b.depth);
        QCOMPARE(a.error, b.error);
        QCOMPARE(a.frames, b.frames);
    }

    QCOMPARE(copy.requests.size(), original.requests.size());
    for (qsizetype i = 0; i < original.requests.size(); ++i) {
        const CapturedRequest& a = copy.requests.at(i);
        const CapturedRequest& b = original.requests.at(i);
        QCOMPARE(a.id, b.id);
        QCOMPARE(a.pageUrl, b.pageUrl);
        QCOMPARE(a.consentState, b.consentState);
        QCOMPARE(a.frameUrl, b.frameUrl);
        QCOMPARE(a.url, b.url);
        QCOMPARE(a.method, b.method);
        QCOMPARE(a.resourceType, b.resourceType);
        QCOMPARE(a.initiator, b.initiator);
        QCOMPARE(a.thirdParty, b.thirdParty);
        QCOMPARE(a.vendor, b.vendor);
        QCOMPARE(a.contentSha256, b.contentSha256);
        // Not part of the format: the body (only its size is written), its content type, the token header.
        QVERIFY(a.body.isEmpty());
    }

    QCOMPARE(copy.trackerEvents.size(), original.trackerEvents.size());
    for (qsizetype i = 0; i < original.trackerEvents.size(); ++i) {
        const TrackerEvent& a = copy.trackerEvents.at(i);
        const TrackerEvent& b = original.trackerEvents.at(i);
        QCOMPARE(a.requestId, b.requestId);
        QCOMPARE(a.vendor, b.vendor);
        QCOMPARE(a.pixelId, b.pixelId);
        QCOMPARE(a.event, b.event);
        QCOMPARE(a.endpoint, b.endpoint);
        QCOMPARE(a.pageUrl, b.pageUrl);
        QCOMPARE(a.consentState, b.consentState);
        QCOMPARE(a.sentUrl, b.sentUrl);
        QCOMPARE(a.sentReferrer, b.sentReferrer);
        QCOMPARE(a.sentTitle, b.sentTitle);
        QCOMPARE(a.identifiers, b.identifiers);
        QCOMPARE(a.properties, b.properties);
        QCOMPARE(a.clickedText, b.clickedText);
    }

    QCOMPARE(copy.cookies.size(), original.cookies.size());
    for (qsizetype i = 0; i < original.cookies.size(); ++i) {
        const ScanCookie& a = copy.cookies.at(i);
        const ScanCookie& b = original.cookies.at(i);
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.domain, b.domain);
        QCOMPARE(a.vendor, b.vendor);
        QCOMPARE(a.consentState, b.consentState);
        QCOMPARE(a.expires, b.expires);
    }

    QCOMPARE(copy.storage.size(), original.storage.size());
    for (qsizetype i = 0; i < original.storage.size(); ++i) {
        const ScanStorageItem& a = copy.storage.at(i);
        const ScanStorageItem& b = original.storage.at(i);
        QCOMPARE(a.origin, b.origin);
        QCOMPARE(a.kind, b.kind);
        QCOMPARE(a.key, b.key);
        QCOMPARE(a.vendor, b.vendor);
        QCOMPARE(a.consentState, b.consentState);
    }

    QCOMPARE(copy.findings.size(), original.findings.size());
    for (qsizetype i = 0; i < original.findings.size(); ++i) {
        const Finding& a = copy.findings.at(i);
        const Finding& b = original.findings.at(i);
        QCOMPARE(a.code, b.code);
        QCOMPARE(a.severity, b.severity);
        QCOMPARE(a.title, b.title);
        QCOMPARE(a.pageUrl, b.pageUrl);
        QCOMPARE(a.vendor, b.vendor);
        QCOMPARE(a.consentState, b.consentState);
        QCOMPARE(a.evidence, b.evidence);
        QCOMPARE(a.remediation, b.remediation);
    }

    // Written again, only the request bodies' sizes are gone.
    QByteArray again = ScanResultJson::serialize(copy);
    QByteArray first = ScanResultJson::serialize(original);
    first.replace(QByteArray("\"body_bytes\": " + QByteArray::number(secretBody.size())), QByteArray("\"body_bytes\": 0"));
    QCOMPARE(again, first);
}

void TestScanResultJson::readsAMinimalScan()
{
    const Expected<ScanResult> parsed = ScanResultJson::parse(with(u"start_url"_s, u"https://a.example/"_s));
    QVERIFY2(parsed, qPrintable(parsed.errorMessage()));
    QCOMPARE(parsed->startUrl, u"https://a.example/"_s);
    QVERIFY(parsed->pages.isEmpty() && parsed->requests.isEmpty() && parsed->findings.isEmpty());
    QVERIFY(parsed->cookies.isEmpty() && parsed->storage.isEmpty());
    QVERIFY(!parsed->stoppedEarly);
}

void TestScanResultJson::reportsWhatIsWrong_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    QTest::addRow("not JSON") << QByteArray(R"({"schema": "clearsignal.scan/1", )")
                              << u"not valid JSON (offset "_s;
    QTest::addRow("empty file") << QByteArray() << u"not valid JSON (offset "_s;
    QTest::addRow("array") << QByteArray("[]") << u"the file holds a JSON array, not a scan object"_s;
    QTest::addRow("no schema") << with(u"schema"_s, QJsonValue::Undefined)
                               << u"$.schema is missing (a scan has \"schema\": \"clearsignal.scan/1\")"_s;
    QTest::addRow("rules file") << with(u"schema"_s, u"clearsignal.rules/1"_s)
                                << u"$.schema is \"clearsignal.rules/1\", not \"clearsignal.scan/1\""_s;
    QTest::addRow("schema number") << with(u"schema"_s, 1) << u"$.schema is a number, not \"clearsignal.scan/1\""_s;
    QTest::addRow("missing pages") << with(u"pages"_s, QJsonValue::Undefined)
                                   << u"$.pages is missing: a scan lists its pages (an array, possibly empty)"_s;
    QTest::addRow("missing requests")
        << with(u"requests"_s, QJsonValue::Undefined)
        << u"$.requests is missing: a scan lists its requests (an array, possibly empty)"_s;
    QTest::addRow("missing tracker_events")
        << with(u"tracker_events"_s, QJsonValue::Undefined)
        << u"$.tracker_events is missing: a scan lists its tracker_events (an array, possibly empty)"_s;
    QTest::addRow("missing findings")
        << with(u"findings"_s, QJsonValue::Undefined)
        << u"$.findings is missing: a scan lists its findings (an array, possibly empty)"_s;
    QTest::addRow("pages not an array") << with(u"pages"_s, QJsonObject{})
                                        << u"$.pages must be an array, not an object"_s;
    QTest::addRow("null findings") << with(u"findings"_s, QJsonValue::Null)
                                   << u"$.findings must be an array, not null"_s;
    QTest::addRow("cookies not an array") << with(u"cookies"_s, u"none"_s)
                                          << u"$.cookies must be an array, not a string"_s;
    QTest::addRow("start_url") << with(u"start_url"_s, 5) << u"$.start_url must be a string, not a number"_s;
    QTest::addRow("stopped_early") << with(u"stopped_early"_s, u"yes"_s)
                                   << u"$.stopped_early must be true or false, not a string"_s;
    QTest::addRow("settings") << with(u"settings"_s, QJsonArray{})
                              << u"$.settings must be an object, not an array"_s;
    QTest::addRow("page not an object") << with(u"pages"_s, QJsonArray{validPage(), 1})
                                        << u"$.pages[1] must be an object, not a number"_s;
    QTest::addRow("depth as text") << with(u"pages"_s, QJsonArray{validPage(), changed(validPage(), u"depth"_s, u"1"_s)})
                                   << u"$.pages[1].depth must be a whole number, not a string"_s;
    QTest::addRow("fractional status") << with(u"pages"_s, QJsonArray{changed(validPage(), u"status"_s, 200.5)})
                                       << u"$.pages[0].status must be a whole number, not a number"_s;
    QTest::addRow("frames element")
        << with(u"pages"_s, QJsonArray{changed(validPage(), u"frames"_s, QJsonArray{u"https://f.example/"_s, false})})
        << u"$.pages[0].frames[1] must be a string, not true or false"_s;
    QTest::addRow("unknown consent state")
        << with(u"pages"_s, QJsonArray{changed(validPage(), u"consent_state"_s, u"maybe"_s)})
        << u"$.pages[0].consent_state must be none, rejected, accepted or gpc, not \"maybe\""_s;
    QTest::addRow("third_party as text")
        << with(u"requests"_s, QJsonArray{QJsonObject{{u"id"_s, 1}, {u"third_party"_s, u"true"_s}}})
        << u"$.requests[0].third_party must be true or false, not a string"_s;
    QTest::addRow("vendor number") << with(u"requests"_s, QJsonArray{QJsonObject{{u"id"_s, 1}, {u"vendor"_s, 3}}})
                                   << u"$.requests[0].vendor must be a string, not a number"_s;
    QTest::addRow("sent not an object")
        << with(u"tracker_events"_s, QJsonArray{QJsonObject{{u"request_id"_s, 1}, {u"sent"_s, QJsonArray{}}}})
        << u"$.tracker_events[0].sent must be an object, not an array"_s;
    QTest::addRow("identifier not a string")
        << with(u"tracker_events"_s,
                QJsonArray{QJsonObject{{u"sent"_s, QJsonObject{{u"identifiers"_s, QJsonArray{u"ttclid"_s, 7}}}}}})
        << u"$.tracker_events[0].sent.identifiers[1] must be a string, not a number"_s;
    QTest::addRow("properties not an object")
        << with(u"tracker_events"_s, QJsonArray{QJsonObject{{u"sent"_s, QJsonObject{{u"properties"_s, u"x"_s}}}}})
        << u"$.tracker_events[0].sent.properties must be an object, not a string"_s;
    QTest::addRow("evidence as text")
        << with(u"findings"_s,
                QJsonArray{QJsonObject{{u"code"_s, u"gpc_ignored"_s}, {u"severity"_s, u"high"_s}, {u"evidence"_s, u"x"_s}}})
        << u"$.findings[0].evidence must be an object, not a string"_s;
    QTest::addRow("unknown severity")
        << with(u"findings"_s, QJsonArray{QJsonObject{{u"code"_s, u"gpc_ignored"_s}, {u"severity"_s, u"urgent"_s}}})
        << u"$.findings[0].severity must be critical, high, medium, low or info, not \"urgent\""_s;
    QTest::addRow("storage kind") << with(u"storage"_s, QJsonArray{QJsonObject{{u"kind"_s, 1}}})
                                  << u"$.storage[0].kind must be a string, not a number"_s;
}

void TestScanResultJson::reportsWhatIsWrong()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const Expected<ScanResult> parsed = ScanResultJson::parse(json);
    QVERIFY(!parsed);
    if (message.endsWith(u"(offset "_s))
        QVERIFY2(parsed.errorMessage().startsWith(message), qPrintable(parsed.errorMessage()));
    else
        QCOMPARE(parsed.errorMessage(), message);
}

QTEST_GUILESS_MAIN(TestScanResultJson)
#include "TestScanResultJson.moc"
