// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EventsApiSchema.h"
#include "Fault.h"
#include "ReceivedRequest.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QString>
#include <QUrl>

#include <memory>
#include <utility>
#include <vector>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpSocket;
QT_END_NAMESPACE

namespace ClearSignal {
class Clock;
}

namespace ClearSignal::Fakes {

/// A stand-in for TikTok's Events API 2.0 (POST /open_api/v1.3/event/track/) on 127.0.0.1, for tests of the
/// relay. It checks each request strictly (Access-Token header, then the schema of EventsApiSchema) and answers
/// like TikTok: HTTP 200 with {"code", "message", "request_id", "data"}; code 0 means accepted. It records every
/// request, and can be scripted to misbehave (queueFault) or to refuse one event (rejectEventId).
class FakeEventsApi final : public QObject
{
    Q_OBJECT

public:
    static constexpr QLatin1StringView trackPath{"/open_api/v1.3/event/track/"};

    explicit FakeEventsApi(QObject* parent = nullptr);
    ~FakeEventsApi() override;

    /// Listens on 127.0.0.1 only; port 0 picks a free port. False when the port cannot be bound.
    bool listen(quint16 port = 0);
    quint16 port() const { return m_port; }
    /// http://127.0.0.1:PORT/open_api/v1.3/event/track/
    QUrl endpoint() const;

    /// The token every request must carry in the Access-Token header (40104 when missing, 40105 when wrong).
    /// Empty, the default, checks no token.
    void setAccessToken(const QString& token);
    void setLimits(const EventsApiSchema::Limits& limits);
    /// The clock event_time is judged against; it must outlive the fake. Null restores the system clock.
    void setClock(const Clock* clock);
    /// Serves the /control/ routes (ControlApi.h) on the same port, for another process to script the fake.
    void enableControlApi();

    /// Appends a fault: each request to the track endpoint consumes the oldest one, before anything else. A request
    /// under Timeout or Drop is recorded but not judged (its events are not accepted); one under Slow is judged on
    /// arrival, so its events count as accepted even when the client gives up before the answer.
    void queueFault(const Fault& fault);
    int pendingFaults() const { return int(m_faults.size()); }
    /// From now on, a valid batch holding an item with this event_id is answered 40002 naming that item.
    void rejectEventId(const QString& eventId);
    QStringList rejectedEventIds() const;
    /// Forgets faults, rejected ids and records. The token, limits, clock and open connections stay.
    void reset();

    QList<ReceivedRequest> requests() const { return m_requests; }
    /// The data[] items of every request answered with code 0, in arrival order, as sent.
    QList<QJsonObject> acceptedEvents() const;
    /// The same, each with its request's event_source, event_source_id, test_event_code and request_id.
    QList<AcceptedEvent> acceptedEventDetails() const { return m_accepted; }

signals:
    /// Emitted once per request to the track endpoint, when its answer is decided (a Slow answer leaves later).
    void requestHandled(const ClearSignal::Fakes::ReceivedRequest& request);

private:
    struct Answer
    {
        int httpStatus = 200;
        QByteArray contentType;
        QByteArray body;
    };
    struct Held;

    static void send(QHttpServerResponder& responder, QTcpSocket* socket, const Answer& answer);
    void handleTrack(const QHttpServerRequest& request, QHttpServerResponder&& responder);
    ReceivedRequest capture(const QHttpServerRequest& request) const;
    /// Token, method, content type, JSON, schema, rejected ids: code 0 or the first problem.
    std::pair<qint64, QString> judge(const ReceivedRequest& record, const Expected<JsonDom>& body);
    Answer faultAnswer(const Fault& fault, ReceivedRequest& record) const;
    static Answer envelope(ReceivedRequest& record, qint64 code, const QString& message, int httpStatus = 200);
    void finish(ReceivedRequest&& record);
    QString nextRequestId();

    QHttpServer* m_server; // a child, so deleted after the destructor has let go of m_held
    quint16 m_port = 0;
    QString m_accessToken;
    EventsApiSchema m_schema;
    const Clock* m_clock;
    bool m_controlApi = false;
    QQueue<Fault> m_faults;
    QSet<QString> m_rejectedIds;
    QList<ReceivedRequest> m_requests;
    QList<AcceptedEvent> m_accepted;
    std::vector<std::unique_ptr<Held>> m_held; // Timeout: answered never, kept open
    quint64 m_requestCount = 0;
    quint32 m_instanceTag;
};

} // namespace ClearSignal::Fakes
