// SPDX-License-Identifier: GPL-3.0-or-later
// TikTok pixel beacons: POST /api/v2/pixel (ttq.track, ttq.page) and /api/v2/pixel/act (automatic clicks),
// JSON bodies sent by fetch, XHR or sendBeacon (text/plain), or a GET with a base64 analytics_message.
// Shapes: research/tiktok-api.md section 4.3.

#include "DecoderSupport.h"
#include "VendorDecoders.h"

#include "phi/ValueDecoding.h"
#include "sanitize/UrlReducer.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace ClearSignal::VendorDecoders {

using namespace Qt::Literals::StringLiterals;
using namespace DecoderSupport;

namespace {

/// context.page.url or referrer. The 2020-era pixel percent-encoded them ("https%3A%2F%2F…"); later versions
/// send the address as it is, and then its own escapes belong to it.
QString pageAddress(const QJsonObject& page, QLatin1StringView key)
{
    const QString address = page.value(key).toString();
    if (!address.contains(u"://"_s) && address.contains(u"%3A%2F%2F"_s, Qt::CaseInsensitive))
        return ValueDecoding::percentDecode(address, false);
    return address;
}

/// The JSON of ?analytics_message=, in the URL-safe or the standard base64 alphabet.
QByteArray analyticsMessage(const QString& message)
{
    QByteArray encoded = message.toLatin1();
    encoded.replace('+', '-').replace('/', '_');
    return QByteArray::fromBase64(encoded, QByteArray::Base64UrlEncoding);
}

} // namespace

QList<TrackerEvent> tiktok(const CapturedRequest& request)
{
    const QUrl url(request.url);
    QByteArray json = request.body;
    const QString message = QUrlQuery(url).queryItemValue(u"analytics_message"_s, QUrl::FullyDecoded);
    if (json.trimmed().isEmpty() && !message.isEmpty())
        json = analyticsMessage(message);
    const QJsonObject body = QJsonDocument::fromJson(json).object();
    const QJsonObject context = body.value("context"_L1).toObject();
    const QJsonObject page = context.value("page"_L1).toObject();
    const QJsonObject user = context.value("user"_L1).toObject();
    const QJsonObject pixel = context.value("pixel"_L1).toObject();

    TrackerEvent event = eventFor(request, u"tiktok"_s);
    // context.pixel.code names the pixel an event is for. Without it the request goes to every pixel that
    // "codes" lists ("A|B", as /act does on a page with several pixels): one event each.
    QStringList pixelIds;
    addUnique(pixelIds, pixel.value("code"_L1).toString());
    if (pixelIds.isEmpty()) {
        for (const QString& code : pixel.value("codes"_L1).toString().split(u'|'))
            addUnique(pixelIds, code.trimmed());
    }
    if (pixelIds.isEmpty())
        addUnique(pixelIds, QUrlQuery(url).queryItemValue(u"sdkid"_s));
    event.event = body.value("event"_L1).toString();
    if (event.event.isEmpty() && url.path().endsWith(u"/act"_s))
        event.event = u"auto:"_s + body.value("action"_L1).toString(u"Click"_s); // automatic interaction capture
    event.sentUrl = pageAddress(page, "url"_L1);
    event.sentReferrer = pageAddress(page, "referrer"_L1);
    event.sentTitle = page.value("title"_L1).toString();
    event.properties = body.value("properties"_L1).toObject();
    event.clickedText = body.value("auto_collected_properties"_L1)
                            .toObject()
                            .value("trigger_element"_L1)
                            .toObject()
                            .value("inner_text"_L1)
                            .toString();

    // A landing page's ttclid also travels in the referrer of the pages after it.
    if (!context.value("ad"_L1).toObject().value("callback"_L1).toString().isEmpty()
        || !UrlReducer::extractTtclid(event.sentUrl).isEmpty()
        || !UrlReducer::extractTtclid(event.sentReferrer).isEmpty())
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

    if (pixelIds.size() <= 1) {
        event.pixelId = pixelIds.value(0);
        return {event};
    }
    QList<TrackerEvent> events;
    for (const QString& pixelId : std::as_const(pixelIds)) {
        events.append(event);
        events.last().pixelId = pixelId;
    }
    return events;
}

} // namespace ClearSignal::VendorDecoders
