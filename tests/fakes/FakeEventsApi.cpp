// SPDX-License-Identifier: GPL-3.0-or-later
#include "FakeEventsApi.h"

#include "ControlApi.h"

#include "common/Clock.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

namespace ClearSignal::Fakes {

using namespace Qt::Literals::StringLiterals;

namespace {

const QByteArray jsonType = QByteArrayLiteral("application/json");

QByteArray methodName(QHttpServerRequest::Method method)
{
    const char* key = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method));
    return key ? QByteArray(key).toUpper() : QByteArrayLiteral("UNKNOWN");
}

// What nginx in front of TikTok answers when the API behind it fails: HTML, not the JSON envelope.
QByteArray nginxPage(int status)
{
    static const QHash<int, QByteArray> reasons = {{500, "Internal Server Error"},
                                                   {502, "Bad Gateway"},
                                                   {503, "Service Temporarily Unavailable"},
                                                   {504, "Gateway Time-out"}};
    const QByteArray title = QByteArray::number(status) + ' ' + reasons.value(status, "Error");
    return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
           "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
}

} // namespace

// A responder answered later (Slow) or never (Timeout). QHttpServer deletes a socket once its client goes
// away, and the responder keeps only a raw pointer to it, so the socket is watched separately.
struct FakeEventsApi::Held
{
    explicit Held(QHttpServerResponder&& r) : responder(std::move(r)), socket(responder.socket()) {}
    QHttpServerResponder responder;
    QPointer<QTcpSocket> socket;
};

FakeEventsApi::FakeEventsApi(QObject* parent)
    : QObject(parent), m_server(new QHttpServer(this)), m_clock(&SystemClock::instance()),
      m_instanceTag(QRandomGenerator::global()->generate())
{
    m_server->route(QString(trackPath), [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        handleTrack(request, std::move(responder));
    });
    m_server->setMissingHandler([](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        const QJsonObject error{
            {"error"_L1,
             u"no route for %1 %2"_s.arg(QString::fromLatin1(methodName(request.method())), request.url().path())}};
        responder.write(QJsonDocument(error).toJson(QJsonDocument::Compact), jsonType,
                        QHttpServerResponder::StatusCode::NotFound);
    });
}

FakeEventsApi::~FakeEventsApi()
{
    m_held.clear(); // before the server (a child) and its sockets
}

bool FakeEventsApi::listen(quint16 port)
{
    if (m_port != 0)
        return false;
    m_port = m_server->listen(QHostAddress::LocalHost, port);
    return m_port != 0;
}

QUrl FakeEventsApi::endpoint() const
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(trackPath));
}

void FakeEventsApi::setAccessToken(const QString& token)
{
    m_accessToken = token;
}

void FakeEventsApi::setLimits(const EventsApiSchema::Limits& limits)
{
    m_schema.setLimits(limits);
}

void FakeEventsApi::setClock(const Clock* clock)
{
    m_clock = clock ? clock : &SystemClock::instance();
}

void FakeEventsApi::enableControlApi()
{
    if (m_controlApi)
        return;
    m_controlApi = true;
    ControlApi::addRoutes(*m_server, *this);
}

void FakeEventsApi::queueFault(const Fault& fault)
{
    m_faults.enqueue(fault);
}

void FakeEventsApi::rejectEventId(const QString& eventId)
{
    m_rejectedIds.insert(eventId);
}

QStringList FakeEventsApi::rejectedEventIds() const
{
    QStringList ids(m_rejectedIds.begin(), m_rejectedIds.end());
    ids.sort();
    return ids;
}

void FakeEventsApi::reset()
{
    m_faults.clear();
    m_rejectedIds.clear();
    m_requests.clear();
    m_accepted.clear();
}

QList<QJsonObject> FakeEventsApi::acceptedEvents() const
{
    QList<QJsonObject> items;
    items.reserve(m_accepted.size());
    for (const AcceptedEvent& event : m_accepted)
        items.append(event.item);
    return items;
}

void FakeEventsApi::handleTrack(const QHttpServerRequest& request, QHttpServerResponder&& responder)
{
    ReceivedRequest record = capture(request);
    record.requestId = nextRequestId();
    const Expected<JsonDom> body = JsonDom::parse(record.body);
    if (body)
        record.json = body->toJsonValue(JsonDom::root);
    if (!m_faults.isEmpty())
        record.fault = m_faults.dequeue();
    const auto faulted = [&record](Fault::Kind kind) {
        return record.fault && record.fault->kind == kind;
    };

    if (faulted(Fault::Kind::Timeout)) {
        std::erase_if(m_held, [](const std::unique_ptr<Held>& held) { return held->socket.isNull(); });
        m_held.push_back(std::make_unique<Held>(std::move(responder)));
        finish(std::move(record));
        return;
    }
    if (faulted(Fault::Kind::Drop)) {
        // Safe inside the handler: QHttpServer deletes the closed socket once the handler has returned.
        responder.socket()->disconnectFromHost();
        finish(std::move(record));
        return;
    }

    Answer answer;
    if (faulted(Fault::Kind::HttpStatus) || faulted(Fault::Kind::Code)) {
        answer = faultAnswer(*record.fault, record);
    } else {
        const auto [code, message] = judge(record, body);
        answer = envelope(record, code, message);
    }
    if (faulted(Fault::Kind::Slow)) {
        const auto held = std::make_shared<Held>(std::move(responder));
        QTimer::singleShot(record.fault->delay, this, [held, answer] { send(held->responder, held->socket, answer); });
    } else {
        send(responder, responder.socket(), answer);
    }
    finish(std::move(record));
}

ReceivedRequest FakeEventsApi::capture(const QHttpServerRequest& request) const
{
    ReceivedRequest record;
    record.receivedAt = QDateTime::currentDateTimeUtc();
    record.method = methodName(request.method());
    record.path = request.url().path();
    record.accessToken = request.value(QByteArrayLiteral("Access-Token"));
    record.authorization = request.value(QByteArrayLiteral("Authorization"));
    record.contentType = request.value(QByteArrayLiteral("Content-Type"));
    record.userAgent = request.value(QByteArrayLiteral("User-Agent"));
    record.body = request.body();
    if (!m_accessToken.isEmpty()) {
        record.token = record.accessToken.isEmpty()                   ? TokenCheck::Missing
                       : record.accessToken == m_accessToken.toUtf8() ? TokenCheck::Matched
                                                                      : TokenCheck::Wrong;
    }
    return record;
}

std::pair<qint64, QString> FakeEventsApi::judge(const ReceivedRequest& record, const Expected<JsonDom>& body)
{
    if (record.token == TokenCheck::Missing)
        return {40104, Fault::defaultMessage(40104)};
    if (record.token == TokenCheck::Wrong)
        return {40105, Fault::defaultMessage(40105)};
    if (record.method != "POST")
        return {40002, u"Method: Must be POST, not %1"_s.arg(QString::fromLatin1(record.method))};
    const QByteArray mediaType = record.contentType.split(';').constFirst().trimmed().toLower();
    if (record.contentType.isEmpty())
        return {40002, u"Content-Type: Missing header, must be application/json"_s};
    if (mediaType != jsonType)
        return {40002,
                u"Content-Type: Must be application/json, not \"%1\""_s.arg(QString::fromLatin1(record.contentType))};
    if (!body)
        return {40002, u"Request body: "_s + body.errorMessage()};
    const Status valid = m_schema.validate(*body, m_clock->nowSeconds());
    if (!valid)
        return {40002, valid.errorMessage()};

    const JsonDom& dom = *body;
    const int data = dom.member(JsonDom::root, "data"_L1);
    int index = 0;
    for (int item = dom.node(data).firstChild; item >= 0; item = dom.node(item).nextSibling, ++index) {
        const int eventId = dom.member(item, "event_id"_L1);
        if (eventId >= 0 && m_rejectedIds.contains(dom.string(eventId)))
            return {40002,
                    u"Batch.%1.event_id: Rejected by the fake (event_id \"%2\")"_s.arg(index).arg(dom.string(eventId))};
    }
    const QJsonObject request = record.json.toObject();
    index = 0;
    for (const QJsonObject& item : record.items()) {
        m_accepted.append({item, request.value("event_source"_L1).toString(),
                           request.value("event_source_id"_L1).toString(),
                           request.value("test_event_code"_L1).toString(), record.requestId, index++});
    }
    return {0, Fault::defaultMessage(0)};
}

FakeEventsApi::Answer FakeEventsApi::faultAnswer(const Fault& fault, ReceivedRequest& record) const
{
    if (fault.kind == Fault::Kind::Code) {
        const QString pixel = record.json.toObject().value("event_source_id"_L1).toString();
        return envelope(record, fault.code,
                        fault.message.isEmpty() ? Fault::defaultMessage(fault.code, pixel) : fault.message);
    }
    if (fault.status >= 500) {
        record.httpStatus = fault.status;
        record.message = u"nginx HTML page"_s;
        return {fault.status, QByteArrayLiteral("text/html"), nginxPage(fault.status)};
    }
    const qint64 code = fault.code != 0 ? fault.code : fault.status == 429 ? 40100 : 40002;
    return envelope(record, code, Fault::defaultMessage(code), fault.status);
}

FakeEventsApi::Answer FakeEventsApi::envelope(ReceivedRequest& record, qint64 code, const QString& message,
                                              int httpStatus)
{
    record.httpStatus = httpStatus;
    record.code = code;
    record.message = message;
    // QJsonObject orders keys alphabetically, as TikTok's own answers happen to be.
    const QJsonObject json{
        {"code"_L1, code}, {"message"_L1, message}, {"request_id"_L1, record.requestId}, {"data"_L1, QJsonValue::Null}};
    return {httpStatus, jsonType, QJsonDocument(json).toJson(QJsonDocument::Compact)};
}

void FakeEventsApi::send(QHttpServerResponder& responder, QTcpSocket* socket, const Answer& answer)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return; // the client gave up first
    responder.write(answer.body, {{QByteArrayLiteral("Content-Type"), answer.contentType}},
                    QHttpServerResponder::StatusCode(answer.httpStatus));
}

void FakeEventsApi::finish(ReceivedRequest&& record)
{
    m_requests.append(std::move(record));
    emit requestHandled(m_requests.constLast());
}

QString FakeEventsApi::nextRequestId()
{
    // TikTok's look: a UTC timestamp and 20 hex digits (research 1.5); unique per instance and request.
    return QDateTime::currentDateTimeUtc().toString(u"yyyyMMddHHmmss"_s) +
           u"%1%2"_s.arg(m_instanceTag, 8, 16, QChar(u'0')).arg(++m_requestCount, 12, 16, QChar(u'0')).toUpper();
}

} // namespace ClearSignal::Fakes
