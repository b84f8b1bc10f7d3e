// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scan/model/ScanModel.h"

#include <QList>
#include <QUrl>

/// One decoder per ad platform; TrackerDecoder::decode() picks one by the signature table's "decoder".
namespace ClearSignal::VendorDecoders {

/// A TrackerEvent with the request's own fields filled in.
TrackerEvent eventFor(const CapturedRequest& request, const QString& vendor);

QList<TrackerEvent> tiktok(const CapturedRequest& request);
QList<TrackerEvent> meta(const CapturedRequest& request);
QList<TrackerEvent> ga4(const CapturedRequest& request);
QList<TrackerEvent> googleAds(const CapturedRequest& request);
QList<TrackerEvent> floodlight(const CapturedRequest& request);
QList<TrackerEvent> snap(const CapturedRequest& request);
QList<TrackerEvent> pinterest(const CapturedRequest& request);
QList<TrackerEvent> linkedin(const CapturedRequest& request);
QList<TrackerEvent> x(const CapturedRequest& request);
QList<TrackerEvent> microsoft(const CapturedRequest& request);
QList<TrackerEvent> reddit(const CapturedRequest& request);

} // namespace ClearSignal::VendorDecoders
