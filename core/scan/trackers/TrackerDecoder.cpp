// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrackerDecoder.h"

#include "VendorDecoders.h"

#include <QUrlQuery>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

TrackerEvent VendorDecoders::eventFor(const CapturedRequest& request, const QString& vendor)
{
    TrackerEvent event;
    event.requestId = request.id;
    event.vendor = vendor;
    event.endpoint = QUrl(request.url).path();
    event.pageUrl = request.pageUrl;
    event.consentState = request.consentState;
    return event;
}

QList<TrackerEvent> TrackerDecoder::decode(const CapturedRequest& request, const TrackerMatch& match)
{
    using Decoder = QList<TrackerEvent> (*)(const CapturedRequest&);
    static const QHash<QString, Decoder> decoders = {
        {u"tiktok"_s, &VendorDecoders::tiktok},       {u"meta"_s, &VendorDecoders::meta},
        {u"ga4"_s, &VendorDecoders::ga4},             {u"google_ads"_s, &VendorDecoders::googleAds},
        {u"floodlight"_s, &VendorDecoders::floodlight}, {u"snap"_s, &VendorDecoders::snap},
        {u"pinterest"_s, &VendorDecoders::pinterest}, {u"linkedin"_s, &VendorDecoders::linkedin},
        {u"x"_s, &VendorDecoders::x},                 {u"microsoft"_s, &VendorDecoders::microsoft},
        {u"reddit"_s, &VendorDecoders::reddit},
    };
    if (match.kind != "pixel"_L1)
        return {};
    const Decoder decoder = decoders.value(match.decoder);
    return decoder ? decoder(request) : QList<TrackerEvent>{};
}

QString TrackerDecoder::scriptAccountId(const QUrl& url, const TrackerMatch& match)
{
    if (match.idParam.isEmpty())
        return {};
    return QUrlQuery(url).queryItemValue(match.idParam, QUrl::FullyDecoded);
}

} // namespace ClearSignal
