// SPDX-License-Identifier: GPL-3.0-or-later
// Delivery to the Events API, over real HTTP on loopback to the fake Events API (which validates every request):
// - DeliverQueue: 100,000 queued events sent until the queue is empty (events/s, requests).
// - RecoverAfterOutage: 100,000 queued events, TikTok answers 503 for 10 minutes, then comes back. The 10 minutes
//   run on a simulated clock (the dispatcher's backoff and circuit breaker read the core Clock); what is reported
//   is how many requests the outage cost, how long after the recovery the first event went out (simulated
//   seconds), and how long the queue then took to drain (wall time).
#include "FakeEventsApi.h"
#include "relay/Dispatcher.h"
#include "relay/RelayStore.h"
#include "storage/Workspace.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

using namespace ClearSignal;
using namespace ClearSignal::Fakes;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 start = 1795400000;
constexpr int queued = 100000;
const QString pixel = u"CBENCHPIXEL000000001"_s;

struct Relay
{
    FixedClock clock{start};
    QTemporaryDir dir;
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<RelayStore> store;
    FakeEventsApi tiktok;
    NetworkHttpTransport transport;
    std::unique_ptr<Dispatcher> dispatcher;

    Relay()
    {
        workspace = Workspace::create(dir.filePath(u"bench.csdb"_s)).value();
        store = RelayStore::open(*workspace, KeyedHasher(QByteArray(32, 'b'))).value();
        tiktok.setClock(&clock);
        tiktok.setAccessToken(u"bench-token"_s);
        if (!tiktok.listen())
            qFatal("cannot listen on 127.0.0.1");
        DispatchConfig config;
        config.endpoint = tiktok.endpoint();
        config.accessToken = u"bench-token"_s;
        dispatcher = std::make_unique<Dispatcher>(*store, transport, clock, config);
        // The sanitized booking the relay queues for the glp1-clinic rules.
        const Status filled = workspace->transaction([&]() -> Status {
            for (int i = 0; i < queued; ++i) {
                QueuedItem item;
                item.pixelId = pixel;
                item.eventId = u"bench-%1"_s.arg(i);
                item.eventTime = start - 60;
                item.item = R"({"event":"Schedule","event_time":)" + QByteArray::number(start - 60)
                            + R"(,"event_id":"bench-)" + QByteArray::number(i)
                            + R"(","user":{"ttclid":"E.C.P.CqgBxZ9Hkq1lC3YbTt0rAbCdEfGh12","ttp":"2F7h37YkS1j57AYSKTI7IHhJPYH"},)"
                              R"("page":{"url":"https://www.austinweightlossclinic.com/"},"properties":{"value":299,"currency":"USD"}})";
                if (const Expected<bool> done = store->enqueue(item, start); !done)
                    return done.error();
            }
            return Ok;
        });
        if (!filled)
            qFatal("%s", qPrintable(filled.errorMessage()));
    }

    void turn(int ms)
    {
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        loop.exec();
    }
};

void DeliverQueue(benchmark::State& state)
{
    for (auto _ : state) {
        state.PauseTiming();
        Relay relay;
        state.ResumeTiming();
        QElapsedTimer clock;
        clock.start();
        relay.dispatcher->wake();
        while (relay.store->queueDepth() > 0 || relay.dispatcher->busy())
            relay.turn(5);
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        state.SetIterationTime(seconds);
        state.counters["events_per_s"] = queued / seconds;
        state.counters["requests"] = double(relay.tiktok.requests().size());
        state.counters["accepted"] = double(relay.tiktok.acceptedEvents().size());
    }
}
BENCHMARK(DeliverQueue)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

void RecoverAfterOutage(benchmark::State& state)
{
    for (auto _ : state) {
        state.PauseTiming();
        Relay relay;
        for (int i = 0; i < 5000; ++i)
            relay.tiktok.queueFault(Fault::http(503));
        state.ResumeTiming();
        // Ten minutes of outage, one simulated second per step.
        relay.dispatcher->wake();
        for (int second = 0; second < 600; ++second) {
            relay.clock.setNowSeconds(start + second);
            relay.dispatcher->wake();
            relay.turn(2);
        }
        const qsizetype outageRequests = relay.tiktok.requests().size();
        relay.tiktok.reset(); // TikTok is back
        const qint64 recovered = start + 600;
        qint64 firstDelivery = 0;
        for (int second = 0; second < 900 && firstDelivery == 0; ++second) {
            relay.clock.setNowSeconds(recovered + second);
            relay.dispatcher->wake();
            relay.turn(5);
            if (relay.store->queueDepth() < queued)
                firstDelivery = relay.clock.nowSeconds();
        }
        QElapsedTimer drain;
        drain.start();
        while (relay.store->queueDepth() > 0 || relay.dispatcher->busy()) {
            relay.dispatcher->wake();
            relay.turn(5);
        }
        const double drainSeconds = double(drain.nsecsElapsed()) / 1e9;
        state.SetIterationTime(drainSeconds);
        state.counters["outage_requests"] = double(outageRequests);
        state.counters["first_delivery_after_s"] = double(firstDelivery - recovered);
        state.counters["drain_s"] = drainSeconds;
        state.counters["accepted"] = double(relay.tiktok.acceptedEvents().size());
    }
}
BENCHMARK(RecoverAfterOutage)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
