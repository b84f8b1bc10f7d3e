// SPDX-License-Identifier: GPL-3.0-or-later
#include "Migrations.h"

namespace ClearSignal::Migrations {

using namespace Qt::Literals::StringLiterals;

const QList<Migration>& all()
{
    static const QList<Migration> migrations = {
        {u"initial schema"_s,
         {
             u"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"_s,
             // Every rules document the workspace ever used, for the audit report and for rollback.
             u"CREATE TABLE rules_revisions (revision INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, "
             "author TEXT NOT NULL, comment TEXT NOT NULL, document TEXT NOT NULL)"_s,
             // Keyed by a keyed hash of the visitor id: the file does not hold the site's visitor ids.
             u"CREATE TABLE consent (visitor TEXT PRIMARY KEY, ads INTEGER NOT NULL, source TEXT NOT NULL, "
             "recorded_at INTEGER NOT NULL) WITHOUT ROWID"_s,
             // Sanitized data[] items waiting for TikTok. in_flight marks items handed to the network, so a
             // crash before their answer was saved is known and their resend counted.
             u"CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, pixel_id TEXT NOT NULL, "
             "event_id TEXT NOT NULL, event_source TEXT NOT NULL, test_event_code TEXT NOT NULL, "
             "event_time INTEGER NOT NULL, item BLOB NOT NULL, rules_revision INTEGER NOT NULL, "
             "enqueued_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
             "next_attempt_at INTEGER NOT NULL DEFAULT 0, in_flight INTEGER NOT NULL DEFAULT 0, "
             "last_error TEXT NOT NULL DEFAULT '')"_s,
             u"CREATE UNIQUE INDEX outbox_event ON outbox (pixel_id, event_id)"_s,
             u"CREATE INDEX outbox_due ON outbox (next_attempt_at, id)"_s,
             // What TikTok confirmed, for local dedup on (pixel, event_id).
             u"CREATE TABLE delivered (pixel_id TEXT NOT NULL, event_id TEXT NOT NULL, "
             "delivered_at INTEGER NOT NULL, request_id TEXT NOT NULL, PRIMARY KEY (pixel_id, event_id)) WITHOUT ROWID"_s,
             u"CREATE INDEX delivered_age ON delivered (delivered_at)"_s,
             // Items TikTok refused, kept sanitized and replayable under the current rules.
             u"CREATE TABLE dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, pixel_id TEXT NOT NULL, "
             "event_id TEXT NOT NULL, event_source TEXT NOT NULL, test_event_code TEXT NOT NULL, "
             "event_time INTEGER NOT NULL, item BLOB NOT NULL, failed_at INTEGER NOT NULL, code INTEGER, "
             "message TEXT NOT NULL, request_id TEXT NOT NULL, attempts INTEGER NOT NULL)"_s,
             // Append-only and hash-chained: each record's hash covers the previous one, so an edit shows.
             u"CREATE TABLE audit (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, "
             "record TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"_s,
             u"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
             "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"_s,
             u"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
             "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"_s,
             u"CREATE TABLE stats (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID"_s,
         }},
        {u"dead letters count as known events"_s,
         {
             // A refused event imported again must not be queued again: it waits for replay-dead-letters.
             u"CREATE INDEX dead_letters_event ON dead_letters (pixel_id, event_id)"_s,
         }},
    };
    return migrations;
}

} // namespace ClearSignal::Migrations
