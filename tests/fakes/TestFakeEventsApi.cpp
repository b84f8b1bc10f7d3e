// SPDX-License-Identifier: GPL-3.0-or-later
#include "FakeEventsApi.h"

#include "common/Clock.h"
#include "tiktok/EventsApiRequest.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace ClearSignal;
using namespace ClearSignal::Fakes;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(ClearSignal::Fakes::Fault)
Q_DECLARE_METATYPE(ClearSignal::Fakes::TokenCheck)

namespace {

constexpr qint64 now = 1'795'000'000; // the fake's fixed clock
const QByteArray token = "secret-token";
const QString pixel = u"C3LTV833G487IS978FKG"_s;
const QByteArray emailHash = "eb9869a32b532840dd6aa714f7a872d21d6f650fc5aa933d9feefc64708969c7";

// The Segment fixture of research/tiktok-api.md 1.3, every documented field filled in.
const QByteArray fullItem =
    R"({"event":"InitiateCheckout","event_time":1794999900,"event_id":"corey123","user":{"email":)"
    R"(["eb9869a32b532840dd6aa714f7a872d21d6f650fc5aa933d9feefc64708969c7"],)"
    R"("phone":"910a625c4ba147b544e6bd2f267e130ae14c591b6ba9c25cb8573322dedbebd0",)"
    R"("external_id":["481f202262e9c5ccc48d24e60798fadaa5f6ff1f8369f7ab927c04c3aa682a7f"],"ttclid":"12345",)"
    R"("ttp":"2F7h37YkS1j57AYSKTI7IHhJPYH","ip":"0.0.0.0","user_agent":"Mozilla/5.0","locale":"en-US",)"
    R"("city":"austin","state":"tx","country":"us"},"page":{"url":"https://segment.com/",)"
    R"("referrer":"https://google.com/"},"properties":{"content_type":"product","contents":[{"content_id":)"
    R"("abc123","content_name":"pname1","content_category":"cat","price":100,"quantity":2,"brand":"Brand X"}],)"
    R"("currency":"USD","value":100.5,"query":"shoes","content_ids":["abc123"],"num_items":2,)"
    R"("order_id":"o-1","delivery_category":"home_delivery"},"limited_data_use":false})";

// moc (6.4) does not understand raw strings: it reads them as ordinary ones, so each raw string here must hold
// an even number of quotes, or moc loses track of the file. quoted() helps to keep them so.
QByteArray quoted(const QByteArray& text)
{
    return '"' + text + '"';
}

// A Lead 100 seconds old with more members.
QByteArray lead(const QByteArray& members = {}, qint64 time = now - 100)
{
    return R"({"event":"Lead","event_time":)" + QByteArray::number(time) + (members.isEmpty() ? "" : ",") + members +
           '}';
}

QByteArray request(const QList<QByteArray>& items, const QString& source = u"web"_s, const QString& testCode = {})
{
    EventsApiRequest request;
    request.eventSource = source;
    request.eventSourceId = pixel;
    request.testEventCode = testCode;
    request.items = items;
    return *request.toJson();
}

QByteArray withId(const char* id)
{
    return lead(R"("event_id":)" + quoted(id));
}

struct Reply
{
    bool finished = false;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int httpStatus = 0;
    QByteArray contentType;
    QByteArray body;
    qint64 elapsedMs = 0;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    qint64 code() const { return json().value("code"_L1).toInteger(-1); }
    QString message() const { return json().value("message"_L1).toString(); }
};

} // namespace

class TestFakeEventsApi : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void listensOnLoopbackOnly();
    void acceptsAndRecordsAValidRequest();
    void answersWithUniqueRequestIds();
    void acceptsEdgeCases_data();
    void acceptsEdgeCases();
    void rejectsSchemaViolations_data();
    void rejectsSchemaViolations();
    void rejectsBadTransport_data();
    void rejectsBadTransport();
    void checksTheAccessToken_data();
    void checksTheAccessToken();
    void answersInjectedHttpStatus_data();
    void answersInjectedHttpStatus();
    void answersInjectedCode_data();
    void answersInjectedCode();
    void consumesFaultsInOrderBeforeAnyCheck();
    void timeoutNeverAnswers();
    void dropClosesTheConnection();
    void slowAnswersAfterTheDelay();
    void rejectedEventIdPoisonsExactlyItsBatches();
    void resetForgetsEverything();
    void unknownRoutesAnswerJson404();
    void executableIsScriptedOverTheControlApi();

private:
    Reply send(const QUrl& url, const QByteArray& verb, const QByteArray& body,
               const QList<std::pair<QByteArray, QByteArray>>& headers, int timeoutMs = 10'000);
    Reply post(const QByteArray& body, int timeoutMs = 10'000)
    {
        return send(m_api->endpoint(), "POST", body, {{"Access-Token", token}, {"Content-Type", "application/json"}},
                    timeoutMs);
    }

    FixedClock m_clock{now};
    std::unique_ptr<FakeEventsApi> m_api;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

Reply TestFakeEventsApi::send(const QUrl& url, const QByteArray& verb, const QByteArray& body,
                              const QList<std::pair<QByteArray, QByteArray>>& headers, int timeoutMs)
{
    QNetworkRequest request(url);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(timeoutMs);
    QElapsedTimer timer;
    timer.start();
    QNetworkReply* reply = m_network->sendCustomRequest(request, verb, body);
    if (!reply->isFinished()) {
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(timeoutMs + 5000, &loop, &QEventLoop::quit); // a hung test fails instead of hanging
        loop.exec();
    }
    Reply result;
    result.finished = reply->isFinished();
    result.elapsedMs = timer.elapsed();
    result.error = reply->error();
    result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.contentType = reply->rawHeader("Content-Type");
    if (reply->isOpen())
        result.body = reply->readAll();
    reply->abort();
    reply->deleteLater();
    return result;
}

void TestFakeEventsApi::init()
{
    m_api = std::make_unique<FakeEventsApi>();
    m_api->setClock(&m_clock);
    m_api->setAccessToken(QString::fromLatin1(token));
    QVERIFY(m_api->listen());
    QCOMPARE(m_api->endpoint().toString(), u"http://127.0.0.1:%1/open_api/v1.3/event/track/"_s.arg(m_api->port()));
    m_network = std::make_unique<QNetworkAccessManager>();
}

void TestFakeEventsApi::cleanup()
{
    m_network.reset();
    m_api.reset();
}

void TestFakeEventsApi::listensOnLoopbackOnly()
{
    const QList<QTcpServer*> servers = m_api->findChildren<QTcpServer*>();
    QCOMPARE(servers.size(), 1);
    QCOMPARE(servers.constFirst()->serverAddress(), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(!m_api->listen()); // once only
    FakeEventsApi second;
    QTest::ignoreMessage(QtCriticalMsg, "listen failed: The bound address is already in use");
    QVERIFY(!second.listen(m_api->port()));
    QCOMPARE(second.port(), 0);
}

void TestFakeEventsApi::acceptsAndRecordsAValidRequest()
{
    QSignalSpy handled(m_api.get(), &FakeEventsApi::requestHandled);
    const QByteArray body = request({fullItem, withId("second")});
    const Reply reply = post(body);
    QCOMPARE(reply.error, QNetworkReply::NoError);
    QCOMPARE(reply.httpStatus, 200);
    QCOMPARE(reply.contentType, "application/json");
    const QString requestId = reply.json().value("request_id"_L1).toString();
    QCOMPARE(reply.body, R"({"code":0,"data":null,"message":"OK","request_id":)" + quoted(requestId.toLatin1()) + '}');

    QCOMPARE(handled.size(), 1);
    QCOMPARE(m_api->requests().size(), 1);
    const ReceivedRequest received = m_api->requests().constFirst();
    QCOMPARE(received.body, body); // byte for byte
    QCOMPARE(received.method, "POST");
    QCOMPARE(received.path, u"/open_api/v1.3/event/track/"_s);
    QCOMPARE(received.accessToken, token);
    QCOMPARE(received.token, TokenCheck::Matched);
    QCOMPARE(received.contentType, "application/json");
    QCOMPARE(received.json, QJsonValue(QJsonDocument::fromJson(body).object()));
    QCOMPARE(received.httpStatus, 200);
    QCOMPARE(received.code.value_or(-1), 0);
    QCOMPARE(received.requestId, requestId);
    QVERIFY(!received.fault);
    QVERIFY(qAbs(received.receivedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(handled.constFirst().constFirst().value<ReceivedRequest>().body, body);

    const QList<QJsonObject> accepted = m_api->acceptedEvents();
    QCOMPARE(accepted, (QList<QJsonObject>{QJsonDocument::fromJson(fullItem).object(),
                                           QJsonDocument::fromJson(withId("second")).object()}));
    const AcceptedEvent second = m_api->acceptedEventDetails().at(1);
    QCOMPARE(second.eventSource, u"web"_s);
    QCOMPARE(second.eventSourceId, pixel);
    QCOMPARE(second.testEventCode, QString());
    QCOMPARE(second.requestId, requestId);
    QCOMPARE(second.index, 1);
}

void TestFakeEventsApi::answersWithUniqueRequestIds()
{
    const QRegularExpression tiktokStyle(u"^\\d{14}[0-9A-F]{20}$"_s);
    QSet<QString> ids;
    for (int i = 0; i < 3; ++i) {
        const QString id = post(request({lead()})).json().value("request_id"_L1).toString();
        QVERIFY2(tiktokStyle.match(id).hasMatch(), qPrintable(id));
        ids.insert(id);
    }
    QCOMPARE(ids.size(), 3);
}

void TestFakeEventsApi::acceptsEdgeCases_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("events");
    QList<QByteArray> thousand;
    for (int i = 0; i < 1000; ++i)
        thousand.append(lead());
    QTest::addRow("hashed email as one string")
        << request({lead(R"("user":{"email":)" + quoted(emailHash) + '}')}) << 1;
    QTest::addRow("10 minutes ahead") << request({lead({}, now + 600)}) << 1;
    QTest::addRow("7 days old") << request({lead({}, now - 7 * 86400)}) << 1;
    QTest::addRow("offline, 28 days old") << request({lead({}, now - 28 * 86400)}, u"offline"_s) << 1;
    QTest::addRow("crm with a lead") << request({lead(R"("lead":{"lead_id":"7","lead_event_source":"hubspot"})")},
                                                u"crm"_s)
                                     << 1;
    QTest::addRow("app source") << request({lead()}, u"app"_s) << 1;
    QTest::addRow("test event alone") << request({lead()}, u"web"_s, u"TEST12345"_s) << 1;
    QTest::addRow("legacy and page view names") << request({R"({"event":"CompletePayment","event_time":1794999900})",
                                                            R"({"event":"SubmitForm","event_time":1794999900})",
                                                            R"({"event":"Pageview","event_time":1794999900})"})
                                                << 3;
    QTest::addRow("partner name")
        << QByteArray(R"({"event_source":"web","event_source_id":"P","partner_name":"X","data":[)" + lead() + "]}")
        << 1;
    QTest::addRow("1000 events") << request(thousand) << 1000;
}

void TestFakeEventsApi::acceptsEdgeCases()
{
    QFETCH(QByteArray, body);
    QFETCH(int, events);
    const Reply reply = post(body);
    QVERIFY2(reply.code() == 0, reply.body.constData());
    QCOMPARE(m_api->acceptedEvents().size(), events);
}

void TestFakeEventsApi::rejectsSchemaViolations_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    const QByteArray data = R"("data":[)" + lead() + "]";
    QList<QByteArray> tooMany;
    for (int i = 0; i < 1001; ++i)
        tooMany.append(lead());
    const auto row = [](const char* name, const QByteArray& body, const QString& message) {
        QTest::addRow("%s", name) << body << message;
    };
    // The request
    row("not an object", "[]", u"Request body: Not a valid object"_s);
    row("not JSON", R"({"event_source":)", u"Request body: invalid JSON at offset 16: unexpected end of input"_s);
    row("duplicate key", R"({"event_source":"web","event_source":"app"})",
        u"Request body: invalid JSON at offset 22: duplicate key"_s);
    row("1.0 pixel_code", R"({"pixel_code":"P","event":"Lead"})", u"pixel_code: Unknown field"_s);
    row("no event_source", R"({"event_source_id":"P",)" + data + '}',
        u"event_source: Missing data for required field"_s);
    row("unknown event_source", R"({"event_source":"email","event_source_id":"P",)" + data + '}',
        u"event_source: Must be one of: web, app, offline, crm"_s);
    row("event_source not a string", R"({"event_source":1,"event_source_id":"P",)" + data + '}',
        u"event_source: Not a valid string"_s);
    row("no event_source_id", R"({"event_source":"web",)" + data + '}',
        u"event_source_id: Missing data for required field"_s);
    row("blank event_source_id", R"({"event_source":"web","event_source_id":" ",)" + data + '}',
        u"event_source_id: Must not be empty"_s);
    row("numeric event_source_id", R"({"event_source":"web","event_source_id":7,)" + data + '}',
        u"event_source_id: Not a valid string"_s);
    row("numeric test_event_code", R"({"event_source":"web","event_source_id":"P","test_event_code":1,)" + data + '}',
        u"test_event_code: Not a valid string"_s);
    row("numeric partner_name", R"({"event_source":"web","event_source_id":"P","partner_name":1,)" + data + '}',
        u"partner_name: Not a valid string"_s);
    row("no data", R"({"event_source":"web","event_source_id":"P"})", u"data: Missing data for required field"_s);
    row("data not a list", R"({"event_source":"web","event_source_id":"P","data":{}})", u"data: Not a valid list"_s);
    row("empty data", R"({"event_source":"web","event_source_id":"P","data":[]})",
        u"data: Must hold 1 to 1000 events, not 0"_s);
    row("1001 events", R"({"event_source":"web","event_source_id":"P","data":[)" + tooMany.join(',') + "]}",
        u"data: Must hold 1 to 1000 events, not 1001"_s);
    row("batched test events", request({lead(), lead()}, u"web"_s, u"TEST1"_s),
        u"data: A request with test_event_code must hold exactly one event, not 2"_s);
    // The event
    row("item not an object", request({"[]"}), u"Batch.0: Not a valid object"_s);
    row("1.0 timestamp", request({lead(R"("timestamp":"2020-09-17T19:49:27Z")")}),
        u"Batch.0.timestamp: Unknown field"_s);
    row("no event", request({R"({"event_time":1794999900})"}), u"Batch.0.event: Missing data for required field"_s);
    row("custom event", request({R"({"event":"BookedConsult","event_time":1794999900})"}),
        u"Batch.0.event: Not a TikTok standard event: \"BookedConsult\""_s);
    row("lowercase event", request({R"({"event":"lead","event_time":1794999900})"}),
        u"Batch.0.event: Not a TikTok standard event: \"lead\""_s);
    row("second item", request({lead(), R"({"event":"Lead"})"}),
        u"Batch.1.event_time: Missing data for required field"_s);
    row("event_time string", request({R"({"event":"Lead","event_time":"1794999900"})"}),
        u"Batch.0.event_time: Not a valid integer"_s);
    row("event_time fraction", request({R"({"event":"Lead","event_time":1794999900.5})"}),
        u"Batch.0.event_time: Not a valid integer"_s);
    row("event_time in ms", request({lead({}, now * 1000)}),
        u"Batch.0.event_time: More than 10 minutes in the future"_s);
    row("event_time 601 s ahead", request({lead({}, now + 601)}),
        u"Batch.0.event_time: More than 10 minutes in the future"_s);
    row("web event too old", request({lead({}, now - 7 * 86400 - 1)}), u"Batch.0.event_time: Older than 7 days"_s);
    row("offline event too old", request({lead({}, now - 28 * 86400 - 1)}, u"offline"_s),
        u"Batch.0.event_time: Older than 28 days"_s);
    row("numeric event_id", request({lead(R"("event_id":7)")}), u"Batch.0.event_id: Not a valid string"_s);
    row("limited_data_use string", request({lead(R"("limited_data_use":"false")")}),
        u"Batch.0.limited_data_use: Not a valid boolean"_s);
    row("lead on web", request({lead(R"("lead":{"lead_id":"7"})")}),
        u"Batch.0.lead: Only allowed when event_source is crm"_s);
    row("numeric lead_id", request({lead(R"("lead":{"lead_id":7})")}, u"crm"_s),
        u"Batch.0.lead.lead_id: Not a valid string"_s);
    // user
    row("user not an object", request({lead(R"("user":[])")}), u"Batch.0.user: Not a valid object"_s);
    row("plain email", request({lead(R"("user":{"email":"jane@example.com"})")}),
        u"Batch.0.user.email: Not a lowercase SHA-256 hex digest"_s);
    row("uppercase hash", request({lead(R"("user":{"email":)" + quoted(emailHash.toUpper()) + '}')}),
        u"Batch.0.user.email: Not a lowercase SHA-256 hex digest"_s);
    row("empty email list", request({lead(R"("user":{"email":[]})")}),
        u"Batch.0.user.email: Must not be an empty list"_s);
    row("bad second email", request({lead(R"("user":{"email":[)" + quoted(emailHash) + R"(,"x"]})")}),
        u"Batch.0.user.email.1: Not a lowercase SHA-256 hex digest"_s);
    row("numeric email in list", request({lead(R"("user":{"email":[5]})")}),
        u"Batch.0.user.email.0: Not a valid string"_s);
    row("numeric phone", request({lead(R"("user":{"phone":15555555555})")}),
        u"Batch.0.user.phone: Not a valid string or list"_s);
    row("1.0 phone_number", request({lead(R"("user":{"phone_number":)" + quoted(emailHash) + '}')}),
        u"Batch.0.user.phone_number: Unknown field"_s);
    row("plain zip code", request({lead(R"("user":{"zip_code":"90210"})")}),
        u"Batch.0.user.zip_code: Not a lowercase SHA-256 hex digest"_s);
    row("numeric ip", request({lead(R"("user":{"ip":127})")}), u"Batch.0.user.ip: Not a valid string"_s);
    // page
    row("relative url", request({lead(R"("page":{"url":"/contact"})")}),
        u"Batch.0.page.url: Not an absolute http or https URL"_s);
    row("ftp url", request({lead(R"("page":{"url":"ftp://a.example/"})")}),
        u"Batch.0.page.url: Not an absolute http or https URL"_s);
    row("page title", request({lead(R"("page":{"title":"Botox"})")}), u"Batch.0.page.title: Unknown field"_s);
    row("numeric referrer", request({lead(R"("page":{"referrer":1})")}),
        u"Batch.0.page.referrer: Not a valid string"_s);
    // properties
    row("value as string", request({lead(R"("properties":{"value":"100"})")}),
        u"Batch.0.properties.value: Not a valid number"_s);
    row("lowercase currency", request({lead(R"("properties":{"currency":"usd"})")}),
        u"Batch.0.properties.currency: Not a valid currency code (3 uppercase letters)"_s);
    row("contents not a list", request({lead(R"("properties":{"contents":{}})")}),
        u"Batch.0.properties.contents: Not a valid list"_s);
    row("content not an object", request({lead(R"("properties":{"contents":["x"]})")}),
        u"Batch.0.properties.contents.0: Not a valid object"_s);
    row("numeric content_id", request({lead(R"("properties":{"contents":[{"content_id":5}]})")}),
        u"Batch.0.properties.contents.0.content_id: Not a valid string"_s);
    row("fractional quantity", request({lead(R"("properties":{"contents":[{"quantity":1.5}]})")}),
        u"Batch.0.properties.contents.0.quantity: Not a valid integer"_s);
    row("price as string", request({lead(R"("properties":{"contents":[{"price":"8"}]})")}),
        u"Batch.0.properties.contents.0.price: Not a valid number"_s);
    row("numeric content id in list", request({lead(R"("properties":{"content_ids":["a",2]})")}),
        u"Batch.0.properties.content_ids.1: Not a valid string"_s);
    row("Rudder's contents_ids", request({lead(R"("properties":{"contents_ids":["a"]})")}),
        u"Batch.0.properties.contents_ids: Unknown field"_s);
    row("content_name outside contents", request({lead(R"("properties":{"content_name":"Botox"})")}),
        u"Batch.0.properties.content_name: Unknown field"_s);
    row("unknown delivery", request({lead(R"("properties":{"delivery_category":"drone"})")}),
        u"Batch.0.properties.delivery_category: Must be one of: in_store, curbside, home_delivery"_s);
    row("fractional num_items", request({lead(R"("properties":{"num_items":2.5})")}),
        u"Batch.0.properties.num_items: Not a valid integer"_s);
}

void TestFakeEventsApi::rejectsSchemaViolations()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    const Reply reply = post(body);
    QCOMPARE(reply.httpStatus, 200); // TikTok reports errors in the body
    QCOMPARE(reply.contentType, "application/json");
    QCOMPARE(reply.code(), 40002);
    QCOMPARE(reply.message(), message);
    QCOMPARE(reply.json().value("data"_L1), QJsonValue(QJsonValue::Null));
    QVERIFY(m_api->acceptedEvents().isEmpty());
    QCOMPARE(m_api->requests().constFirst().code.value_or(-1), 40002);
    QCOMPARE(m_api->requests().constFirst().message, message);
}

void TestFakeEventsApi::rejectsBadTransport_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("message");
    QTest::addRow("GET") << QByteArray("GET") << QByteArray("application/json") << u"Method: Must be POST, not GET"_s;
    QTest::addRow("PUT") << QByteArray("PUT") << QByteArray("application/json") << u"Method: Must be POST, not PUT"_s;
    QTest::addRow("text/plain") << QByteArray("POST") << QByteArray("text/plain")
                                << u"Content-Type: Must be application/json, not \"text/plain\""_s;
    QTest::addRow("form") << QByteArray("POST") << QByteArray("application/x-www-form-urlencoded")
                          << u"Content-Type: Must be application/json, not \"application/x-www-form-urlencoded\""_s;
    QTest::addRow("no content type") << QByteArray("POST") << QByteArray()
                                     << u"Content-Type: Missing header, must be application/json"_s;
    QTest::addRow("charset is fine") << QByteArray("POST") << QByteArray("application/json; charset=utf-8") << u"OK"_s;
}

void TestFakeEventsApi::rejectsBadTransport()
{
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, message);
    QList<std::pair<QByteArray, QByteArray>> headers = {{"Access-Token", token}};
    if (!contentType.isEmpty())
        headers.append({"Content-Type", contentType});
    const Reply reply = send(m_api->endpoint(), verb, request({lead()}), headers);
    QCOMPARE(reply.httpStatus, 200);
    QCOMPARE(reply.message(), message);
    QCOMPARE(reply.code(), message == "OK"_L1 ? 0 : 40002);
    QCOMPARE(m_api->requests().constFirst().method, verb);
}

void TestFakeEventsApi::checksTheAccessToken_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<TokenCheck>("check");
    QTest::addRow("right") << QByteArray("Access-Token") << token << 0 << u"OK"_s << TokenCheck::Matched;
    QTest::addRow("header names are case-insensitive")
        << QByteArray("access-token") << token << 0 << u"OK"_s << TokenCheck::Matched;
    QTest::addRow("missing") << QByteArray() << QByteArray() << 40104
                             << u"Access token is null. Please check your access token."_s << TokenCheck::Missing;
    QTest::addRow("empty") << QByteArray("Access-Token") << QByteArray() << 40104
                           << u"Access token is null. Please check your access token."_s << TokenCheck::Missing;
    QTest::addRow("wrong") << QByteArray("Access-Token") << QByteArray("revoked-token") << 40105
                           << u"Access token is incorrect or has been revoked."_s << TokenCheck::Wrong;
    QTest::addRow("as a Bearer token") << QByteArray("Authorization") << "Bearer " + token << 40104
                                       << u"Access token is null. Please check your access token."_s
                                       << TokenCheck::Missing;
}

void TestFakeEventsApi::checksTheAccessToken()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(TokenCheck, check);
    QList<std::pair<QByteArray, QByteArray>> headers = {{"Content-Type", "application/json"}};
    if (!header.isEmpty())
        headers.append({header, value});
    const Reply reply = send(m_api->endpoint(), "POST", request({lead()}), headers);
    QCOMPARE(reply.httpStatus, 200);
    QCOMPARE(reply.contentType, "application/json");
    QCOMPARE(reply.code(), code);
    QCOMPARE(reply.message(), message);
    QCOMPARE(m_api->requests().constFirst().token, check);
    QCOMPARE(m_api->acceptedEvents().size(), code == 0 ? 1 : 0);
}

void TestFakeEventsApi::answersInjectedHttpStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("html");
    QTest::addColumn<int>("code"); // for JSON answers
    const auto nginx = [](const QByteArray& title) -> QByteArray {
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
               "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    };
    QTest::addRow("502") << 502 << QByteArray("text/html") << nginx("502 Bad Gateway") << -1;
    QTest::addRow("503") << 503 << QByteArray("text/html") << nginx("503 Service Temporarily Unavailable") << -1;
    QTest::addRow("500") << 500 << QByteArray("text/html") << nginx("500 Internal Server Error") << -1;
    QTest::addRow("429") << 429 << QByteArray("application/json") << QByteArray() << 40100;
}

void TestFakeEventsApi::answersInjectedHttpStatus()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, html);
    QFETCH(int, code);
    m_api->queueFault(Fault::http(status));
    const Reply reply = post(request({lead()}));
    QCOMPARE(reply.httpStatus, status);
    QCOMPARE(reply.contentType, contentType);
    if (html.isEmpty()) {
        QCOMPARE(reply.code(), code);
        QCOMPARE(reply.message(), u"Too many requests. Please retry in some time."_s);
    } else {
        QCOMPARE(reply.body, html);
    }
    QVERIFY(m_api->acceptedEvents().isEmpty());
    QCOMPARE(m_api->requests().constFirst().httpStatus, status);
    QCOMPARE(m_api->requests().constFirst().fault->kind, Fault::Kind::HttpStatus);

    // One fault, one request: the next one is judged normally.
    QCOMPARE(post(request({lead()})).code(), 0);
    QCOMPARE(m_api->acceptedEvents().size(), 1);
}

void TestFakeEventsApi::answersInjectedCode_data()
{
    QTest::addColumn<Fault>("fault");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("rate limit") << Fault::apiCode(40100) << 40100 << u"Too many requests. Please retry in some time."_s;
    QTest::addRow("system error") << Fault::apiCode(50000) << 50000 << u"System error. Please retry later."_s;
    QTest::addRow("no permission")
        << Fault::apiCode(40001) << 40001
        << u"No permission to operate pixel code: C3LTV833G487IS978FKG. You must be an admin "
           "or operator of this advertiser account."_s;
    QTest::addRow("own message") << Fault::apiCode(40002, u"Parameter error"_s) << 40002 << u"Parameter error"_s;
}

void TestFakeEventsApi::answersInjectedCode()
{
    QFETCH(Fault, fault);
    QFETCH(int, code);
    QFETCH(QString, message);
    m_api->queueFault(fault);
    const Reply reply = post(request({lead()}));
    QCOMPARE(reply.httpStatus, 200);
    QCOMPARE(reply.contentType, "application/json");
    QCOMPARE(reply.code(), code);
    QCOMPARE(reply.message(), message);
    QVERIFY(m_api->acceptedEvents().isEmpty());
    QCOMPARE(m_api->requests().constFirst().code.value_or(-1), code);
}

void TestFakeEventsApi::consumesFaultsInOrderBeforeAnyCheck()
{
    m_api->queueFault(Fault::apiCode(40100));
    m_api->queueFault(Fault::http(503));
    m_api->queueFault(Fault::slow(std::chrono::milliseconds(0)));
    QCOMPARE(m_api->pendingFaults(), 3);
    const QList<std::pair<QByteArray, QByteArray>> wrongToken = {{"Access-Token", "wrong"},
                                                                 {"Content-Type", "application/json"}};
    // A fault comes before the token and the schema are looked at.
    QCOMPARE(send(m_api->endpoint(), "POST", request({lead()}), wrongToken).code(), 40100);
    QCOMPARE(m_api->pendingFaults(), 2);
    QCOMPARE(post("[]").httpStatus, 503);
    // A slow answer is the normal answer.
    QCOMPARE(send(m_api->endpoint(), "POST", request({lead()}), wrongToken).code(), 40105);
    QCOMPARE(m_api->pendingFaults(), 0);
    QCOMPARE(post(request({lead()})).code(), 0);
    QStringList kinds;
    for (const ReceivedRequest& received : m_api->requests())
        kinds << (received.fault ? received.fault->kindName() : u"none"_s);
    QCOMPARE(kinds, (QStringList{u"code"_s, u"http_status"_s, u"slow"_s, u"none"_s}));
}

void TestFakeEventsApi::timeoutNeverAnswers()
{
    m_api->queueFault(Fault::timeout());
    const Reply reply = post(request({withId("lost")}), 500);
    QVERIFY(reply.finished);
    QCOMPARE(reply.error, QNetworkReply::OperationCanceledError); // the client's own transfer timeout
    // The transfer timer is a coarse timer: it may fire up to 5% early.
    QVERIFY2(reply.elapsedMs >= 475, QByteArray::number(reply.elapsedMs).constData());
    QCOMPARE(reply.httpStatus, 0);
    QCOMPARE(m_api->requests().size(), 1);
    QCOMPARE(m_api->requests().constFirst().httpStatus, 0);
    QVERIFY(!m_api->requests().constFirst().code);
    QVERIFY(m_api->acceptedEvents().isEmpty());
    QCOMPARE(post(request({lead()})).code(), 0);
}

void TestFakeEventsApi::dropClosesTheConnection()
{
    // QNetworkAccessManager resends a request once when the connection closes before any answer, so one drop
    // goes unnoticed by such a client (and a POST may reach the server twice)...
    m_api->queueFault(Fault::drop());
    const Reply resent = post(request({withId("resent")}));
    QCOMPARE(resent.error, QNetworkReply::NoError);
    QCOMPARE(resent.code(), 0);
    QCOMPARE(m_api->requests().size(), 2);
    QCOMPARE(m_api->requests().at(0).fault->kind, Fault::Kind::Drop);
    QCOMPARE(m_api->requests().at(0).httpStatus, 0);
    QCOMPARE(m_api->requests().at(1).body, m_api->requests().at(0).body);
    QVERIFY(!m_api->requests().at(1).fault);

    // ...and a second drop of the same request reaches it as a closed connection.
    m_api->reset();
    m_api->queueFault(Fault::drop());
    m_api->queueFault(Fault::drop());
    const Reply dropped = post(request({withId("dropped")}));
    QVERIFY(dropped.finished);
    QCOMPARE(dropped.error, QNetworkReply::RemoteHostClosedError);
    QCOMPARE(dropped.httpStatus, 0);
    QVERIFY(dropped.body.isEmpty());
    QCOMPARE(m_api->requests().size(), 2);
    QVERIFY(m_api->acceptedEvents().isEmpty());
    QCOMPARE(post(request({lead()})).code(), 0);
}

void TestFakeEventsApi::slowAnswersAfterTheDelay()
{
    m_api->queueFault(Fault::slow(std::chrono::milliseconds(700)));
    const Reply slow = post(request({withId("slow")}));
    QCOMPARE(slow.code(), 0);
    QVERIFY2(slow.elapsedMs >= 700, QByteArray::number(slow.elapsedMs).constData());

    // A client that gives up first: the fake has taken the event (as TikTok would have), and its late answer
    // finds the connection gone.
    m_api->queueFault(Fault::slow(std::chrono::milliseconds(900)));
    const Reply gaveUp = post(request({withId("late")}), 300);
    QCOMPARE(gaveUp.error, QNetworkReply::OperationCanceledError);
    QVERIFY(gaveUp.elapsedMs < 900);
    QTest::qWait(800);
    QCOMPARE(m_api->acceptedEvents().size(), 2);
    QCOMPARE(m_api->acceptedEvents().at(1).value("event_id"_L1).toString(), u"late"_s);
    QCOMPARE(post(request({lead()})).code(), 0);
}

void TestFakeEventsApi::rejectedEventIdPoisonsExactlyItsBatches()
{
    m_api->rejectEventId(u"poison"_s);
    const QString rejected = u"Batch.%1.event_id: Rejected by the fake (event_id \"poison\")"_s;
    const auto answer = [this](const QList<QByteArray>& items, const QString& testCode = {}) {
        const Reply reply = post(request(items, u"web"_s, testCode));
        return reply.code() == 0 ? u"OK"_s : reply.message();
    };
    // The relay's bisection: the whole batch, then halves, until the poison is alone.
    QCOMPARE(answer({withId("a"), withId("poison"), withId("c")}), rejected.arg(1));
    QCOMPARE(answer({withId("a")}), u"OK"_s);
    QCOMPARE(answer({withId("poison"), withId("c")}), rejected.arg(0));
    QCOMPARE(answer({withId("poison")}), rejected.arg(0));
    QCOMPARE(answer({withId("c")}), u"OK"_s);
    QCOMPARE(answer({withId("poison")}, u"TEST1"_s), rejected.arg(0));
    QCOMPARE(answer({withId("poisonous"), lead()}), u"OK"_s);
    QStringList accepted;
    for (const QJsonObject& item : m_api->acceptedEvents())
        accepted << item.value("event_id"_L1).toString();
    QCOMPARE(accepted, (QStringList{u"a"_s, u"c"_s, u"poisonous"_s, QString()}));
    // The schema comes first.
    QCOMPARE(answer({withId("poison"), lead(R"("user":[])")}), u"Batch.1.user: Not a valid object"_s);
}

void TestFakeEventsApi::resetForgetsEverything()
{
    m_api->queueFault(Fault::http(502));
    m_api->queueFault(Fault::http(502));
    m_api->rejectEventId(u"x"_s);
    QCOMPARE(post(request({lead()})).httpStatus, 502);
    m_api->reset();
    QCOMPARE(m_api->pendingFaults(), 0);
    QVERIFY(m_api->requests().isEmpty());
    QVERIFY(m_api->rejectedEventIds().isEmpty());
    QCOMPARE(post(request({withId("x")})).code(), 0);
    QCOMPARE(m_api->acceptedEvents().size(), 1);
    // The token is configuration, not state.
    QCOMPARE(send(m_api->endpoint(), "POST", request({lead()}), {{"Content-Type", "application/json"}}).code(), 40104);
}

void TestFakeEventsApi::unknownRoutesAnswerJson404()
{
    m_api->queueFault(Fault::http(502));
    QUrl url = m_api->endpoint();
    url.setPath(u"/open_api/v1.3/pixel/track/"_s);
    const Reply other = send(url, "POST", request({lead()}), {{"Access-Token", token}});
    QCOMPARE(other.httpStatus, 404);
    QCOMPARE(other.contentType, "application/json");
    QCOMPARE(other.body, R"({"error":"no route for POST /open_api/v1.3/pixel/track/"})");
    url.setPath(u"/control/reset"_s); // the control API is off unless enabled
    QCOMPARE(send(url, "POST", {}, {}).httpStatus, 404);
    QVERIFY(m_api->requests().isEmpty());
    QCOMPARE(m_api->pendingFaults(), 1);
}

void TestFakeEventsApi::executableIsScriptedOverTheControlApi()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString recordPath = dir.filePath(u"requests.ndjson"_s);
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"FAKE_EVENTS_API_TOKEN"_s, u"env-token"_s);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(FAKE_EVENTS_API), {u"--port"_s, u"0"_s, u"--record"_s, recordPath});
    QVERIFY(process.waitForStarted());
    QByteArray out;
    while (!out.contains('\n') && process.waitForReadyRead(10'000))
        out += process.readAllStandardOutput();
    const QRegularExpressionMatch listening =
        QRegularExpression(u"^listening (http://127\\.0\\.0\\.1:\\d+/open_api/v1\\.3/event/track/)\n$"_s)
            .match(QString::fromUtf8(out));
    QVERIFY2(listening.hasMatch(), out.constData());
    const QUrl endpoint(listening.captured(1));
    const auto control = [&](const QByteArray& verb, const QString& path, const QByteArray& body = {}) {
        const Reply reply = send(endpoint.resolved(QUrl(path)), verb, body, {{"Content-Type", "application/json"}});
        return std::make_pair(reply.httpStatus, reply.body);
    };
    const auto track = [&](const QByteArray& body, const QByteArray& accessToken = "env-token") {
        return send(endpoint, "POST", body, {{"Access-Token", accessToken}, {"Content-Type", "application/json"}});
    };
    using Answer = std::pair<int, QByteArray>;

    // One bad fault refuses the whole list.
    const Answer refused(400, R"({"error":"fault 1: fault \"slow\" needs an integer \"ms\""})");
    QCOMPARE(control("POST", u"/control/faults"_s, R"([{"kind":"code","code":40100},{"kind":"slow"}])"), refused);
    QCOMPARE(
        control("POST", u"/control/faults"_s, R"([{"kind":"code","code":40100},{"kind":"http_status","status":502}])"),
        Answer(200, R"({"pending":2,"queued":2})"));
    QCOMPARE(control("POST", u"/control/reject"_s, R"({"event_id":"poison"})"),
             Answer(200, R"({"rejected_event_ids":["poison"]})"));

    // Events within the real clock's window.
    const qint64 time = QDateTime::currentSecsSinceEpoch() - 60;
    const QByteArray a = lead(R"("event_id":"a")", time);
    QCOMPARE(track(request({a})).code(), 40100);
    QCOMPARE(track(request({a})).httpStatus, 502);
    QCOMPARE(track(request({a, lead(R"("event_id":"poison")", time)})).message(),
             u"Batch.1.event_id: Rejected by the fake (event_id \"poison\")"_s);
    QCOMPARE(track(request({a}, u"web"_s, u"TEST42"_s)).code(), 0);
    QCOMPARE(track(request({a}), "wrong").code(), 40105);

    const auto [acceptedStatus, acceptedBody] = control("GET", u"/control/accepted"_s);
    QCOMPARE(acceptedStatus, 200);
    const QJsonArray events = QJsonDocument::fromJson(acceptedBody).object().value("events"_L1).toArray();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).toObject().value("item"_L1).toObject(), QJsonDocument::fromJson(a).object());
    QCOMPARE(events.at(0).toObject().value("test_event_code"_L1).toString(), u"TEST42"_s);
    QCOMPARE(events.at(0).toObject().value("event_source_id"_L1).toString(), pixel);

    const auto [requestsStatus, requestsBody] = control("GET", u"/control/requests"_s);
    QCOMPARE(requestsStatus, 200);
    QStringList summary;
    for (const QJsonValue& value : QJsonDocument::fromJson(requestsBody).object().value("requests"_L1).toArray()) {
        const QJsonObject request = value.toObject();
        summary << u"%1 %2 %3 %4"_s.arg(request.value("http_status"_L1).toInt(), 3, 10, QChar(u'0'))
                       .arg(request.value("code"_L1).toInteger(-1))
                       .arg(request.value("fault"_L1).toObject().value("kind"_L1).toString(u"-"_s),
                            request.value("token"_L1).toString());
    }
    QCOMPARE(summary, (QStringList{u"200 40100 code matched"_s, u"502 -1 http_status matched"_s,
                                   u"200 40002 - matched"_s, u"200 0 - matched"_s, u"200 40105 - wrong"_s}));

    QCOMPARE(control("POST", u"/control/reset"_s), Answer(200, R"({"reset":true})"));
    QCOMPARE(control("GET", u"/control/requests"_s), Answer(200, R"({"requests":[]})"));

    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(10'000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(process.readAllStandardOutput(), QByteArray()); // the listening line was the only one

    QFile record(recordPath);
    QVERIFY(record.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = record.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    const QJsonObject poisoned = QJsonDocument::fromJson(lines.at(2)).object();
    QCOMPARE(poisoned.value("code"_L1).toInt(), 40002);
    QCOMPARE(poisoned.value("http_status"_L1).toInt(), 200);
    QCOMPARE(poisoned.value("body"_L1).toObject(),
             QJsonDocument::fromJson(request({a, lead(R"("event_id":"poison")", time)})).object());
    const QJsonObject faulted = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(faulted.value("fault"_L1).toObject(), (QJsonObject{{"kind"_L1, u"http_status"_s}, {"status"_L1, 502}}));
    QCOMPARE(faulted.value("code"_L1), QJsonValue(QJsonValue::Null));
}

QTEST_GUILESS_MAIN(TestFakeEventsApi)
#include "TestFakeEventsApi.moc"
