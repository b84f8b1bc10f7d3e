// SPDX-License-Identifier: GPL-3.0-or-later
#include "PayloadGate.h"

#include "phi/ValueDecoding.h"
#include "tiktok/IdentifierHashing.h"
#include "tiktok/StandardEvents.h"

#include <QHostAddress>

#include <cmath>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

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
    const Expected<JsonDom> parsed = JsonDom::parse(item, 8);
    if (!parsed || parsed->node(JsonDom::root).type != JsonDom::Type::Object) {
        verdict.reasons.append(u"gate_blocked:malformed_item"_s);
        return verdict;
    }
    const JsonDom& dom = *parsed;

    const int event = dom.member(JsonDom::root, "event"_L1);
    if (event < 0 || dom.node(event).type != JsonDom::Type::String || !StandardEvents::isStandard(dom.string(event)))
        verdict.reasons.append(u"gate_blocked:non_standard_event"_s);
    const int time = dom.member(JsonDom::root, "event_time"_L1);
    if (time < 0 || dom.node(time).type != JsonDom::Type::Number
        || dom.node(time).number != std::floor(dom.node(time).number))
        verdict.reasons.append(u"gate_blocked:event_time"_s);

    // The page's own domain also covers an internal referrer; only worked out when there is a referrer.
    QString pageDomain;
    if (const int page = dom.member(JsonDom::root, "page"_L1); page >= 0 && dom.member(page, "referrer"_L1) >= 0) {
        if (const int url = dom.member(page, "url"_L1); url >= 0 && dom.node(url).type == JsonDom::Type::String) {
            const QString pageUrl = dom.string(url);
            if (const auto parts = ValueDecoding::splitUrl(pageUrl))
                pageDomain = ValueDecoding::registrableDomain(parts->host);
        }
    }

    for (int member = dom.node(JsonDom::root).firstChild; member >= 0; member = dom.node(member).nextSibling) {
        if (member == event || member == time)
            continue;
        if (dom.keyIs(member, "limited_data_use"_L1)) {
            if (!m_limitedDataUse || dom.node(member).type != JsonDom::Type::Bool)
                verdict.reasons.append(u"gate_blocked:unexpected_field:limited_data_use"_s);
            continue;
        }
        const EventSection section = dom.keyIs(member, "user"_L1)         ? EventSection::User
                                     : dom.keyIs(member, "page"_L1)       ? EventSection::Page
                                     : dom.keyIs(member, "properties"_L1) ? EventSection::Properties
                                                                          : EventSection::Root;
        if (section == EventSection::Root) {
            if (dom.keyIs(member, "event_id"_L1))
                inspectValue(dom, EventField::EventId, fieldPathString(EventField::EventId), member, pageDomain, verdict);
            else
                inspectValue(dom, std::nullopt, dom.key(member), member, pageDomain, verdict);
            continue;
        }
        const QString key = section == EventSection::User ? u"user"_s
                            : section == EventSection::Page ? u"page"_s
                                                            : u"properties"_s;
        if (dom.node(member).type != JsonDom::Type::Object) {
            verdict.reasons.append(u"gate_blocked:unexpected_field:%1"_s.arg(key));
            continue;
        }
        for (int field = dom.node(member).firstChild; field >= 0; field = dom.node(field).nextSibling) {
            // Known fields are named without building strings; anything else is reported by its key.
            const auto specs = sectionSpecs(section);
            const auto spec = std::find_if(specs.begin(), specs.end(),
                                           [&](const EventFieldSpec& candidate) { return dom.keyIs(field, candidate.key); });
            if (spec != specs.end())
                inspectValue(dom, spec->field, fieldPathString(spec->field), field, pageDomain, verdict);
            else
                inspectValue(dom, std::nullopt, key + u'.' + dom.key(field), field, pageDomain, verdict);
        }
    }
    verdict.reasons.removeDuplicates();
    return verdict;
}

void PayloadGate::inspectValue(const JsonDom& dom, std::optional<EventField> field, const QString& path, int index,
                               const QString& pageDomain, Verdict& verdict) const
{
    const JsonDom::Node& node = dom.node(index);
    if (!field || !m_mayLeave[size_t(*field)]) {
        verdict.reasons.append(u"gate_blocked:unexpected_field:%1"_s.arg(field ? fieldSpec(*field).path : u"(unknown)"_s));
        return;
    }
    if (m_hashed[size_t(*field)]) {
        const QString text = node.type == JsonDom::Type::String ? dom.string(index) : QString();
        if (!IdentifierHashing::isSha256Hex(text) || text != text.toLower())
            verdict.reasons.append(u"gate_blocked:not_hashed:%1"_s.arg(path));
        return;
    }
    if (*field == EventField::UserIp) {
        // Exactly an address in its canonical form: no scope id ("fe80::1%jane@x.com"), nothing around it.
        const QString text = node.type == JsonDom::Type::String ? dom.string(index) : QString();
        const QHostAddress address(text);
        if (address.isNull() || !address.scopeId().isEmpty() || address.toString() != text)
            verdict.reasons.append(u"gate_blocked:not_an_ip:%1"_s.arg(path));
        return;
    }
    switch (node.type) {
    case JsonDom::Type::String:
        scanString(*field, path, dom.string(index), pageDomain, verdict);
        break;
    case JsonDom::Type::Array: {
        int position = 0;
        for (int child = node.firstChild; child >= 0; child = dom.node(child).nextSibling, ++position)
            inspectValue(dom, field, u"%1[%2]"_s.arg(path).arg(position), child, pageDomain, verdict);
        break;
    }
    case JsonDom::Type::Object:
        for (int child = node.firstChild; child >= 0; child = dom.node(child).nextSibling)
            inspectValue(dom, field, path + u'.' + dom.key(child), child, pageDomain, verdict);
        break;
    case JsonDom::Type::Number: {
        // A whole number of seven or more digits can be a phone number or a record number put in value.
        const double number = node.number;
        if (std::fabs(number) >= 1e6 && std::trunc(number) == number)
            scanString(*field, path, QString::number(qint64(number)), pageDomain, verdict);
        break;
    }
    case JsonDom::Type::Null:
    case JsonDom::Type::Bool:
        verdict.reasons.append(u"gate_blocked:unexpected_value:%1"_s.arg(path));
        break;
    }
}

void PayloadGate::scanString(EventField field, const QString& path, const QString& text, const QString& pageDomain,
                             Verdict& verdict) const
{
    PhiScanner::FieldScan scan;
    scan.field = path; // no key context: the outgoing keys are TikTok's names, not a label of the value
    switch (field) {
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
        scan.ownHost = true;
        scan.ownDomains = m_siteDomains;
        break;
    case EventField::PageReferrer:
        scan.ownDomains = m_siteDomains;
        if (!pageDomain.isEmpty())
            scan.ownDomains.append(pageDomain);
        break;
    default:
        break;
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
