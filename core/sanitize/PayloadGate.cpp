// SPDX-License-Identifier: GPL-3.0-or-later
#include "PayloadGate.h"

#include "phi/ValueDecoding.h"
#include "tiktok/IdentifierHashing.h"
#include "tiktok/StandardEvents.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

std::optional<EventField> outputField(const QString& path)
{
    // "properties.contents[2].content_name" belongs to properties.contents.
    const qsizetype bracket = path.indexOf(u'[');
    return fieldFromPath(bracket < 0 ? QStringView(path) : QStringView(path).first(bracket));
}

QString lastKey(const QString& path)
{
    QString key = path.mid(path.lastIndexOf(u'.') + 1);
    if (const qsizetype bracket = key.indexOf(u'['); bracket >= 0)
        key.truncate(bracket);
    return key;
}

} // namespace

PayloadGate::PayloadGate(const RuleSet& rules, std::shared_ptr<const PhiScanner> scanner)
    : m_siteDomains(rules.siteDomains()), m_limitedDataUse(rules.limitedDataUse), m_scanner(std::move(scanner))
{
    for (const EventFieldSpec& spec : allFieldSpecs()) {
        const FieldPolicy policy = rules.policy(spec.field);
        m_mayLeave[size_t(spec.field)] = policy != FieldPolicy::Drop;
        m_hashed[size_t(spec.field)] = policy == FieldPolicy::Hash;
    }
}

PayloadGate::Verdict PayloadGate::inspect(const QByteArray& item) const
{
    Verdict verdict;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(item, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        verdict.reasons.append(u"gate_blocked:malformed_item"_s);
        return verdict;
    }
    const QJsonObject root = document.object();

    const QString event = root.value("event"_L1).toString();
    if (!StandardEvents::isStandard(event))
        verdict.reasons.append(u"gate_blocked:non_standard_event"_s);
    const QJsonValue time = root.value("event_time"_L1);
    if (!time.isDouble() || time.toDouble() != std::floor(time.toDouble()))
        verdict.reasons.append(u"gate_blocked:event_time"_s);

    const QString pageUrl = root.value("page"_L1).toObject().value("url"_L1).toString();
    QString pageDomain;
    if (const auto parts = ValueDecoding::splitUrl(pageUrl))
        pageDomain = ValueDecoding::registrableDomain(parts->host);

    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = it.key();
        if (key == "event"_L1 || key == "event_time"_L1)
            continue;
        if (key == "limited_data_use"_L1) {
            if (!m_limitedDataUse || !it.value().isBool())
                verdict.reasons.append(u"gate_blocked:unexpected_field:limited_data_use"_s);
            continue;
        }
        if (key == "user"_L1 || key == "page"_L1 || key == "properties"_L1) {
            if (!it.value().isObject()) {
                verdict.reasons.append(u"gate_blocked:unexpected_field:%1"_s.arg(key));
                continue;
            }
            const QJsonObject section = it.value().toObject();
            for (auto field = section.begin(); field != section.end(); ++field)
                inspectValue(key + u'.' + field.key(), field.value(), pageDomain, verdict);
            continue;
        }
        inspectValue(key, it.value(), pageDomain, verdict);
    }
    verdict.reasons.removeDuplicates();
    return verdict;
}

void PayloadGate::inspectValue(const QString& path, const QJsonValue& value, const QString& pageDomain,
                               Verdict& verdict) const
{
    const std::optional<EventField> field = outputField(path);
    if (!field || !m_mayLeave[size_t(*field)]) {
        verdict.reasons.append(u"gate_blocked:unexpected_field:%1"_s.arg(field ? fieldSpec(*field).path : u"(unknown)"_s));
        return;
    }
    if (m_hashed[size_t(*field)]) {
        const QString text = value.toString();
        if (!value.isString() || !IdentifierHashing::isSha256Hex(text) || text != text.toLower())
            verdict.reasons.append(u"gate_blocked:not_hashed:%1"_s.arg(path));
        return;
    }
    if (*field == EventField::UserIp) {
        if (!value.isString() || QHostAddress(value.toString()).isNull())
            verdict.reasons.append(u"gate_blocked:not_an_ip:%1"_s.arg(path));
        return;
    }
    if (value.isString()) {
        scanString(path, value.toString(), pageDomain, verdict);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            inspectValue(u"%1[%2]"_s.arg(path).arg(i), array.at(i), pageDomain, verdict);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            inspectValue(path + u'.' + it.key(), it.value(), pageDomain, verdict);
    } else if (!value.isDouble()) {
        verdict.reasons.append(u"gate_blocked:unexpected_value:%1"_s.arg(path));
    }
}

void PayloadGate::scanString(const QString& path, const QString& text, const QString& pageDomain,
                             Verdict& verdict) const
{
    const std::optional<EventField> field = outputField(path);
    PhiScanner::FieldScan scan;
    scan.field = path;
    scan.key = lastKey(path);
    switch (*field) {
    case EventField::UserTtclid:
    case EventField::UserTtp:
        // TikTok's ids are base64url, UUIDs or "<ulid>_.tt.<n>", never bare SHA-256/SHA-1 hex: such a value is
        // most likely a hashed identifier put there by the site. A UUID without dashes still passes.
        scan.md5 = false;
        break;
    case EventField::UserUserAgent:
        scan.hashes = false;
        scan.ipAddresses = false;
        break;
    case EventField::EventId:
        scan.md5 = false; // UUIDs written without dashes look like MD5
        break;
    case EventField::PageUrl:
    case EventField::PageReferrer:
        scan.ownDomains = m_siteDomains;
        if (!pageDomain.isEmpty())
            scan.ownDomains.append(pageDomain);
        break;
    default:
        break;
    }
    if (*field == EventField::UserCity || *field == EventField::UserState || *field == EventField::UserCountry
        || *field == EventField::UserLocale || *field == EventField::UserTtclid || *field == EventField::UserTtp
        || *field == EventField::EventId) {
        scan.key.clear(); // these keys describe TikTok's field, not the value's meaning
    }
    const PhiHits hits = m_scanner->scan(text, scan);
    for (const PhiHit& hit : hits) {
        if (hit.kind == PhiKind::Unscannable)
            verdict.reasons.append(u"unscannable_field:%1"_s.arg(path));
        else
            verdict.reasons.append(u"phi_in_kept_field:%1:%2"_s.arg(path, hit.term));
        verdict.hits.append(hit);
    }
}

} // namespace ClearSignal
