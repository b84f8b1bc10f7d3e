// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpAnswer.h"
#include "common/Clock.h"
#include "consent/ConsentPolicy.h"
#include "sanitize/Sanitizer.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace ClearSignal {

class ConsentReader;

/// What the ingest endpoints need of one HTTP request; the server fills it, tests and the fuzzer build it.
struct IngestRequest
{
    QByteArray body;
    QByteArray contentType;
    QString ingestKey; ///< X-ClearSignal-Key, or ?key= for beacons
    QString origin;    ///< the Origin header, empty when absent
    bool gpc = false;  ///< Sec-GPC: 1
};

/// The configuration ingest runs under; replaced as a whole when the rules or settings change.
struct IngestConfig
{
    QString ingestKey;
    QStringList allowedOrigins; ///< "https://clinic.example" (scheme, host and port)
    ConsentPolicy consentPolicy = ConsentPolicy::Required;
    QString testEventCode;
    qint64 maxQueuedEvents = 1000000;
    int rulesRevision = 0;
    std::shared_ptr<const Sanitizer> sanitizer;
};

/// Checks /v1/events and /v1/consent requests and decides about their events: key, origin, type, size, strict
/// JSON, consent (from what the relay recorded) and the sanitizer. It never writes: IngestRecorder records
/// prepared requests on the relay's writer thread, many to a transaction, so this runs on the thread that serves
/// HTTP while the previous commit is still on its way to the disk. POST bodies are never stored: only sanitized
/// items, decisions and keyed hashes.
class EventIngestor final
{
public:
    static constexpr qsizetype maxBodyBytes = 1024 * 1024;
    static constexpr int maxEventsPerRequest = 500;

    /// One event of a request, decided.
    struct Decided
    {
        int index = 0;
        SanitizeResult result;
        QString consent;  ///< consentVerdictReason()
        QString visitorKey; ///< keyed hash of the visitor id, for the audit trail
        QString siteEventId; ///< the site's own event id, if it sent one
        QString eventKey;    ///< keyed hash of the event id (the site's, else the relay's), for the audit trail
        QByteArray audit;    ///< ingestAuditRecord(), made on the HTTP thread so the writer only stores it
        bool consentUnreadable = false; ///< the consent records could not be read: the request is refused
    };
    /// A request after prepare(): either an immediate answer (an error) or what to record.
    struct Prepared
    {
        std::optional<HttpAnswer> answer;
        enum class Kind { Events, Consent } kind = Kind::Events;
        QList<Decided> events;
        QJsonArray rejected; ///< [{"index": i, "error": "..."}]
        QString consentVisitor;
        ConsentRecord consentRecord;
        // Where forwarded items go, from the configuration the request was decided under.
        QString pixelId;
        QString testEventCode;
        int rulesRevision = 0;
    };

    /// `queueDepth` is published by the writer thread; requests are refused while it is at the limit.
    EventIngestor(const ConsentReader& consent, const std::atomic<qint64>& queueDepth, const Clock& clock)
        : m_consent(consent), m_queueDepth(queueDepth), m_clock(clock)
    {
    }

    void setConfig(IngestConfig config);
    const IngestConfig& config() const { return m_config; }

    Prepared prepareEvents(const IngestRequest& request) const;
    Prepared prepareConsent(const IngestRequest& request) const;

    /// A consent record prepared but not committed yet counts already: a banner's "accept" and the page view
    /// right after it must not race. The server forgets it once its commit is done (then it is in the file).
    void notePendingConsent(const QString& visitorId, const ConsentRecord& record);
    void forgetPendingConsent(const QString& visitorId);

    /// The CORS headers for a request from `origin` when that origin is allowed.
    QList<std::pair<QByteArray, QByteArray>> corsHeaders(const QString& origin) const;
    bool isOriginAllowed(const QString& origin) const;

private:
    std::optional<HttpAnswer> checkRequest(const IngestRequest& request) const;
    Decided decide(int index, RawEvent event, bool gpc) const;

    const ConsentReader& m_consent;
    const std::atomic<qint64>& m_queueDepth;
    const Clock& m_clock;
    IngestConfig m_config;
    QStringList m_allowedOrigins; ///< normalized once: checked on every request
    QHash<QString, std::pair<ConsentRecord, int>> m_pendingConsent; ///< by visitor id: the record, commits pending
};

} // namespace ClearSignal
