// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TrackerSignatures.h"
#include "scan/model/ScanModel.h"

#include <QList>

namespace ClearSignal::TrackerDecoder {

/// Turns one ad-platform request (GET or POST, any content type) into the events it carried: pixel id,
/// event name, the page URL / referrer / title it sent, identifiers present, properties and, for TikTok's
/// automatic click events, the clicked element's text. GA4 batches several events in one request.
QList<TrackerEvent> decode(const CapturedRequest& request, const TrackerMatch& match);

/// The account or pixel id of a tag's loader script ("GTM-ABC", "C3LTV833G487IS978FKG"), if its URL has one.
QString scriptAccountId(const QUrl& url, const TrackerMatch& match);

} // namespace ClearSignal::TrackerDecoder
