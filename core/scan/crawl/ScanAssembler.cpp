// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanAssembler.h"

#include "phi/ValueDecoding.h"
#include "scan/trackers/TrackerDecoder.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>
#include <QUrl>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

QString siteOf(const QString& url)
{
    return ValueDecoding::registrableDomain(QUrl(url).host());
}

/// The page a tracker cookie belongs to: the first page, in crawl order, of the cookie's consent state where
/// its vendor ran. That does not depend on which of the parallel tabs happened to write it first. Cookies of
/// no known vendor go to the first page that wrote them.
QString pageThatSet(const QList<PageReport>& reports, const ObservedCookie& observed, const QString& vendor,
                    const TrackerSignatures& signatures)
{
    const QString name = QString::fromUtf8(observed.cookie.name());
    auto candidates = [&](auto accept) -> QString {
        for (const PageReport& report : reports) {
            if (report.kind == VisitKind::Crawl && report.page.consentState == observed.consentState && accept(report))
                return report.page.url;
        }
        return {};
    };
    if (!vendor.isEmpty()) {
        const QString page = candidates([&](const PageReport& report) {
            return std::any_of(report.requests.begin(), report.requests.end(), [&](const CapturedRequest& request) {
                const std::optional<TrackerMatch> match = signatures.classify(QUrl(request.url));
                return match && match->vendor == vendor;
            });
        });
        if (!page.isEmpty())
            return page;
    }
    return candidates([&](const PageReport& report) { return report.cookieNames.contains(name); });
}
/// The text and every layer of percent-decoding under it ("+" read both ways): a form value copied into a page
/// address and that address into a tracker's parameter is encoded twice, and each layer may hold the canary.
QString withDecodings(const QString& text)
{
    QString all = text;
    QString current = text;
    for (int round = 0; round < 4; ++round) {
        const QString next = ValueDecoding::percentDecode(current, false);
        const QString spaced = ValueDecoding::percentDecode(current, true);
        if (spaced != next)
            all += u' ' + spaced;
        if (next == current)
            break;
        all += u' ' + next;
        current = next;
    }
    return all;
}

/// Most severe first, then by code, page (in crawl order), vendor and title: the same scan reads the same.
void sortFindings(ScanResult& result)
{
    QHash<QString, qsizetype> pageOrder;
    for (const ScanPage& page : std::as_const(result.pages)) {
        if (!pageOrder.contains(page.url))
            pageOrder.insert(page.url, pageOrder.size());
    }
    const auto key = [&](const Finding& f) {
        return std::tuple(-int(f.severity), f.code, pageOrder.value(f.pageUrl, -1), f.vendor, f.title);
    };
    std::stable_sort(result.findings.begin(), result.findings.end(),
                     [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
}

} // namespace

ScanAssembler::ScanAssembler(const TrackerSignatures& signatures, std::shared_ptr<const PhiScanner> scanner)
    : m_signatures(signatures), m_scanner(std::move(scanner))
{
}

ScanResult ScanAssembler::assemble(const QString& startUrl, const QList<PageReport>& reports,
                                   const QList<ObservedCookie>& cookies, const CanaryTracer* canaries) const
{
    ScanResult result;
    result.startUrl = startUrl;
    QList<PageObservation> observations;
    QSet<QString> storageSeen;
    int nextId = 0;
    for (const PageReport& report : reports) {
        if (report.kind == VisitKind::ConsentPriming)
            continue;
        if (report.kind == VisitKind::Crawl)
            result.pages.append(report.page);
        observations.append(report.observation);
        const QString pageSite = siteOf(report.page.url);
        for (CapturedRequest request : report.requests) {
            request.id = ++nextId;
            const QUrl url(request.url);
            request.thirdParty = ValueDecoding::registrableDomain(url.host()) != pageSite;
            if (const std::optional<TrackerMatch> match = m_signatures.classify(url)) {
                request.vendor = match->vendor;
                result.trackerEvents += TrackerDecoder::decode(request, *match);
            }
            result.requests.append(request);
        }
        for (const auto& [kind, items] : {std::pair{u"local"_s, &report.localStorage},
                                          std::pair{u"session"_s, &report.sessionStorage}}) {
            for (const auto& [key, value] : *items) {
                const QString id = report.origin + kind + key + consentStateName(report.page.consentState);
                if (storageSeen.contains(id))
                    continue;
                storageSeen.insert(id);
                result.storage.append({report.origin, kind, key, m_signatures.vendorForStorageKey(key),
                                       report.page.consentState});
            }
        }
    }

    QSet<QString> cookieSeen;
    for (const ObservedCookie& observed : cookies) {
        const QString name = QString::fromUtf8(observed.cookie.name());
        const QString id = name + observed.cookie.domain() + consentStateName(observed.consentState);
        if (cookieSeen.contains(id))
            continue;
        cookieSeen.insert(id);
        QString vendor = m_signatures.vendorForCookie(name);
        if (vendor.isEmpty())
            vendor = m_signatures.vendorForHost(QStringView(observed.cookie.domain()).mid(observed.cookie.domain().startsWith(u'.') ? 1 : 0));
        const QString pageUrl = pageThatSet(reports, observed, vendor, m_signatures);
        result.cookies.append({name, observed.cookie.domain(), vendor, observed.consentState,
                               observed.cookie.isSessionCookie() ? QString()
                                                                 : observed.cookie.expirationDate().toUTC().toString(Qt::ISODate),
                               pageUrl});
    }

    FindingEngine(m_scanner, m_signatures).evaluate(result, observations);
    if (canaries)
        addCanaryFindings(result, reports, cookies, *canaries);
    sortFindings(result);
    return result;
}

void ScanAssembler::addCanaryFindings(ScanResult& result, const QList<PageReport>& reports,
                                      const QList<ObservedCookie>& cookies, const CanaryTracer& canaries) const
{
    // One finding per recipient and page: which form values it got, in which encodings, and where.
    struct Leak
    {
        QString vendor;
        QString pageUrl;
        ConsentState state;
        Severity severity;
        QStringList fields;
        QStringList encodings;
        QStringList where;
        int requestId = 0;
    };
    QList<Leak> leaks;
    auto report = [&](const CanaryTracer::Sighting& sighting, const QString& pageUrl, const QString& vendor,
                      ConsentState state, Severity severity, const QString& where) {
        auto leak = std::find_if(leaks.begin(), leaks.end(), [&](const Leak& l) {
            return l.vendor == vendor && l.pageUrl == pageUrl;
        });
        if (leak == leaks.end()) {
            leaks.append({vendor, pageUrl, state, severity, {}, {}, {}, sighting.requestId});
            leak = leaks.end() - 1;
        }
        leak->severity = std::max(leak->severity, severity);
        if (leak->requestId == 0)
            leak->requestId = sighting.requestId;
        for (const auto& [list, value] : {std::pair{&leak->fields, sighting.field},
                                          std::pair{&leak->encodings, sighting.encoding},
                                          std::pair{&leak->where, where}}) {
            if (!list->contains(value))
                list->append(value);
        }
    };

    // Requests: the form's own submission to the site is expected; what leaves for third parties is not.
    for (const CapturedRequest& request : std::as_const(result.requests)) {
        if (!request.thirdParty)
            continue;
        const QList<CanaryTracer::Sighting> inUrl = canaries.search(withDecodings(request.url), u"url"_s, request.id);
        const QList<CanaryTracer::Sighting> inBody =
            canaries.search(withDecodings(QString::fromUtf8(request.body)), u"body"_s, request.id);
        for (const CanaryTracer::Sighting& sighting : inUrl + inBody)
            report(sighting, request.pageUrl, request.vendor, request.consentState, Severity::Critical,
                   sighting.where == "url"_L1 ? u"request address"_s : u"request body"_s);
    }
    for (const ObservedCookie& observed : cookies) {
        const QString text = QString::fromUtf8(observed.cookie.value());
        const QString name = QString::fromUtf8(observed.cookie.name());
        const QString vendor = m_signatures.vendorForCookie(name);
        if (vendor.isEmpty())
            continue; // the site's own cookies are the site's business; trackers' are not
        for (const CanaryTracer::Sighting& sighting : canaries.search(withDecodings(text), u"cookie"_s, 0))
            report(sighting, pageThatSet(reports, observed, vendor, m_signatures), vendor, observed.consentState, Severity::High,
                   u"cookie "_s + name);
    }
    for (const PageReport& pageReport : reports) {
        if (pageReport.kind == VisitKind::ConsentPriming)
            continue;
        for (const auto& items : {&pageReport.localStorage, &pageReport.sessionStorage}) {
            for (const auto& [key, value] : *items) {
                const QString vendor = m_signatures.vendorForStorageKey(key);
                if (vendor.isEmpty())
                    continue;
                for (const CanaryTracer::Sighting& sighting : canaries.search(value, u"storage"_s, 0))
                    report(sighting, pageReport.page.url, vendor, pageReport.page.consentState, Severity::High,
                           u"browser storage "_s + key);
            }
        }
    }

    QStringList canaryOrder;
    for (const CanaryTracer::Canary& canary : canaries.canaries())
        canaryOrder.append(canary.field);
    for (Leak& leak : leaks) {
        // Requests arrive in any order: lists in a fixed order read the same every time.
        std::sort(leak.fields.begin(), leak.fields.end(), [&](const QString& a, const QString& b) {
            return canaryOrder.indexOf(a) < canaryOrder.indexOf(b);
        });
        leak.encodings.sort();
        leak.where.sort();
        QStringList fieldNames;
        for (const QString& field : leak.fields)
            fieldNames.append(QString(field).replace(u'_', u' '));
        const QString name = leak.vendor.isEmpty() ? u"A third party"_s : m_signatures.vendorName(leak.vendor);
        QJsonObject evidence{{u"field"_s, leak.fields.first()},
                             {u"fields"_s, QJsonArray::fromStringList(leak.fields)},
                             {u"encodings"_s, QJsonArray::fromStringList(leak.encodings)},
                             {u"where"_s, QJsonArray::fromStringList(leak.where)}};
        if (leak.requestId > 0)
            evidence.insert(u"request_id"_s, leak.requestId);
        const QString listed = fieldNames.size() > 1
                                   ? QStringList(fieldNames.mid(0, fieldNames.size() - 1)).join(u", "_s) + u" and "_s
                                         + fieldNames.last()
                                   : fieldNames.first();
        result.findings.append(
            {u"form_data_sent"_s, leak.severity,
             u"%1 received the %2 typed into a form (%3)"_s.arg(name, listed, leak.encodings.join(u", "_s)),
             leak.pageUrl, leak.vendor, leak.state, evidence,
             u"Keep form values away from tags: turn off automatic advanced matching and form tracking in %1, and "
             u"remove its tag from form and thank-you pages."_s.arg(name)});
    }
}

} // namespace ClearSignal
