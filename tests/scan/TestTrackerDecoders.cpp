// SPDX-License-Identifier: GPL-3.0-or-later
#include "scan/trackers/TrackerDecoder.h"
#include "scan/trackers/TrackerSignatures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

/// Golden fixtures: each captured request of tests/data/trackers/requests.json is classified with the bundled
/// signatures, decoded, and compared field by field with tests/data/trackers/expected.json.
class TestTrackerDecoders : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyRequestHasAnExpectation();
    void decodes_data();
    void decodes();
    void classifies_data();
    void classifies();
    void decodesOnlyPixelRequests();

private:
    QJsonArray m_requests;
    QJsonObject m_expected;
};

namespace {

QJsonObject readJson(const QString& relative)
{
    QFile file(QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/trackers/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("%s: %s at offset %d", qPrintable(relative), qPrintable(error.errorString()), error.offset);
    return document.object();
}

/// A fixture's "repeat" markers ({"@NOTES@": {"text": "...", "times": 3200}}) written out, so that a huge
/// request stays readable in the JSON file.
QString expand(QString text, const QJsonObject& repeat)
{
    for (auto it = repeat.begin(); it != repeat.end(); ++it) {
        const QJsonObject spec = it.value().toObject();
        if (text.contains(it.key()))
            text.replace(it.key(), spec.value("text"_L1).toString().repeated(spec.value("times"_L1).toInt()));
    }
    return text;
}

QJsonValue expandValue(const QJsonValue& value, const QJsonObject& repeat)
{
    if (value.isString())
        return expand(value.toString(), repeat);
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue& item : value.toArray())
            array.append(expandValue(item, repeat));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object;
        const QJsonObject source = value.toObject();
        for (auto it = source.begin(); it != source.end(); ++it)
            object.insert(it.key(), expandValue(it.value(), repeat));
        return object;
    }
    return value;
}

CapturedRequest requestFrom(const QJsonObject& fixture, int id)
{
    const QJsonObject repeat = fixture.value("repeat"_L1).toObject();
    CapturedRequest request;
    request.id = id;
    request.pageUrl = fixture.value("pageUrl"_L1).toString();
    request.consentState = consentStateFromName(fixture.value("consent"_L1).toString(u"none"_s)).value();
    request.url = expand(fixture.value("url"_L1).toString(), repeat);
    request.method = fixture.value("method"_L1).toString();
    request.contentType = fixture.value("contentType"_L1).toString();
    if (fixture.contains("bodyJson"_L1))
        request.body = QJsonDocument(fixture.value("bodyJson"_L1).toObject()).toJson(QJsonDocument::Compact);
    else if (fixture.contains("bodyBase64"_L1))
        request.body = QByteArray::fromBase64(fixture.value("bodyBase64"_L1).toString().toLatin1());
    else
        request.body = expand(fixture.value("body"_L1).toString(), repeat).toUtf8();
    return request;
}

/// Long values (the huge-query fixture) are cut in failure messages.
QString cut(const QString& text)
{
    if (text.size() <= 160)
        return text;
    return text.left(160) + u"… ("_s + QString::number(text.size()) + u" characters)"_s;
}

QString shown(const QString& value)
{
    return cut(u'"' + value + u'"');
}

/// A JSON value as JSON text: "text", 120, {"a":1}.
QString shown(const QJsonValue& value)
{
    const QByteArray json = value.isObject()  ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                            : value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                              : QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    const QString text = QString::fromUtf8(json);
    return cut(value.isObject() || value.isArray() ? text : text.mid(1).chopped(1));
}

/// Every difference between a decoded event and its expectation, one line each, naming the field.
QStringList differences(const TrackerEvent& actual, const QJsonObject& expected)
{
    static const QSet<QString> known = {u"vendor"_s,      u"pixelId"_s,      u"event"_s,     u"endpoint"_s,
                                        u"sentUrl"_s,     u"sentReferrer"_s, u"sentTitle"_s, u"clickedText"_s,
                                        u"identifiers"_s, u"properties"_s};
    QStringList problems;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (!known.contains(it.key()))
            problems.append(u"expected.json names an unknown field \"%1\""_s.arg(it.key()));
    }
    const QList<QPair<QString, QString>> strings = {
        {u"vendor"_s, actual.vendor},       {u"pixelId"_s, actual.pixelId},
        {u"event"_s, actual.event},         {u"endpoint"_s, actual.endpoint},
        {u"sentUrl"_s, actual.sentUrl},     {u"sentReferrer"_s, actual.sentReferrer},
        {u"sentTitle"_s, actual.sentTitle}, {u"clickedText"_s, actual.clickedText},
    };
    for (const auto& [field, value] : strings) {
        const QString want = expected.value(field).toString(); // an omitted field must be empty
        if (value != want)
            problems.append(u"field %1: expected %2, got %3"_s.arg(field, shown(want), shown(value)));
    }
    QStringList wantIdentifiers;
    for (const QJsonValue& identifier : expected.value("identifiers"_L1).toArray())
        wantIdentifiers.append(identifier.toString());
    QStringList gotIdentifiers = actual.identifiers;
    wantIdentifiers.sort();
    gotIdentifiers.sort();
    if (gotIdentifiers != wantIdentifiers) {
        problems.append(u"field identifiers: expected [%1], got [%2]"_s.arg(wantIdentifiers.join(u", "_s),
                                                                            gotIdentifiers.join(u", "_s)));
    }
    const QJsonObject wantProperties = expected.value("properties"_L1).toObject();
    if (actual.properties != wantProperties) {
        QStringList keys = wantProperties.keys() + actual.properties.keys();
        keys.removeDuplicates();
        keys.sort();
        for (const QString& key : std::as_const(keys)) {
            if (!actual.properties.contains(key))
                problems.append(
                    u"field properties.%1: expected %2, missing"_s.arg(key, shown(wantProperties.value(key))));
            else if (!wantProperties.contains(key))
                problems.append(
                    u"field properties.%1: not expected, got %2"_s.arg(key, shown(actual.properties.value(key))));
            else if (actual.properties.value(key) != wantProperties.value(key))
                problems.append(u"field properties.%1: expected %2, got %3"_s.arg(key, shown(wantProperties.value(key)),
                                                                                  shown(actual.properties.value(key))));
        }
    }
    return problems;
}

} // namespace

void TestTrackerDecoders::initTestCase()
{
    QVERIFY2(TrackerSignatures::bundled().hasValue(), qPrintable(TrackerSignatures::bundled().errorMessage()));
    m_requests = readJson(u"requests.json"_s).value("requests"_L1).toArray();
    m_expected = readJson(u"expected.json"_s).value("expected"_L1).toObject();
    QVERIFY2(!m_requests.isEmpty(), "tests/data/trackers/requests.json has no requests");
    QVERIFY2(!m_expected.isEmpty(), "tests/data/trackers/expected.json has no expectations");
}

void TestTrackerDecoders::everyRequestHasAnExpectation()
{
    QSet<QString> names;
    for (const QJsonValue& value : std::as_const(m_requests)) {
        const QString name = value.toObject().value("name"_L1).toString();
        QVERIFY2(!name.isEmpty(), "a request in requests.json has no name");
        QVERIFY2(!names.contains(name), qPrintable(u"two requests are named "_s + name));
        names.insert(name);
        QVERIFY2(m_expected.contains(name), qPrintable(u"expected.json has nothing for "_s + name));
    }
    for (auto it = m_expected.begin(); it != m_expected.end(); ++it)
        QVERIFY2(names.contains(it.key()), qPrintable(u"expected.json names an unknown request "_s + it.key()));
}

void TestTrackerDecoders::decodes_data()
{
    QTest::addColumn<QJsonObject>("fixture");
    QTest::addColumn<QJsonObject>("expected");
    QTest::addColumn<int>("id");
    for (qsizetype i = 0; i < m_requests.size(); ++i) {
        const QJsonObject fixture = m_requests.at(i).toObject();
        const QString name = fixture.value("name"_L1).toString();
        QTest::addRow("%s", qPrintable(name)) << fixture << m_expected.value(name).toObject() << int(i + 1);
    }
}

void TestTrackerDecoders::decodes()
{
    QFETCH(QJsonObject, fixture);
    QFETCH(QJsonObject, expected);
    QFETCH(int, id);
    QVERIFY2(!expected.isEmpty(), "no expectation in expected.json");
    const QJsonObject repeat = fixture.value("repeat"_L1).toObject();
    const CapturedRequest request = requestFrom(fixture, id);

    const std::optional<TrackerMatch> match = TrackerSignatures::bundled()->classify(QUrl(request.url));
    QVERIFY2(match, "the bundled signatures do not recognise the request");
    const QJsonObject wantMatch = expected.value("match"_L1).toObject();
    QCOMPARE(match->vendor, wantMatch.value("vendor"_L1).toString());
    QCOMPARE(match->kind, wantMatch.value("kind"_L1).toString());
    QCOMPARE(match->decoder, wantMatch.value("decoder"_L1).toString());

    const QList<TrackerEvent> events = TrackerDecoder::decode(request, *match);
    const QJsonArray wantEvents = expected.value("events"_L1).toArray();
    if (events.size() != wantEvents.size()) {
        QStringList got;
        for (const TrackerEvent& event : events)
            got.append(event.pixelId + u'/' + event.event);
        QFAIL(qPrintable(
            u"expected %1 events, got %2: [%3]"_s.arg(wantEvents.size()).arg(events.size()).arg(got.join(u", "_s))));
    }
    QStringList problems;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const TrackerEvent& event = events.at(i);
        const QString where = u"event %1 of %2, "_s.arg(i + 1).arg(events.size());
        for (const QString& problem : differences(event, expandValue(wantEvents.at(i), repeat).toObject()))
            problems.append(where + problem);
        // What the decoder copies from the request as it was captured.
        if (event.requestId != request.id)
            problems.append(where + u"field requestId: expected %1, got %2"_s.arg(request.id).arg(event.requestId));
        if (event.pageUrl != request.pageUrl)
            problems.append(where +
                            u"field pageUrl: expected %1, got %2"_s.arg(shown(request.pageUrl), shown(event.pageUrl)));
        if (event.consentState != request.consentState)
            problems.append(where + u"field consentState: expected %1, got %2"_s.arg(
                                        consentStateName(request.consentState), consentStateName(event.consentState)));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(u"\n    "_s + problems.join(u"\n    "_s)));
}

void TestTrackerDecoders::classifies_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("vendor"); // empty: not a tracker
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("decoder");
    QTest::addColumn<QString>("accountId"); // TrackerDecoder::scriptAccountId

    QTest::addRow("tiktok US data residency beacon")
        << u"https://analytics.us.tiktok.com/api/v2/pixel"_s << u"tiktok"_s << u"pixel"_s << u"tiktok"_s << QString();
    QTest::addRow("tiktok US data residency loader")
        << u"https://analytics.us.tiktok.com/i18n/pixel/events.js?sdkid=CPGLOW7MEDSPA2TT0K9G&lib=ttq"_s << u"tiktok"_s
        << u"script"_s << QString() << u"CPGLOW7MEDSPA2TT0K9G"_s;
    QTest::addRow("tiktok upper-case host")
        << u"https://ANALYTICS.TikTok.com/api/v2/pixel/act"_s << u"tiktok"_s << u"pixel"_s << u"tiktok"_s << QString();
    QTest::addRow("tiktok ipv6 enrichment") << u"https://analytics-ipv6.tiktokw.us/ipv6/enrich_ipv6"_s << u"tiktok"_s
                                            << u"pixel"_s << u"tiktok"_s << QString();
    QTest::addRow("tiktok events api") << u"https://business-api.tiktok.com/open_api/v1.3/event/track/"_s << u"tiktok"_s
                                       << u"events_api"_s << QString() << QString();
    QTest::addRow("tiktok api host, other path") << u"https://business-api.tiktok.com/portal/docs?id=1771100865818625"_s
                                                 << u"tiktok"_s << u"other"_s << QString() << QString();
    QTest::addRow("tiktok embed") << u"https://www.tiktok.com/embed/v2/7301234567890123456"_s << u"tiktok"_s
                                  << u"other"_s << QString() << QString();
    QTest::addRow("tiktok cdn") << u"https://p16-sign-va.tiktokcdn.com/obj/avatar.jpeg"_s << u"tiktok"_s << u"other"_s
                                << QString() << QString();
    QTest::addRow("merely contains tiktok")
        << u"https://notiktok.example/api/v2/pixel"_s << QString() << QString() << QString() << QString();
    QTest::addRow("tiktok.com as a prefix") << u"https://analytics.tiktok.com.evil.example/api/v2/pixel"_s << QString()
                                            << QString() << QString() << QString();
    QTest::addRow("tiktok.com without a dot")
        << u"https://mytiktok.com/api/v2/pixel"_s << QString() << QString() << QString() << QString();
    QTest::addRow("tiktok in the path only")
        << u"https://www.glowmedspa.example/tiktok/api/v2/pixel"_s << QString() << QString() << QString() << QString();
    QTest::addRow("first-party /g/collect") << u"https://metrics.glowmedspa.example/g/collect?v=2&tid=G-GL0WMED5PA"_s
                                            << u"google"_s << u"pixel"_s << u"ga4"_s << QString();
    QTest::addRow("first-party /collect is not GA")
        << u"https://www.glowmedspa.example/collect?v=1"_s << QString() << QString() << QString() << QString();
    QTest::addRow("meta loader") << u"https://connect.facebook.net/en_US/fbevents.js"_s << u"meta"_s << u"script"_s
                                 << QString() << QString();
    QTest::addRow("meta pixel config")
        << u"https://connect.facebook.net/signals/config/918273645501234?v=2.9.179&r=stable"_s << u"meta"_s
        << u"script"_s << QString() << QString();
    QTest::addRow("meta noscript image") << u"https://www.facebook.com/tr?id=918273645501234&ev=PageView&noscript=1"_s
                                         << u"meta"_s << u"pixel"_s << u"meta"_s << QString();
    QTest::addRow("meta page, not the pixel")
        << u"https://www.facebook.com/glowmedspa"_s << u"meta"_s << u"other"_s << QString() << QString();
    QTest::addRow("gtm container") << u"https://www.googletagmanager.com/gtm.js?id=GTM-GLOW123&l=dataLayer"_s
                                   << u"google"_s << u"script"_s << QString() << u"GTM-GLOW123"_s;
    QTest::addRow("gtag loader") << u"https://www.googletagmanager.com/gtag/js?id=AW-987654321"_s << u"google"_s
                                 << u"script"_s << QString() << u"AW-987654321"_s;
    QTest::addRow("floodlight non-iframe") << u"https://ad.doubleclick.net/activity;src=8765432;type=a;cat=b;ord=1"_s
                                           << u"google"_s << u"pixel"_s << u"floodlight"_s << QString();
    QTest::addRow("snap cookie match") << u"https://tr.snapchat.com/cm/i?pid=7c3f8a2e-5b1d-4c9a-9e2f-1a2b3c4d5e6f"_s
                                       << u"snap"_s << u"pixel"_s << u"snap"_s << QString();
    QTest::addRow("snap loader") << u"https://sc-static.net/scevent.min.js"_s << u"snap"_s << u"script"_s << QString()
                                 << QString();
    QTest::addRow("pinterest loader") << u"https://s.pinimg.com/ct/core.js"_s << u"pinterest"_s << u"script"_s
                                      << QString() << QString();
    QTest::addRow("linkedin loader") << u"https://snap.licdn.com/li.lms-analytics/insight.min.js"_s << u"linkedin"_s
                                     << u"script"_s << QString() << QString();
    QTest::addRow("x loader") << u"https://static.ads-twitter.com/uwt.js"_s << u"x"_s << u"script"_s << QString()
                              << QString();
    QTest::addRow("uet loader") << u"https://bat.bing.com/bat.js"_s << u"microsoft"_s << u"script"_s << QString()
                                << QString();
    QTest::addRow("reddit loader") << u"https://www.redditstatic.com/ads/pixel.js"_s << u"reddit"_s << u"script"_s
                                   << QString() << QString();
}

void TestTrackerDecoders::classifies()
{
    QFETCH(QString, url);
    QFETCH(QString, vendor);
    QFETCH(QString, kind);
    QFETCH(QString, decoder);
    QFETCH(QString, accountId);
    const std::optional<TrackerMatch> match = TrackerSignatures::bundled()->classify(QUrl(url));
    if (vendor.isEmpty()) {
        QVERIFY2(!match, qPrintable(u"classified as %1/%2"_s.arg(match ? match->vendor : QString(),
                                                                 match ? match->kind : QString())));
        return;
    }
    QVERIFY2(match, "not recognised");
    QCOMPARE(match->vendor, vendor);
    QCOMPARE(match->kind, kind);
    QCOMPARE(match->decoder, decoder);
    QCOMPARE(TrackerDecoder::scriptAccountId(QUrl(url), *match), accountId);
}

void TestTrackerDecoders::decodesOnlyPixelRequests()
{
    CapturedRequest request;
    request.url = u"https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=CPGLOW7MEDSPA2TT0K9G&lib=ttq"_s;
    request.method = u"GET"_s;
    QVERIFY(TrackerDecoder::decode(request, {u"tiktok"_s, u"script"_s, QString(), u"sdkid"_s}).isEmpty());
    QVERIFY(TrackerDecoder::decode(request, {u"tiktok"_s, u"pixel"_s, u"no-such-decoder"_s, QString()}).isEmpty());
    QVERIFY(TrackerDecoder::decode(request, {u"tiktok"_s, u"events_api"_s, u"tiktok"_s, QString()}).isEmpty());
}

QTEST_GUILESS_MAIN(TestTrackerDecoders)
#include "TestTrackerDecoders.moc"
