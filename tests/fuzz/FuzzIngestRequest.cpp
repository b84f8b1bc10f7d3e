// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes as a relay ingest request: the first byte picks the endpoint, Sec-GPC and the content type, the rest is
// the body. It is prepared and written the way the server does, into a real workspace (SQLite in a temporary
// directory), with every visitor granted consent so events reach the sanitizer.
// Invariants: never crash, never hang; every answer is one of the documented statuses with a JSON error or
// result; accepted + rejected adds up to the events of the request; every queued item passes the final gate.

#include "event/EventParser.h"
#include "consent/ConsentReader.h"
#include "relay/EventIngestor.h"
#include "relay/IngestRecorder.h"
#include "relay/RelayStore.h"
#include "rules/RuleTemplates.h"
#include "sanitize/PayloadGate.h"
#include "storage/Workspace.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cstdlib>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

struct Relay
{
    FixedClock clock{1795305600};
    QTemporaryDir dir;
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<RelayStore> store;
    std::unique_ptr<ConsentReader> consent;
    std::unique_ptr<EventIngestor> ingestor;
    std::unique_ptr<IngestRecorder> recorder;
    std::unique_ptr<PayloadGate> gate;

    Relay()
    {
        workspace = Workspace::create(dir.filePath(u"fuzz.csdb"_s)).value();
        store = RelayStore::open(*workspace, KeyedHasher(QByteArray(32, 'f'))).value();
        RuleSet rules = *RuleTemplates::load(u"glp1-clinic"_s).rules;
        rules.pixelId = u"CFUZZPIXEL0000000001"_s;
        IngestConfig config;
        config.ingestKey = u"fuzz-key-0000000000"_s;
        config.allowedOrigins = {u"https://clinic.example"_s};
        config.consentPolicy = ConsentPolicy::UnlessOptedOut; // let events through to the sanitizer
        config.sanitizer = std::make_shared<const Sanitizer>(Sanitizer::create(rules, clock).value());
        gate = std::make_unique<PayloadGate>(rules, *PhiScanner::create({}, u"US"_s));
        consent = std::make_unique<ConsentReader>(*workspace, KeyedHasher(QByteArray(32, 'f')));
        ingestor = std::make_unique<EventIngestor>(*consent, store->queueDepthCounter(), clock);
        ingestor->setConfig(config);
        recorder = std::make_unique<IngestRecorder>(*store, clock);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static Relay relay;
    if (size == 0)
        return 0;
    IngestRequest request;
    request.ingestKey = u"fuzz-key-0000000000"_s;
    request.origin = (data[0] & 1) ? u"https://clinic.example"_s : QString();
    request.gpc = data[0] & 2;
    request.contentType = (data[0] & 4) ? "text/plain;charset=UTF-8" : "application/json";
    request.body = QByteArray(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    const bool consent = data[0] & 8;

    const EventIngestor::Prepared prepared =
        consent ? relay.ingestor->prepareConsent(request) : relay.ingestor->prepareEvents(request);
    HttpAnswer answer;
    if (prepared.answer) {
        answer = *prepared.answer;
    } else {
        const Status written = relay.workspace->transaction([&]() -> Status {
            Expected<HttpAnswer> result = relay.recorder->write(prepared);
            if (!result)
                return result.error();
            answer = *result;
            return relay.recorder->finishCommit();
        });
        if (!written)
            std::abort(); // a valid request must always be storable here
    }
    static const QList<int> statuses = {202, 204, 400, 413, 415, 503};
    if (!statuses.contains(answer.status))
        std::abort();
    if (answer.status != 204) {
        const QJsonObject body = QJsonDocument::fromJson(answer.body).object();
        if (answer.status == 202) {
            const qsizetype reported = body.value("accepted"_L1).toInt() + body.value("rejected"_L1).toArray().size();
            if (reported != prepared.events.size() + prepared.rejected.size())
                std::abort();
        } else if (body.value("error"_L1).toString().isEmpty()) {
            std::abort();
        }
    }
    // What was queued by this request passes the final gate again; then the queue is emptied for the next input.
    QSqlQuery query(relay.workspace->database());
    query.exec(u"SELECT item FROM outbox"_s);
    while (query.next()) {
        if (!relay.gate->inspect(query.value(0).toByteArray()).passed())
            std::abort();
    }
    query.exec(u"DELETE FROM outbox"_s);
    query.exec(u"DELETE FROM delivered"_s);
    relay.store->resync();
    return 0;
}
