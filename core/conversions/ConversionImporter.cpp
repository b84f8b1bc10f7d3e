// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConversionImporter.h"

#include "consent/ConsentReader.h"
#include "event/EventParser.h"
#include "relay/RelayStore.h"
#include "sanitize/Sanitizer.h"
#include "storage/Workspace.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

/// One row, read through the mapping.
class Row final
{
public:
    Row(const CsvTable& table, const ConversionMapping& mapping, qsizetype index)
        : m_table(table), m_mapping(mapping), m_index(index)
    {
    }

    QString value(const QString& field) const
    {
        const QString column = m_mapping.columns.value(field);
        if (column.isEmpty())
            return {};
        for (qsizetype i = 0; i < m_table.header.size(); ++i) {
            if (m_table.header.at(i).compare(column, Qt::CaseInsensitive) == 0)
                return m_table.rows.at(m_index).value(i).trimmed();
        }
        return {};
    }

private:
    const CsvTable& m_table;
    const ConversionMapping& m_mapping;
    qsizetype m_index;
};

/// The booking time as Unix seconds. Messages never repeat the time itself: a booking date is about a patient,
/// and these messages go to the terminal and to logs.
Expected<qint64> parseTime(const QString& text, const ConversionMapping& mapping)
{
    const auto inRange = [](double seconds) -> Expected<qint64> {
        const Expected<qint64> checked = EventParser::parseEventTime(seconds);
        if (!checked)
            return Error{u"event_time is outside the years 2000 to 2100 (or in milliseconds)"_s};
        return checked;
    };
    if (text.isEmpty())
        return Error{u"event_time is empty"_s};
    if (mapping.timeFormat == "unix"_L1) {
        bool ok = false;
        const double seconds = text.toDouble(&ok);
        if (!ok)
            return Error{u"event_time is not a number of seconds (time_format unix)"_s};
        return inRange(seconds);
    }
    QDateTime time;
    if (mapping.timeFormat == "iso8601"_L1) {
        time = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!time.isValid())
            time = QDateTime::fromString(text, Qt::ISODate);
    } else {
        time = QDateTime::fromString(text, mapping.timeFormat);
    }
    if (!time.isValid())
        return Error{u"event_time does not match the time format %1"_s.arg(mapping.timeFormat)};
    if (time.timeSpec() == Qt::LocalTime)
        time = QDateTime(time.date(), time.time(), mapping.timeZone); // no offset written: the mapping's zone
    return inRange(double(time.toSecsSinceEpoch()));
}

} // namespace

Expected<ImportReport> ConversionImporter::import(const CsvTable& table, const ConversionMapping& mapping,
                                                  const QString& testEventCode, int rulesRevision, bool dryRun)
{
    if (Status header = mapping.checkHeader(table.header); !header)
        return header.error();
    ImportReport report;
    report.rows = int(table.rows.size());
    const qint64 now = m_clock.nowSeconds();
    const auto work = [&]() -> Status {
        for (qsizetype index = 0; index < table.rows.size(); ++index) {
            const Row row(table, mapping, index);
            const int line = table.lines.at(index);
            const Expected<qint64> time = parseTime(row.value(u"event_time"_s), mapping);
            if (!time) {
                report.errors.append(u"line %1: %2"_s.arg(line).arg(time.errorMessage()));
                continue;
            }
            QString eventId = row.value(u"event_id"_s);
            if (eventId.isEmpty()) // the same row imported again must get the same id
                eventId = u"import-"_s + m_store.hasher().hash(table.rows.at(index).join(QChar(0x1f)));
            QJsonObject user;
            for (const QString& field : {u"email"_s, u"phone"_s, u"external_id"_s, u"first_name"_s, u"last_name"_s,
                                         u"zip_code"_s, u"ttclid"_s}) {
                if (const QString value = row.value(field); !value.isEmpty())
                    user.insert(field, value);
            }
            QJsonObject properties;
            if (const QString value = row.value(u"value"_s); !value.isEmpty()) {
                bool ok = false;
                QString amount = QString(value).remove(u'$').remove(u' ');
                if (mapping.decimalComma) // "1.250,00": dots group thousands, the comma is the decimal point
                    amount = amount.remove(u'.').replace(u',', u'.');
                else
                    amount.remove(u',');
                const double number = amount.toDouble(&ok);
                if (!ok || number < 0) {
                    report.errors.append(u"line %1: value is not an amount"_s.arg(line));
                    continue;
                }
                properties.insert(u"value"_s, number);
            }
            const QString currency = row.value(u"currency"_s).isEmpty() ? mapping.currency : row.value(u"currency"_s);
            if (!currency.isEmpty())
                properties.insert(u"currency"_s, currency.toUpper());
            QJsonObject object{{u"event"_s, mapping.event.isEmpty() ? row.value(u"event"_s) : mapping.event},
                               {u"event_id"_s, eventId},
                               {u"event_time"_s, double(*time)}};
            const QString visitor = row.value(u"visitor_id"_s);
            if (!visitor.isEmpty())
                object.insert(u"visitor_id"_s, visitor);
            if (!user.isEmpty())
                object.insert(u"user"_s, user);
            if (!properties.isEmpty())
                object.insert(u"properties"_s, properties);
            const Expected<RawEvent> event = EventParser::parse(QJsonDocument(object).toJson(QJsonDocument::Compact));
            if (!event) {
                // The parser names the field; the value stays out of the message.
                report.errors.append(u"line %1: %2"_s.arg(line).arg(event.errorMessage()));
                continue;
            }

            // Consent: the row's own answer when the export has one, else what the relay recorded, else the policy.
            // A withdrawal the relay recorded after the row's own "yes" wins: the newest answer counts.
            const QString answer = row.value(u"consent"_s).toLower();
            const Expected<std::optional<ConsentRecord>> recorded = m_consent.consentFor(visitor);
            if (!recorded)
                return recorded.error();
            std::optional<ConsentRecord> record = *recorded;
            const bool yes = !answer.isEmpty() && mapping.consentYes.contains(answer);
            const bool no = !answer.isEmpty() && mapping.consentNo.contains(answer);
            if ((yes || no) && (!record || record->recordedAt <= *time))
                record = ConsentRecord{yes, u"crm"_s, *time};
            const ConsentVerdict verdict = decideConsent(m_policy, record, false);
            QJsonObject audit{{u"source"_s, u"import"_s}, {u"line"_s, line}, {u"rules_revision"_s, rulesRevision},
                              {u"event_key"_s, m_store.hasher().hash(eventId)},
                              {u"consent"_s, consentVerdictReason(verdict)}};
            if (verdict != ConsentVerdict::Allowed) {
                ++report.dropped[consentVerdictReason(verdict)];
                audit.insert(u"decision"_s, u"drop"_s);
                m_store.auditEvent(audit);
                continue;
            }
            const SanitizeResult result = m_sanitizer.sanitize(*event);
            audit.insert(u"decision"_s, decisionName(result.decision));
            if (!result.reasons.isEmpty())
                audit.insert(u"reasons"_s, QJsonArray::fromStringList(result.reasonsWithoutTerms()));
            if (result.decision == Decision::Quarantine) {
                ++report.quarantined;
            } else if (result.decision == Decision::Drop) {
                ++report.dropped[result.reasons.value(0, u"policy"_s).section(u':', 0, 0)];
            } else if (!dryRun) {
                QueuedItem item;
                item.pixelId = mapping.eventSetId;
                item.eventId = result.eventId.isEmpty() ? u"import-"_s + m_store.hasher().hash(eventId) : result.eventId;
                item.eventSource = mapping.eventSource;
                item.testEventCode = testEventCode;
                item.eventTime = result.eventTime;
                item.item = result.item;
                item.rulesRevision = rulesRevision;
                const Expected<bool> queued = m_store.enqueue(item, now);
                if (!queued)
                    return queued.error();
                if (*queued) {
                    ++report.queued;
                } else {
                    ++report.dropped[u"duplicate_event_id"_s];
                    audit.insert(u"decision"_s, u"drop"_s);
                    audit.insert(u"reasons"_s, QJsonArray{u"duplicate_event_id"_s});
                }
            } else {
                ++report.queued;
            }
            m_store.auditEvent(audit);
        }
        if (dryRun)
            return Ok;
        m_store.count(u"imported_rows"_s, report.rows);
        return m_store.flushPending(now);
    };
    if (dryRun) {
        Status checked = work();
        m_store.resync(); // nothing of a dry run is written
        if (!checked)
            return checked.error();
        return report;
    }
    if (Status written = m_store.workspace().transaction(work); !written) {
        m_store.resync();
        return written.error();
    }
    return report;
}

} // namespace ClearSignal
