// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConversionMapping.h"
#include "CsvReader.h"
#include "common/Clock.h"
#include "consent/ConsentPolicy.h"

#include <QMap>
#include <QStringList>

namespace ClearSignal {

class ConsentReader;
class RelayStore;
class Sanitizer;

/// What an import did, row by row in sum; `errors` names the line of every row that could not be read.
struct ImportReport
{
    int rows = 0;
    int queued = 0;
    int quarantined = 0;
    QMap<QString, int> dropped; ///< by reason: no_consent, consent_withdrawn, duplicate_event_id, ...
    QStringList errors;         ///< "line 12: event_time ..." (never a value that could be personal)
};

/// Offline conversions: each row of a booking or CRM export becomes a cs-event/1 event and goes through the same
/// consent decision and sanitizer as the relay's events, then into the same queue, sent as event_source offline
/// or crm. A row without an event id gets one derived from its content (a keyed hash), so importing the same file
/// twice sends nothing twice.
class ConversionImporter final
{
public:
    ConversionImporter(RelayStore& store, const ConsentReader& consent, const Sanitizer& sanitizer,
                       ConsentPolicy policy, const Clock& clock)
        : m_store(store), m_consent(consent), m_sanitizer(sanitizer), m_policy(policy), m_clock(clock)
    {
    }

    /// Imports every readable row in one transaction (all or nothing on disk). With `dryRun`, decides and reports
    /// without writing.
    Expected<ImportReport> import(const CsvTable& table, const ConversionMapping& mapping, const QString& testEventCode,
                                  int rulesRevision, bool dryRun);

private:
    RelayStore& m_store;
    const ConsentReader& m_consent;
    const Sanitizer& m_sanitizer;
    ConsentPolicy m_policy;
    const Clock& m_clock;
};

} // namespace ClearSignal
