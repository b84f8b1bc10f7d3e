// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConsentPolicy.h"

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

QLatin1StringView consentPolicyName(ConsentPolicy policy)
{
    return policy == ConsentPolicy::Required ? "required"_L1 : "unless_opted_out"_L1;
}

std::optional<ConsentPolicy> consentPolicyFromName(QStringView name)
{
    if (name == "required"_L1)
        return ConsentPolicy::Required;
    if (name == "unless_opted_out"_L1)
        return ConsentPolicy::UnlessOptedOut;
    return std::nullopt;
}

QLatin1StringView consentVerdictReason(ConsentVerdict verdict)
{
    switch (verdict) {
    case ConsentVerdict::Allowed:
        return "consented"_L1;
    case ConsentVerdict::NoConsentRecord:
        return "no_consent"_L1;
    case ConsentVerdict::Withdrawn:
        return "consent_withdrawn"_L1;
    case ConsentVerdict::GlobalPrivacyControl:
        return "gpc"_L1;
    }
    return "no_consent"_L1;
}

ConsentVerdict decideConsent(ConsentPolicy policy, const std::optional<ConsentRecord>& record, bool gpc)
{
    if (gpc)
        return ConsentVerdict::GlobalPrivacyControl;
    if (record)
        return record->ads ? ConsentVerdict::Allowed : ConsentVerdict::Withdrawn;
    return policy == ConsentPolicy::UnlessOptedOut ? ConsentVerdict::Allowed : ConsentVerdict::NoConsentRecord;
}

} // namespace ClearSignal
