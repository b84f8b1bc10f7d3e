// SPDX-License-Identifier: GPL-3.0-or-later
// The documented snippet (docs/relay.md) on a real page in the embedded browser, against the relay in process:
// what the collector sends, what it keeps first-party, and that Global Privacy Control silences it.
#include "relay/RelayService.h"
#include "rules/RuleTemplates.h"
#include "scan/demo/LocalSiteServer.h"
#include "storage/Workspace.h"
#include "storage/WorkspaceSettings.h"
#include "storage/WorkspaceSetup.h"

#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

/// What the relay delivered, recorded on its writer thread.
struct Delivered
{
    QMutex lock;
    QList<QJsonObject> items;
    QList<QJsonObject> all()
    {
        const QMutexLocker locker(&lock);
        return items;
    }
};

class RecordingTransport final : public HttpTransport
{
public:
    explicit RecordingTransport(std::shared_ptr<Delivered> delivered) : m_delivered(std::move(delivered)) {}
    void post(const QUrl&, const Headers&, const QByteArray& body, int, std::function<void(HttpResult)> done) override
    {
        {
            const QMutexLocker locker(&m_delivered->lock);
            for (const QJsonValue& item : QJsonDocument::fromJson(body).object().value("data"_L1).toArray())
                m_delivered->items.append(item.toObject());
        }
        QTimer::singleShot(0, [done = std::move(done)] {
            done(HttpResult{200, R"({"code":0,"message":"OK","request_id":"r","data":null})", {}});
        });
    }

private:
    std::shared_ptr<Delivered> m_delivered;
};

QString pageHtml(quint16 relayPort, const QString& key, const QString& title)
{
    // The snippet exactly as docs/relay.md gives it, plus a heading.
    return u"<!doctype html><html><head><meta charset=\"utf-8\"><title>%3</title>\n"
           "<script src=\"http://127.0.0.1:%1/cs.js\" data-key=\"%2\" async></script>\n"
           "<script>\n"
           "  window.clearsignal = window.clearsignal || {q: []};\n"
           "  clearsignal.track = clearsignal.track || function () { clearsignal.q.push([\"track\", arguments]); };\n"
           "  clearsignal.consent = clearsignal.consent || function () { clearsignal.q.push([\"consent\", arguments]); };\n"
           "</script></head><body><h1>%3</h1></body></html>\n"_s.arg(relayPort)
        .arg(key, title);
}

} // namespace

class TestCollectorScript final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sendsConsentAndEventsFirstParty();
    void globalPrivacyControlSendsNothing();
    void resendsAConsentAnswerUntilTheRelayConfirmsIt();
    void cleanupTestCase();

private:
    bool load(QWebEnginePage& page, const QString& path);
    QVariant run(QWebEnginePage& page, const QString& script);
    QJsonObject health();

    QTemporaryDir m_dir;
    std::unique_ptr<LocalSiteServer> m_site;
    std::unique_ptr<RelayService> m_relay;
    std::shared_ptr<Delivered> m_delivered = std::make_shared<Delivered>();
    QString m_key;
};

void TestCollectorScript::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(m_dir.filePath(u"site/book"_s)));
    m_site = std::make_unique<LocalSiteServer>(m_dir.filePath(u"site"_s));
    QVERIFY(m_site->listen());
    const QString origin = m_site->siteUrl().adjusted(QUrl::RemovePath).toString();

    const QString path = m_dir.filePath(u"site.csdb"_s);
    RuleSet rules = *RuleTemplates::load(u"med-spa"_s).rules;
    rules.pixelId = u"CTESTPIXEL0000000001"_s;
    rules.siteOrigins = {origin};
    const Expected<WorkspaceSettings> created =
        createSiteWorkspace(path, WorkspaceSettings(), rules, {u"test"_s, u"test"_s, 1});
    QVERIFY(created);
    m_key = created->ingestKey;

    m_relay = std::make_unique<RelayService>();
    RelayOptions options;
    options.listen = u"127.0.0.1:0"_s;
    options.accessToken = u"token"_s;
    const std::shared_ptr<Delivered> delivered = m_delivered;
    const Status started = m_relay->start(path, options, [delivered] {
        return std::make_unique<RecordingTransport>(delivered);
    });
    QVERIFY2(started, qPrintable(started.errorMessage()));

    for (const QString& page : {u"index.html"_s, u"book/index.html"_s}) {
        QFile file(m_dir.filePath(u"site/"_s + page));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(pageHtml(m_relay->port(), m_key, page.startsWith(u"book"_s) ? u"Book"_s : u"Home"_s).toUtf8());
    }
}

void TestCollectorScript::cleanupTestCase()
{
    m_relay.reset();
    m_site.reset();
}

bool TestCollectorScript::load(QWebEnginePage& page, const QString& path)
{
    QSignalSpy loaded(&page, &QWebEnginePage::loadFinished);
    page.load(m_site->siteUrl().resolved(QUrl(path)));
    if (!loaded.wait(20000) || !loaded.first().first().toBool())
        return false;
    // cs.js loads async: wait until it replaced the stub.
    for (int i = 0; i < 100; ++i) {
        if (run(page, u"typeof clearsignal.visitorId === 'function'"_s).toBool())
            return true;
        QTest::qWait(50);
    }
    return false;
}

QVariant TestCollectorScript::run(QWebEnginePage& page, const QString& script)
{
    QVariant result;
    bool done = false;
    page.runJavaScript(script, [&](const QVariant& value) {
        result = value;
        done = true;
    });
    for (int waited = 0; !done && waited < 10000; waited += 20)
        QTest::qWait(20);
    return result;
}

QJsonObject TestCollectorScript::health()
{
    return m_relay->health();
}

void TestCollectorScript::sendsConsentAndEventsFirstParty()
{
    QWebEngineProfile profile; // off the record: no cookies from elsewhere
    QWebEnginePage page(&profile);
    // The visitor lands from a TikTok ad: the click id is in the address.
    QVERIFY(load(page, u"/?ttclid=E.C.P.fromTheAd&utm_source=tiktok"_s));
    const QString visitor = run(page, u"clearsignal.visitorId()"_s).toString();
    QVERIFY2(visitor.size() >= 32, qPrintable(visitor));

    // Before consent, the relay drops the event (default policy: a recorded grant is needed).
    run(page, u"clearsignal.track('Lead', {value: 1, currency: 'USD'}, {event_id: 'before-consent'})"_s);
    QTRY_COMPARE_WITH_TIMEOUT(health().value("dropped"_L1).toObject().value("no_consent"_L1).toInt(), 1, 10000);

    run(page, u"clearsignal.consent(true, 'banner')"_s);
    QTRY_COMPARE_WITH_TIMEOUT(health().value("consent_updates"_L1).toInt(), 1, 10000);
    QCOMPARE(run(page, u"clearsignal.track('Schedule', {value: 150, currency: 'USD'}, {event_id: 'booking-1'})"_s)
                 .toString(),
             u"booking-1"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_delivered->all().size(), 1, 10000);
    QJsonObject sent = m_delivered->all().constFirst();
    QCOMPARE(sent.value("event"_L1).toString(), u"Schedule"_s);
    QCOMPARE(sent.value("event_id"_L1).toString(), u"booking-1"_s);
    QCOMPARE(sent.value("user"_L1).toObject(), (QJsonObject{{u"ttclid"_s, u"E.C.P.fromTheAd"_s}}));
    QCOMPARE(sent.value("page"_L1).toObject().value("url"_L1).toString(),
             m_site->siteUrl().adjusted(QUrl::RemovePath).toString() + u'/'); // the med-spa rules send the origin
    QCOMPARE(sent.value("properties"_L1).toObject(), (QJsonObject{{u"value"_s, 150}, {u"currency"_s, u"USD"_s}}));

    // The next page has no click id in its address: the collector kept it, and the same visitor id, first-party.
    QVERIFY(load(page, u"/book/"_s));
    QCOMPARE(run(page, u"clearsignal.visitorId()"_s).toString(), visitor);
    run(page, u"clearsignal.track('Lead', {}, {event_id: 'booking-2'})"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_delivered->all().size(), 2, 10000);
    sent = m_delivered->all().at(1);
    QCOMPARE(sent.value("event_id"_L1).toString(), u"booking-2"_s);
    QCOMPARE(sent.value("user"_L1).toObject().value("ttclid"_L1).toString(), u"E.C.P.fromTheAd"_s);
    // An event without an id of the site's own gets one from the collector.
    run(page, u"window.lastId = clearsignal.track('Contact')"_s);
    const QString generated = run(page, u"window.lastId"_s).toString();
    QVERIFY2(generated.size() >= 32, qPrintable(generated));
    QTRY_COMPARE_WITH_TIMEOUT(m_delivered->all().size(), 3, 10000);
    QCOMPARE(m_delivered->all().at(2).value("event_id"_L1).toString(), generated);
}

void TestCollectorScript::globalPrivacyControlSendsNothing()
{
    QWebEngineProfile profile;
    QWebEnginePage page(&profile);
    // Chromium 102 has no GPC switch: the signal a GPC browser exposes is put in place before any page script.
    QWebEngineScript gpc;
    gpc.setName(u"gpc"_s);
    gpc.setInjectionPoint(QWebEngineScript::DocumentCreation);
    gpc.setWorldId(QWebEngineScript::MainWorld);
    gpc.setSourceCode(u"Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});"_s);
    page.scripts().insert(gpc);
    QVERIFY(load(page, u"/"_s));
    const int received = health().value("received"_L1).toInt();
    QVERIFY(run(page, u"navigator.globalPrivacyControl === true"_s).toBool());
    QCOMPARE(run(page, u"String(clearsignal.track('Schedule', {value: 5}))"_s).toString(), u"undefined"_s);
    const int consents = health().value("consent_updates"_L1).toInt();
    run(page, u"clearsignal.consent(true, 'banner')"_s); // goes out, as a withdrawal
    QTRY_COMPARE_WITH_TIMEOUT(health().value("consent_updates"_L1).toInt(), consents + 1, 10000);
    // The consent beacon left after the track() call; had the event been sent, it would have arrived first.
    QCOMPARE(health().value("received"_L1).toInt(), received);
}

void TestCollectorScript::resendsAConsentAnswerUntilTheRelayConfirmsIt()
{
    QWebEngineProfile profile;
    QWebEnginePage page(&profile);
    QVERIFY(load(page, u"/"_s));
    // A withdrawal given on this page whose request was lost (the tab closed, the network dropped): it is still in
    // the first-party cookie, so the next page sends it again and forgets it once the relay confirmed it.
    run(page, u"document.cookie = 'cs_consent=' + encodeURIComponent(JSON.stringify("
              "{visitor_id: clearsignal.visitorId(), ads: false, source: 'banner'})) + '; Path=/'"_s);
    const int updates = health().value("consent_updates"_L1).toInt();
    QVERIFY(load(page, u"/book/"_s));
    QTRY_COMPARE_WITH_TIMEOUT(health().value("consent_updates"_L1).toInt(), updates + 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(run(page, u"document.cookie.indexOf('cs_consent=') < 0"_s).toBool(), 10000);
    // A confirmed answer is not sent again.
    QVERIFY(load(page, u"/"_s));
    QTest::qWait(300);
    QCOMPARE(health().value("consent_updates"_L1).toInt(), updates + 1);
}

int main(int argc, char* argv[])
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QGuiApplication app(argc, argv);
    TestCollectorScript test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestCollectorScript.moc"
