// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SanitizeResult.h"

#include <QByteArray>

namespace ClearSignal::SanitizeOutput {

/// One NDJSON line of `clearsignal-cli sanitize` for a sanitized event (without the line break).
QByteArray resultLine(qint64 line, const SanitizeResult& result, bool explain);

/// One NDJSON line for an input line that is not a valid cs-event/1 event.
QByteArray rejectLine(qint64 line, const QString& error);

} // namespace ClearSignal::SanitizeOutput
