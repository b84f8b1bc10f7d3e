// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"
#include "consent/ConsentPolicy.h"
#include "storage/KeyedHasher.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QList>
#include <QString>

#include <array>
#include <atomic>
#include <memory>
#include <optional>

namespace ClearSignal {

class Workspace;

/// A sanitized Events API data[] item on its way to TikTok.
struct QueuedItem
{
    qint64 id = 0;
    QString pixelId;
    QString eventId;
    QString eventSource = QStringLiteral("web");
    QString testEventCode;
    qint64 eventTime = 0;
    QByteArray item;
    int rulesRevision = 0;
    int attempts = 0;
};

/// The relay's view of its workspace: consent records, the outbox, delivered ids, dead letters, the
/// hash-chained audit trail and the counters. Writes are meant to run inside Workspace::transaction(), several
/// requests' worth at a time (group commit); counters are kept in memory and written with the next commit.
class RelayStore final
{
public:
    /// `exclusive`: this process owns delivery for the workspace (it holds the relay's lock), so items left in
    /// flight by a crash are its to resend. Another process (an import while a relay runs) only adds to the queue.
    static Expected<std::unique_ptr<RelayStore>> open(Workspace& workspace, const KeyedHasher& hasher,
                                                      bool exclusive = true);

    Workspace& workspace() { return m_workspace; }
    const KeyedHasher& hasher() const { return m_hasher; }

    // Consent, keyed by a keyed hash of the visitor id (ConsentReader reads them).
    /// A withdrawal always wins when it arrives (client clocks cannot be trusted to order it); a grant only
    /// replaces a record older than itself.
    Status recordConsent(const QString& visitorId, const ConsentRecord& record);

    // Ingest.
    /// Queues the item unless (pixel, event id) is waiting already, TikTok confirmed it, or refused it (a dead
    /// letter goes again only through DeadLetterReplay); false for a duplicate.
    Expected<bool> enqueue(const QueuedItem& item, qint64 now);
    qint64 queueDepth() const { return m_queueDepth.load(std::memory_order_relaxed); }
    /// The same, for the thread that serves HTTP: it refuses requests while the queue is full.
    const std::atomic<qint64>& queueDepthCounter() const { return m_queueDepth; }

    // Delivery.
    /// Items due for sending, oldest first, at most `limit`.
    Expected<QList<QueuedItem>> due(qint64 now, int limit) const;
    /// Seconds until the next item is due, or -1 when the outbox is empty.
    qint64 secondsUntilNextDue(qint64 now) const;
    Status markInFlight(const QList<QueuedItem>& items);
    /// Frees items marked as on the network when nothing is (after a failed commit); returns how many.
    Expected<qint64> releaseInFlight();
    Status markDelivered(const QList<QueuedItem>& items, const QString& requestId, qint64 now);
    Status reschedule(const QList<QueuedItem>& items, qint64 nextAttemptAt, const QString& error);
    Status deadLetter(const QueuedItem& item, std::optional<qint64> code, const QString& message,
                      const QString& requestId, qint64 now);
    /// Items TikTok refused, oldest first.
    struct DeadLetter
    {
        qint64 id = 0;
        QueuedItem item;
        QString message;
    };
    Expected<QList<DeadLetter>> deadLetters() const;
    Status removeDeadLetter(qint64 id);
    /// Forgets delivered ids older than `olderThan` (dedup only needs TikTok's own window).
    Status pruneDelivered(qint64 olderThan);
    /// Items that were on the network when the relay stopped: sent again, and counted.
    qint64 resumedInFlight() const { return m_resumedInFlight; }

    // Audit trail and counters.
    /// Appends one record; it never holds values, only decisions, rule ids, field names and keyed hashes.
    Status audit(const QString& kind, const QJsonObject& record, qint64 now);
    Status auditJson(const QString& kind, const QByteArray& compactRecord, qint64 now);
    /// Adds one event's decision to the "events" record the next flushPending() writes: one audit record per
    /// commit, however many events it holds, keeps the chain cheap at thousands of events a second.
    void auditEvent(const QByteArray& decisionJson);
    void auditEvent(const QJsonObject& decision);
    void count(const QString& counter, qint64 delta = 1) { m_pendingCounts[counter] += delta; }
    /// Writes counted deltas and pending event decisions; call inside the transaction that made them true.
    Status flushPending(qint64 now);
    /// After a rolled-back transaction: forgets unwritten counts and rereads the audit head and queue depth.
    void resync();
    QHash<QString, qint64> counters() const;

    /// Walks the audit chain; an error names the first record that does not match.
    Status verifyAuditChain() const;

private:
    enum class Statement { RecordConsent, Enqueue, Audit, AuditHead, Count, Dequeue, Reschedule, Due };
    RelayStore(Workspace& workspace, const KeyedHasher& hasher);
    Status loadState();
    /// Compiled once and reused: compiling SQL costs more than running these statements.
    QSqlQuery& statement(Statement which) const;

    Workspace& m_workspace;
    KeyedHasher m_hasher;
    std::atomic<qint64> m_queueDepth = 0;
    qint64 m_resumedInFlight = 0;
    QHash<QString, qint64> m_pendingCounts;
    QByteArray m_pendingEvents; ///< compact JSON objects, comma-separated
    int m_pendingEventCount = 0;
    mutable std::array<std::unique_ptr<QSqlQuery>, 8> m_statements;
};

} // namespace ClearSignal
