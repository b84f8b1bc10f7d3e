// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyLabel.h"

namespace ClearSignal {

QString keyLabel(QStringView prefix, QStringView key, QChar separator)
{
    bool safe = !key.isEmpty() && key.size() <= 40 && key.front().unicode() >= u'a' && key.front().unicode() <= u'z';
    int digitRun = 0;
    for (QChar c : key) {
        const char16_t u = c.unicode();
        const bool digit = u >= u'0' && u <= u'9';
        digitRun = digit ? digitRun + 1 : 0;
        safe = safe && ((u >= u'a' && u <= u'z') || digit || u == u'_' || u == u'-') && digitRun < 5;
    }
    if (!safe)
        return prefix.toString();
    return prefix.isEmpty() ? key.toString() : prefix + separator + key;
}

} // namespace ClearSignal
