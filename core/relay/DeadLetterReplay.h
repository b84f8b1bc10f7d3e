// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QMap>
#include <QString>

namespace ClearSignal {

class RelayStore;
class Sanitizer;

/// What a replay did.
struct DeadLetterReport
{
    int deadLetters = 0;
    int requeued = 0;
    QMap<QString, int> kept; ///< by reason: the current rules drop or quarantine them too
};

/// Sends dead letters again under the rules in force now: each stored item (already sanitized when it was
/// refused) is read back as an event and goes through the current rules and final gate, exactly like a new one.
/// What passes goes back into the queue with its event id (so nothing is sent twice); what does not stays a dead
/// letter. The whole replay is one transaction.
namespace DeadLetterReplay {

Expected<DeadLetterReport> replay(RelayStore& store, const Sanitizer& sanitizer, int rulesRevision, qint64 now,
                              bool dryRun);

} // namespace DeadLetterReplay

} // namespace ClearSignal
