// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventField.h"

#include <algorithm>
#include <array>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

using K = FieldValueKind;
using S = EventSection;

constexpr int urlLength = 8192;
constexpr int textLength = 1024;

const std::array<EventFieldSpec, eventFieldCount> specs = {{
    {EventField::EventId, S::Root, "event_id"_L1, "event_id"_L1, K::String, 256},
    {EventField::UserTtclid, S::User, "ttclid"_L1, "user.ttclid"_L1, K::String, 512},
    {EventField::UserTtp, S::User, "ttp"_L1, "user.ttp"_L1, K::String, 256},
    {EventField::UserEmail, S::User, "email"_L1, "user.email"_L1, K::String, 320},
    {EventField::UserPhone, S::User, "phone"_L1, "user.phone"_L1, K::String, 64},
    {EventField::UserExternalId, S::User, "external_id"_L1, "user.external_id"_L1, K::String, 256},
    {EventField::UserFirstName, S::User, "first_name"_L1, "user.first_name"_L1, K::String, 128},
    {EventField::UserLastName, S::User, "last_name"_L1, "user.last_name"_L1, K::String, 128},
    {EventField::UserZipCode, S::User, "zip_code"_L1, "user.zip_code"_L1, K::String, 32},
    {EventField::UserCity, S::User, "city"_L1, "user.city"_L1, K::String, 128},
    {EventField::UserState, S::User, "state"_L1, "user.state"_L1, K::String, 128},
    {EventField::UserCountry, S::User, "country"_L1, "user.country"_L1, K::String, 128},
    {EventField::UserIp, S::User, "ip"_L1, "user.ip"_L1, K::String, 64},
    {EventField::UserUserAgent, S::User, "user_agent"_L1, "user.user_agent"_L1, K::String, textLength},
    {EventField::UserLocale, S::User, "locale"_L1, "user.locale"_L1, K::String, 35},
    {EventField::PageUrl, S::Page, "url"_L1, "page.url"_L1, K::String, urlLength},
    {EventField::PageReferrer, S::Page, "referrer"_L1, "page.referrer"_L1, K::String, urlLength},
    {EventField::PageTitle, S::Page, "title"_L1, "page.title"_L1, K::String, textLength},
    {EventField::PropValue, S::Properties, "value"_L1, "properties.value"_L1, K::Number, 0},
    {EventField::PropCurrency, S::Properties, "currency"_L1, "properties.currency"_L1, K::String, 3},
    {EventField::PropContentType, S::Properties, "content_type"_L1, "properties.content_type"_L1, K::String, 64},
    {EventField::PropContentName, S::Properties, "content_name"_L1, "properties.content_name"_L1, K::String, textLength},
    {EventField::PropContentCategory, S::Properties, "content_category"_L1, "properties.content_category"_L1, K::String,
     textLength},
    {EventField::PropContentIds, S::Properties, "content_ids"_L1, "properties.content_ids"_L1, K::StringArray, 100},
    {EventField::PropContents, S::Properties, "contents"_L1, "properties.contents"_L1, K::Contents, 100},
    {EventField::PropNumItems, S::Properties, "num_items"_L1, "properties.num_items"_L1, K::Integer, 0},
    {EventField::PropQuery, S::Properties, "query"_L1, "properties.query"_L1, K::String, textLength},
    {EventField::PropSearchString, S::Properties, "search_string"_L1, "properties.search_string"_L1, K::String,
     textLength},
    {EventField::PropDescription, S::Properties, "description"_L1, "properties.description"_L1, K::String, 4096},
    {EventField::PropOrderId, S::Properties, "order_id"_L1, "properties.order_id"_L1, K::String, 256},
    {EventField::PropShopId, S::Properties, "shop_id"_L1, "properties.shop_id"_L1, K::String, 256},
}};

const std::array<QLatin1StringView, 6> contentKeys = {
    "content_id"_L1, "content_name"_L1, "content_category"_L1, "brand"_L1, "price"_L1, "quantity"_L1,
};

} // namespace

const EventFieldSpec& fieldSpec(EventField field)
{
    return specs[static_cast<size_t>(field)];
}

std::span<const EventFieldSpec> allFieldSpecs()
{
    return specs;
}

std::span<const EventFieldSpec> sectionSpecs(EventSection section)
{
    static const auto ranges = [] {
        std::array<std::span<const EventFieldSpec>, 4> result;
        for (size_t s = 0; s < result.size(); ++s) {
            const auto begin = std::find_if(specs.begin(), specs.end(),
                                            [&](const EventFieldSpec& spec) { return size_t(spec.section) == s; });
            const auto end = std::find_if(begin, specs.end(),
                                          [&](const EventFieldSpec& spec) { return size_t(spec.section) != s; });
            result[s] = std::span<const EventFieldSpec>(begin, end);
        }
        return result;
    }();
    return ranges[size_t(section)];
}

std::optional<EventField> fieldFromPath(QStringView path)
{
    for (const EventFieldSpec& spec : specs) {
        if (path == spec.path)
            return spec.field;
    }
    return std::nullopt;
}

const QString& fieldPathString(EventField field)
{
    static const std::array<QString, eventFieldCount> paths = [] {
        std::array<QString, eventFieldCount> result;
        for (const EventFieldSpec& spec : specs)
            result[size_t(spec.field)] = QString(spec.path);
        return result;
    }();
    return paths[size_t(field)];
}

std::span<const QLatin1StringView> contentItemKeys()
{
    return contentKeys;
}

} // namespace ClearSignal
