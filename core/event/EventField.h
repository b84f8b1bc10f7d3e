// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <optional>
#include <span>

namespace ClearSignal {

/// Every field of a cs-event/1 event that a rule can decide about. The order is the order
/// in which the sanitizer writes them into a TikTok data[] item.
enum class EventField : int {
    EventId,
    UserTtclid,
    UserTtp,
    UserEmail,
    UserPhone,
    UserExternalId,
    UserFirstName,
    UserLastName,
    UserZipCode,
    UserCity,
    UserState,
    UserCountry,
    UserIp,
    UserUserAgent,
    UserLocale,
    PageUrl,
    PageReferrer,
    PageTitle,
    PropValue,
    PropCurrency,
    PropContentType,
    PropContentName,
    PropContentCategory,
    PropContentIds,
    PropContents,
    PropNumItems,
    PropQuery,
    PropSearchString,
    PropDescription,
    PropOrderId,
    PropShopId,
    Count
};

inline constexpr int eventFieldCount = static_cast<int>(EventField::Count);

enum class EventSection { Root, Page, User, Properties };

enum class FieldValueKind {
    String,
    Number,      ///< finite, non-negative double
    Integer,     ///< non-negative integer
    StringArray, ///< array of strings
    Contents     ///< array of content objects (content_id, content_name, ...)
};

/// Static description of one EventField: where it lives in cs-event/1 and what it may hold.
struct EventFieldSpec
{
    EventField field;
    EventSection section;
    QLatin1StringView key;  ///< key inside its section ("url")
    QLatin1StringView path; ///< dotted path used in rules, traces and errors ("page.url")
    FieldValueKind kind;
    int maxLength; ///< characters for strings, entries for arrays
};

const EventFieldSpec& fieldSpec(EventField field);
std::span<const EventFieldSpec> allFieldSpecs();
/// The fields of one section ("user"), which are contiguous in allFieldSpecs().
std::span<const EventFieldSpec> sectionSpecs(EventSection section);
std::optional<EventField> fieldFromPath(QStringView path);
/// The path as a QString, built once: for hot paths that need one without allocating.
const QString& fieldPathString(EventField field);

/// The keys an item of properties.contents may carry, in output order.
std::span<const QLatin1StringView> contentItemKeys();

} // namespace ClearSignal
