// SPDX-License-Identifier: GPL-3.0-or-later
// Meta Pixel: www.facebook.com/tr (GET image or POST form/multipart) with id, ev, dl, rl, cd[...] and the
// advanced-matching ud[...] fields. Shapes: research/tiktok-api.md section 5 (omnibug, nuxt captures).

#include "DecoderSupport.h"
#include "VendorDecoders.h"

namespace ClearSignal::VendorDecoders {

using namespace Qt::Literals::StringLiterals;
using namespace DecoderSupport;

QList<TrackerEvent> meta(const CapturedRequest& request)
{
    const QUrl url(request.url);
    Params params = parseForm(url.query(QUrl::FullyEncoded));
    params += parseBody(request.body, request.contentType);

    TrackerEvent event = eventFor(request, u"meta"_s);
    event.pixelId = value(params, u"id");
    event.event = value(params, u"ev");
    event.sentUrl = value(params, u"dl");
    event.sentReferrer = value(params, u"rl");
    for (const auto& [key, v] : params) {
        if (key.startsWith(u"cd["_s) && key.endsWith(u']'))
            event.properties.insert(key.mid(3).chopped(1), v);
        // ud[em] (hashed by the pixel) and udff[em] (automatic advanced matching) name the person.
        static const QList<QPair<QString, QString>> matching = {
            {u"em"_s, u"email"_s}, {u"ph"_s, u"phone"_s}, {u"fn"_s, u"first_name"_s}, {u"ln"_s, u"last_name"_s},
            {u"db"_s, u"date_of_birth"_s}, {u"ge"_s, u"gender"_s}, {u"ct"_s, u"city"_s}, {u"st"_s, u"state"_s},
            {u"zp"_s, u"zip_code"_s}, {u"country"_s, u"country"_s}, {u"external_id"_s, u"external_id"_s}};
        if ((key.startsWith(u"ud["_s) || key.startsWith(u"udff["_s)) && key.endsWith(u']') && !v.isEmpty()) {
            const QString field = key.section(u'[', 1).chopped(1);
            for (const auto& [short_, kind] : matching) {
                if (field == short_)
                    addUnique(event.identifiers, identifierName(kind, v));
            }
        }
    }
    if (!value(params, u"fbp").isEmpty())
        addUnique(event.identifiers, u"fbp"_s);
    if (!value(params, u"fbc").isEmpty() || event.sentUrl.contains(u"fbclid="_s))
        addUnique(event.identifiers, u"fbclid"_s);
    return {event};
}

} // namespace ClearSignal::VendorDecoders
