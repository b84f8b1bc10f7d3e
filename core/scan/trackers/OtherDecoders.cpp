// SPDX-License-Identifier: GPL-3.0-or-later
// Snap, Pinterest, LinkedIn, X, Microsoft UET and Reddit: parameter names from research/tiktok-api.md
// section 5 (omnibug providers, managed components, nuxt/scripts captures).

#include "DecoderSupport.h"
#include "VendorDecoders.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ClearSignal::VendorDecoders {

using namespace Qt::Literals::StringLiterals;
using namespace DecoderSupport;

namespace {

Params allParameters(const CapturedRequest& request)
{
    return parseForm(QUrl(request.url).query(QUrl::FullyEncoded)) + parseBody(request.body, request.contentType);
}

/// A personal value (email, phone, external id): named "hashed_<kind>" when it is a digest.
void identifierIf(TrackerEvent& event, const Params& params, QStringView key, const QString& kind)
{
    const QString v = value(params, key);
    if (!v.isEmpty())
        addUnique(event.identifiers, identifierName(kind, v));
}

/// A click id or cookie id: opaque, so never "hashed_" even when it happens to be hex (msclkid is 32 hex digits).
void idIf(TrackerEvent& event, const Params& params, QStringView key, const QString& name)
{
    if (!value(params, key).isEmpty())
        addUnique(event.identifiers, name);
}

} // namespace

QList<TrackerEvent> snap(const CapturedRequest& request)
{
    const Params params = allParameters(request);
    TrackerEvent event = eventFor(request, u"snap"_s);
    event.pixelId = value(params, u"pid");
    event.event = value(params, u"ev");
    event.sentUrl = value(params, u"pl");
    event.sentReferrer = value(params, u"rf");
    identifierIf(event, params, u"u_hem", u"email"_s);
    identifierIf(event, params, u"u_hpn", u"phone"_s);
    idIf(event, params, u"u_c1", u"snap_cookie"_s);
    idIf(event, params, u"u_scsid", u"snap_click_id"_s);
    for (const QString& key : {u"e_desc"_s, u"e_iids"_s, u"e_pr"_s, u"e_cur"_s, u"e_su"_s})
        if (!value(params, key).isEmpty())
            event.properties.insert(key, value(params, key));
    return {event};
}

QList<TrackerEvent> pinterest(const CapturedRequest& request)
{
    const Params params = allParameters(request);
    TrackerEvent event = eventFor(request, u"pinterest"_s);
    event.pixelId = value(params, u"tid");
    event.event = value(params, u"event");
    const QJsonObject ad = jsonParam(params, u"ad");
    event.sentUrl = ad.value("loc"_L1).toString();
    event.sentReferrer = ad.value("ref"_L1).toString();
    event.properties = jsonParam(params, u"ed");
    const QJsonObject pd = jsonParam(params, u"pd");
    for (const QString& key : {u"em"_s, u"np"_s}) {
        // core.js sends em as a string or as an array of hashes ({"em":["<sha256>"]}).
        const QJsonValue field = pd.value(key);
        const QJsonArray values = field.isArray() ? field.toArray() : QJsonArray{field};
        const QString kind = key == "em"_L1 ? u"email"_s : u"partner_id"_s;
        for (const QJsonValue& v : values) {
            if (!v.toString().isEmpty())
                addUnique(event.identifiers, identifierName(kind, v.toString()));
        }
    }
    if (!value(params, u"epik").isEmpty() || event.sentUrl.contains(u"epik="_s))
        addUnique(event.identifiers, u"epik"_s);
    return {event};
}

QList<TrackerEvent> linkedin(const CapturedRequest& request)
{
    const Params params = allParameters(request);
    TrackerEvent event = eventFor(request, u"linkedin"_s);
    event.pixelId = value(params, u"pid");
    if (event.pixelId.isEmpty())
        event.pixelId = value(params, u"pids").remove(u'[').remove(u']').remove(u'"').section(u',', 0, 0);
    const QString conversion = value(params, u"conversionId");
    event.event = conversion.isEmpty() ? u"pageview"_s : u"conversion"_s;
    if (!conversion.isEmpty())
        event.properties.insert(u"conversionId"_s, conversion);
    event.sentUrl = value(params, u"url");
    event.sentReferrer = value(params, u"ref");
    if (!value(params, u"li_fat_id").isEmpty())
        addUnique(event.identifiers, u"li_fat_id"_s);
    return {event};
}

QList<TrackerEvent> x(const CapturedRequest& request)
{
    const Params params = allParameters(request);
    TrackerEvent event = eventFor(request, u"x"_s);
    event.pixelId = value(params, u"txn_id");
    // events=[["pageview",null]] or [["lead",{...}]]
    const QJsonArray events = QJsonDocument::fromJson(value(params, u"events").toUtf8()).array();
    const QJsonArray first = events.isEmpty() ? QJsonArray() : events.first().toArray();
    event.event = first.isEmpty() ? value(params, u"event") : first.first().toString();
    if (first.size() > 1)
        event.properties = first.at(1).toObject();
    // uwt.js 2.3.3x sends an event's parameters as event={...} and no events list: they are not its name.
    const QJsonDocument single = QJsonDocument::fromJson(value(params, u"event").toUtf8());
    if (first.isEmpty() && single.isObject()) {
        event.event.clear();
        event.properties = single.object();
    }
    event.sentUrl = value(params, u"tw_document_href");
    event.sentReferrer = value(params, u"tw_document_referrer");
    event.sentTitle = value(params, u"pt");
    idIf(event, params, u"twclid", u"twclid"_s);
    identifierIf(event, params, u"email_address", u"email"_s);
    identifierIf(event, params, u"phone_number", u"phone"_s);
    return {event};
}

QList<TrackerEvent> microsoft(const CapturedRequest& request)
{
    const Params params = allParameters(request);
    TrackerEvent event = eventFor(request, u"microsoft"_s);
    event.pixelId = value(params, u"ti");
    const QString action = value(params, u"ea");
    event.event = action.isEmpty() ? value(params, u"evt") : action;
    event.sentUrl = value(params, u"p");
    event.sentReferrer = value(params, u"r");
    event.sentTitle = value(params, u"tl");
    for (const QString& key : {u"ec"_s, u"el"_s, u"ev"_s, u"gv"_s, u"gc"_s, u"prodid"_s, u"pagetype"_s})
        if (!value(params, key).isEmpty())
            event.properties.insert(key, value(params, key));
    // UET writes msclkid=N when the visit did not come from an ad click.
    if (value(params, u"msclkid") != "N"_L1)
        idIf(event, params, u"msclkid", u"msclkid"_s);
    identifierIf(event, params, u"em", u"email"_s);
    identifierIf(event, params, u"ph", u"phone"_s);
    return {event};
}

QList<TrackerEvent> reddit(const CapturedRequest& request)
{
    const Params params = allParameters(request);
    TrackerEvent event = eventFor(request, u"reddit"_s);
    event.pixelId = value(params, u"id");
    event.event = value(params, u"event");
    // rdt('track', 'Custom', {customEventName}) names the event the site chose in m.customEventName.
    const QString customName = value(params, u"m.customEventName");
    if (event.event.compare(u"Custom"_s, Qt::CaseInsensitive) == 0 && !customName.isEmpty())
        event.event = customName;
    for (const auto& [key, v] : params) {
        if (key.startsWith(u"m."_s))
            event.properties.insert(key.mid(2), v);
    }
    identifierIf(event, params, u"em", u"email"_s);
    identifierIf(event, params, u"pn", u"phone"_s);
    identifierIf(event, params, u"external_id", u"external_id"_s);
    idIf(event, params, u"uuid", u"reddit_uuid"_s);
    idIf(event, params, u"click_id", u"rdt_cid"_s);
    return {event};
}

} // namespace ClearSignal::VendorDecoders
