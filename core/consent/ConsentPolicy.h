// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1StringView>
#include <QString>

#include <optional>

namespace ClearSignal {

/// When a workspace lets an event go to TikTok.
enum class ConsentPolicy {
    Required,      ///< only with a recorded grant and no GPC signal (the default: fail closed)
    UnlessOptedOut ///< unless the visitor withdrew or sent GPC; for sites whose counsel approved it
};

QLatin1StringView consentPolicyName(ConsentPolicy policy);
std::optional<ConsentPolicy> consentPolicyFromName(QStringView name);

/// A visitor's latest answer about ads, as the site reported it to /v1/consent.
struct ConsentRecord
{
    bool ads = false;
    QString source;      ///< banner, form or crm
    qint64 recordedAt = 0; ///< Unix seconds
};

/// Why an event may or may not leave, as recorded in the audit trail.
enum class ConsentVerdict { Allowed, NoConsentRecord, Withdrawn, GlobalPrivacyControl };

QLatin1StringView consentVerdictReason(ConsentVerdict verdict);

/// Decided on the server, from what the relay recorded: a client's own claim of consent is never trusted.
/// `gpc` is the request's Sec-GPC header; it blocks under every policy.
ConsentVerdict decideConsent(ConsentPolicy policy, const std::optional<ConsentRecord>& record, bool gpc);

} // namespace ClearSignal
