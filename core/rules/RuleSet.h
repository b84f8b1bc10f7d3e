// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TextMatcher.h"
#include "event/EventField.h"
#include "phi/HealthLexicon.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace ClearSignal {

/// What happens to one field on its way out.
enum class FieldPolicy {
    Drop,     ///< never sent
    Keep,     ///< sent as it is (URLs lose click ids and fragments; places are normalised)
    Hash,     ///< normalised and SHA-256 hashed (identifiers)
    Origin,   ///< URLs: "https://host/" only
    Path,     ///< URLs: origin and path, no query
    Category, ///< URLs: origin plus the category path of the first matching url_categories entry
    Truncate  ///< IP addresses: last IPv4 octet zeroed, IPv6 cut to /48
};

QLatin1StringView policyName(FieldPolicy policy);
std::optional<FieldPolicy> policyFromName(QStringView name);

/// Maps site events to one TikTok standard event. Both matchers, when present, must match.
struct EventMapping
{
    QString id;
    QString description;
    std::optional<TextMatcher> event;   ///< on the site's event name
    std::optional<TextMatcher> urlPath; ///< on the path of page.url
    QString tiktokEvent;
};

/// Reduces a page URL to a neutral category path for the "category" policy.
struct UrlCategory
{
    TextMatcher path;
    QString category; ///< "/services"
};

/// A person's recorded decision that an identifier may leave.
struct Approval
{
    QString id;
    QStringList fields; ///< field paths ("user.email")
    QString approvedBy;
    QString approvedAt; ///< ISO-8601 date
    QString reason;
};

enum class UnmappedEventPolicy { Drop, Quarantine };
enum class StandardNamePolicy { Accept, MapOnly };

/// A clearsignal.rules/1 document: everything that decides what leaves for TikTok.
/// It is self-contained so a revision can be copied to a headless relay as one file.
struct RuleSet
{
    QString name;
    QString description;
    QString templateId;
    QString pixelId;
    QStringList siteOrigins;
    QString phoneRegion = QStringLiteral("US");
    int maxEventAgeDays = 7;
    StandardNamePolicy standardNames = StandardNamePolicy::Accept;
    UnmappedEventPolicy unmappedEvents = UnmappedEventPolicy::Drop;
    bool limitedDataUse = false;
    QList<EventMapping> mappings;
    std::array<FieldPolicy, eventFieldCount> policies = defaultPolicies();
    QList<UrlCategory> urlCategories;
    QList<Approval> approvals;
    QList<LexiconTerm> extraTerms;
    QStringList allowedTerms;

    FieldPolicy policy(EventField field) const { return policies[size_t(field)]; }
    void setPolicy(EventField field, FieldPolicy policy) { policies[size_t(field)] = policy; }
    /// The approval that names this field, if any.
    const Approval* approvalFor(EventField field) const;
    /// Registrable domains of site_origins ("glowmedspa.com").
    QStringList siteDomains() const;

    static constexpr int maxAllowedEventAgeDays = 90;
    static const std::array<FieldPolicy, eventFieldCount>& defaultPolicies();
    /// The policies a field may have; the first is the safe default.
    static QList<FieldPolicy> allowedPolicies(EventField field);
    /// True when sending the field under this policy sends an identifier of a person, which needs an approval.
    static bool needsApproval(EventField field, FieldPolicy policy);
};

} // namespace ClearSignal
