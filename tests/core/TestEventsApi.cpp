// SPDX-License-Identifier: GPL-3.0-or-later
#include "tiktok/EventsApiRequest.h"
#include "tiktok/EventsApiResponse.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(ClearSignal::DeliveryOutcome)

class TestEventsApi : public QObject
{
    Q_OBJECT

private slots:
    void buildsTheRequestBody();
    void omitsTestCodeForRealTraffic();
    void refusesBadRequests_data();
    void refusesBadRequests();
    void classifiesResponses_data();
    void classifiesResponses();
    void classifiesNetworkErrors();
};

void TestEventsApi::buildsTheRequestBody()
{
    EventsApiRequest request;
    request.eventSourceId = u"C3LTV833G487IS978FKG"_s;
    request.testEventCode = u"TEST12345"_s;
    request.items = {R"({"event":"Lead","event_time":1704721970})", R"({"event":"Schedule","event_time":1704721971})"};
    const Expected<QByteArray> body = request.toJson();
    QVERIFY(body);
    QCOMPARE(*body, QByteArray(R"({"event_source":"web","event_source_id":"C3LTV833G487IS978FKG",)"
                               R"("test_event_code":"TEST12345","data":[{"event":"Lead","event_time":1704721970},)"
                               R"({"event":"Schedule","event_time":1704721971}]})"));
}

void TestEventsApi::omitsTestCodeForRealTraffic()
{
    EventsApiRequest request;
    request.eventSource = u"crm"_s;
    request.eventSourceId = u"7123"_s;
    request.items = {R"({"event":"Lead","event_time":1})"};
    QCOMPARE(*request.toJson(),
             QByteArray(R"({"event_source":"crm","event_source_id":"7123","data":[{"event":"Lead","event_time":1}]})"));
}

void TestEventsApi::refusesBadRequests_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("sourceId");
    QTest::addColumn<int>("items");
    QTest::addColumn<QString>("error");
    QTest::addRow("no pixel") << u"web"_s << QString() << 1 << u"event_source_id is empty"_s;
    QTest::addRow("unknown source") << u"email"_s << u"P"_s << 1 << u"event_source must be web, app, offline or crm"_s;
    QTest::addRow("empty") << u"web"_s << u"P"_s << 0 << u"at least one event"_s;
    QTest::addRow("too many") << u"web"_s << u"P"_s << 1001 << u"at most 1000 events, not 1001"_s;
}

void TestEventsApi::refusesBadRequests()
{
    QFETCH(QString, source);
    QFETCH(QString, sourceId);
    QFETCH(int, items);
    QFETCH(QString, error);
    EventsApiRequest request;
    request.eventSource = source;
    request.eventSourceId = sourceId;
    for (int i = 0; i < items; ++i)
        request.items.append("{}");
    const Expected<QByteArray> body = request.toJson();
    QVERIFY(!body);
    QVERIFY2(body.errorMessage().contains(error), qPrintable(body.errorMessage()));
}

void TestEventsApi::classifiesResponses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<DeliveryOutcome>("outcome");
    QTest::addColumn<qint64>("code");
    QTest::addRow("ok") << 200 << QByteArray(R"({"code":0,"message":"OK","request_id":"r1","data":null})")
                        << DeliveryOutcome::Delivered << qint64(0);
    QTest::addRow("partial") << 200 << QByteArray(R"({"code":20001,"message":"partial"})")
                             << DeliveryOutcome::Delivered << qint64(20001);
    QTest::addRow("rate limit") << 200 << QByteArray(R"({"code":40100,"message":"Too many requests."})")
                                << DeliveryOutcome::RetryLater << qint64(40100);
    QTest::addRow("no permission") << 200 << QByteArray(R"({"code":40001,"message":"No permission"})")
                                   << DeliveryOutcome::Rejected << qint64(40001);
    QTest::addRow("bad parameter") << 200
                                   << QByteArray(R"({"code":40002,"message":"Batch.0.properties.contents.0.content_id"})")
                                   << DeliveryOutcome::Rejected << qint64(40002);
    QTest::addRow("bad token") << 200 << QByteArray(R"({"code":40105,"message":"invalid token"})")
                               << DeliveryOutcome::Unauthorized << qint64(40105);
    QTest::addRow("system error") << 200 << QByteArray(R"({"code":50000,"message":"system"})")
                                  << DeliveryOutcome::RetryLater << qint64(50000);
    QTest::addRow("nginx 502") << 502 << QByteArray("<html><body>502 Bad Gateway</body></html>")
                               << DeliveryOutcome::RetryLater << qint64(-1);
    QTest::addRow("html 200") << 200 << QByteArray("<html>maintenance</html>") << DeliveryOutcome::RetryLater
                              << qint64(-1);
    QTest::addRow("http 429") << 429 << QByteArray() << DeliveryOutcome::RetryLater << qint64(-1);
    QTest::addRow("http 401") << 401 << QByteArray(R"({"code":40104})") << DeliveryOutcome::Unauthorized
                              << qint64(40104);
}

void TestEventsApi::classifiesResponses()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(DeliveryOutcome, outcome);
    QFETCH(qint64, code);
    const EventsApiResponse response = EventsApiResponse::parse(status, body);
    QCOMPARE(response.outcome, outcome);
    QCOMPARE(response.code.value_or(-1), code);
    QVERIFY(!response.explanation.isEmpty());
}

void TestEventsApi::classifiesNetworkErrors()
{
    const EventsApiResponse response = EventsApiResponse::networkError(u"Connection refused"_s);
    QCOMPARE(response.outcome, DeliveryOutcome::RetryLater);
    QVERIFY(response.explanation.contains(u"Connection refused"_s));
}

QTEST_GUILESS_MAIN(TestEventsApi)
#include "TestEventsApi.moc"
