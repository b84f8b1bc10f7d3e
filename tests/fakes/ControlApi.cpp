// SPDX-License-Identifier: GPL-3.0-or-later
#include "ControlApi.h"

#include "FakeEventsApi.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace ClearSignal::Fakes::ControlApi {

using namespace Qt::Literals::StringLiterals;

namespace {

using Method = QHttpServerRequest::Method;
using StatusCode = QHttpServerResponder::StatusCode;

QHttpServerResponse refuse(const QString& error)
{
    return QHttpServerResponse(QJsonObject{{"error"_L1, error}}, StatusCode::BadRequest);
}

Expected<QJsonValue> parseBody(const QHttpServerRequest& request)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &error);
    if (error.error != QJsonParseError::NoError)
        return Error{u"the body is not JSON: %1 at offset %2"_s.arg(error.errorString()).arg(error.offset)};
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

QHttpServerResponse queueFaults(FakeEventsApi& api, const QHttpServerRequest& request)
{
    const Expected<QJsonValue> body = parseBody(request);
    if (!body)
        return refuse(body.errorMessage());
    if (!body->isArray())
        return refuse(u"send a JSON array of faults, such as [{\"kind\":\"http_status\",\"status\":502}]"_s);
    QList<Fault> faults;
    const QJsonArray array = body->toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const Expected<Fault> fault = Fault::fromJson(array.at(i).toObject());
        if (!fault)
            return refuse(u"fault %1: %2"_s.arg(i).arg(fault.errorMessage()));
        faults.append(*fault);
    }
    for (const Fault& fault : faults)
        api.queueFault(fault);
    return QHttpServerResponse(QJsonObject{{"queued"_L1, faults.size()}, {"pending"_L1, api.pendingFaults()}});
}

QHttpServerResponse reject(FakeEventsApi& api, const QHttpServerRequest& request)
{
    const Expected<QJsonValue> body = parseBody(request);
    if (!body)
        return refuse(body.errorMessage());
    const QJsonValue id = body->toObject().value("event_id"_L1);
    if (!id.isString() || id.toString().isEmpty() || body->toObject().size() != 1)
        return refuse(u"send {\"event_id\": \"...\"}"_s);
    api.rejectEventId(id.toString());
    return QHttpServerResponse(
        QJsonObject{{"rejected_event_ids"_L1, QJsonArray::fromStringList(api.rejectedEventIds())}});
}

QHttpServerResponse accepted(const FakeEventsApi& api)
{
    QJsonArray events;
    for (const AcceptedEvent& event : api.acceptedEventDetails())
        events.append(event.toJson());
    return QHttpServerResponse(QJsonObject{{"events"_L1, events}});
}

QHttpServerResponse requests(const FakeEventsApi& api)
{
    QJsonArray requests;
    for (const ReceivedRequest& request : api.requests())
        requests.append(request.toJson(false));
    return QHttpServerResponse(QJsonObject{{"requests"_L1, requests}});
}

} // namespace

void addRoutes(QHttpServer& server, FakeEventsApi& api)
{
    server.route(u"/control/faults"_s, Method::Post,
                 [&api](const QHttpServerRequest& request) { return queueFaults(api, request); });
    server.route(u"/control/reject"_s, Method::Post,
                 [&api](const QHttpServerRequest& request) { return reject(api, request); });
    server.route(u"/control/accepted"_s, Method::Get, [&api] { return accepted(api); });
    server.route(u"/control/requests"_s, Method::Get, [&api] { return requests(api); });
    server.route(u"/control/reset"_s, Method::Post, [&api] {
        api.reset();
        return QHttpServerResponse(QJsonObject{{"reset"_L1, true}});
    });
}

} // namespace ClearSignal::Fakes::ControlApi
