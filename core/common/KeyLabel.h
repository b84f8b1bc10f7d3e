// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

namespace ClearSignal {

/// "prefix<separator>key" when a key name cannot itself be someone's data, else just "prefix".
/// Shown keys are short lowercase identifiers (`utm_source`, `dob`, `first_name`) without long numbers;
/// anything else (`Jane_Doe`, `jane.doe@x.com`, `5125550147`) is hidden. Used wherever key names are
/// shown or stored: traces, hit locations, error messages.
QString keyLabel(QStringView prefix, QStringView key, QChar separator = u':');

} // namespace ClearSignal
