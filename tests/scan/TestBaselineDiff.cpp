// SPDX-License-Identifier: GPL-3.0-or-later
#include "scan/findings/BaselineDiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestBaselineDiff : public QObject
{
    Q_OBJECT

private slots:
    void reportsWhatIsNew_data();
    void reportsWhatIsNew();
    void keepsExistingFindings();
};

namespace {

const QString site = u"https://northside.example"_s;
const QString tiktokScript = u"https://analytics.tiktok.com/i18n/pixel/events.js"_s;
const QString gtm = u"https://www.googletagmanager.com/gtm.js"_s;

QString page(const QString& path)
{
    return site + path;
}

CapturedRequest script(int id, const QString& pageUrl, const QString& url, const QString& sha256,
                       const QString& vendor = QString())
{
    CapturedRequest r;
    r.id = id;
    r.pageUrl = pageUrl;
    r.url = url;
    r.method = u"GET"_s;
    r.resourceType = u"script"_s;
    r.thirdParty = !url.startsWith(site);
    r.vendor = vendor;
    r.contentSha256 = sha256;
    return r;
}

TrackerEvent trackerEvent(int requestId, const QString& pageUrl, const QString& vendor, const QString& pixelId,
                   const QString& name)
{
    TrackerEvent e;
    e.requestId = requestId;
    e.vendor = vendor;
    e.pixelId = pixelId;
    e.event = name;
    e.pageUrl = pageUrl;
    return e;
}

Finding healthFinding(const QString& code, const QString& vendor, const QString& pageUrl, const QString& term)
{
    return {code, Severity::Critical, u"..."_s, pageUrl, vendor, ConsentState::None,
            QJsonObject{{u"term"_s, term}, {u"category"_s, u"medication"_s}}, u"..."_s};
}

/// The approved scan: TikTok and GTM on two pages, the site's own script, one health term sent.
ScanResult baselineScan()
{
    ScanResult scan;
    scan.startUrl = page(u"/"_s);
    scan.requests = {
        script(1, page(u"/"_s), tiktokScript + u"?sdkid=C4BASE&lib=ttq"_s, u"aa11"_s, u"tiktok"_s),
        // Two containers from one loader URL, with different content.
        script(2, page(u"/"_s), gtm + u"?id=GTM-AAAA"_s, u"bb22"_s, u"google"_s),
        script(3, page(u"/"_s), gtm + u"?id=GTM-BBBB"_s, u"ee55"_s, u"google"_s),
        script(4, page(u"/"_s), page(u"/assets/site.js?v=1"_s), u"cc33"_s),
        script(5, page(u"/"_s), u"https://cdn.jsdelivr.net/npm/alpinejs@3/dist/cdn.min.js?t=1700000000"_s,
               u"dd44"_s),
        script(6, page(u"/about"_s), tiktokScript + u"?sdkid=C4BASE&lib=ttq"_s, u"aa11"_s, u"tiktok"_s),
    };
    scan.trackerEvents = {trackerEvent(7, page(u"/"_s), u"tiktok"_s, u"C4BASE"_s, u"Pageview"_s),
                          trackerEvent(8, page(u"/about"_s), u"tiktok"_s, u"C4BASE"_s, u"ViewContent"_s),
                          trackerEvent(9, page(u"/"_s), u"google"_s, u"G-BASE"_s, u"page_view"_s)};
    scan.findings = {
        healthFinding(u"health_context_sent"_s, u"tiktok"_s, page(u"/services/semaglutide"_s), u"semaglutide"_s),
        {u"tiktok_pixel_installed"_s, Severity::High, u"..."_s, page(u"/"_s), u"tiktok"_s, std::nullopt,
         QJsonObject{{u"pixel_ids"_s, QJsonArray{u"C4BASE"_s, u"C4INPAGE"_s}}}, u"..."_s},
    };
    return scan;
}

QString describe(const Finding& f)
{
    return f.code + u" | "_s + severityName(f.severity) + u" | "_s + f.vendor + u" | "_s + f.pageUrl + u" | "_s
           + f.title + u" | "_s + QString::fromUtf8(QJsonDocument(f.evidence).toJson(QJsonDocument::Compact));
}

QString expect(const QString& code, Severity severity, const QString& vendor, const QString& pageUrl,
               const QString& title, const QJsonObject& evidence)
{
    Finding f{code, severity, title, pageUrl, vendor, std::nullopt, evidence, {}};
    return describe(f);
}

} // namespace

Q_DECLARE_METATYPE(ClearSignal::ScanResult)

void TestBaselineDiff::reportsWhatIsNew_data()
{
    QTest::addColumn<ScanResult>("current");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("same scan") << baselineScan() << QStringList{};
    {
        // Other request ids, other order, other pages and consent states, and the same scripts with
        // other query strings (cache busters): nothing that needs review.
        ScanResult scan = baselineScan();
        std::reverse(scan.requests.begin(), scan.requests.end());
        std::reverse(scan.trackerEvents.begin(), scan.trackerEvents.end());
        for (CapturedRequest& r : scan.requests) {
            r.id += 100;
            r.pageUrl = page(u"/contact"_s);
            r.consentState = ConsentState::Rejected;
        }
        QCOMPARE(scan.requests[2].url, page(u"/assets/site.js?v=1"_s));
        scan.requests[2].url = page(u"/assets/site.js?v=2"_s);
        scan.requests[2].contentSha256 = u"ccNEW"_s; // the site's own script is the site's business
        scan.requests[0].url = tiktokScript + u"?sdkid=C4BASE&lib=ttq&cb=8812"_s;
        scan.requests[5].url = tiktokScript + u"?sdkid=C4BASE&lib=ttq#x"_s;
        scan.requests[1].url = u"https://cdn.jsdelivr.net/npm/alpinejs@3/dist/cdn.min.js?t=1800000000"_s;
        QTest::addRow("differences that do not matter") << scan << QStringList{};
    }
    {
        // A script that did not load this time (no content hash) is not a change.
        ScanResult scan = baselineScan();
        scan.requests[1].contentSha256.clear();
        QTest::addRow("script without content") << scan << QStringList{};
    }
    {
        // Two containers from the same loader URL: which one the browser fetched first does not matter.
        ScanResult scan = baselineScan();
        scan.requests.swapItemsAt(1, 2);
        QTest::addRow("two containers, other order") << scan << QStringList{};
    }
    {
        ScanResult scan = baselineScan();
        scan.requests.append(script(30, page(u"/book"_s), u"https://sc-static.net/scevent.min.js"_s, u"ff66"_s,
                                    u"snap"_s));
        QTest::addRow("new tracker")
            << scan
            << QStringList{expect(u"new_tracker"_s, Severity::High, u"snap"_s, page(u"/book"_s),
                                  u"A new tracker appeared: snap"_s, QJsonObject{{u"vendor"_s, u"snap"_s}}),
                           expect(u"new_third_party_script"_s, Severity::Medium, QString(), page(u"/book"_s),
                                  u"A new third-party script: https://sc-static.net/scevent.min.js"_s,
                                  QJsonObject{{u"url"_s, u"https://sc-static.net/scevent.min.js"_s},
                                              {u"content_sha256"_s, u"ff66"_s},
                                              {u"previous_sha256"_s, QString()}})};
    }
    {
        ScanResult scan = baselineScan();
        scan.trackerEvents.append(trackerEvent(40, page(u"/book"_s), u"tiktok"_s, u"C4SECOND"_s, u"Pageview"_s));
        // Known from the baseline's installation finding only (ttq.load in the page): not new.
        scan.trackerEvents.append(trackerEvent(41, page(u"/"_s), u"tiktok"_s, u"C4INPAGE"_s, u"Pageview"_s));
        // The same id under another vendor is another pixel.
        scan.trackerEvents.append(trackerEvent(42, page(u"/"_s), u"meta"_s, u"C4BASE"_s, u"PageView"_s));
        QTest::addRow("new pixel id")
            << scan
            << QStringList{expect(u"new_pixel_id"_s, Severity::High, u"meta"_s, page(u"/"_s),
                                  u"A new meta pixel id appeared: C4BASE"_s, QJsonObject{{u"pixel_id"_s, u"C4BASE"_s}}),
                           expect(u"new_pixel_id"_s, Severity::High, u"tiktok"_s, page(u"/book"_s),
                                  u"A new tiktok pixel id appeared: C4SECOND"_s,
                                  QJsonObject{{u"pixel_id"_s, u"C4SECOND"_s}}),
                           expect(u"new_event"_s, Severity::Medium, u"meta"_s, page(u"/"_s),
                                  u"meta receives a new event: PageView"_s, QJsonObject{{u"event"_s, u"PageView"_s}})};
    }
    {
        ScanResult scan = baselineScan();
        scan.trackerEvents.append(trackerEvent(50, page(u"/book/thank-you"_s), u"tiktok"_s, u"C4BASE"_s,
                                        u"CompleteRegistration"_s));
        scan.trackerEvents.append(trackerEvent(51, page(u"/"_s), u"tiktok"_s, u"C4BASE"_s, u"ViewContent"_s));
        QTest::addRow("new event")
            << scan
            << QStringList{expect(u"new_event"_s, Severity::Medium, u"tiktok"_s, page(u"/book/thank-you"_s),
                                  u"tiktok receives a new event: CompleteRegistration"_s,
                                  QJsonObject{{u"event"_s, u"CompleteRegistration"_s}})};
    }
    {
        ScanResult scan = baselineScan();
        scan.requests.append(script(60, page(u"/services"_s), u"https://cdn.example-widgets.com/chat.js?k=1"_s,
                                    u"1234"_s));
        scan.requests.append(script(61, page(u"/services"_s), page(u"/assets/new-first-party.js"_s), u"5678"_s));
        QTest::addRow("new third-party script")
            << scan
            << QStringList{expect(u"new_third_party_script"_s, Severity::Medium, QString(), page(u"/services"_s),
                                  u"A new third-party script: https://cdn.example-widgets.com/chat.js"_s,
                                  QJsonObject{{u"url"_s, u"https://cdn.example-widgets.com/chat.js"_s},
                                              {u"content_sha256"_s, u"1234"_s},
                                              {u"previous_sha256"_s, QString()}})};
    }
    {
        ScanResult scan = baselineScan();
        scan.requests[4].contentSha256 = u"dd99"_s;
        QTest::addRow("same script, other content")
            << scan
            << QStringList{expect(u"new_third_party_script"_s, Severity::Medium, QString(), page(u"/"_s),
                                  u"A third-party script changed: https://cdn.jsdelivr.net/npm/alpinejs@3/dist/cdn.min.js"_s,
                                  QJsonObject{{u"url"_s, u"https://cdn.jsdelivr.net/npm/alpinejs@3/dist/cdn.min.js"_s},
                                              {u"content_sha256"_s, u"dd99"_s},
                                              {u"previous_sha256"_s, u"dd44"_s}})};
    }
    {
        // A third container from the same loader: content the baseline never had.
        ScanResult scan = baselineScan();
        scan.requests.insert(2, script(70, page(u"/"_s), gtm + u"?id=GTM-CCCC"_s, u"ff77"_s, u"google"_s));
        QTest::addRow("loader URL with new content")
            << scan
            << QStringList{expect(u"new_third_party_script"_s, Severity::Medium, QString(), page(u"/"_s),
                                  u"A third-party script changed: https://www.googletagmanager.com/gtm.js"_s,
                                  QJsonObject{{u"url"_s, u"https://www.googletagmanager.com/gtm.js"_s},
                                              {u"content_sha256"_s, u"ff77"_s},
                                              {u"previous_sha256"_s, u"bb22"_s}})};
    }
    {
        ScanResult scan = baselineScan();
        scan.findings.append(healthFinding(u"health_context_sent"_s, u"tiktok"_s, page(u"/services/botox"_s),
                                           u"botox"_s));
        scan.findings.append(healthFinding(u"descriptive_event_name"_s, u"tiktok"_s, page(u"/book"_s), u"glp-1"_s));
        // Known term, other page: not new. Known term, other vendor: new.
        scan.findings.append(healthFinding(u"health_context_sent"_s, u"tiktok"_s, page(u"/semaglutide/faq"_s),
                                           u"semaglutide"_s));
        scan.findings.append(healthFinding(u"health_context_sent"_s, u"google"_s, page(u"/services/semaglutide"_s),
                                           u"semaglutide"_s));
        QTest::addRow("new health term")
            << scan
            << QStringList{expect(u"new_health_term"_s, Severity::Critical, u"google"_s,
                                  page(u"/services/semaglutide"_s),
                                  u"google now receives the health term \u201csemaglutide\u201d"_s,
                                  QJsonObject{{u"term"_s, u"semaglutide"_s}}),
                           expect(u"new_health_term"_s, Severity::Critical, u"tiktok"_s, page(u"/services/botox"_s),
                                  u"tiktok now receives the health term \u201cbotox\u201d"_s,
                                  QJsonObject{{u"term"_s, u"botox"_s}}),
                           expect(u"new_health_term"_s, Severity::Critical, u"tiktok"_s, page(u"/book"_s),
                                  u"tiktok now receives the health term \u201cglp-1\u201d"_s,
                                  QJsonObject{{u"term"_s, u"glp-1"_s}})};
    }
}

void TestBaselineDiff::reportsWhatIsNew()
{
    QFETCH(ScanResult, current);
    QFETCH(QStringList, expected);
    const qsizetype before = current.findings.size();
    BaselineDiff::addChanges(baselineScan(), current);
    QStringList added;
    for (qsizetype i = before; i < current.findings.size(); ++i) {
        const Finding& f = current.findings.at(i);
        added.append(describe(f));
        QVERIFY(!f.consentState);
        QVERIFY(f.remediation.contains(u"baseline"_s));
    }
    for (qsizetype i = 0; i < std::min(added.size(), expected.size()); ++i)
        QCOMPARE(added.at(i), expected.at(i));
    QCOMPARE(added, expected);
}

void TestBaselineDiff::keepsExistingFindings()
{
    ScanResult current = baselineScan();
    current.requests.append(script(9, page(u"/"_s), u"https://sc-static.net/scevent.min.js"_s, QString(), u"snap"_s));
    const QList<Finding> existing = current.findings;
    BaselineDiff::addChanges(baselineScan(), current);
    QCOMPARE(current.findings.size(), existing.size() + 2);
    for (qsizetype i = 0; i < existing.size(); ++i)
        QCOMPARE(describe(current.findings.at(i)), describe(existing.at(i)));
    // Against an empty baseline everything is new.
    ScanResult fresh = baselineScan();
    BaselineDiff::addChanges(ScanResult(), fresh);
    QStringList codes;
    for (const Finding& f : std::as_const(fresh.findings).mid(2))
        codes.append(f.code);
    QCOMPARE(codes, (QStringList{u"new_tracker"_s, u"new_tracker"_s, u"new_pixel_id"_s, u"new_pixel_id"_s,
                                 u"new_pixel_id"_s, u"new_event"_s, u"new_event"_s,
                                 u"new_event"_s, u"new_third_party_script"_s, u"new_third_party_script"_s,
                                 u"new_third_party_script"_s, u"new_health_term"_s}));
}

QTEST_GUILESS_MAIN(TestBaselineDiff)
#include "TestBaselineDiff.moc"
