// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: the real embedded browser scans sites served on loopback (the bundled demo clinic, a fixture
// site with every installation pattern, a site of hostile pages) and the results are compared line by line
// with expected files. CLEARSIGNAL_UPDATE_GOLDEN=1 rewrites those files; review the diff before committing.
#include "ScanDigest.h"

#include "scan/SiteScanner.h"
#include "scan/capture/DevToolsConnection.h"
#include "scan/demo/LocalSiteServer.h"
#include "scan/model/ScanResultJson.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

QString dataPath(const QString& relative)
{
    return QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/") + relative;
}

/// Runs a scan to its end (at most limitMs) and returns the result. CLEARSIGNAL_SCAN_DUMP=DIR keeps each
/// result as DIR/<test>.json for a look when an expected file disagrees.
ScanResult scan(ScanSettings settings, int limitMs = 240000)
{
    SiteScanner scanner(std::move(settings));
    QSignalSpy finished(&scanner, &SiteScanner::finished);
    scanner.start();
    if (finished.isEmpty() && !finished.wait(limitMs))
        qFatal("the scan did not finish within %d s", limitMs / 1000);
    const ScanResult result = finished.first().first().value<ScanResult>();
    if (const QString dump = qEnvironmentVariable("CLEARSIGNAL_SCAN_DUMP"); !dump.isEmpty()) {
        QFile file(dump + u'/' + QString::fromLatin1(QTest::currentTestFunction()) + u".json"_s);
        if (file.open(QIODevice::WriteOnly))
            file.write(ScanResultJson::serialize(result));
    }
    return result;
}

void compareWithExpected(const QStringList& actual, const QString& expectedFile)
{
    const QString path = dataPath(expectedFile);
    if (qEnvironmentVariableIntValue("CLEARSIGNAL_UPDATE_GOLDEN") == 1) {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(actual.join(u'\n').toUtf8() + '\n');
        return;
    }
    QFile in(path);
    QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(path));
    const QStringList expected = QString::fromUtf8(in.readAll()).split(u'\n', Qt::SkipEmptyParts);
    QStringList missing;
    QStringList unexpected;
    for (const QString& line : expected) {
        if (!actual.contains(line))
            missing.append(line);
    }
    for (const QString& line : actual) {
        if (!expected.contains(line))
            unexpected.append(line);
    }
    QVERIFY2(missing.isEmpty() && unexpected.isEmpty(),
             qPrintable(u"%1 differs.\nMissing:\n  %2\nUnexpected:\n  %3"_s.arg(
                 expectedFile, missing.join(u"\n  "_s), unexpected.join(u"\n  "_s))));
}

bool hasFinding(const ScanResult& result, const QString& code, const QString& pagePath)
{
    return std::any_of(result.findings.begin(), result.findings.end(), [&](const Finding& finding) {
        return finding.code == code && QUrl(finding.pageUrl).path() == pagePath;
    });
}

} // namespace

class TestSiteScan : public QObject
{
    Q_OBJECT

private slots:
    void fixtureSite();
    void demoSiteWithFormsAndEveryConsentState();
    void hostilePagesEndWithAMessage();
    void unreachableSiteEndsWithAnError();
    void cancelKeepsWhatWasFound();
};

void TestSiteScan::fixtureSite()
{
    LocalSiteServer server(dataPath(u"sites/fixture"_s));
    QVERIFY(server.listen());
    ScanSettings settings;
    settings.startUrl = server.siteUrl();
    settings.forms = true;
    const ScanResult result = scan(settings);
    const QUrl site = server.siteUrl();

    // The points of the fixture, spelled out; the expected file pins down everything else.
    const auto event = [&](const QString& vendor, const QString& name) {
        return std::find_if(result.trackerEvents.begin(), result.trackerEvents.end(), [&](const TrackerEvent& e) {
            return e.vendor == vendor && e.event == name;
        });
    };
    const auto widget = event(u"tiktok"_s, u"Schedule"_s); // fired inside a cross-origin iframe
    QVERIFY(widget != result.trackerEvents.end());
    QCOMPARE(widget->pixelId, u"CFIXTUREWIDGETPX0002"_s);
    QVERIFY(widget->sentUrl.startsWith(server.thirdPartyUrl().toString()));
    QCOMPARE(QUrl(widget->pageUrl).path(), u"/iframe-host/"_s);
    QVERIFY(event(u"meta"_s, u"PageView"_s) != result.trackerEvents.end()); // GET image
    QVERIFY(event(u"meta"_s, u"Lead"_s) != result.trackerEvents.end());     // POST form
    QVERIFY(event(u"google"_s, u"page_view"_s) != result.trackerEvents.end());   // GA4 batch, first line
    QVERIFY(event(u"google"_s, u"view_item"_s) != result.trackerEvents.end());   // GA4 batch, second line
    QVERIFY(event(u"x"_s, u"pageview"_s) != result.trackerEvents.end());         // only the sitemap links there
    QVERIFY(event(u"tiktok"_s, u"CompletePayment"_s) != result.trackerEvents.end()); // text/plain beacon
    QVERIFY(hasFinding(result, u"events_api_token_exposed"_s, u"/events-api/"_s));
    QVERIFY(hasFinding(result, u"descriptive_event_name"_s, u"/descriptive/"_s));
    QVERIFY(hasFinding(result, u"form_data_sent"_s, u"/form/"_s));
    QVERIFY(hasFinding(result, u"health_context_sent"_s, u"/beacon/"_s));
    const bool pixelFromQueue = std::any_of(result.findings.begin(), result.findings.end(), [](const Finding& f) {
        return f.code == "tiktok_pixel_installed"_L1
               && f.evidence.value("pixel_ids"_L1).toArray().contains(u"CFIXTUREHOMEPIXEL001"_s);
    });
    QVERIFY(pixelFromQueue);
    for (const Finding& finding : result.findings)
        QVERIFY2(QUrl(finding.pageUrl).path() != "/clean/"_L1, qPrintable(finding.title));

    compareWithExpected(ScanDigest::all(result, site), u"sites/fixture.expected"_s);
}

void TestSiteScan::demoSiteWithFormsAndEveryConsentState()
{
    LocalSiteServer server(LocalSiteServer::demoRoot());
    QVERIFY(server.listen());
    ScanSettings settings;
    settings.startUrl = server.siteUrl();
    settings.forms = true;
    settings.consentStates = {ConsentState::None, ConsentState::Rejected, ConsentState::Accepted, ConsentState::Gpc};
    const ScanResult result = scan(settings);

    QCOMPARE(result.pages.size(), 13 * 4);
    for (const QString& clean : {u"/about/"_s, u"/privacy/"_s, u"/careers/"_s}) {
        for (const Finding& finding : result.findings)
            QVERIFY2(QUrl(finding.pageUrl).path() != clean, qPrintable(clean + u": "_s + finding.title));
    }
    // The consent-gated Pinterest tag loads only after "Accept all".
    for (const CapturedRequest& request : result.requests) {
        if (request.vendor == "pinterest"_L1)
            QCOMPARE(request.consentState, ConsentState::Accepted);
    }
    QCOMPARE(result.settings.value("consent_banner_clicked"_L1).toObject().value("rejected"_L1).toString(),
             u"reject all"_s);
    compareWithExpected(ScanDigest::findings(result, server.siteUrl()), u"sites/demo.expected"_s);
}

void TestSiteScan::hostilePagesEndWithAMessage()
{
    LocalSiteServer server(dataPath(u"sites/hostile"_s));
    QVERIFY(server.listen());
    ScanSettings settings;
    settings.startUrl = server.siteUrl();
    // Long enough for the 3 MB page on a busy 2-core CI machine, short enough to keep the test quick.
    settings.timings.pageTimeoutMs = 12000;
    QElapsedTimer clock;
    clock.start();
    const ScanResult result = scan(settings, 120000);
    QVERIFY2(clock.elapsed() < 90000, "hostile pages must not hold the scan much longer than their timeouts");
    QVERIFY(!result.stoppedEarly);
    const auto page = [&](const QString& path) {
        return std::find_if(result.pages.begin(), result.pages.end(),
                            [&](const ScanPage& p) { return QUrl(p.url).path() == path; });
    };
    // Each failure says what happened, in words a practice manager can act on.
    const QList<std::pair<QString, QString>> failures = {
        {u"/loop"_s, u"the page redirects in a loop (net::ERR_TOO_MANY_REDIRECTS)"_s},
        {u"/endless-script/"_s, u"the page did not finish within 12 s"_s},
        {u"/drip/"_s, u"the page did not finish within 12 s"_s},
        {u"/never/"_s, u"the page did not finish within 12 s"_s},
        {u"/tls/"_s, u"a secure (TLS) connection to the site could not be made (net::ERR_SSL_PROTOCOL_ERROR)"_s},
        {u"/download"_s, u"the address is a file download, not a page"_s},
    };
    for (const auto& [path, message] : failures) {
        const auto it = page(path);
        QVERIFY2(it != result.pages.end(), qPrintable(path));
        QCOMPARE(it->error, message);
    }
    // An error status or a script that navigates to mailto: is not a failure: the page is scanned.
    QCOMPARE(page(u"/missing/"_s)->status, 404);
    QCOMPARE(page(u"/missing/"_s)->error, QString());
    QCOMPARE(page(u"/alerts/"_s)->error, QString());
    // The scan went on past all of that and still found the pixel on the ordinary page.
    QVERIFY(std::any_of(result.trackerEvents.begin(), result.trackerEvents.end(),
                        [](const TrackerEvent& e) { return e.pixelId == "CHOSTILEOKPIXEL00001"_L1; }));
    compareWithExpected(ScanDigest::pages(result, server.siteUrl()), u"sites/hostile.expected"_s);
}

void TestSiteScan::unreachableSiteEndsWithAnError()
{
    QTcpServer probe; // a port that was free a moment ago: nothing listens there now
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    ScanSettings settings;
    settings.startUrl = QUrl(u"http://127.0.0.1:%1/"_s.arg(port));
    const ScanResult result = scan(settings, 60000);
    QCOMPARE(result.pages.size(), 1);
    QCOMPARE(result.pages.first().status, 0);
    QVERIFY(result.pages.first().error.contains(u"ERR_CONNECTION_REFUSED"_s));
    QVERIFY(result.findings.isEmpty());
}

void TestSiteScan::cancelKeepsWhatWasFound()
{
    LocalSiteServer server(LocalSiteServer::demoRoot());
    QVERIFY(server.listen());
    ScanSettings settings;
    settings.startUrl = server.siteUrl();
    SiteScanner scanner(settings);
    QSignalSpy finished(&scanner, &SiteScanner::finished);
    connect(&scanner, &SiteScanner::pageFinished, &scanner, [&] { scanner.cancel(); }, Qt::SingleShotConnection);
    scanner.start();
    QVERIFY(finished.wait(60000));
    const ScanResult result = finished.first().first().value<ScanResult>();
    QVERIFY(result.stoppedEarly);
    QVERIFY(!result.pages.isEmpty());
    QVERIFY(result.pages.size() < 13);
    QCOMPARE(QUrl(result.pages.first().url).path(), u"/"_s);
}

int main(int argc, char* argv[])
{
    // The browser's DevTools port must be chosen before the application object exists.
    DevToolsConnection::prepareEnvironment();
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QGuiApplication app(argc, argv);
    TestSiteScan test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestSiteScan.moc"
