// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EventIngestor.h"

#include <QByteArray>

namespace ClearSignal {

/// The audit record of one ingested event: decision, consent verdict, keyed hashes, rule, reasons and the names of
/// the fields that leave, never a value. Written directly as JSON text: at thousands of events a second, building
/// JSON objects for it cost more than storing the event. `duplicate` when the queue already knew the event id.
QByteArray ingestAuditRecord(const EventIngestor::Decided& decided, int rulesRevision, bool duplicate);

} // namespace ClearSignal
