// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayStore.h"

#include "common/JsonWriter.h"
#include "storage/Workspace.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

QString chainHash(const QString& previous, qint64 seq, qint64 at, const QString& kind, const QByteArray& record)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(previous.toLatin1());
    hash.addData(QByteArray::number(seq));
    hash.addData(QByteArray::number(at));
    hash.addData(kind.toUtf8());
    hash.addData(record);
    return QString::fromLatin1(hash.result().toHex());
}

QString placeholders(qsizetype count)
{
    QString text;
    for (qsizetype i = 0; i < count; ++i)
        text += i == 0 ? u"?"_s : u",?"_s;
    return text;
}

} // namespace

RelayStore::RelayStore(Workspace& workspace, const KeyedHasher& hasher) : m_workspace(workspace), m_hasher(hasher) {}

QSqlQuery& RelayStore::statement(Statement which) const
{
    static const std::array<QString, 8> sql = {
        u"INSERT INTO consent (visitor, ads, source, recorded_at) VALUES (?, ?, COALESCE(?, ''), ?) "
        "ON CONFLICT(visitor) DO UPDATE SET ads = excluded.ads, source = excluded.source, "
        "recorded_at = MAX(excluded.recorded_at, consent.recorded_at) "
        "WHERE excluded.ads = 0 OR excluded.recorded_at >= consent.recorded_at"_s,
        // One statement for "queue it unless it is known": the unique index covers the outbox, the NOT EXISTS
        // what TikTok already confirmed.
        u"INSERT INTO outbox (pixel_id, event_id, event_source, test_event_code, event_time, item, rules_revision, "
        "enqueued_at) SELECT ?, ?, COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?, ? "
        "WHERE NOT EXISTS (SELECT 1 FROM delivered WHERE pixel_id = ? AND event_id = ?) "
        "AND NOT EXISTS (SELECT 1 FROM dead_letters WHERE pixel_id = ? AND event_id = ?) "
        "ON CONFLICT (pixel_id, event_id) DO NOTHING"_s,
        u"INSERT INTO audit (seq, at, kind, record, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)"_s,
        u"SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"_s,
        u"INSERT INTO stats (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value"_s,
        u"DELETE FROM outbox WHERE id = ?"_s,
        u"UPDATE outbox SET in_flight = 0, next_attempt_at = ?, last_error = ? WHERE id = ?"_s,
        u"SELECT id, pixel_id, event_id, event_source, test_event_code, event_time, item, rules_revision, attempts "
        "FROM outbox WHERE next_attempt_at <= ? AND in_flight = 0 ORDER BY id LIMIT ?"_s,
    };
    std::unique_ptr<QSqlQuery>& query = m_statements[size_t(which)];
    if (!query) {
        query = std::make_unique<QSqlQuery>(m_workspace.database());
        query->setForwardOnly(true);
        query->prepare(sql[size_t(which)]);
    }
    return *query;
}

Expected<std::unique_ptr<RelayStore>> RelayStore::open(Workspace& workspace, const KeyedHasher& hasher,
                                                      bool exclusive)
{
    std::unique_ptr<RelayStore> store(new RelayStore(workspace, hasher));
    if (Status loaded = store->loadState(); !loaded)
        return loaded.error();
    if (!exclusive)
        return store;
    // What was on the network when the relay last stopped may or may not have reached TikTok: send it again
    // (TikTok deduplicates on event_id) and count it, so "sent twice" is never silent.
    QSqlQuery query(workspace.database());
    if (!query.exec(u"SELECT COUNT(*) FROM outbox WHERE in_flight = 1"_s) || !query.next())
        return Error{workspace.describeError(query, u"reading the queue"_s)};
    store->m_resumedInFlight = query.value(0).toLongLong();
    if (store->m_resumedInFlight > 0) {
        Status reset = workspace.transaction([&]() -> Status {
            QSqlQuery update(workspace.database());
            if (!update.exec(u"UPDATE outbox SET in_flight = 0, next_attempt_at = 0 WHERE in_flight = 1"_s))
                return Error{workspace.describeError(update, u"resuming the queue"_s)};
            store->count(u"resent_after_restart"_s, store->m_resumedInFlight);
            return store->flushPending(0);
        });
        if (!reset)
            return reset.error();
    }
    return store;
}

Status RelayStore::loadState()
{
    QSqlQuery query(m_workspace.database());
    if (!query.exec(u"SELECT COUNT(*) FROM outbox"_s) || !query.next())
        return Error{m_workspace.describeError(query, u"reading the queue"_s)};
    m_queueDepth = query.value(0).toLongLong();
    return Ok;
}

void RelayStore::resync()
{
    m_pendingCounts.clear();
    m_pendingEvents.clear();
    m_pendingEventCount = 0;
    // If even this fails the next transaction reports the storage problem; nothing else to do here.
    static_cast<void>(loadState());
}

Status RelayStore::recordConsent(const QString& visitorId, const ConsentRecord& record)
{
    QSqlQuery& query = statement(Statement::RecordConsent);
    query.addBindValue(m_hasher.hash(visitorId));
    query.addBindValue(record.ads ? 1 : 0);
    query.addBindValue(record.source);
    query.addBindValue(record.recordedAt);
    if (!query.exec())
        return Error{m_workspace.describeError(query, u"recording consent"_s)};
    return Ok;
}

Expected<bool> RelayStore::enqueue(const QueuedItem& item, qint64 now)
{
    QSqlQuery& query = statement(Statement::Enqueue);
    query.addBindValue(item.pixelId);
    query.addBindValue(item.eventId);
    query.addBindValue(item.eventSource);
    query.addBindValue(item.testEventCode);
    query.addBindValue(item.eventTime);
    query.addBindValue(item.item);
    query.addBindValue(item.rulesRevision);
    query.addBindValue(now);
    for (int known = 0; known < 2; ++known) { // delivered, then dead letters
        query.addBindValue(item.pixelId);
        query.addBindValue(item.eventId);
    }
    if (!query.exec())
        return Error{m_workspace.describeError(query, u"queueing an event"_s)};
    if (query.numRowsAffected() == 0)
        return false;
    ++m_queueDepth;
    return true;
}

Expected<QList<QueuedItem>> RelayStore::due(qint64 now, int limit) const
{
    QSqlQuery& query = statement(Statement::Due);
    query.addBindValue(now);
    query.addBindValue(limit);
    if (!query.exec())
        return Error{m_workspace.describeError(query, u"reading the queue"_s)};
    QList<QueuedItem> items;
    while (query.next()) {
        QueuedItem item;
        item.id = query.value(0).toLongLong();
        item.pixelId = query.value(1).toString();
        item.eventId = query.value(2).toString();
        item.eventSource = query.value(3).toString();
        item.testEventCode = query.value(4).toString();
        item.eventTime = query.value(5).toLongLong();
        item.item = query.value(6).toByteArray();
        item.rulesRevision = query.value(7).toInt();
        item.attempts = query.value(8).toInt();
        items.append(std::move(item));
    }
    query.finish();
    return items;
}

qint64 RelayStore::secondsUntilNextDue(qint64 now) const
{
    QSqlQuery query(m_workspace.database());
    if (!query.exec(u"SELECT MIN(next_attempt_at) FROM outbox WHERE in_flight = 0"_s) || !query.next()
        || query.value(0).isNull())
        return -1;
    return std::max<qint64>(0, query.value(0).toLongLong() - now);
}

Status RelayStore::markInFlight(const QList<QueuedItem>& items)
{
    QVariantList ids;
    for (const QueuedItem& item : items)
        ids.append(item.id);
    QSqlQuery query(m_workspace.database());
    query.prepare(u"UPDATE outbox SET in_flight = 1, attempts = attempts + 1 WHERE id IN (%1)"_s.arg(
        placeholders(ids.size())));
    for (const QVariant& id : std::as_const(ids))
        query.addBindValue(id);
    if (!query.exec())
        return Error{m_workspace.describeError(query, u"marking events as sent"_s)};
    return Ok;
}

Expected<qint64> RelayStore::releaseInFlight()
{
    QSqlQuery query(m_workspace.database());
    if (!query.exec(u"UPDATE outbox SET in_flight = 0 WHERE in_flight = 1"_s))
        return Error{m_workspace.describeError(query, u"resuming the queue"_s)};
    return qint64(query.numRowsAffected());
}

Status RelayStore::markDelivered(const QList<QueuedItem>& items, const QString& requestId, qint64 now)
{
    if (items.isEmpty())
        return Ok;
    // Two statements for the whole batch: row by row, a 1000-event answer held the writer for milliseconds
    // that waiting ingest commits felt. The ids are integers from the file itself, written out as such.
    QString ids;
    ids.reserve(items.size() * 8);
    for (const QueuedItem& item : items) {
        if (!ids.isEmpty())
            ids += u',';
        ids += QString::number(item.id);
    }
    QSqlQuery query(m_workspace.database());
    query.prepare(u"INSERT OR REPLACE INTO delivered (pixel_id, event_id, delivered_at, request_id) "
                  "SELECT pixel_id, event_id, ?, COALESCE(?, '') FROM outbox WHERE id IN (%1)"_s.arg(ids));
    query.addBindValue(now);
    query.addBindValue(requestId);
    if (!query.exec())
        return Error{m_workspace.describeError(query, u"recording a delivery"_s)};
    if (!query.exec(u"DELETE FROM outbox WHERE id IN (%1)"_s.arg(ids)))
        return Error{m_workspace.describeError(query, u"recording a delivery"_s)};
    m_queueDepth -= query.numRowsAffected();
    return Ok;
}

Status RelayStore::reschedule(const QList<QueuedItem>& items, qint64 nextAttemptAt, const QString& error)
{
    QSqlQuery& query = statement(Statement::Reschedule);
    for (const QueuedItem& item : items) {
        query.addBindValue(nextAttemptAt);
        query.addBindValue(error);
        query.addBindValue(item.id);
        if (!query.exec())
            return Error{m_workspace.describeError(query, u"scheduling a retry"_s)};
    }
    return Ok;
}

Status RelayStore::deadLetter(const QueuedItem& item, std::optional<qint64> code, const QString& message,
                              const QString& requestId, qint64 now)
{
    QSqlQuery insert(m_workspace.database());
    insert.prepare(u"INSERT INTO dead_letters (pixel_id, event_id, event_source, test_event_code, event_time, item, "
                   "failed_at, code, message, request_id, attempts) VALUES (?, ?, COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?, ?, "
                   "COALESCE(?, ''), COALESCE(?, ''), ?)"_s);
    insert.addBindValue(item.pixelId);
    insert.addBindValue(item.eventId);
    insert.addBindValue(item.eventSource);
    insert.addBindValue(item.testEventCode);
    insert.addBindValue(item.eventTime);
    insert.addBindValue(item.item);
    insert.addBindValue(now);
    insert.addBindValue(code ? QVariant(*code) : QVariant());
    insert.addBindValue(message);
    insert.addBindValue(requestId);
    insert.addBindValue(item.attempts);
    if (!insert.exec())
        return Error{m_workspace.describeError(insert, u"keeping a refused event"_s)};
    QSqlQuery& remove = statement(Statement::Dequeue);
    remove.addBindValue(item.id);
    if (!remove.exec())
        return Error{m_workspace.describeError(remove, u"keeping a refused event"_s)};
    --m_queueDepth;
    return Ok;
}

Expected<QList<RelayStore::DeadLetter>> RelayStore::deadLetters() const
{
    QSqlQuery query(m_workspace.database());
    if (!query.exec(u"SELECT id, pixel_id, event_id, event_source, test_event_code, event_time, item, message "
                    "FROM dead_letters ORDER BY id"_s))
        return Error{m_workspace.describeError(query, u"reading the dead letters"_s)};
    QList<DeadLetter> letters;
    while (query.next()) {
        DeadLetter letter;
        letter.id = query.value(0).toLongLong();
        letter.item.pixelId = query.value(1).toString();
        letter.item.eventId = query.value(2).toString();
        letter.item.eventSource = query.value(3).toString();
        letter.item.testEventCode = query.value(4).toString();
        letter.item.eventTime = query.value(5).toLongLong();
        letter.item.item = query.value(6).toByteArray();
        letter.message = query.value(7).toString();
        letters.append(std::move(letter));
    }
    return letters;
}

Status RelayStore::removeDeadLetter(qint64 id)
{
    QSqlQuery query(m_workspace.database());
    query.prepare(u"DELETE FROM dead_letters WHERE id = ?"_s);
    query.addBindValue(id);
    if (!query.exec())
        return Error{m_workspace.describeError(query, u"replaying a dead letter"_s)};
    return Ok;
}

Status RelayStore::pruneDelivered(qint64 olderThan)
{
    QSqlQuery query(m_workspace.database());
    query.prepare(u"DELETE FROM delivered WHERE delivered_at < ?"_s);
    query.addBindValue(olderThan);
    if (!query.exec())
        return Error{m_workspace.describeError(query, u"forgetting old deliveries"_s)};
    return Ok;
}

void RelayStore::auditEvent(const QByteArray& decisionJson)
{
    if (m_pendingEventCount++ > 0)
        m_pendingEvents += ',';
    m_pendingEvents += decisionJson;
}

void RelayStore::auditEvent(const QJsonObject& decision)
{
    auditEvent(QJsonDocument(decision).toJson(QJsonDocument::Compact));
}

Status RelayStore::audit(const QString& kind, const QJsonObject& record, qint64 now)
{
    return auditJson(kind, QJsonDocument(record).toJson(QJsonDocument::Compact), now);
}

Status RelayStore::auditJson(const QString& kind, const QByteArray& text, qint64 now)
{
    // The head is read inside the writing transaction, not remembered: another process (an import next to a
    // running relay) may have appended since, and the chain must stay one chain.
    QSqlQuery& head = statement(Statement::AuditHead);
    if (!head.exec())
        return Error{m_workspace.describeError(head, u"reading the audit trail"_s)};
    qint64 seq = 1;
    QString previous(64, u'0');
    if (head.next()) {
        seq = head.value(0).toLongLong() + 1;
        previous = head.value(1).toString();
    }
    head.finish();
    const QString hash = chainHash(previous, seq, now, kind, text);
    QSqlQuery& query = statement(Statement::Audit);
    query.addBindValue(seq);
    query.addBindValue(now);
    query.addBindValue(kind);
    query.addBindValue(QString::fromUtf8(text));
    query.addBindValue(previous);
    query.addBindValue(hash);
    if (!query.exec())
        return Error{m_workspace.describeError(query, u"writing the audit trail"_s)};
    return Ok;
}

Status RelayStore::flushPending(qint64 now)
{
    if (!m_pendingEvents.isEmpty()) {
        const QByteArray record = "{\"events\":[" + std::exchange(m_pendingEvents, QByteArray()) + "]}";
        m_pendingEventCount = 0;
        if (Status written = auditJson(u"events"_s, record, now); !written)
            return written;
    }
    if (m_pendingCounts.isEmpty())
        return Ok;
    QSqlQuery& query = statement(Statement::Count);
    for (auto it = m_pendingCounts.cbegin(); it != m_pendingCounts.cend(); ++it) {
        query.addBindValue(it.key());
        query.addBindValue(it.value());
        if (!query.exec())
            return Error{m_workspace.describeError(query, u"updating the statistics"_s)};
    }
    m_pendingCounts.clear();
    return Ok;
}

QHash<QString, qint64> RelayStore::counters() const
{
    QHash<QString, qint64> counters;
    QSqlQuery query(m_workspace.database());
    if (query.exec(u"SELECT name, value FROM stats"_s)) {
        while (query.next())
            counters.insert(query.value(0).toString(), query.value(1).toLongLong());
    }
    for (auto it = m_pendingCounts.cbegin(); it != m_pendingCounts.cend(); ++it)
        counters[it.key()] += it.value();
    return counters;
}

Status RelayStore::verifyAuditChain() const
{
    QSqlQuery query(m_workspace.database());
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT seq, at, kind, record, prev_hash, hash FROM audit ORDER BY seq"_s))
        return Error{m_workspace.describeError(query, u"reading the audit trail"_s)};
    QString previous(64, u'0');
    qint64 expectedSeq = 1;
    while (query.next()) {
        const qint64 seq = query.value(0).toLongLong();
        const QString hash = chainHash(previous, seq, query.value(1).toLongLong(), query.value(2).toString(),
                                       query.value(3).toString().toUtf8());
        if (seq != expectedSeq || query.value(4).toString() != previous || query.value(5).toString() != hash)
            return Error{u"the audit trail was altered at record %1: its hash does not match"_s.arg(seq)};
        previous = hash;
        ++expectedSeq;
    }
    return Ok;
}

} // namespace ClearSignal
