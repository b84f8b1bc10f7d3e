// SPDX-License-Identifier: GPL-3.0-or-later
#include "IngestRecorder.h"

#include "IngestAudit.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;


Expected<HttpAnswer> IngestRecorder::write(const EventIngestor::Prepared& prepared)
{
    const qint64 now = m_clock.nowSeconds();
    if (prepared.kind == EventIngestor::Prepared::Kind::Consent) {
        if (Status recorded = m_store.recordConsent(prepared.consentVisitor, prepared.consentRecord); !recorded)
            return recorded.error();
        m_store.count(prepared.consentRecord.ads ? u"consent_granted"_s : u"consent_withdrawn"_s);
        HttpAnswer answer;
        answer.status = 204;
        return answer;
    }
    for (const EventIngestor::Decided& decided : prepared.events) {
        const SanitizeResult& result = decided.result;
        // The site's id, or the one the relay gave it; only its keyed hash is kept.
        bool duplicate = false;
        if (result.decision == Decision::Forward) {
            QueuedItem item;
            item.pixelId = prepared.pixelId;
            item.eventId = result.eventId;
            item.testEventCode = prepared.testEventCode;
            item.eventTime = result.eventTime;
            item.item = result.item;
            item.rulesRevision = prepared.rulesRevision;
            const Expected<bool> queued = m_store.enqueue(item, now);
            if (!queued)
                return queued.error();
            duplicate = !*queued;
            m_store.count(duplicate ? u"dropped:duplicate_event_id"_s : u"queued"_s);
        } else if (result.decision == Decision::Quarantine) {
            m_store.count(u"quarantined"_s);
        } else {
            m_store.count(u"dropped:"_s + result.reasons.value(0, u"policy"_s).section(u':', 0, 0));
        }
        // Written on the HTTP thread while the previous commit ran; only a duplicate changes it here.
        m_store.auditEvent(duplicate ? ingestAuditRecord(decided, prepared.rulesRevision, true) : decided.audit);
    }
    m_store.count(u"received"_s, prepared.events.size() + prepared.rejected.size());
    if (!prepared.rejected.isEmpty())
        m_store.count(u"rejected_invalid"_s, prepared.rejected.size());
    if (prepared.rejected.isEmpty()) {
        // The common answer, without building a JSON document for it.
        HttpAnswer answer;
        answer.status = 202;
        answer.body = "{\"accepted\":" + QByteArray::number(prepared.events.size()) + ",\"rejected\":[]}";
        return answer;
    }
    return HttpAnswer::json(202, QJsonObject{{u"accepted"_s, int(prepared.events.size())},
                                             {u"rejected"_s, prepared.rejected}});
}

Status IngestRecorder::finishCommit()
{
    return m_store.flushPending(m_clock.nowSeconds());
}

} // namespace ClearSignal
