// SPDX-License-Identifier: GPL-3.0-or-later
// TikTok pixel beacons: POST /api/v2/pixel (ttq.track, ttq.page) and /api/v2/pixel/act (automatic clicks),
// JSON bodies sent by fetch, XHR or sendBeacon (text/plain), or a GET with a base64 analytics_message.
// Shapes: research/tiktok-api.md section 4.3.

#include "DecoderSupport.h"
#include "VendorDecoders.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace ClearSignal::VendorDecoders {

using namespace Qt::Literals::StringLiterals;
using namespace DecoderSupport;

QList<TrackerEvent> tiktok(const CapturedRequest& request)
{
    const QUrl url(request.url);
    QByteArray json = request.body;
    const QString message = QUrlQuery(url).queryItemValue(u"analytics_message"_s, QUrl::FullyDecoded);
    if (json.trimmed().isEmpty() && !message.isEmpty())
        json = QByteArray::fromBase64(message.toLatin1(), QByteArray::Base64UrlEncoding);
    const QJsonObject body = QJsonDocument::fromJson(json).object();
    const QJsonObject context = body.value("context"_L1).toObject();
    const QJsonObject page = context.value("page"_L1).toObject();
    const QJsonObject user = context.value("user"_L1).toObject();
    const QJsonObject pixel = context.value("pixel"_L1).toObject();

    TrackerEvent event = eventFor(request, u"tiktok"_s);
    event.pixelId = pixel.value("code"_L1).toString();
    if (event.pixelId.isEmpty())
        event.pixelId = pixel.value("codes"_L1).toString().section(u'|', 0, 0);
    if (event.pixelId.isEmpty())
        event.pixelId = QUrlQuery(url).queryItemValue(u"sdkid"_s);
    event.event = body.value("event"_L1).toString();
    if (event.event.isEmpty() && url.path().endsWith(u"/act"_s))
        event.event = u"auto:"_s + body.value("action"_L1).toString(u"Click"_s); // automatic interaction capture
    event.sentUrl = page.value("url"_L1).toString();
    event.sentReferrer = page.value("referrer"_L1).toString();
    event.sentTitle = page.value("title"_L1).toString();
    event.properties = body.value("properties"_L1).toObject();
    event.clickedText = body.value("auto_collected_properties"_L1)
                            .toObject()
                            .value("trigger_element"_L1)
                            .toObject()
                            .value("inner_text"_L1)
                            .toString();

    if (!context.value("ad"_L1).toObject().value("callback"_L1).toString().isEmpty()
        || event.sentUrl.contains(u"ttclid="_s))
        addUnique(event.identifiers, u"ttclid"_s);
    if (!user.value("anonymous_id"_L1).toString().isEmpty() || !body.value("_ttp"_L1).toString().isEmpty())
        addUnique(event.identifiers, u"ttp"_s);
    const QList<QPair<QLatin1StringView, QString>> userFields = {
        {"email"_L1, u"email"_s}, {"phone_number"_L1, u"phone"_s}, {"phone"_L1, u"phone"_s},
        {"external_id"_L1, u"external_id"_s}, {"first_name"_L1, u"first_name"_s}, {"last_name"_L1, u"last_name"_s},
        {"zip_code"_L1, u"zip_code"_s}};
    for (const auto& [key, kind] : userFields) {
        const QString value = user.value(key).toString();
        if (!value.isEmpty())
            addUnique(event.identifiers, identifierName(kind, value));
    }
    // Automatic advanced matching reports what it scraped from the page in signal_diagnostic_labels.
    const QJsonObject labels = body.value("signal_diagnostic_labels"_L1).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        const QString label = it.value().toObject().value("label"_L1).toString();
        if (!label.isEmpty() && label != "missing"_L1)
            addUnique(event.identifiers, it.key());
    }
    return {event};
}

} // namespace ClearSignal::VendorDecoders
