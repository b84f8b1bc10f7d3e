// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayService.h"

#include "storage/RulesHistory.h"
#include "storage/Workspace.h"

#include <QFile>
#include <QSqlQuery>
#include <QJsonArray>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray collectorScript()
{
    QFile file(u":/clearsignal/relay/cs.js"_s);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

RelayService::RelayService(QObject* parent) : QObject(parent) {}

RelayService::~RelayService()
{
    stop();
}

Status RelayService::start(const QString& workspacePath, const RelayOptions& options,
                           StoreWriter::TransportFactory transport, const Clock& clock)
{
    m_clock = &clock;
    m_lock = std::make_unique<QLockFile>(lockPath(workspacePath));
    m_lock->setStaleLockTime(0); // held for days; a lock left by a dead process is still recognised by its pid
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString application;
        m_lock->getLockInfo(&pid, &host, &application);
        m_lock.reset();
        return Error{u"another relay (process %1) is running on %2; stop it first, or give this one its own "
                     "workspace"_s.arg(pid).arg(workspacePath)};
    }
    Expected<std::unique_ptr<Workspace>> workspace = Workspace::open(workspacePath);
    if (!workspace)
        return workspace.error();
    m_workspace = std::move(*workspace);
    Expected<WorkspaceSettings> settings = WorkspaceSettings::load(*m_workspace);
    if (!settings)
        return settings.error();
    m_settings = *settings;
    auto rules = RulesHistory::current(*m_workspace);
    if (!rules)
        return rules.error();
    auto& [revision, ruleSet] = *rules;
    if (ruleSet.pixelId.isEmpty())
        return Error{u"the rules have no TikTok pixel ID; set one with: clearsignal-cli workspace set %1 pixel_id=ID"_s
                         .arg(workspacePath)};
    Expected<Sanitizer> sanitizer = Sanitizer::create(ruleSet, clock);
    if (!sanitizer)
        return sanitizer.error();
    const Expected<std::pair<QHostAddress, quint16>> listen =
        WorkspaceSettings::parseListen(options.listen.isEmpty() ? m_settings.listen : options.listen);
    if (!listen)
        return Error{u"--"_s + listen.errorMessage()}; // the option, or the setting it defaults to

    DispatchConfig dispatch;
    dispatch.endpoint = QUrl(options.endpoint.isEmpty() ? m_settings.endpoint : options.endpoint);
    if (!dispatch.endpoint.isValid() || dispatch.endpoint.host().isEmpty())
        return Error{u"--endpoint must be a web address, not \"%1\""_s.arg(options.endpoint)};
    dispatch.accessToken = options.accessToken;
    dispatch.maxEventAgeSeconds = qint64(ruleSet.maxEventAgeDays) * 86400;
    dispatch.requestTimeoutMs = m_settings.requestTimeoutSeconds * 1000;

    const KeyedHasher hasher(QByteArray::fromHex(m_settings.hashKeyHex.toLatin1()));
    m_writer = new StoreWriter(clock);
    m_writer->moveToThread(&m_writerThread);
    connect(&m_writerThread, &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &StoreWriter::storageFailed, this, &RelayService::storageFailed);
    connect(m_writer, &StoreWriter::deliveryFailed, this, &RelayService::deliveryFailed);
    m_writerThread.setObjectName(u"relay-writer"_s);
    m_writerThread.start();
    Status opened = Ok;
    QMetaObject::invokeMethod(m_writer, [&] { opened = m_writer->open(workspacePath, hasher, dispatch, transport); },
                              Qt::BlockingQueuedConnection);
    if (!opened) {
        stop();
        return opened;
    }

    IngestConfig config;
    config.ingestKey = m_settings.ingestKey;
    config.allowedOrigins = ruleSet.siteOrigins;
    config.consentPolicy = m_settings.consentPolicy;
    config.testEventCode = options.testEventCode.isEmpty() ? m_settings.testEventCode : options.testEventCode;
    config.maxQueuedEvents = m_settings.maxQueuedEvents;
    config.rulesRevision = revision.revision;
    config.sanitizer = std::make_shared<const Sanitizer>(std::move(*sanitizer));
    m_consent = std::make_unique<ConsentReader>(*m_workspace, hasher);
    m_ingestor = std::make_unique<EventIngestor>(*m_consent, m_writer->queueDepthCounter(), clock);
    m_ingestor->setConfig(config);

    m_address = listen->first;
    m_server = std::make_unique<IngestServer>(*m_ingestor, *m_writer);
    m_server->setCollectorScript(collectorScript());
    m_server->setRateLimitPerMinute(m_settings.rateLimitPerMinute);
    m_server->setHealthProvider([this] { return health(); });
    if (Status listening = m_server->listen(listen->first, listen->second); !listening) {
        stop();
        return listening;
    }
    return Ok;
}

void RelayService::stop()
{
    m_server.reset(); // answers what was read, after committing it
    m_ingestor.reset();
    m_consent.reset();
    if (m_writerThread.isRunning()) {
        QMetaObject::invokeMethod(m_writer, [writer = m_writer] { writer->close(); }, Qt::BlockingQueuedConnection);
        m_writerThread.quit();
        m_writerThread.wait();
    }
    m_writer = nullptr;
    m_workspace.reset();
    m_lock.reset(); // unlocks
}

quint16 RelayService::port() const
{
    return m_server ? m_server->port() : 0;
}

QJsonObject RelayService::health() const
{
    if (!m_workspace || !m_writer)
        return {{u"status"_s, u"stopped"_s}};
    // Counters as the writer last committed them, read on this thread's own connection.
    QHash<QString, qint64> counters;
    QSqlQuery query(m_workspace->database());
    if (query.exec(u"SELECT name, value FROM stats"_s)) {
        while (query.next())
            counters.insert(query.value(0).toString(), query.value(1).toLongLong());
    }
    QJsonObject dropped;
    for (auto it = counters.cbegin(); it != counters.cend(); ++it) {
        if (it.key().startsWith("dropped:"_L1))
            dropped.insert(it.key().mid(8), it.value());
    }
    QJsonObject delivery = m_writer->deliveryStatus();
    QJsonObject health{{u"status"_s, u"ok"_s},
                       {u"queue_depth"_s, m_writer->queueDepthCounter().load()},
                       {u"received"_s, counters.value(u"received"_s)},
                       {u"delivered"_s, counters.value(u"delivered"_s)},
                       {u"dropped"_s, dropped},
                       {u"quarantined"_s, counters.value(u"quarantined"_s)},
                       {u"dead_lettered"_s, counters.value(u"dead_lettered"_s)},
                       {u"partial_success_answers"_s, counters.value(u"partial_success_answers"_s)},
                       {u"rejected_invalid"_s, counters.value(u"rejected_invalid"_s)},
                       {u"resent_after_restart"_s, counters.value(u"resent_after_restart"_s)},
                       {u"consent_updates"_s,
                        counters.value(u"consent_granted"_s) + counters.value(u"consent_withdrawn"_s)},
                       {u"rules_revision"_s, m_ingestor ? m_ingestor->config().rulesRevision : 0}};
    delivery.remove(u"queue_depth"_s);
    health.insert(u"delivery"_s, delivery);
    if (delivery.contains("last_error"_L1))
        health.insert(u"last_tiktok_error"_s, delivery.value("last_error"_L1));
    return health;
}

} // namespace ClearSignal
