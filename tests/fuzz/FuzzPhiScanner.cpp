// SPDX-License-Identifier: GPL-3.0-or-later
// Any text through the PHI scanner's decoders (URLs, percent, base64, JSON) and detectors.
// Invariant: never crash, never hang, and a hit never carries more than a term.

#include "phi/PhiScanner.h"

#include <cstdlib>

using namespace ClearSignal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::shared_ptr<const PhiScanner> scanner = *PhiScanner::create({}, QStringLiteral("US"));
    if (size > 16 * 1024)
        return 0;
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    PhiScanner::FieldScan field;
    field.field = QStringLiteral("page.url");
    field.key = size % 3 == 0 ? QStringLiteral("dob") : QString();
    field.ownDomains = {QStringLiteral("clinic.example")};
    for (const PhiHit& hit : scanner->scan(text, field)) {
        if (hit.term.size() > 100)
            std::abort();
    }
    return 0;
}
