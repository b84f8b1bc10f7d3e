// SPDX-License-Identifier: GPL-3.0-or-later
// Differential fuzzing of ClearSignal's JSON reader against QJsonDocument: whatever both accept must read the
// same; whatever ClearSignal accepts, Qt must accept too. ClearSignal is stricter on purpose only where Qt is
// lenient: duplicate keys, unpaired \u surrogates, nesting deeper than 64.

#include "common/JsonDom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdlib>

using namespace ClearSignal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char*>(data), qsizetype(size));
    const Expected<JsonDom> ours = JsonDom::parse(json);
    QJsonParseError error;
    const QJsonDocument qt = QJsonDocument::fromJson(json, &error);
    const bool qtAccepts = error.error == QJsonParseError::NoError && (qt.isObject() || qt.isArray());
    if (!ours || ours->node(JsonDom::root).type < JsonDom::Type::Array)
        return 0; // refused, or a scalar root, which Qt does not read
    if (!qtAccepts)
        std::abort(); // ClearSignal accepted something Qt refuses
    const QJsonValue expected = qt.isArray() ? QJsonValue(qt.array()) : QJsonValue(qt.object());
    if (ours->toJsonValue(JsonDom::root) != expected)
        std::abort();
    return 0;
}
