// SPDX-License-Identifier: GPL-3.0-or-later
// Google: GA4 /g/collect (events in the query, or batched one per body line), Universal Analytics /collect,
// Google Ads conversions, and Floodlight (parameters in the path after ';').

#include "DecoderSupport.h"
#include "VendorDecoders.h"

#include <QRegularExpression>

namespace ClearSignal::VendorDecoders {

using namespace Qt::Literals::StringLiterals;
using namespace DecoderSupport;

namespace {

void readGa4Parameters(const Params& params, TrackerEvent& event)
{
    for (const auto& [key, v] : params) {
        if (key == "tid"_L1)
            event.pixelId = v;
        else if (key == "en"_L1 || key == "t"_L1)
            event.event = v;
        else if (key == "dl"_L1)
            event.sentUrl = v;
        else if (key == "dr"_L1)
            event.sentReferrer = v;
        else if (key == "dt"_L1)
            event.sentTitle = v;
        else if (key.startsWith(u"ep."_s) || key.startsWith(u"epn."_s))
            event.properties.insert(key.section(u'.', 1), v);
        else if (key == "ec"_L1 || key == "ea"_L1 || key == "el"_L1)
            event.properties.insert(key, v);
        else if (key.startsWith(u"up."_s) || key.startsWith(u"upn."_s))
            addUnique(event.identifiers, u"user_property:"_s + key.section(u'.', 1));
        else if (key == "uid"_L1)
            addUnique(event.identifiers, u"user_id"_s);
        else if (key == "cid"_L1)
            addUnique(event.identifiers, u"client_id"_s);
        else if (key == "em"_L1 && !v.isEmpty())
            addUnique(event.identifiers, identifierName(u"email"_s, v));
    }
}

} // namespace

QList<TrackerEvent> ga4(const CapturedRequest& request)
{
    const QUrl url(request.url);
    const Params shared = parseForm(url.query(QUrl::FullyEncoded));
    const QString body = bodyText(request.body);
    QList<TrackerEvent> events;
    // A batched body holds one event per line (gtag.js separates them with CRLF), each adding to the
    // parameters in the URL.
    for (const QString& line : body.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        TrackerEvent event = eventFor(request, u"google"_s);
        readGa4Parameters(shared, event);
        readGa4Parameters(parseForm(trimmed), event);
        events.append(event);
    }
    if (events.isEmpty()) {
        TrackerEvent event = eventFor(request, u"google"_s);
        readGa4Parameters(shared, event);
        events.append(event);
    }
    return events;
}

QList<TrackerEvent> googleAds(const CapturedRequest& request)
{
    const QUrl url(request.url);
    const Params params = parseForm(url.query(QUrl::FullyEncoded)) + parseBody(request.body, request.contentType);
    TrackerEvent event = eventFor(request, u"google"_s);
    static const QRegularExpression conversionId(uR"(/(?:viewthrough)?conversion/(\d+))"_s);
    const QRegularExpressionMatch match = conversionId.match(url.path());
    event.pixelId = match.hasMatch() ? u"AW-"_s + match.captured(1) : value(params, u"tid");
    const QString data = value(params, u"data");
    event.event = data.contains(u"event="_s) ? data.section(u"event="_s, 1).section(u';', 0, 0) : u"conversion"_s;
    event.sentUrl = value(params, u"url");
    event.sentReferrer = value(params, u"ref");
    event.sentTitle = value(params, u"tiba");
    const QString label = value(params, u"label");
    if (!label.isEmpty())
        event.properties.insert(u"label"_s, label);
    const QString conversionValue = value(params, u"value");
    if (!conversionValue.isEmpty())
        event.properties.insert(u"value"_s, conversionValue);
    if (!value(params, u"gclid").isEmpty() || !value(params, u"gclaw").isEmpty() || event.sentUrl.contains(u"gclid="_s))
        addUnique(event.identifiers, u"gclid"_s);
    if (!value(params, u"em").isEmpty())
        addUnique(event.identifiers, identifierName(u"email"_s, value(params, u"em")));
    return {event};
}

QList<TrackerEvent> floodlight(const CapturedRequest& request)
{
    const QUrl url(request.url);
    // "/activityi;src=123;type=book;cat=glp1;u1=...;ord=1?"
    Params params;
    const QStringList parts = url.path(QUrl::FullyEncoded).split(u';');
    for (qsizetype i = 1; i < parts.size(); ++i)
        params += parseForm(parts.at(i));
    TrackerEvent event = eventFor(request, u"google"_s);
    // The endpoint is the tag ("/activityi"), not its parameters: those hold the u-variables' values.
    event.endpoint = event.endpoint.section(u';', 0, 0);
    const QString advertiser = value(params, u"src");
    event.pixelId = advertiser.isEmpty() ? QString() : u"DC-"_s + advertiser;
    event.event = value(params, u"type") + u'/' + value(params, u"cat");
    event.sentUrl = value(params, u"~oref");
    for (const auto& [key, v] : params) {
        if (key.size() >= 2 && key.front() == u'u' && key.mid(1).toInt() > 0)
            event.properties.insert(key, v);
    }
    return {event};
}

} // namespace ClearSignal::VendorDecoders
