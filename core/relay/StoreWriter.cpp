// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreWriter.h"

#include "storage/Workspace.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QPointer>

Q_LOGGING_CATEGORY(lcWriter, "clearsignal.relay.writer", QtWarningMsg)

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

StoreWriter::StoreWriter(const Clock& clock, QObject* parent) : QObject(parent), m_clock(clock)
{
    m_statusTimer.setInterval(250);
    connect(&m_statusTimer, &QTimer::timeout, this, &StoreWriter::publishStatus);
    m_pruneTimer.setInterval(3600 * 1000);
    connect(&m_pruneTimer, &QTimer::timeout, this, &StoreWriter::pruneDelivered);
    // Other processes (an import, a dead-letter replay) may add to the queue; look for their events regularly.
    m_lookTimer.setInterval(30 * 1000);
    connect(&m_lookTimer, &QTimer::timeout, this, [this] {
        if (m_dispatcher)
            m_dispatcher->wakeSoon();
    });
}

StoreWriter::~StoreWriter()
{
    close();
}

Status StoreWriter::open(const QString& workspacePath, const KeyedHasher& hasher, const DispatchConfig& dispatch,
                         const TransportFactory& transportFactory)
{
    Expected<std::unique_ptr<Workspace>> workspace = Workspace::open(workspacePath);
    if (!workspace)
        return workspace.error();
    m_workspace = std::move(*workspace);
    Expected<std::unique_ptr<RelayStore>> store = RelayStore::open(*m_workspace, hasher);
    if (!store)
        return store.error();
    m_store = std::move(*store);
    m_recorder = std::make_unique<IngestRecorder>(*m_store, m_clock);
    m_transport = transportFactory ? transportFactory() : std::make_unique<NetworkHttpTransport>();
    m_dispatcher = std::make_unique<Dispatcher>(*m_store, *m_transport, m_clock, dispatch);
    connect(m_dispatcher.get(), &Dispatcher::deliveryFailed, this, &StoreWriter::deliveryFailed);
    connect(m_dispatcher.get(), &Dispatcher::deliveryFailed, this, &StoreWriter::publishStatus);
    connect(m_dispatcher.get(), &Dispatcher::delivered, this, &StoreWriter::publishStatus);
    m_statusTimer.start();
    m_pruneTimer.start();
    m_lookTimer.start();
    pruneDelivered();
    publishStatus();
    m_dispatcher->wake(); // what an earlier run left in the queue goes out now
    return Ok;
}

void StoreWriter::close()
{
    m_statusTimer.stop();
    m_pruneTimer.stop();
    m_lookTimer.stop();
    m_dispatcher.reset();
    m_transport.reset();
    m_recorder.reset();
    m_store.reset();
    m_workspace.reset();
}

void StoreWriter::commit(std::shared_ptr<const Batch> batch, QObject* receiver,
                         std::function<void(Expected<QList<HttpAnswer>>)> done)
{
    QElapsedTimer took;
    took.start();
    QList<HttpAnswer> answers;
    answers.reserve(batch->size());
    bool queued = false;
    Status committed = m_workspace->transaction([&]() -> Status {
        for (const EventIngestor::Prepared& prepared : *batch) {
            Expected<HttpAnswer> answer = m_recorder->write(prepared);
            if (!answer)
                return answer.error();
            answers.append(std::move(*answer));
            queued = queued || !prepared.events.isEmpty();
        }
        return m_recorder->finishCommit();
    });
    Expected<QList<HttpAnswer>> result = committed ? Expected<QList<HttpAnswer>>(std::move(answers))
                                                   : Expected<QList<HttpAnswer>>(committed.error());
    if (!committed) {
        m_store->resync();
        emit storageFailed(committed.errorMessage());
    }
    QMetaObject::invokeMethod(receiver, [done = std::move(done), result = std::move(result)]() mutable {
        done(std::move(result));
    }, Qt::QueuedConnection);
    if (committed && queued)
        m_dispatcher->wakeSoon();
    qCDebug(lcWriter) << "committed" << batch->size() << "requests in" << took.nsecsElapsed() / 1000 << "us";
}

void StoreWriter::pruneDelivered()
{
    // Dedup needs the ids of delivered events for as long as a copy could still arrive; 30 days is well past
    // TikTok's attribution windows and the longest event age a rule may allow (90 days is checked at ingest).
    constexpr qint64 keepSeconds = 30 * 86400;
    if (!m_store)
        return;
    const Status pruned = m_workspace->transaction(
        [&] { return m_store->pruneDelivered(m_clock.nowSeconds() - keepSeconds); });
    if (!pruned)
        emit storageFailed(pruned.errorMessage());
}

void StoreWriter::publishStatus()
{
    if (!m_dispatcher)
        return;
    QJsonObject status = m_dispatcher->status();
    status.insert(u"queue_depth"_s, m_store->queueDepth());
    const QMutexLocker locker(&m_statusLock);
    m_status = status;
}

QJsonObject StoreWriter::deliveryStatus() const
{
    const QMutexLocker locker(&m_statusLock);
    return m_status;
}

} // namespace ClearSignal
