// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanModel.h"

#include <array>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr std::array<QLatin1StringView, 4> consentNames = {"none"_L1, "rejected"_L1, "accepted"_L1, "gpc"_L1};
constexpr std::array<QLatin1StringView, 5> severityNames = {"info"_L1, "low"_L1, "medium"_L1, "high"_L1,
                                                            "critical"_L1};
} // namespace

QLatin1StringView consentStateName(ConsentState state)
{
    return consentNames[size_t(state)];
}

std::optional<ConsentState> consentStateFromName(QStringView name)
{
    for (size_t i = 0; i < consentNames.size(); ++i) {
        if (name == consentNames[i])
            return ConsentState(i);
    }
    return std::nullopt;
}

QLatin1StringView severityName(Severity severity)
{
    return severityNames[size_t(severity)];
}

std::optional<Severity> severityFromName(QStringView name)
{
    for (size_t i = 0; i < severityNames.size(); ++i) {
        if (name == severityNames[i])
            return Severity(i);
    }
    return std::nullopt;
}

} // namespace ClearSignal
