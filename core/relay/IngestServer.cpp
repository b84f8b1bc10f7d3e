// SPDX-License-Identifier: GPL-3.0-or-later
#include "IngestServer.h"

#include "GuardedTcpServer.h"
#include "StoreWriter.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QEventLoop>
#include <QUrlQuery>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

/// A request waiting for the commit that makes its events durable.
struct IngestServer::Pending
{
    EventIngestor::Prepared prepared;
    QHttpServerResponder responder;
    QPointer<QTcpSocket> socket; // the client may hang up before the commit
    QString origin;
    QString consentVisitor; // a consent record counted as pending until its commit is done
};

namespace {

void writeAnswer(QHttpServerResponder& responder, const HttpAnswer& answer,
                 const QList<std::pair<QByteArray, QByteArray>>& extraHeaders)
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(answer.status));
    if (answer.status != 204) {
        responder.writeHeader("Content-Type", answer.contentType);
        responder.writeHeader("Content-Length", QByteArray::number(answer.body.size()));
    }
    const bool ownCaching = std::any_of(answer.headers.begin(), answer.headers.end(),
                                        [](const auto& header) { return header.first == "Cache-Control"; });
    if (!ownCaching)
        responder.writeHeader("Cache-Control", "no-store");
    for (const auto& [name, value] : answer.headers)
        responder.writeHeader(name, value);
    for (const auto& [name, value] : extraHeaders)
        responder.writeHeader(name, value);
    responder.writeBody(answer.status == 204 ? QByteArray() : answer.body);
}

} // namespace

IngestServer::IngestServer(EventIngestor& ingestor, StoreWriter& writer, QObject* parent)
    : QObject(parent), m_ingestor(ingestor), m_writer(writer), m_server(std::make_unique<QHttpServer>())
{
    m_clock.start();
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setInterval(0); // the next turn of the event loop: every request read by then joins the commit
    connect(&m_commitTimer, &QTimer::timeout, this, &IngestServer::commitPending);
    m_server->setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        handle(request, std::move(responder));
    });
}

IngestServer::~IngestServer()
{
    drain();
}

void IngestServer::drain()
{
    // Whatever was read is committed and answered before the server goes: it must not be lost or left hanging.
    m_draining = true; // new requests are answered 503 at once, so what waits can only shrink
    for (QTcpServer* listening : m_server->servers())
        listening->close();
    // The writer always answers a commit (stored or failed), so this ends; a local loop sleeps until it does.
    while (m_committing || !m_pending.empty()) {
        if (!m_committing)
            commitPending();
        QEventLoop wait;
        QTimer::singleShot(20, &wait, &QEventLoop::quit);
        wait.exec();
    }
}

Status IngestServer::listen(const QHostAddress& address, quint16 port)
{
    GuardedTcpServer::Limits limits;
    limits.maxBodyBytes = EventIngestor::maxBodyBytes;
    auto* tcpServer = new GuardedTcpServer(limits, m_server.get());
    if (tcpServer->listen(address, port)) {
        m_tcpServer = tcpServer;
        m_server->bind(tcpServer);
        m_port = tcpServer->serverPort();
    } else {
        delete tcpServer;
        m_port = 0;
    }
    if (m_port == 0)
        return Error{u"cannot listen on %1:%2: the port is in use or needs more permissions; choose another with "
                     "--listen HOST:PORT"_s.arg(address.toString())
                         .arg(port)};
    return Ok;
}

bool IngestServer::allowClient(const QHostAddress& address)
{
    // A token bucket per client address: bursts of a minute's allowance, refilled continuously.
    const qint64 now = m_clock.elapsed();
    if (m_buckets.size() >= 100000 && !m_buckets.contains(address))
        m_buckets.clear(); // bounded memory under a spray of addresses; limits restart, nothing else is lost
    Bucket& bucket = m_buckets[address];
    const double capacity = m_rateLimitPerMinute;
    if (bucket.lastMs == 0 && bucket.tokens == 0)
        bucket.tokens = capacity;
    bucket.tokens = std::min(capacity, bucket.tokens + double(now - bucket.lastMs) * capacity / 60000.0);
    bucket.lastMs = now;
    if (bucket.tokens < 1.0)
        return false;
    bucket.tokens -= 1.0;
    return true;
}

QHostAddress IngestServer::clientAddress(const QHttpServerRequest& request)
{
    // Behind the documented reverse proxy every request comes from loopback; the proxy names the visitor's address
    // in X-Forwarded-For (its last entry is the one the proxy itself saw). Only a loopback peer is trusted for it.
    const QHostAddress peer = request.remoteAddress();
    if (!peer.isLoopback())
        return peer;
    const QList<QByteArray> hops = request.value("X-Forwarded-For").split(',');
    const QHostAddress forwarded(QString::fromLatin1(hops.last().trimmed()));
    return forwarded.isNull() ? peer : forwarded;
}

void IngestServer::answerNow(QHttpServerResponder& responder, HttpAnswer answer, const QString& origin)
{
    QTcpSocket* socket = responder.socket();
    writeAnswer(responder, answer, m_ingestor.corsHeaders(origin));
    if (m_tcpServer && socket)
        m_tcpServer->answered(socket); // the connection may carry the next request now
}

void IngestServer::handle(const QHttpServerRequest& request, QHttpServerResponder&& responder)
{
    if (m_tcpServer && responder.socket())
        m_tcpServer->requestHandedOver(responder.socket());
    const QString path = request.url().path();
    const QString origin = QString::fromUtf8(request.value("Origin"));
    const auto method = request.method();

    if (method == QHttpServerRequest::Method::Options) {
        if (path != "/v1/events"_L1 && path != "/v1/consent"_L1)
            return answerNow(responder, HttpAnswer::error(404, u"no such endpoint"_s), origin);
        if (!origin.isEmpty() && !m_ingestor.isOriginAllowed(origin))
            return answerNow(responder,
                             HttpAnswer::error(403, u"the origin %1 is not allowed to send events"_s.arg(origin.left(200))),
                             QString());
        HttpAnswer answer;
        answer.status = 204;
        return answerNow(responder, answer, origin);
    }
    if (method == QHttpServerRequest::Method::Get && path != "/v1/events"_L1 && path != "/v1/consent"_L1) {
        if (path == "/v1/health"_L1) {
            return answerNow(responder, HttpAnswer::json(200, m_health ? m_health() : QJsonObject()), QString());
        }
        if (path == "/cs.js"_L1) {
            HttpAnswer answer;
            answer.contentType = "application/javascript; charset=utf-8";
            answer.body = m_collectorScript;
            // Cached for an hour: every page loads it, and it changes only with ClearSignal itself.
            answer.headers = {{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "public, max-age=3600"}};
            return answerNow(responder, answer, QString());
        }
        return answerNow(responder, HttpAnswer::error(404, u"no such endpoint; the relay serves /v1/events, /v1/consent, "
                                                           "/v1/health and /cs.js"_s),
                         QString());
    }
    if (method != QHttpServerRequest::Method::Post || (path != "/v1/events"_L1 && path != "/v1/consent"_L1)) {
        HttpAnswer answer = HttpAnswer::error(405, u"use POST /v1/events or POST /v1/consent"_s);
        answer.headers = {{"Allow", "POST, OPTIONS"}};
        return answerNow(responder, answer, origin);
    }
    // Consent answers are never refused for speed: a lost withdrawal would keep a visitor's events flowing.
    if (path == "/v1/events"_L1 && !allowClient(clientAddress(request))) {
        HttpAnswer answer = HttpAnswer::error(429, u"too many requests from this address; slow down"_s);
        answer.headers = {{"Retry-After", "5"}};
        return answerNow(responder, answer, origin);
    }

    if (m_draining) {
        HttpAnswer answer = HttpAnswer::error(503, u"the relay is stopping; send the events again in a moment"_s);
        answer.headers = {{"Retry-After", "5"}};
        return answerNow(responder, answer, origin);
    }
    IngestRequest ingest;
    ingest.body = request.body();
    ingest.contentType = request.value("Content-Type");
    ingest.ingestKey = QString::fromUtf8(request.value("X-ClearSignal-Key"));
    if (ingest.ingestKey.isEmpty())
        ingest.ingestKey = request.query().queryItemValue(u"key"_s, QUrl::FullyDecoded);
    ingest.origin = origin;
    ingest.gpc = request.value("Sec-GPC").trimmed() == "1";

    EventIngestor::Prepared prepared =
        path == "/v1/events"_L1 ? m_ingestor.prepareEvents(ingest) : m_ingestor.prepareConsent(ingest);
    if (prepared.answer)
        return answerNow(responder, *prepared.answer, origin);
    if (prepared.kind == EventIngestor::Prepared::Kind::Consent)
        m_ingestor.notePendingConsent(prepared.consentVisitor, prepared.consentRecord);

    auto pending = std::unique_ptr<Pending>(
        new Pending{std::move(prepared), std::move(responder), QPointer<QTcpSocket>(), origin, QString()});
    pending->socket = pending->responder.socket();
    m_pending.push_back(std::move(pending));
    if (m_pending.size() >= size_t(maxRequestsPerCommit))
        commitPending();
    else if (!m_commitTimer.isActive())
        m_commitTimer.start();
}

void IngestServer::commitPending()
{
    m_commitTimer.stop();
    if (m_committing || m_pending.empty())
        return; // the commit on its way calls again when it is done
    const size_t count = std::min(m_pending.size(), size_t(maxRequestsPerCommit));
    auto batch = std::make_shared<std::vector<std::unique_ptr<Pending>>>();
    batch->reserve(count);
    std::move(m_pending.begin(), m_pending.begin() + qsizetype(count), std::back_inserter(*batch));
    m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(count));
    auto prepared = std::make_shared<StoreWriter::Batch>();
    prepared->reserve(qsizetype(count));
    for (const std::unique_ptr<Pending>& pending : *batch) {
        pending->consentVisitor = pending->prepared.consentVisitor;
        prepared->append(std::move(pending->prepared));
    }
    m_committing = true;
    QMetaObject::invokeMethod(&m_writer, [this, batch, prepared, writer = &m_writer] {
        writer->commit(prepared, this, [this, batch](Expected<QList<HttpAnswer>> answers) {
            onCommitted(std::move(*batch), answers);
        });
    }, Qt::QueuedConnection);
}

void IngestServer::onCommitted(std::vector<std::unique_ptr<Pending>> batch, const Expected<QList<HttpAnswer>>& answers)
{
    m_committing = false;
    for (const std::unique_ptr<Pending>& pending : batch) {
        if (!pending->consentVisitor.isEmpty())
            m_ingestor.forgetPendingConsent(pending->consentVisitor);
    }
    if (!answers) {
        // Nothing of this commit was stored, so nothing may be acknowledged: the client keeps its events. What
        // waits for the next commit is refused too: it may have been decided on a consent record that was just
        // lost with this commit. (The reason is in the relay's own log, not told to the internet.)
        const HttpAnswer unavailable =
            HttpAnswer::error(503, u"the relay could not store the events; send them again later"_s);
        std::vector<std::unique_ptr<Pending>> waiting;
        waiting.swap(m_pending);
        for (std::unique_ptr<Pending>& pending : waiting) {
            if (pending->prepared.kind == EventIngestor::Prepared::Kind::Consent)
                m_ingestor.forgetPendingConsent(pending->prepared.consentVisitor);
            batch.push_back(std::move(pending));
        }
        for (const std::unique_ptr<Pending>& pending : batch) {
            if (pending->socket && pending->socket->isOpen())
                answerNow(pending->responder, unavailable, pending->origin);
        }
    } else {
        for (size_t i = 0; i < batch.size(); ++i) {
            if (batch[i]->socket && batch[i]->socket->isOpen())
                answerNow(batch[i]->responder, answers->at(qsizetype(i)), batch[i]->origin);
        }
    }
    commitPending(); // what arrived meanwhile goes in the next commit, at once
}

} // namespace ClearSignal
