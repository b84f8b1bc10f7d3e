// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Dispatcher.h"
#include "EventIngestor.h"
#include "HttpAnswer.h"
#include "IngestRecorder.h"
#include "RelayStore.h"

#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace ClearSignal {

class Workspace;

/// The relay's single writer, on its own thread: it owns the writing connection to the workspace, records the
/// ingest batches the HTTP thread hands over (one transaction each), and runs the dispatcher. One writer keeps
/// the audit chain in one order and lets the HTTP thread read the next requests while a commit reaches the disk.
class StoreWriter final : public QObject
{
    Q_OBJECT

public:
    using Batch = QList<EventIngestor::Prepared>;
    using TransportFactory = std::function<std::unique_ptr<HttpTransport>()>;

    StoreWriter(const Clock& clock, QObject* parent = nullptr);
    ~StoreWriter() override;

    /// Opens the workspace and starts delivering; call on the writer thread (RelayService does).
    Status open(const QString& workspacePath, const KeyedHasher& hasher, const DispatchConfig& dispatch,
                const TransportFactory& transportFactory);
    /// Closes everything on the writer thread, before it ends.
    void close();

    /// Records a batch in one transaction; `done` runs on `receiver`'s thread with one answer per request, or the
    /// error that kept the whole batch from being stored (then nothing of it was).
    void commit(std::shared_ptr<const Batch> batch, QObject* receiver,
                std::function<void(Expected<QList<HttpAnswer>>)> done);

    /// Thread-safe: queue depth, dispatcher state and last TikTok error, as of a moment ago.
    QJsonObject deliveryStatus() const;
    const std::atomic<qint64>& queueDepthCounter() const { return m_store->queueDepthCounter(); }

signals:
    void storageFailed(const QString& message);
    void deliveryFailed(const QString& explanation);

private:
    void publishStatus();

    const Clock& m_clock;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<RelayStore> m_store;
    std::unique_ptr<IngestRecorder> m_recorder;
    std::unique_ptr<HttpTransport> m_transport;
    std::unique_ptr<Dispatcher> m_dispatcher;
    QTimer m_statusTimer{this}; // a child, so it moves to the writer thread with this object
    QTimer m_pruneTimer{this};
    QTimer m_lookTimer{this};
    void pruneDelivered();
    mutable QMutex m_statusLock;
    QJsonObject m_status;
};

} // namespace ClearSignal
