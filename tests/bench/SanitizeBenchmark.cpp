// SPDX-License-Identifier: GPL-3.0-or-later
// Sanitizer throughput on a realistic 1 KiB event, next to the cost of merely parsing and re-serializing
// the same JSON, measured in the same run (docs/benchmarks.md).

#include "event/EventParser.h"
#include "rules/RuleTemplates.h"
#include "sanitize/PayloadGate.h"
#include "sanitize/Sanitizer.h"

#include <QJsonDocument>

#include <benchmark/benchmark.h>

using namespace ClearSignal;

namespace {

constexpr qint64 benchmarkNow = 1795305600;

// A booking on a GLP-1 clinic's site as its tag manager would send it: 1 KiB, PHI in many places.
const QByteArray realisticEvent = R"({"event":"BookedGLP1Consultation","event_id":"evt-7f3a9c21-44b1-4c1e-9d2a-0c5e8b1f6a73",)"
    R"("event_time":1795300000,"visitor_id":"v-8c1f2e9a7b31",)"
    R"("page":{"url":"https://www.austinweightlossclinic.com/services/semaglutide-weight-loss/book?ttclid=E.C.P.CqgBxZ9Hkq1lC3YbTt0rAbCdEfGh12&utm_source=tiktok&utm_campaign=glp1_fall",)"
    R"("referrer":"https://www.austinweightlossclinic.com/services/semaglutide-weight-loss","title":"Book your Semaglutide consultation | Austin Weight Loss Clinic"},)"
    R"("user":{"ttp":"2F7h37YkS1j57AYSKTI7IHhJPYH","email":"jane.doe@gmail.com","phone":"(512) 555-0147",)"
    R"("first_name":"Jane","last_name":"Doe","zip_code":"78701","ip":"203.0.113.45",)"
    R"("user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1","locale":"en-US"},)"
    R"("properties":{"value":299,"currency":"USD","content_name":"Semaglutide starter program","content_type":"product",)"
    R"("contents":[{"content_id":"sema-3m","content_name":"Semaglutide 3 months","price":299,"quantity":1}]},)"
    R"("form":{"full_name":"Jane Doe","dob":"1984-03-12","reason":"Weight loss, on metformin"}})";

const Sanitizer& templateSanitizer()
{
    static const FixedClock clock(benchmarkNow);
    static const Sanitizer sanitizer = *Sanitizer::create(*RuleTemplates::load(QStringLiteral("glp1-clinic")).rules, clock);
    return sanitizer;
}

/// The floor: what any JSON-in, JSON-out step costs with Qt's parser and writer.
void ParseAndReserialize(benchmark::State& state)
{
    for (auto _ : state) {
        const QJsonDocument document = QJsonDocument::fromJson(realisticEvent);
        benchmark::DoNotOptimize(document.toJson(QJsonDocument::Compact));
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * realisticEvent.size());
}

/// The relay's and the CLI's per-event work: strict parse, mapping, field policies, serialization, final gate.
void ParseSanitizeGate(benchmark::State& state)
{
    const Sanitizer& sanitizer = templateSanitizer();
    for (auto _ : state) {
        const Expected<RawEvent> event = EventParser::parse(realisticEvent);
        const SanitizeResult result = sanitizer.sanitize(*event);
        if (result.decision != Decision::Forward)
            state.SkipWithError("the benchmark event was not forwarded");
        benchmark::DoNotOptimize(result.item);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * realisticEvent.size());
}

/// The three stages of ParseSanitizeGate on their own, to see where the time goes.
void StageParse(benchmark::State& state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(EventParser::parse(realisticEvent));
    state.SetItemsProcessed(state.iterations());
}

void StageSanitizeWithoutParse(benchmark::State& state)
{
    const Sanitizer& sanitizer = templateSanitizer();
    const RawEvent event = *EventParser::parse(realisticEvent);
    for (auto _ : state)
        benchmark::DoNotOptimize(sanitizer.sanitize(event));
    state.SetItemsProcessed(state.iterations());
}

void StageGateOnly(benchmark::State& state)
{
    const Sanitizer& sanitizer = templateSanitizer();
    const QByteArray item = sanitizer.sanitize(*EventParser::parse(realisticEvent)).item;
    const PayloadGate gate(sanitizer.rules(), *PhiScanner::create({}, QStringLiteral("US")));
    for (auto _ : state)
        benchmark::DoNotOptimize(gate.inspect(item));
    state.SetItemsProcessed(state.iterations());
}

/// The payload preview: the same, plus a trace that scans every dropped value to explain it.
void ParseSanitizeExplain(benchmark::State& state)
{
    const Sanitizer& sanitizer = templateSanitizer();
    for (auto _ : state) {
        const Expected<RawEvent> event = EventParser::parse(realisticEvent);
        benchmark::DoNotOptimize(sanitizer.sanitize(*event, Sanitizer::Options{true}));
    }
    state.SetItemsProcessed(state.iterations());
}

} // namespace

BENCHMARK(ParseAndReserialize);
BENCHMARK(ParseSanitizeGate);
BENCHMARK(ParseSanitizeExplain);
BENCHMARK(StageParse);
BENCHMARK(StageSanitizeWithoutParse);
BENCHMARK(StageGateOnly);

BENCHMARK_MAIN();
