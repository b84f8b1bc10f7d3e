// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes as one captured request: the URL (first line), the content type (second line) and the body (the
// rest), classified with the bundled tracker signatures, then decoded by the decoder the signatures chose and
// by every other decoder. Invariants: never crash, never hang; a pixel request always yields at least one
// event, and every event carries its request's id, page and consent state; other kinds yield none.

#include "scan/trackers/TrackerDecoder.h"
#include "scan/trackers/TrackerSignatures.h"

#include <cstdlib>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

void decodeAndCheck(const CapturedRequest& request, const TrackerMatch& match)
{
    const QList<TrackerEvent> events = TrackerDecoder::decode(request, match);
    if (match.kind != "pixel"_L1) {
        if (!events.isEmpty())
            std::abort();
        return;
    }
    if (events.isEmpty())
        std::abort();
    for (const TrackerEvent& event : events) {
        if (event.requestId != request.id || event.pageUrl != request.pageUrl ||
            event.consentState != request.consentState || event.vendor.isEmpty())
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const TrackerSignatures& signatures = *TrackerSignatures::bundled();
    // Every name TrackerDecoder::decode() knows; a name it has lost would yield no event and abort.
    static const QStringList decoders = {u"tiktok"_s,     u"meta"_s,      u"ga4"_s,       u"google_ads"_s,
                                         u"floodlight"_s, u"snap"_s,      u"pinterest"_s, u"linkedin"_s,
                                         u"x"_s,          u"microsoft"_s, u"reddit"_s};

    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype urlEnd = input.indexOf('\n');
    const qsizetype typeEnd = urlEnd < 0 ? -1 : input.indexOf('\n', urlEnd + 1);
    CapturedRequest request;
    request.id = 7;
    request.pageUrl = u"https://www.glowmedspa.example/services/semaglutide-weight-loss/"_s;
    request.consentState = ConsentState::Rejected;
    request.url = QString::fromUtf8(urlEnd < 0 ? input : input.left(urlEnd));
    if (urlEnd >= 0)
        request.contentType =
            QString::fromUtf8(typeEnd < 0 ? input.mid(urlEnd + 1) : input.mid(urlEnd + 1, typeEnd - urlEnd - 1));
    if (typeEnd >= 0)
        request.body = input.mid(typeEnd + 1);
    request.method = request.body.isEmpty() ? u"GET"_s : u"POST"_s;

    const QUrl url(request.url);
    if (const std::optional<TrackerMatch> match = signatures.classify(url)) {
        if (match->vendor.isEmpty() || match->kind.isEmpty())
            std::abort();
        decodeAndCheck(request, *match);
        TrackerDecoder::scriptAccountId(url, *match);
    }
    for (const QString& decoder : decoders)
        decodeAndCheck(request, TrackerMatch{u"fuzz"_s, u"pixel"_s, decoder, QString()});
    return 0;
}
