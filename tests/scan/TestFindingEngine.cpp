// SPDX-License-Identifier: GPL-3.0-or-later
#include "scan/findings/FindingEngine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestFindingEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void healthTermInUrlAndTitleIsOneFinding();
    void sameEventInSeveralConsentStates();
    void nestedTermsReportTheLongest();
    void descriptiveEventNames_data();
    void descriptiveEventNames();
    void identifiers();
    void tiktokPixelFromPageObservations();
    void otherVendorsInstalled();
    void consentFindings();
    void cookieFindings();
    void eventsApiToken_data();
    void eventsApiToken();
    void cleanPageHasNoFindings();
    void sortedBySeverity();

private:
    QList<Finding> evaluate(ScanResult result, const QList<PageObservation>& observations = {}) const;
    std::shared_ptr<const PhiScanner> m_scanner;
};

namespace {

const QString site = u"https://northside.example"_s;
const QString pixel = u"C4TESTPIXEL0000000001"_s;

QString page(const QString& path)
{
    return site + path;
}

QString consent(std::optional<ConsentState> state)
{
    return state ? QString(consentStateName(*state)) : u"-"_s;
}

/// One line per finding with everything but the remediation, so a failure shows the whole difference.
QString line(const QString& code, Severity severity, std::optional<ConsentState> state, const QString& vendor,
             const QString& pageUrl, const QString& title, const QJsonObject& evidence)
{
    return code + u" | "_s + severityName(severity) + u" | "_s + consent(state) + u" | "_s + vendor + u" | "_s
           + pageUrl + u" | "_s + title + u" | "_s
           + QString::fromUtf8(QJsonDocument(evidence).toJson(QJsonDocument::Compact));
}

QStringList lines(const QList<Finding>& findings)
{
    QStringList list;
    for (const Finding& f : findings)
        list.append(line(f.code, f.severity, f.consentState, f.vendor, f.pageUrl, f.title, f.evidence));
    return list;
}

/// Compares line by line first: QCOMPARE on whole lists only says the sizes differ.
#define COMPARE_FINDINGS(actual, expected)                                                                       \
    do {                                                                                                         \
        const QStringList a_ = lines(actual);                                                                    \
        const QStringList e_ = (expected);                                                                       \
        for (qsizetype i_ = 0; i_ < std::min(a_.size(), e_.size()); ++i_)                                       \
            QCOMPARE(a_.at(i_), e_.at(i_));                                                                      \
        QCOMPARE(a_, e_);                                                                                        \
    } while (false)

CapturedRequest request(int id, const QString& pageUrl, ConsentState state, const QString& url,
                        const QString& type = u"script"_s)
{
    CapturedRequest r;
    r.id = id;
    r.pageUrl = pageUrl;
    r.consentState = state;
    r.frameUrl = pageUrl;
    r.url = url;
    r.method = u"GET"_s;
    r.resourceType = type;
    r.initiator = u"parser"_s;
    r.thirdParty = !QUrl(url).host().endsWith(u"northside.example"_s);
    // As ScanAssembler does: the vendor comes from the signatures.
    if (const std::optional<TrackerMatch> match = (*TrackerSignatures::bundled()).classify(QUrl(url)))
        r.vendor = match->vendor;
    return r;
}

TrackerEvent tiktokEvent(int requestId, const QString& pageUrl, ConsentState state, const QString& name)
{
    TrackerEvent e;
    e.requestId = requestId;
    e.vendor = u"tiktok"_s;
    e.pixelId = pixel;
    e.event = name;
    e.endpoint = u"/api/v2/pixel"_s;
    e.pageUrl = pageUrl;
    e.consentState = state;
    e.sentUrl = pageUrl;
    return e;
}

QJsonObject installed(const QStringList& pixelIds, const QStringList& pages, int requestId = 0)
{
    QJsonObject evidence{{u"pixel_ids"_s, QJsonArray::fromStringList(pixelIds)},
                         {u"pages"_s, QJsonArray::fromStringList(pages)},
                         {u"page_count"_s, pages.size()}};
    if (requestId > 0)
        evidence.insert(u"request_id"_s, requestId);
    return evidence;
}

QString tiktokInstalled(const QStringList& pages, int requestId, const QStringList& pixelIds = {pixel})
{
    return line(u"tiktok_pixel_installed"_s, Severity::High, std::nullopt, u"tiktok"_s, pages.first(),
                pixelIds.isEmpty() ? u"The TikTok pixel is installed"_s
                                   : u"The TikTok pixel %1 is installed"_s.arg(pixelIds.join(u", "_s)),
                installed(pixelIds, pages, requestId));
}

} // namespace

void TestFindingEngine::initTestCase()
{
    QVERIFY(TrackerSignatures::bundled());
    const Expected<std::shared_ptr<const PhiScanner>> scanner = PhiScanner::create({}, u"US"_s);
    QVERIFY(scanner);
    m_scanner = *scanner;
}

QList<Finding> TestFindingEngine::evaluate(ScanResult result, const QList<PageObservation>& observations) const
{
    result.findings.append({u"stale"_s, Severity::Info, u"from an earlier run"_s, {}, {}, {}, {}, {}});
    FindingEngine(m_scanner, *TrackerSignatures::bundled()).evaluate(result, observations);
    return result.findings;
}

void TestFindingEngine::healthTermInUrlAndTitleIsOneFinding()
{
    const QString url = page(u"/services/semaglutide"_s);
    ScanResult result;
    TrackerEvent event = tiktokEvent(7, url, ConsentState::Accepted, u"Pageview"_s);
    event.sentTitle = u"Semaglutide | Northside"_s;
    result.trackerEvents = {event};
    const QList<Finding> findings = evaluate(result);
    COMPARE_FINDINGS(findings,
                     (QStringList{line(u"health_context_sent"_s, Severity::Critical, ConsentState::Accepted,
                                       u"tiktok"_s, url,
                                       u"TikTok received \u201csemaglutide\u201d (medication) in the page address "
                                       u"and the page title"_s,
                                       QJsonObject{{u"request_id"_s, 7},
                                                   {u"field"_s, u"context.page.url"_s},
                                                   {u"fields"_s, QJsonArray{u"context.page.url"_s,
                                                                            u"context.page.title"_s}},
                                                   {u"term"_s, u"semaglutide"_s},
                                                   {u"category"_s, u"medication"_s},
                                                   {u"pixel_id"_s, pixel},
                                                   {u"event"_s, u"Pageview"_s}}),
                                  tiktokInstalled({url}, 7)}));
    QCOMPARE(findings.first().remediation,
             u"Stop sending the page address and the page title to TikTok: remove the tag from this page, or strip "
             u"the page address, title and properties from its events (the ClearSignal relay does this)."_s);
}

void TestFindingEngine::sameEventInSeveralConsentStates()
{
    const QString url = page(u"/services/botox"_s);
    ScanResult result;
    for (ConsentState state : {ConsentState::None, ConsentState::Rejected, ConsentState::Gpc, ConsentState::None}) {
        TrackerEvent event = tiktokEvent(int(result.trackerEvents.size()) + 3, url, state, u"Pageview"_s);
        event.properties = QJsonObject{{u"content_name"_s, u"Botox"_s}, {u"value"_s, 150}};
        result.trackerEvents.append(event);
    }
    COMPARE_FINDINGS(evaluate(result),
                     (QStringList{line(u"health_context_sent"_s, Severity::Critical, ConsentState::None, u"tiktok"_s,
                                       url,
                                       u"TikTok received \u201cbotox\u201d (medication) in the page address and an "
                                       u"event property"_s,
                                       QJsonObject{{u"request_id"_s, 3},
                                                   {u"field"_s, u"context.page.url"_s},
                                                   {u"fields"_s, QJsonArray{u"context.page.url"_s,
                                                                            u"properties.content_name"_s}},
                                                   {u"term"_s, u"botox"_s},
                                                   {u"category"_s, u"medication"_s},
                                                   {u"pixel_id"_s, pixel},
                                                   {u"event"_s, u"Pageview"_s},
                                                   {u"consent_states"_s, QJsonArray{u"none"_s, u"rejected"_s,
                                                                                    u"gpc"_s}}}),
                                  tiktokInstalled({url}, 3)}));
}

void TestFindingEngine::nestedTermsReportTheLongest()
{
    const QString url = page(u"/pricing"_s);
    ScanResult result;
    TrackerEvent event = tiktokEvent(2, url, ConsentState::Accepted, u"ViewContent"_s);
    event.sentTitle = u"Dermal Filler Prices"_s;
    result.trackerEvents = {event};
    COMPARE_FINDINGS(evaluate(result),
                     (QStringList{line(u"health_context_sent"_s, Severity::Critical, ConsentState::Accepted,
                                       u"tiktok"_s, url,
                                       u"TikTok received \u201cdermal filler\u201d (procedure) in the page title"_s,
                                       QJsonObject{{u"request_id"_s, 2},
                                                   {u"field"_s, u"context.page.title"_s},
                                                   {u"term"_s, u"dermal filler"_s},
                                                   {u"category"_s, u"procedure"_s},
                                                   {u"pixel_id"_s, pixel},
                                                   {u"event"_s, u"ViewContent"_s}}),
                                  tiktokInstalled({url}, 2)}));

    // In another field, the shorter term alone is reported for that field.
    event.clickedText = u"Book a filler appointment"_s;
    result.trackerEvents = {event};
    const QList<Finding> findings = evaluate(result);
    QCOMPARE(findings.size(), 3);
    QCOMPARE(findings.at(1).evidence.value("term"_L1).toString(), u"filler"_s);
    QCOMPARE(findings.at(1).evidence.value("field"_L1).toString(),
             u"auto_collected_properties.trigger_element.inner_text"_s);
    QCOMPARE(findings.at(1).title, u"TikTok received \u201cfiller\u201d (procedure) in the text of the clicked button"_s);
}

void TestFindingEngine::descriptiveEventNames_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("term"); // empty: no finding
    QTest::addColumn<QString>("category");
    QTest::addRow("BookedGLP1Consultation") << u"BookedGLP1Consultation"_s << u"glp-1"_s << u"medication"_s;
    QTest::addRow("semaglutide_lead") << u"semaglutide_lead"_s << u"semaglutide"_s << u"medication"_s;
    QTest::addRow("ViewContent") << u"ViewContent"_s << QString() << QString();
    QTest::addRow("Schedule") << u"Schedule"_s << QString() << QString();
    QTest::addRow("page_view") << u"page_view"_s << QString() << QString();
    QTest::addRow("auto click") << u"auto:click"_s << QString() << QString();
    QTest::addRow("harmless custom name") << u"NewsletterSignup"_s << QString() << QString();
}

void TestFindingEngine::descriptiveEventNames()
{
    QFETCH(QString, event);
    QFETCH(QString, term);
    QFETCH(QString, category);
    const QString url = page(u"/book"_s);
    ScanResult result;
    result.trackerEvents = {tiktokEvent(4, url, ConsentState::Accepted, event)};
    // Same severity: the tag's installation is listed first.
    QStringList expected{tiktokInstalled({url}, 4)};
    if (!term.isEmpty()) {
        expected.append(line(u"descriptive_event_name"_s, Severity::High, ConsentState::Accepted, u"tiktok"_s, url,
                             u"TikTok received the event name \u201c%1\u201d, which names %2 (%3)"_s.arg(event, term,
                                                                                                      category),
                             QJsonObject{{u"request_id"_s, 4},
                                         {u"field"_s, u"event"_s},
                                         {u"term"_s, term},
                                         {u"category"_s, category},
                                         {u"pixel_id"_s, pixel},
                                         {u"event"_s, event}}));
    }
    COMPARE_FINDINGS(evaluate(result), expected);
}

void TestFindingEngine::identifiers()
{
    const QString url = page(u"/contact/thanks"_s);
    ScanResult result;
    TrackerEvent tiktok = tiktokEvent(5, url, ConsentState::Accepted, u"SubmitForm"_s);
    tiktok.identifiers = {u"ttclid"_s, u"hashed_email"_s, u"ttp"_s, u"hashed_phone"_s};
    TrackerEvent again = tiktok; // a second request on the same page adds nothing new
    again.requestId = 6;
    again.identifiers = {u"hashed_email"_s};
    TrackerEvent meta;
    meta.requestId = 9;
    meta.vendor = u"meta"_s;
    meta.pixelId = u"123456789012345"_s;
    meta.event = u"Lead"_s;
    meta.pageUrl = url;
    meta.consentState = ConsentState::Accepted;
    meta.identifiers = {u"fbp"_s, u"external_id"_s};
    TrackerEvent cookiesOnly = tiktokEvent(10, page(u"/"_s), ConsentState::Accepted, u"Pageview"_s);
    cookiesOnly.identifiers = {u"ttclid"_s, u"ttp"_s}; // click and browser ids: not the visitor's identity
    result.trackerEvents = {tiktok, again, meta, cookiesOnly};
    COMPARE_FINDINGS(
        evaluate(result),
        (QStringList{tiktokInstalled({url, page(u"/"_s)}, 5),
                     line(u"identifier_sent"_s, Severity::High, ConsentState::Accepted, u"tiktok"_s, url,
                          u"TikTok received identifiers of the visitor: hashed_email, hashed_phone"_s,
                          QJsonObject{{u"request_id"_s, 5},
                                      {u"identifiers"_s, QJsonArray{u"hashed_email"_s, u"hashed_phone"_s}},
                                      {u"pixel_id"_s, pixel},
                                      {u"event"_s, u"SubmitForm"_s}}),
                     line(u"identifier_sent"_s, Severity::High, ConsentState::Accepted, u"meta"_s, url,
                          u"Meta (Facebook) Pixel received identifiers of the visitor: external_id"_s,
                          QJsonObject{{u"request_id"_s, 9},
                                      {u"identifiers"_s, QJsonArray{u"external_id"_s}},
                                      {u"pixel_id"_s, u"123456789012345"_s},
                                      {u"event"_s, u"Lead"_s}}),
                     line(u"tracker_installed"_s, Severity::Medium, std::nullopt, u"meta"_s, url,
                          u"Meta (Facebook) Pixel is installed"_s, installed({u"123456789012345"_s}, {url}, 9))}));

    // An email written into the page address is an identifier found in a field.
    TrackerEvent inUrl = tiktokEvent(11, url, ConsentState::Accepted, u"Pageview"_s);
    inUrl.sentUrl = url + u"?email=jane.doe%40gmail.com"_s;
    result.trackerEvents = {inUrl};
    COMPARE_FINDINGS(evaluate(result),
                     (QStringList{tiktokInstalled({url}, 11),
                                  line(u"identifier_sent"_s, Severity::High, ConsentState::Accepted, u"tiktok"_s, url,
                                       u"TikTok received a visitor's email in the page address"_s,
                                       QJsonObject{{u"request_id"_s, 11},
                                                   {u"field"_s, u"context.page.url"_s},
                                                   {u"term"_s, u"email"_s},
                                                   {u"category"_s, u"identifier"_s},
                                                   {u"pixel_id"_s, pixel},
                                                   {u"event"_s, u"Pageview"_s}})}));
}

void TestFindingEngine::tiktokPixelFromPageObservations()
{
    PageObservation home;
    home.pageUrl = page(u"/"_s);
    home.consentState = ConsentState::Rejected;
    home.tiktokBaseCodePixelIds = {u"C4AAAA"_s, u"C4BBBB"_s};
    PageObservation about = home;
    about.pageUrl = page(u"/about"_s);
    about.tiktokBaseCodePixelIds = {u"C4BBBB"_s};
    COMPARE_FINDINGS(evaluate({}, {home, about}),
                     QStringList{tiktokInstalled({page(u"/"_s), page(u"/about"_s)}, 0, {u"C4AAAA"_s, u"C4BBBB"_s})});

    // The base code queued calls while TikTok's script was blocked: installed, id unknown.
    PageObservation queued;
    queued.pageUrl = page(u"/book"_s);
    queued.queuedTiktokCalls = {u"page"_s, u"track"_s};
    COMPARE_FINDINGS(evaluate({}, {queued}), QStringList{tiktokInstalled({page(u"/book"_s)}, 0, {})});
}

void TestFindingEngine::otherVendorsInstalled()
{
    ScanResult result;
    result.requests = {
        request(1, page(u"/"_s), ConsentState::Accepted, u"https://connect.facebook.net/en_US/fbevents.js"_s),
        request(2, page(u"/"_s), ConsentState::Accepted, u"https://www.googletagmanager.com/gtm.js?id=GTM-AB12CD"_s),
        request(3, page(u"/about"_s), ConsentState::Accepted, u"https://www.googletagmanager.com/gtm.js?id=GTM-AB12CD"_s),
        request(4, page(u"/about"_s), ConsentState::Accepted,
                u"https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C4SCRIPTID&lib=ttq"_s),
    };
    QCOMPARE(result.requests.at(0).vendor, u"meta"_s);
    QCOMPARE(result.requests.at(1).vendor, u"google"_s);
    COMPARE_FINDINGS(
        evaluate(result),
        (QStringList{tiktokInstalled({page(u"/about"_s)}, 4, {u"C4SCRIPTID"_s}),
                     line(u"tracker_installed"_s, Severity::Medium, std::nullopt, u"google"_s, page(u"/"_s),
                          u"Google (Tag Manager, Analytics, Ads) is installed"_s,
                          installed({u"GTM-AB12CD"_s}, {page(u"/"_s), page(u"/about"_s)}, 2)),
                     line(u"tracker_installed"_s, Severity::Medium, std::nullopt, u"meta"_s, page(u"/"_s),
                          u"Meta (Facebook) Pixel is installed"_s, installed({}, {page(u"/"_s)}, 1))}));
}

void TestFindingEngine::consentFindings()
{
    const QString tiktokScript = u"https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C4CONSENT"_s;
    const QString metaScript = u"https://connect.facebook.net/en_US/fbevents.js"_s;
    ScanResult result;
    result.requests = {
        request(1, page(u"/"_s), ConsentState::None, tiktokScript),
        request(2, page(u"/about"_s), ConsentState::None, tiktokScript),
        request(3, page(u"/"_s), ConsentState::Rejected, tiktokScript),
        request(4, page(u"/about"_s), ConsentState::Rejected, tiktokScript),
        request(5, page(u"/"_s), ConsentState::Rejected, metaScript),
        request(6, page(u"/"_s), ConsentState::Accepted, tiktokScript),
        request(7, page(u"/"_s), ConsentState::Accepted, metaScript),
        request(8, page(u"/about"_s), ConsentState::Gpc, tiktokScript),
        request(9, page(u"/"_s), ConsentState::Gpc, page(u"/assets/site.js"_s)),
    };
    auto evidence = [&](int id) {
        return QJsonObject{{u"request_id"_s, id}, {u"url"_s, result.requests.at(id - 1).url}};
    };
    COMPARE_FINDINGS(
        evaluate(result),
        (QStringList{
            line(u"tracking_after_reject"_s, Severity::Critical, ConsentState::Rejected, u"tiktok"_s, page(u"/"_s),
                 u"TikTok still loads after the visitor rejected advertising cookies"_s, evidence(3)),
            line(u"tracking_after_reject"_s, Severity::Critical, ConsentState::Rejected, u"meta"_s, page(u"/"_s),
                 u"Meta (Facebook) Pixel still loads after the visitor rejected advertising cookies"_s, evidence(5)),
            tiktokInstalled({page(u"/"_s), page(u"/about"_s)}, 1, {u"C4CONSENT"_s}),
            line(u"gpc_ignored"_s, Severity::High, ConsentState::Gpc, u"tiktok"_s, page(u"/about"_s),
                 u"TikTok loads although the browser sends Global Privacy Control"_s, evidence(8)),
            line(u"tracker_installed"_s, Severity::Medium, std::nullopt, u"meta"_s, page(u"/"_s),
                 u"Meta (Facebook) Pixel is installed"_s, installed({}, {page(u"/"_s)}, 5)),
            line(u"tracking_before_consent"_s, Severity::Medium, ConsentState::None, u"tiktok"_s, page(u"/"_s),
                 u"TikTok loads before the visitor has made any consent choice"_s, evidence(1)),
        }));

    // Only accepted: trackers are installed, but no consent finding.
    result.requests = {request(6, page(u"/"_s), ConsentState::Accepted, tiktokScript)};
    COMPARE_FINDINGS(evaluate(result), QStringList{tiktokInstalled({page(u"/"_s)}, 6, {u"C4CONSENT"_s})});
}

void TestFindingEngine::cookieFindings()
{
    auto cookie = [](const QString& name, const QString& domain, const QString& vendor, ConsentState state,
                     const QString& pageUrl) {
        return ScanCookie{name, domain, vendor, state, u"2027-01-01T00:00:00Z"_s, pageUrl};
    };
    ScanResult result;
    result.cookies = {
        cookie(u"_ttp"_s, u".northside.example"_s, u"tiktok"_s, ConsentState::None, QString()),
        cookie(u"_tt_enable_cookie"_s, u".northside.example"_s, u"tiktok"_s, ConsentState::None, page(u"/"_s)),
        cookie(u"ttcsid"_s, u".tiktok.com"_s, u"tiktok"_s, ConsentState::None, page(u"/about"_s)),
        cookie(u"_ttp"_s, u".northside.example"_s, u"tiktok"_s, ConsentState::Rejected, page(u"/"_s)),
        cookie(u"_fbp"_s, u".northside.example"_s, u"meta"_s, ConsentState::Gpc, page(u"/book"_s)),
        cookie(u"_ttp"_s, u".northside.example"_s, u"tiktok"_s, ConsentState::Accepted, page(u"/"_s)),
        cookie(u"session"_s, u"northside.example"_s, QString(), ConsentState::Rejected, page(u"/"_s)),
    };
    auto cookies = [](const QStringList& names, const QStringList& domains) {
        return QJsonObject{{u"cookies"_s, QJsonArray::fromStringList(names)},
                           {u"domains"_s, QJsonArray::fromStringList(domains)}};
    };
    const QList<Finding> findings = evaluate(result);
    COMPARE_FINDINGS(
        findings,
        (QStringList{
            line(u"tracker_cookie_set"_s, Severity::High, ConsentState::Rejected, u"tiktok"_s, page(u"/"_s),
                 u"TikTok set the cookie _ttp"_s, cookies({u"_ttp"_s}, {u".northside.example"_s})),
            line(u"tracker_cookie_set"_s, Severity::High, ConsentState::Gpc, u"meta"_s, page(u"/book"_s),
                 u"Meta (Facebook) Pixel set the cookie _fbp"_s, cookies({u"_fbp"_s}, {u".northside.example"_s})),
            line(u"tracker_cookie_set"_s, Severity::Medium, ConsentState::None, u"tiktok"_s, page(u"/"_s),
                 u"TikTok set the cookies _ttp, _tt_enable_cookie and ttcsid"_s,
                 cookies({u"_ttp"_s, u"_tt_enable_cookie"_s, u"ttcsid"_s},
                         {u".northside.example"_s, u".tiktok.com"_s})),
            line(u"tracker_cookie_set"_s, Severity::Low, ConsentState::Accepted, u"tiktok"_s, page(u"/"_s),
                 u"TikTok set the cookie _ttp"_s, cookies({u"_ttp"_s}, {u".northside.example"_s})),
        }));
    QVERIFY(findings.first().remediation.contains(u"only after consent"_s));
}

void TestFindingEngine::eventsApiToken_data()
{
    QTest::addColumn<ScanResult>("result");
    QTest::addColumn<QList<PageObservation>>("observations");
    QTest::addColumn<QStringList>("expected");

    const QString title = u"The page calls TikTok's Events API from the browser, exposing the access token"_s;
    {
        ScanResult result;
        CapturedRequest proxy = request(12, page(u"/book"_s), ConsentState::Rejected, page(u"/api/track"_s), u"fetch"_s);
        proxy.method = u"POST"_s;
        proxy.accessTokenHeader = true;
        result.requests = {request(11, page(u"/book"_s), ConsentState::Rejected, page(u"/assets/site.js"_s)), proxy};
        QTest::addRow("Access-Token header")
            << result << QList<PageObservation>{}
            << QStringList{line(u"events_api_token_exposed"_s, Severity::Critical, ConsentState::Rejected,
                                u"tiktok"_s, page(u"/book"_s), title,
                                QJsonObject{{u"request_id"_s, 12}, {u"url"_s, page(u"/api/track"_s)}})};
    }
    {
        const QString api = u"https://business-api.tiktok.com/open_api/v1.3/event/track/"_s;
        ScanResult result;
        result.requests = {request(3, page(u"/book/thanks"_s), ConsentState::Accepted, api, u"xhr"_s),
                           request(4, page(u"/"_s), ConsentState::Accepted, api, u"xhr"_s)};
        QTest::addRow("business-api.tiktok.com")
            << result << QList<PageObservation>{}
            << QStringList{line(u"events_api_token_exposed"_s, Severity::Critical, ConsentState::Accepted,
                                u"tiktok"_s, page(u"/book/thanks"_s), title,
                                QJsonObject{{u"request_id"_s, 3}, {u"url"_s, api}})};
    }
    {
        PageObservation observation;
        observation.pageUrl = page(u"/contact"_s);
        observation.consentState = ConsentState::Gpc;
        observation.accessTokenInPage = true;
        PageObservation clean;
        clean.pageUrl = page(u"/"_s);
        QTest::addRow("token in the page")
            << ScanResult() << QList<PageObservation>{clean, observation}
            << QStringList{line(u"events_api_token_exposed"_s, Severity::Critical, ConsentState::Gpc, u"tiktok"_s,
                                page(u"/contact"_s), u"A TikTok Events API access token is written into the page"_s,
                                QJsonObject{{u"field"_s, u"page source"_s}})};
    }
    {
        ScanResult result;
        result.requests = {request(1, page(u"/"_s), ConsentState::Accepted,
                                   u"https://ads.tiktok.com/open_api/v1.3/event/track/"_s, u"xhr"_s)};
        QTest::addRow("other TikTok host") << result << QList<PageObservation>{} << QStringList{};
    }
}

void TestFindingEngine::eventsApiToken()
{
    QFETCH(ScanResult, result);
    QFETCH(QList<PageObservation>, observations);
    QFETCH(QStringList, expected);
    QList<Finding> findings = evaluate(result, observations);
    // This test is about the token; the tag findings of the same requests are tested elsewhere.
    findings.removeIf([](const Finding& f) {
        return f.code == "tracker_installed"_L1 || f.code == "tiktok_pixel_installed"_L1
               || f.code.startsWith(u"tracking_"_s) || f.code == "gpc_ignored"_L1;
    });
    COMPARE_FINDINGS(findings, expected);
    if (!findings.isEmpty())
        QVERIFY(findings.first().remediation.startsWith(u"Revoke the access token"_s));
}

void TestFindingEngine::cleanPageHasNoFindings()
{
    ScanResult result;
    result.pages = {{page(u"/"_s), 200, u"Northside Family Practice"_s, ConsentState::None, 0, {}, {}}};
    result.requests = {
        request(1, page(u"/"_s), ConsentState::None, page(u"/"_s), u"document"_s),
        request(2, page(u"/"_s), ConsentState::None, page(u"/assets/site.js"_s)),
        request(3, page(u"/"_s), ConsentState::Rejected, u"https://cdn.jsdelivr.net/npm/alpinejs@3/dist/cdn.min.js"_s),
    };
    result.cookies = {{u"session"_s, u"northside.example"_s, QString(), ConsentState::None, QString(), page(u"/"_s)}};
    result.storage = {{site, u"local"_s, u"theme"_s, QString(), ConsentState::None}};
    PageObservation observation;
    observation.pageUrl = page(u"/"_s);
    for (const CapturedRequest& r : std::as_const(result.requests))
        QVERIFY2(r.vendor.isEmpty(), qPrintable(r.url));
    COMPARE_FINDINGS(evaluate(result, {observation}), QStringList{});
    COMPARE_FINDINGS(evaluate({}, {}), QStringList{});
}

void TestFindingEngine::sortedBySeverity()
{
    ScanResult result;
    result.requests = {request(1, page(u"/"_s), ConsentState::None,
                               u"https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C4SORT"_s)};
    result.cookies = {{u"_ttp"_s, u".northside.example"_s, u"tiktok"_s, ConsentState::Accepted, QString(), QString()}};
    TrackerEvent event = tiktokEvent(1, page(u"/services/semaglutide"_s), ConsentState::None, u"Pageview"_s);
    result.trackerEvents = {event};
    QStringList codes;
    QList<Severity> severities;
    for (const Finding& f : evaluate(result)) {
        codes.append(f.code);
        severities.append(f.severity);
    }
    QCOMPARE(codes, (QStringList{u"health_context_sent"_s, u"tiktok_pixel_installed"_s, u"tracking_before_consent"_s,
                                 u"tracker_cookie_set"_s}));
    QCOMPARE(severities, (QList<Severity>{Severity::Critical, Severity::High, Severity::Medium, Severity::Low}));
}

QTEST_GUILESS_MAIN(TestFindingEngine)
#include "TestFindingEngine.moc"
