// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpAnswer.h"
#include "RelayStore.h"
#include "common/Clock.h"
#include "consent/ConsentPolicy.h"
#include "sanitize/Sanitizer.h"

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace ClearSignal {

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

/// Turns /v1/events and /v1/consent requests into decisions and writes them (POST bodies are never stored:
/// only sanitized items, decisions and keyed hashes). Split in two so many requests can share one
/// transaction: prepare() checks, parses, applies consent and sanitizes without touching the disk;
/// write() records a prepared request inside the caller's transaction.
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
        QString eventKey;   ///< keyed hash of the site's event id, for the audit trail
    };
    /// A request after prepare(): either an immediate answer (an error) or events to write.
    struct Prepared
    {
        std::optional<HttpAnswer> answer;
        enum class Kind { Events, Consent } kind = Kind::Events;
        QList<Decided> events;
        QJsonArray rejected; ///< [{"index": i, "error": "..."}]
        QString consentVisitor;
        ConsentRecord consentRecord;
    };

    EventIngestor(RelayStore& store, const Clock& clock) : m_store(store), m_clock(clock) {}

    void setConfig(IngestConfig config) { m_config = std::move(config); }
    const IngestConfig& config() const { return m_config; }

    Prepared prepareEvents(const IngestRequest& request) const;
    Prepared prepareConsent(const IngestRequest& request) const;
    /// Records a prepared request; call inside a transaction. Returns the answer to send once it commits.
    Expected<HttpAnswer> write(const Prepared& prepared);

    /// The CORS headers for a request from `origin` when that origin is allowed.
    QList<std::pair<QByteArray, QByteArray>> corsHeaders(const QString& origin) const;
    bool isOriginAllowed(const QString& origin) const;

private:
    std::optional<HttpAnswer> checkRequest(const IngestRequest& request) const;
    Decided decide(int index, RawEvent event, bool gpc) const;

    RelayStore& m_store;
    const Clock& m_clock;
    IngestConfig m_config;
};

} // namespace ClearSignal
