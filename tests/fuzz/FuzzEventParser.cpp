// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes through the cs-event/1 parser and, when they parse, through the sanitizer and its gate.
// Invariant: never crash, never hang; a forwarded item always passes the gate again.

#include "event/EventParser.h"
#include "rules/RuleTemplates.h"
#include "sanitize/PayloadGate.h"
#include "sanitize/Sanitizer.h"

#include <QCoreApplication>

#include <cstdlib>

using namespace ClearSignal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const FixedClock clock(1795305600);
    static const Sanitizer sanitizer = *Sanitizer::create(*RuleTemplates::load(QStringLiteral("glp1-clinic")).rules, clock);
    static const PayloadGate gate(sanitizer.rules(), *PhiScanner::create({}, QStringLiteral("US")));

    const Expected<RawEvent> event =
        EventParser::parse(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    if (!event)
        return 0;
    const SanitizeResult result = sanitizer.sanitize(*event, Sanitizer::Options{size % 2 == 0});
    if (result.decision == Decision::Forward && !gate.inspect(result.item).passed())
        std::abort();
    return 0;
}
