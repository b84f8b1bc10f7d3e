// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeadLetterReplay.h"

#include "RelayStore.h"
#include "event/EventParser.h"
#include "sanitize/Sanitizer.h"
#include "storage/Workspace.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ClearSignal::DeadLetterReplay {

using namespace Qt::Literals::StringLiterals;

Expected<DeadLetterReport> replay(RelayStore& store, const Sanitizer& sanitizer, int rulesRevision, qint64 now,
                              bool dryRun)
{
    const Expected<QList<RelayStore::DeadLetter>> letters = store.deadLetters();
    if (!letters)
        return letters.error();
    DeadLetterReport report;
    report.deadLetters = int(letters->size());
    const auto work = [&]() -> Status {
        for (const RelayStore::DeadLetter& letter : *letters) {
            // A TikTok data[] item is a cs-event/1 event with fewer fields; what the rules no longer allow goes.
            const Expected<RawEvent> event = EventParser::parse(letter.item.item);
            SanitizeResult result;
            if (event)
                result = sanitizer.sanitize(*event);
            else
                result.reasons = {u"unreadable_item"_s};
            if (result.decision != Decision::Forward) {
                ++report.kept[result.reasons.value(0, u"policy"_s).section(u':', 0, 0)];
                continue;
            }
            ++report.requeued;
            if (dryRun)
                continue;
            QueuedItem item = letter.item;
            item.item = result.item;
            item.rulesRevision = rulesRevision;
            if (Status removed = store.removeDeadLetter(letter.id); !removed) // first: a dead letter blocks its id
                return removed;
            if (const Expected<bool> queued = store.enqueue(item, now); !queued)
                return queued.error();
            store.auditEvent(QJsonObject{{u"source"_s, u"dead_letter_replay"_s},
                                         {u"event_key"_s, store.hasher().hash(letter.item.eventId)},
                                         {u"decision"_s, u"forward"_s},
                                         {u"rules_revision"_s, rulesRevision}});
        }
        if (dryRun)
            return Ok;
        store.count(u"dead_letters_replayed"_s, report.requeued);
        return store.flushPending(now);
    };
    if (dryRun) {
        const Status checked = work();
        store.resync();
        if (!checked)
            return checked.error();
        return report;
    }
    if (Status done = store.workspace().transaction(work); !done) {
        store.resync();
        return done.error();
    }
    return report;
}

} // namespace ClearSignal::DeadLetterReplay
