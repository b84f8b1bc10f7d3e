// SPDX-License-Identifier: GPL-3.0-or-later
#include "SanitizeResult.h"

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

QLatin1StringView decisionName(Decision decision)
{
    switch (decision) {
    case Decision::Forward:
        return "forward"_L1;
    case Decision::Drop:
        return "drop"_L1;
    case Decision::Quarantine:
        return "quarantine"_L1;
    }
    return "drop"_L1;
}

} // namespace ClearSignal
