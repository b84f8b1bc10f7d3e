// SPDX-License-Identifier: GPL-3.0-or-later
#include "Sanitizer.h"

#include "UrlReducer.h"
#include "common/JsonWriter.h"
#include "common/KeyLabel.h"
#include "phi/ValueDecoding.h"
#include "tiktok/IdentifierHashing.h"
#include "tiktok/StandardEvents.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 secondsPerDay = 86400;

QString ruleFor(const RuleSet& rules, EventField field)
{
    const bool isDefault = rules.policy(field) == RuleSet::defaultPolicies()[size_t(field)];
    return isDefault ? u"default"_s : u"fields."_s + fieldSpec(field).path;
}

std::optional<IdentifierHashing::Identifier> hashKind(EventField field)
{
    using I = IdentifierHashing::Identifier;
    switch (field) {
    case EventField::UserEmail:
        return I::Email;
    case EventField::UserPhone:
        return I::Phone;
    case EventField::UserExternalId:
        return I::ExternalId;
    case EventField::UserFirstName:
        return I::FirstName;
    case EventField::UserLastName:
        return I::LastName;
    case EventField::UserZipCode:
        return I::ZipCode;
    default:
        return std::nullopt;
    }
}

/// Zeroes the host part of an IP address: the last octet of IPv4, everything after /48 of IPv6.
std::optional<QString> truncateIp(const QString& text)
{
    QHostAddress address;
    if (!address.setAddress(text.trimmed()))
        return std::nullopt;
    if (address.protocol() == QAbstractSocket::IPv4Protocol)
        return QHostAddress(address.toIPv4Address() & 0xffffff00u).toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 6; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString();
}

} // namespace

Expected<Sanitizer> Sanitizer::create(RuleSet rules, const Clock& clock)
{
    PhiScanner::Vocabulary vocabulary{rules.extraTerms, rules.allowedTerms};
    Expected<std::shared_ptr<const PhiScanner>> scanner = PhiScanner::create(vocabulary, rules.phoneRegion);
    if (!scanner)
        return scanner.error();
    return Sanitizer(std::move(rules), *scanner, clock);
}

Sanitizer::Sanitizer(RuleSet rules, std::shared_ptr<const PhiScanner> scanner, const Clock& clock)
    : m_rules(std::move(rules)), m_scanner(std::move(scanner)),
      m_gate(std::make_shared<PayloadGate>(m_rules, m_scanner)), m_clock(&clock)
{
}

PhiHits Sanitizer::scanForTrace(const QString& path, const QJsonValue& value, const QString& pageDomain) const
{
    PhiScanner::FieldScan scan;
    scan.field = path;
    scan.key = path.mid(path.lastIndexOf(u'.') + 1);
    if (path == "page.url"_L1 || path == "page.referrer"_L1) {
        // As in the gate: the practice's own domain names the practice, not the visitor's health.
        scan.ownDomains = m_rules.siteDomains();
        if (!pageDomain.isEmpty())
            scan.ownDomains.append(pageDomain);
    }
    if (value.isString())
        return m_scanner->scan(value.toString(), scan);
    if (value.isArray() || value.isObject()) {
        JsonWriter writer;
        writer.value(value);
        return m_scanner->scan(QString::fromUtf8(writer.bytes()), scan);
    }
    if (value.isDouble())
        return m_scanner->scan(QString::number(value.toDouble(), 'f', 0), scan);
    return {};
}

QString Sanitizer::safeEventId(const RawEvent& event) const
{
    if (!event.has(EventField::EventId))
        return {};
    PhiScanner::FieldScan scan;
    scan.field = u"event_id"_s;
    scan.md5 = false;
    const QString id = event.text(EventField::EventId);
    return m_scanner->scan(id, scan).isEmpty() ? id : QString();
}

std::optional<Sanitizer::Mapping> Sanitizer::mapEvent(const RawEvent& event) const
{
    if (m_rules.standardNames == StandardNamePolicy::Accept) {
        if (const std::optional<QString> standard = StandardEvents::canonical(event.name))
            return Mapping{*standard, u"standard_event_names"_s};
    }
    std::optional<QString> path;
    auto urlPath = [&]() -> const std::optional<QString>& {
        if (!path) {
            path = QString();
            const QString url = event.text(EventField::PageUrl); // splitUrl returns views into it
            if (const auto parts = ValueDecoding::splitUrl(url)) {
                path = ValueDecoding::percentDecodeRepeatedly(parts->path, false, 4);
                if (path->isEmpty())
                    path = u"/"_s;
            }
        }
        return path;
    };
    for (const EventMapping& mapping : m_rules.mappings) {
        if (mapping.event && !mapping.event->matches(event.name))
            continue;
        if (mapping.urlPath && (urlPath()->isEmpty() || !mapping.urlPath->matches(*urlPath())))
            continue;
        return Mapping{mapping.tiktokEvent, u"mappings[%1]"_s.arg(mapping.id)};
    }
    return std::nullopt;
}

QByteArray Sanitizer::buildItem(const RawEvent& event, const QString& tiktokEvent, qint64 eventTime,
                                const Options& options, QList<TraceEntry>& trace) const
{
    const bool explain = options.explain;
    // Trace strings are only built when someone will read them: this runs for every relayed event.
    QString pageDomain;
    if (explain) {
        const QString url = event.text(EventField::PageUrl);
        if (const auto parts = ValueDecoding::splitUrl(url))
            pageDomain = ValueDecoding::registrableDomain(parts->host);
    }
    auto recordJson = [&](const QString& field, const QString& action, const QString& rule, const QString& reason,
                          const QJsonValue& scanned) {
        if (!explain)
            return;
        TraceEntry entry{field, action, rule, reason, {}};
        if (!scanned.isUndefined())
            entry.hits = scanForTrace(field, scanned, pageDomain);
        trace.append(entry);
    };
    auto record = [&](const QString& field, const QString& action, const QString& rule, const QString& reason,
                      const FieldValue* scanned = nullptr) {
        if (!explain)
            return;
        QJsonValue json(QJsonValue::Undefined);
        if (scanned)
            json = scanned->kind == FieldValue::Kind::Json     ? QJsonValue(QString::fromUtf8(scanned->json))
                   : scanned->kind == FieldValue::Kind::Number ? QJsonValue(scanned->number)
                                                               : QJsonValue(event.textOf(*scanned));
        recordJson(field, action, rule, reason, json);
    };

    JsonWriter item;
    item.reserve(512);
    item.beginObject();
    item.field("event"_L1, QStringView(tiktokEvent));
    item.field("event_time"_L1, eventTime);

    // A ttclid in the landing URL becomes user.ttclid when the event has none; it never stays in a URL.
    FieldValue ttclidFromUrl;
    if (!event.has(EventField::UserTtclid) && event.has(EventField::PageUrl)) {
        ttclidFromUrl.text = UrlReducer::extractTtclid(event.text(EventField::PageUrl));
        if (!ttclidFromUrl.text.isEmpty())
            ttclidFromUrl.kind = FieldValue::Kind::Text;
    }

    // Fields come in table order, section by section: a section's object is opened at its first field
    // that leaves and closed when the next section starts, so empty sections never appear.
    std::optional<EventSection> openSection;
    auto enterSection = [&](EventSection section) {
        if (openSection == section)
            return;
        if (openSection && *openSection != EventSection::Root)
            item.endObject();
        openSection = section;
        if (section == EventSection::Root)
            return;
        item.key(section == EventSection::User   ? "user"_L1
                 : section == EventSection::Page ? "page"_L1
                                                 : "properties"_L1);
        item.beginObject();
    };
    for (const EventFieldSpec& spec : allFieldSpecs()) {
        const EventField field = spec.field;
        const bool movedTtclid = field == EventField::UserTtclid && ttclidFromUrl.kind == FieldValue::Kind::Text;
        const FieldValue& value = movedTtclid ? ttclidFromUrl : event.field(field);
        if (value.kind == FieldValue::Kind::Absent)
            continue;
        const FieldPolicy policy = m_rules.policy(field);
        const QString path = explain ? QString(spec.path) : QString();
        const QString rule = explain ? ruleFor(m_rules, field) : QString();

        if (policy == FieldPolicy::Drop) {
            const QString reason = field == EventField::PageTitle ? u"TikTok's page object has no title; never sent"_s
                                                                  : u"the rules do not send this field"_s;
            record(path, u"dropped"_s, rule, reason, &value);
            continue;
        }

        // Decide what leaves first; only a field that sends something gets its key written.
        std::optional<QString> transformed;
        QString action = movedTtclid ? u"moved"_s : u"kept"_s;
        QString reason = movedTtclid ? u"taken from the ttclid parameter of page.url"_s : u"sent as received"_s;
        const FieldValue* scanned = &value;
        if (field == EventField::PageUrl || field == EventField::PageReferrer) {
            UrlReducer::Result reduced = UrlReducer::reduce(event.textOf(value), policy, m_rules.urlCategories);
            if (!reduced.url) {
                record(path, reduced.action, rule, reduced.reason, &value);
                continue;
            }
            transformed = std::move(reduced.url);
            action = reduced.action;
            reason = reduced.reason;
        } else if (policy == FieldPolicy::Hash) {
            const std::optional<IdentifierHashing::Identifier> kind = hashKind(field);
            if (kind)
                transformed = IdentifierHashing::hash(*kind, event.textOf(value), m_rules.phoneRegion);
            if (!transformed) {
                record(path, u"not_sent"_s, rule, u"could not be normalised as TikTok requires, so it is not sent"_s);
                continue;
            }
            const bool preHashed = IdentifierHashing::isSha256Hex(event.textOf(value).trimmed());
            action = preHashed ? u"passed_through_hash"_s : u"hashed"_s;
            reason = preHashed ? u"already a SHA-256 hash; sent as it is. Hashing is not de-identification."_s
                               : u"normalised and SHA-256 hashed. Hashing is not de-identification."_s;
            scanned = nullptr;
        } else if (policy == FieldPolicy::Truncate) {
            transformed = truncateIp(event.textOf(value));
            if (!transformed) {
                record(path, u"not_sent"_s, rule, u"not an IP address"_s);
                continue;
            }
            action = u"truncated"_s;
            reason = u"host part of the address zeroed"_s;
            scanned = nullptr;
        } else if (field == EventField::UserCity || field == EventField::UserState
                   || field == EventField::UserCountry) {
            transformed = IdentifierHashing::normalizePlace(event.textOf(value));
            if (!transformed) {
                record(path, u"not_sent"_s, rule, u"nothing left after normalising"_s);
                continue;
            }
            action = u"normalized"_s;
            reason = u"lowercased, letters and digits only, as TikTok expects"_s;
            scanned = nullptr;
        }

        enterSection(spec.section);
        item.key(spec.key);
        if (transformed) {
            item.value(QStringView(*transformed));
        } else if (value.kind == FieldValue::Kind::Number) {
            item.value(value.number);
        } else if (value.kind == FieldValue::Kind::Json) {
            item.raw(value.json); // validated and in ClearSignal's key order by the parser
        } else {
            item.value(QStringView(event.textOf(value)));
        }
        record(path, action, rule, reason, scanned);
    }
    if (openSection && *openSection != EventSection::Root)
        item.endObject();
    if (m_rules.limitedDataUse)
        item.field("limited_data_use"_L1, true);
    item.endObject();

    if (explain) {
        if (!event.visitorId.isEmpty())
            record(u"visitor_id"_s, u"not_sent"_s, u"cs-event/1"_s, u"used for the consent check only"_s);
        const QJsonObject customProperties = event.customProperties();
        for (auto it = customProperties.begin(); it != customProperties.end(); ++it)
            recordJson(keyLabel(u"properties", it.key(), u'.'), u"dropped"_s, u"cs-event/1"_s,
                       u"not a TikTok property; never sent"_s, it.value());
        const QJsonObject form = event.form();
        for (auto it = form.begin(); it != form.end(); ++it)
            recordJson(keyLabel(u"form", it.key(), u'.'), u"dropped"_s, u"cs-event/1"_s,
                       u"form fields are never sent"_s, it.value());
        for (const QString& unknown : event.unknownFields)
            record(unknown, u"dropped"_s, u"cs-event/1"_s, u"not part of cs-event/1; never sent"_s);
    }
    return item.take();
}

SanitizeResult Sanitizer::sanitize(const RawEvent& event, const Options& options) const
{
    SanitizeResult result;
    const qint64 now = m_clock->nowSeconds();
    result.eventTime = event.eventTime.value_or(now);
    if (options.explain) {
        result.trace.append({u"event_time"_s, event.eventTime ? u"kept"_s : u"normalized"_s, u"cs-event/1"_s,
                             event.eventTime ? u"sent as Unix seconds"_s
                                             : u"the event had no time: the time of receipt is sent"_s,
                             {}});
    }

    if (now - result.eventTime > qint64(m_rules.maxEventAgeDays) * secondsPerDay) {
        result.decision = Decision::Drop;
        result.reasons.append(u"event_too_old"_s);
        result.eventId = safeEventId(event);
        return result;
    }
    if (result.eventTime - now > maxFutureSeconds) {
        result.decision = Decision::Drop;
        result.reasons.append(u"event_time_in_future"_s);
        result.eventId = safeEventId(event);
        return result;
    }

    const std::optional<Mapping> mapping = mapEvent(event);
    if (options.explain) {
        TraceEntry entry;
        entry.field = u"event"_s;
        entry.action = !mapping ? u"not_sent"_s : (mapping->tiktokEvent == event.name ? u"kept"_s : u"renamed"_s);
        entry.rule = mapping ? mapping->rule : u"unmapped_events"_s;
        entry.reason = mapping ? u"sent as the TikTok standard event %1"_s.arg(mapping->tiktokEvent)
                               : u"no mapping matched the site's event name"_s;
        entry.hits = scanForTrace(u"event"_s, event.name);
        result.trace.append(entry);
    }
    if (!mapping) {
        result.decision = m_rules.unmappedEvents == UnmappedEventPolicy::Drop ? Decision::Drop : Decision::Quarantine;
        result.reasons.append(u"unmapped_event"_s);
        result.eventId = safeEventId(event);
        return result;
    }
    result.tiktokEvent = mapping->tiktokEvent;
    result.mappingRule = mapping->rule;

    QByteArray item = buildItem(event, mapping->tiktokEvent, result.eventTime, options, result.trace);
    const PayloadGate::Verdict verdict = m_gate->inspect(item);
    if (!verdict.passed()) {
        result.decision = Decision::Quarantine;
        result.reasons = verdict.reasons;
        result.hits = verdict.hits;
        const bool idFlagged = std::any_of(verdict.hits.begin(), verdict.hits.end(),
                                           [](const PhiHit& hit) { return hit.field == "event_id"_L1; });
        result.eventId = idFlagged ? QString() : safeEventId(event);
        if (options.explain)
            result.trace.append({u"(payload)"_s, u"quarantined"_s, u"gate"_s,
                                 u"the final check found health context or an identifier in what would be sent"_s,
                                 verdict.hits});
        return result;
    }
    result.decision = Decision::Forward;
    result.item = std::move(item);
    result.eventId = event.text(EventField::EventId);
    if (m_rules.policy(EventField::EventId) != FieldPolicy::Keep)
        result.eventId = safeEventId(event);
    return result;
}

} // namespace ClearSignal
