// SPDX-License-Identifier: GPL-3.0-or-later
#include "RuleSet.h"

#include "phi/ValueDecoding.h"

#include <QUrl>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

struct PolicyName
{
    FieldPolicy policy;
    QLatin1StringView name;
};

constexpr PolicyName policyNames[] = {
    {FieldPolicy::Drop, "drop"_L1},         {FieldPolicy::Keep, "keep"_L1},     {FieldPolicy::Hash, "hash"_L1},
    {FieldPolicy::Origin, "origin"_L1},     {FieldPolicy::Path, "path"_L1},     {FieldPolicy::Category, "category"_L1},
    {FieldPolicy::Truncate, "truncate"_L1},
};

} // namespace

QLatin1StringView policyName(FieldPolicy policy)
{
    for (const PolicyName& entry : policyNames) {
        if (entry.policy == policy)
            return entry.name;
    }
    return "drop"_L1;
}

std::optional<FieldPolicy> policyFromName(QStringView name)
{
    for (const PolicyName& entry : policyNames) {
        if (name == entry.name)
            return entry.policy;
    }
    return std::nullopt;
}

QList<FieldPolicy> RuleSet::allowedPolicies(EventField field)
{
    using P = FieldPolicy;
    switch (field) {
    case EventField::EventId:
    case EventField::UserTtclid:
    case EventField::UserTtp:
    case EventField::PropValue:
    case EventField::PropCurrency:
        return {P::Keep, P::Drop};
    case EventField::UserEmail:
    case EventField::UserPhone:
    case EventField::UserExternalId:
    case EventField::UserFirstName:
    case EventField::UserLastName:
    case EventField::UserZipCode:
        return {P::Drop, P::Hash};
    case EventField::UserIp:
        return {P::Drop, P::Truncate, P::Keep};
    case EventField::PageUrl:
    case EventField::PageReferrer:
        return {P::Drop, P::Origin, P::Category, P::Path, P::Keep};
    case EventField::PageTitle:
        return {P::Drop}; // TikTok's page object has no title
    default:
        return {P::Drop, P::Keep};
    }
}

const std::array<FieldPolicy, eventFieldCount>& RuleSet::defaultPolicies()
{
    static const std::array<FieldPolicy, eventFieldCount> policies = [] {
        std::array<FieldPolicy, eventFieldCount> result{};
        for (int i = 0; i < eventFieldCount; ++i)
            result[size_t(i)] = allowedPolicies(EventField(i)).constFirst();
        return result;
    }();
    return policies;
}

bool RuleSet::needsApproval(EventField field, FieldPolicy policy)
{
    if (policy == FieldPolicy::Drop)
        return false;
    switch (field) {
    case EventField::UserEmail:
    case EventField::UserPhone:
    case EventField::UserExternalId:
    case EventField::UserFirstName:
    case EventField::UserLastName:
    case EventField::UserZipCode:
    case EventField::UserCity:
    case EventField::UserState:
    case EventField::UserIp:
    case EventField::UserUserAgent:
        return true;
    default:
        return false;
    }
}

const Approval* RuleSet::approvalFor(EventField field) const
{
    const QLatin1StringView path = fieldSpec(field).path;
    for (const Approval& approval : approvals) {
        if (approval.fields.contains(path))
            return &approval;
    }
    return nullptr;
}

QStringList RuleSet::siteDomains() const
{
    QStringList domains;
    for (const QString& origin : siteOrigins) {
        const QUrl url(origin);
        if (!url.host().isEmpty())
            domains.append(ValueDecoding::registrableDomain(url.host()));
    }
    domains.removeDuplicates();
    return domains;
}

} // namespace ClearSignal
