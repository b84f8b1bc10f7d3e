// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanModel.h"
#include "common/Expected.h"

#include <QByteArray>

namespace ClearSignal::ScanResultJson {

inline constexpr QLatin1StringView schema{"clearsignal.scan/1"};

/// clearsignal.scan/1 (docs/formats.md), indented, keys in a fixed order. Request bodies are not written:
/// only their size (body_bytes); what mattered in them is in tracker_events.
QByteArray serialize(const ScanResult& result);

/// Reads a scan written by serialize() (for --baseline). pages, requests, tracker_events and findings are
/// required; a value of the wrong type is an error naming its JSON path ("$.pages[2].depth ...").
Expected<ScanResult> parse(const QByteArray& json);

} // namespace ClearSignal::ScanResultJson
