// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/EventParser.h"

#include <QJsonArray>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestEventParser : public QObject
{
    Q_OBJECT

private slots:
    void parsesAFullEvent();
    void treatsNullAndEmptyAsAbsent();
    void namesUnknownFields();
    void readsEventTime_data();
    void readsEventTime();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void rejectsOversizeEvents();
    void rejectsDeepNesting();
    void fieldTableIsInEnumOrder();
};

void TestEventParser::parsesAFullEvent()
{
    const QByteArray json = R"({"event":"BookedGLP1Consultation","event_id":"evt-123","event_time":1763700000,
        "visitor_id":"v-8c1f","page":{"url":"https://clinic.example/book","referrer":"https://google.com/","title":"Book"},
        "user":{"ttclid":"E.C.P.x","ttp":"abc","email":"a@b.co","phone":"+15125550147","locale":"en-US"},
        "properties":{"value":150.5,"currency":"usd","contents":[{"content_id":"c1","price":99,"quantity":2,"colour":"red"}],
                      "content_ids":["c1"],"num_items":2,"dose":"0.5mg"},
        "form":{"message":"hello"}})";
    const Expected<RawEvent> event = EventParser::parse(json);
    QVERIFY2(event, qPrintable(event.errorMessage()));
    QCOMPARE(event->name, u"BookedGLP1Consultation"_s);
    QCOMPARE(event->eventTime, std::optional<qint64>(1763700000));
    QCOMPARE(event->visitorId, u"v-8c1f"_s);
    QCOMPARE(event->text(EventField::EventId), u"evt-123"_s);
    QCOMPARE(event->text(EventField::PageUrl), u"https://clinic.example/book"_s);
    QCOMPARE(event->text(EventField::UserEmail), u"a@b.co"_s);
    QCOMPARE(event->number(EventField::PropValue), 150.5);
    QCOMPARE(event->text(EventField::PropCurrency), u"USD"_s); // normalised to upper case
    QCOMPARE(event->number(EventField::PropNumItems), 2);
    const QJsonArray contents = event->value(EventField::PropContents).toArray();
    QCOMPARE(contents.size(), 1);
    QVERIFY(!contents.at(0).toObject().contains("colour"_L1)); // unknown content keys are not kept
    QCOMPARE(event->customProperties().value("dose"_L1).toString(), u"0.5mg"_s);
    QCOMPARE(event->form().value("message"_L1).toString(), u"hello"_s);
    QVERIFY(event->unknownFields.contains(u"properties.contents[0].colour"_s));
    QVERIFY(!event->has(EventField::UserExternalId));
}

void TestEventParser::treatsNullAndEmptyAsAbsent()
{
    const Expected<RawEvent> event =
        EventParser::parse(R"({"event":"Lead","event_id":"","page":null,"user":{"email":null,"phone":""}})");
    QVERIFY2(event, qPrintable(event.errorMessage()));
    QVERIFY(!event->has(EventField::EventId));
    QVERIFY(!event->has(EventField::UserEmail));
    QVERIFY(!event->has(EventField::UserPhone));
    QVERIFY(!event->eventTime);
}

void TestEventParser::namesUnknownFields()
{
    const Expected<RawEvent> event =
        EventParser::parse(R"({"event":"Lead","session":"s1","page":{"path":"/x"},"user":{"dob":"1980-01-01"}})");
    QVERIFY(event);
    QCOMPARE(event->unknownFields, (QStringList{u"session"_s, u"page.path"_s, u"user.dob"_s}));
}

void TestEventParser::readsEventTime_data()
{
    QTest::addColumn<QByteArray>("time");
    QTest::addColumn<qint64>("expected");
    QTest::addRow("seconds") << QByteArray("1763700000") << qint64(1763700000);
    QTest::addRow("utc") << QByteArray(R"("2025-11-21T04:40:00Z")") << qint64(1763700000);
    QTest::addRow("offset") << QByteArray(R"("2025-11-20T23:40:00-05:00")") << qint64(1763700000);
    QTest::addRow("milliseconds in string") << QByteArray(R"("2025-11-21T04:40:00.250Z")") << qint64(1763700000);
}

void TestEventParser::readsEventTime()
{
    QFETCH(QByteArray, time);
    QFETCH(qint64, expected);
    const Expected<RawEvent> event = EventParser::parse(QByteArray(R"({"event":"Lead","event_time":)" + time + "}"));
    QVERIFY2(event, qPrintable(event.errorMessage()));
    QCOMPARE(*event->eventTime, expected);
}

void TestEventParser::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addRow("not json") << QByteArray("not json") << u"invalid JSON at offset 0: expected a value"_s;
    QTest::addRow("truncated") << QByteArray(R"({"event":"Lead")") << u"invalid JSON at offset 15"_s;
    QTest::addRow("array") << QByteArray("[1]") << u"an event must be a JSON object, not an array"_s;
    QTest::addRow("trailing garbage") << QByteArray(R"({"event":"Lead"} x)") << u"invalid JSON at offset 17: unexpected text after the JSON value"_s;
    QTest::addRow("invalid utf-8") << QByteArray("{\"event\":\"Le\xff\xfe\"}") << u"invalid JSON at offset 12: invalid UTF-8 in a string"_s;
    QTest::addRow("lone surrogate") << QByteArray(R"({"event":"Lead","page":{"title":"\ud800"}})")
                                    << u"invalid JSON at offset 39: invalid \\u escape (unpaired surrogate)"_s;
    QTest::addRow("huge number") << QByteArray(R"({"event":"Lead","properties":{"value":1e400}})")
                                 << u"invalid JSON at offset 38: illegal number (out of range)"_s;
    QTest::addRow("NaN") << QByteArray(R"({"event":"Lead","properties":{"value":NaN}})") << u"invalid JSON at offset 38: expected a value"_s;
    QTest::addRow("missing event") << QByteArray(R"({"event_id":"x"})") << u"event is required"_s;
    QTest::addRow("event not string") << QByteArray(R"({"event":12})") << u"event must be a string, not a number"_s;
    QTest::addRow("event empty") << QByteArray(R"({"event":"  "})") << u"event must be 1 to 128 characters"_s;
    QTest::addRow("event too long") << ("{\"event\":\"" + QByteArray(129, 'a') + "\"}")
                                    << u"event must be 1 to 128 characters"_s;
    QTest::addRow("event control char") << QByteArray(R"({"event":"Le\nad"})") << u"event contains control"_s;
    QTest::addRow("page not object") << QByteArray(R"({"event":"Lead","page":"x"})")
                                     << u"page must be an object, not a string"_s;
    QTest::addRow("url not string") << QByteArray(R"({"event":"Lead","page":{"url":42}})")
                                    << u"page.url must be a string, not a number"_s;
    QTest::addRow("email array") << QByteArray(R"({"event":"Lead","user":{"email":["a@b.co"]}})")
                                 << u"user.email must be a string, not an array"_s;
    QTest::addRow("value string") << QByteArray(R"({"event":"Lead","properties":{"value":"150"}})")
                                  << u"properties.value must be a number, not a string"_s;
    QTest::addRow("value negative") << QByteArray(R"({"event":"Lead","properties":{"value":-1}})")
                                    << u"properties.value must be between 0 and 1000000000000"_s;
    QTest::addRow("value too big") << QByteArray(R"({"event":"Lead","properties":{"value":1e13}})")
                                   << u"properties.value must be between 0 and"_s;
    QTest::addRow("num_items fraction") << QByteArray(R"({"event":"Lead","properties":{"num_items":1.5}})")
                                        << u"properties.num_items must be a whole number"_s;
    QTest::addRow("currency") << QByteArray(R"({"event":"Lead","properties":{"currency":"dollars"}})")
                              << u"properties.currency must be a three-letter ISO 4217 code"_s;
    QTest::addRow("content_ids number") << QByteArray(R"({"event":"Lead","properties":{"content_ids":[1]}})")
                                        << u"properties.content_ids[0] must be a string, not a number"_s;
    QTest::addRow("contents entry") << QByteArray(R"({"event":"Lead","properties":{"contents":["x"]}})")
                                    << u"properties.contents[0] must be an object, not a string"_s;
    QTest::addRow("contents price")
        << QByteArray(R"({"event":"Lead","properties":{"contents":[{"price":"9"}]}})")
        << u"properties.contents[0].price must be a number, not a string"_s;
    QTest::addRow("url too long") << ("{\"event\":\"Lead\",\"page\":{\"url\":\"https://a.b/" + QByteArray(8200, 'a')
                                      + "\"}}")
                                  << u"page.url is 8212 characters long; the limit is 8192"_s;
    QTest::addRow("time milliseconds") << QByteArray(R"({"event":"Lead","event_time":1763700000000})")
                                       << u"event_time 1763700000000 looks like milliseconds; send Unix seconds"_s;
    QTest::addRow("time fraction") << QByteArray(R"({"event":"Lead","event_time":1763700000.5})")
                                   << u"event_time must be whole Unix seconds"_s;
    QTest::addRow("time no zone") << QByteArray(R"({"event":"Lead","event_time":"2025-11-21T04:40:00"})")
                                  << u"event_time has no time zone"_s;
    QTest::addRow("time garbage") << QByteArray(R"({"event":"Lead","event_time":"yesterday"})")
                                  << u"event_time is not an ISO-8601 date-time"_s;
    QTest::addRow("time range") << QByteArray(R"({"event":"Lead","event_time":5})")
                                << u"event_time 5 is outside 2000-2100"_s;
    QTest::addRow("time bool") << QByteArray(R"({"event":"Lead","event_time":true})")
                               << u"event_time must be Unix seconds or an ISO-8601 string, not true/false"_s;
    QTest::addRow("form not object") << QByteArray(R"({"event":"Lead","form":[1]})")
                                     << u"form must be an object, not an array"_s;
    QTest::addRow("visitor not string") << QByteArray(R"({"event":"Lead","visitor_id":7})")
                                        << u"visitor_id must be a string, not a number"_s;
}

void TestEventParser::rejectsBadInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const Expected<RawEvent> event = EventParser::parse(json);
    QVERIFY(!event);
    QVERIFY2(event.errorMessage().contains(error), qPrintable(event.errorMessage()));
}

void TestEventParser::rejectsOversizeEvents()
{
    const QByteArray json = R"({"event":"Lead","form":{"note":")" + QByteArray(EventLimits::maxEventBytes, 'x') + "\"}}";
    const Expected<RawEvent> event = EventParser::parse(json);
    QVERIFY(!event);
    QCOMPARE(event.errorMessage(), u"the event is %1 bytes; the limit is 65536 bytes (64 KiB)"_s.arg(json.size()));
}

void TestEventParser::rejectsDeepNesting()
{
    QByteArray nested = "1";
    for (int i = 0; i < 20; ++i)
        nested = "{\"a\":" + nested + "}";
    const Expected<RawEvent> event = EventParser::parse(QByteArray(R"({"event":"Lead","form":{"deep":)" + nested + "}}"));
    QVERIFY(!event);
    QVERIFY2(event.errorMessage().startsWith(u"form.deep.a.a"_s), qPrintable(event.errorMessage()));
    QVERIFY(event.errorMessage().contains(u"nested more than 16 levels deep"_s));

    // A thousand levels must not exhaust the stack either.
    const QByteArray deep = QByteArray(1000, '[') + QByteArray(1000, ']');
    QVERIFY(!EventParser::parse(QByteArray(R"({"event":"Lead","form":{"x":)" + deep + "}}")));
}

void TestEventParser::fieldTableIsInEnumOrder()
{
    int index = 0;
    for (const EventFieldSpec& spec : allFieldSpecs()) {
        QCOMPARE(int(spec.field), index++);
        QCOMPARE(fieldFromPath(QString(spec.path)), std::optional<EventField>(spec.field));
    }
    QCOMPARE(index, eventFieldCount);
}

QTEST_GUILESS_MAIN(TestEventParser)
#include "TestEventParser.moc"
