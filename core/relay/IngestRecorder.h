// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EventIngestor.h"
#include "HttpAnswer.h"
#include "RelayStore.h"
#include "common/Clock.h"

namespace ClearSignal {

/// Records what EventIngestor prepared: consent records, queued items (unless the event id is known), counters
/// and one audit record per commit. Runs on the relay's writer thread, inside its transaction.
class IngestRecorder final
{
public:
    IngestRecorder(RelayStore& store, const Clock& clock) : m_store(store), m_clock(clock) {}

    /// Records one prepared request; returns the answer to send once the transaction commits.
    Expected<HttpAnswer> write(const EventIngestor::Prepared& prepared);
    /// Writes what this transaction's requests counted and decided; call last in it.
    Status finishCommit();

private:
    RelayStore& m_store;
    const Clock& m_clock;
};

} // namespace ClearSignal
