// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes through the clearsignal.rules/1 reader. Invariants: never crash; a document that loads
// serializes to bytes that load again and serialize identically.

#include "rules/RuleSetJson.h"

#include <cstdlib>

using namespace ClearSignal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const RuleSetLoad loaded = RuleSetJson::parse(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    if (!loaded.rules)
        return 0;
    const QByteArray first = RuleSetJson::serialize(*loaded.rules);
    const RuleSetLoad again = RuleSetJson::parse(first);
    if (!again.rules || RuleSetJson::serialize(*again.rules) != first)
        std::abort();
    return 0;
}
