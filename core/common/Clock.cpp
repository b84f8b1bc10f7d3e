// SPDX-License-Identifier: GPL-3.0-or-later
#include "Clock.h"

#include <QDateTime>

namespace ClearSignal {

qint64 SystemClock::nowSeconds() const
{
    return QDateTime::currentSecsSinceEpoch();
}

const SystemClock& SystemClock::instance()
{
    static const SystemClock clock;
    return clock;
}

} // namespace ClearSignal
