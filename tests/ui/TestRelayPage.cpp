// SPDX-License-Identifier: GPL-3.0-or-later
#include "FakeEventsApi.h"
#include "pages/RelayPage.h"
#include "rules/RuleTemplates.h"
#include "secrets/AccessTokenSource.h"
#include "secrets/MemorySecretStore.h"
#include "storage/Workspace.h"
#include "storage/WorkspaceSettings.h"
#include "storage/WorkspaceSetup.h"
#include "rules/RuleSetJson.h"
#include "storage/RulesHistory.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QComboBox>
#include <QDialog>
#include <QInputDialog>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>
#include <QFileInfo>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString pixel = u"CTESTPIXEL0000000001"_s;
const QString token = u"ui-test-token"_s;

/// With CLEARSIGNAL_SCREENSHOTS=<dir>, saves what the test sees, for people reviewing the UI.
void saveScreenshot(QWidget& widget, const QString& name)
{
    const QString directory = qEnvironmentVariable("CLEARSIGNAL_SCREENSHOTS");
    if (!directory.isEmpty())
        widget.grab().save(directory + u'/' + name + u".png"_s);
}

/// One MemorySecretStore behind every store the page makes: the test sees what the page kept.
class SharedSecretStore final : public SecretStore
{
public:
    explicit SharedSecretStore(std::shared_ptr<MemorySecretStore> store) : m_store(std::move(store)) {}
    Expected<std::optional<QString>> read(const QString& key) override { return m_store->read(key); }
    Status write(const QString& key, const QString& value) override { return m_store->write(key, value); }
    Status remove(const QString& key) override { return m_store->remove(key); }

private:
    std::shared_ptr<MemorySecretStore> m_store;
};

/// Types `text` into the input dialog that opens next and accepts it, as a user would.
void answerNextInputDialog(const QString& text)
{
    QTimer::singleShot(0, [text] {
        auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        auto* edit = dialog->findChild<QLineEdit*>();
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Return);
    });
}

} // namespace

/// The Relay page driven as a user would: the address and its warning, start, a real event delivered to the fake
/// Events API with the counts on the page, stop, and the reason when a relay cannot start.
class TestRelayPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void warnsBeforeListeningBeyondThisComputer();
    void refusesAnAddressItCannotUse();
    void startsDeliversAndStops();
    void showsWhyTheRelayCannotStart();
    void keepsTheAccessTokenInTheSecretStore();
    void closingWhileStoppingLosesNothing();
    void createsAWorkspaceForASite();

private:
    QString createWorkspace(const QString& name);
    void typeListen(RelayPage& page, const QString& text);
    static quint16 listeningPort(const RelayPage& page);
    int post(quint16 port, const QString& path, const QByteArray& body);

    QTemporaryDir m_dir;
    Fakes::FakeEventsApi m_fake;
    QNetworkAccessManager m_network;
    QString m_key;
    QString m_path;
};

void TestRelayPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The token comes from the environment, as on a server: no keychain needed for this test.
    qputenv("CLEARSIGNAL_TIKTOK_TOKEN", token.toUtf8());
    m_fake.setAccessToken(token);
    QVERIFY(m_fake.listen());
}

void TestRelayPage::init()
{
    m_fake.reset();
    m_path = createWorkspace(QString::fromLatin1(QTest::currentTestFunction()) + u".csdb"_s);
    QVERIFY(!m_path.isEmpty());
}

QString TestRelayPage::createWorkspace(const QString& name)
{
    const QString path = m_dir.filePath(name);
    WorkspaceSettings settings;
    settings.endpoint = m_fake.endpoint().toString();
    RuleSet rules = *RuleTemplates::load(u"med-spa"_s).rules;
    rules.pixelId = pixel;
    rules.siteOrigins = {u"https://clinic.example"_s};
    const Expected<WorkspaceSettings> created = createSiteWorkspace(path, settings, rules, {u"test"_s, u"test"_s, 1});
    if (!created)
        return {};
    m_key = created->ingestKey;
    return path;
}

void TestRelayPage::typeListen(RelayPage& page, const QString& text)
{
    auto* listen = page.findChild<QLineEdit*>(u"listenEdit"_s);
    listen->selectAll();
    QTest::keyClick(listen, Qt::Key_Delete);
    QTest::keyClicks(listen, text);
}

quint16 TestRelayPage::listeningPort(const RelayPage& page)
{
    const QString status = page.findChild<QLabel*>(u"relayStatusLabel"_s)->text();
    const QRegularExpressionMatch match = QRegularExpression(u"Listening on http://[^:]+:(\\d+)/"_s).match(status);
    return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}

int TestRelayPage::post(quint16 port, const QString& path, const QByteArray& body)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path)));
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("X-ClearSignal-Key", m_key.toUtf8());
    request.setRawHeader("Origin", "https://clinic.example");
    QNetworkReply* reply = m_network.post(request, body);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return 0;
    reply->deleteLater();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

void TestRelayPage::warnsBeforeListeningBeyondThisComputer()
{
    RelayPage page;
    page.resize(900, 760);
    page.show();
    QVERIFY(page.openWorkspace(m_path));
    auto* warning = page.findChild<QLabel*>(u"exposureWarningLabel"_s);
    auto* status = page.findChild<QLabel*>(u"relayStatusLabel"_s);
    auto* start = page.findChild<QPushButton*>(u"startRelayButton"_s);
    QCOMPARE(page.findChild<QLineEdit*>(u"listenEdit"_s)->text(), u"127.0.0.1:8787"_s);
    QVERIFY(!warning->isVisible());

    typeListen(page, u"0.0.0.0:0"_s);
    QVERIFY(warning->isVisible());
    QVERIFY2(warning->text().startsWith(u"Other computers can reach the relay on 0.0.0.0. Only do this behind a "
                                        "reverse proxy with TLS"_s),
             qPrintable(warning->text()));
    typeListen(page, u"[::1]:8787"_s);
    QVERIFY(!warning->isVisible());
    typeListen(page, u"192.168.1.20:8787"_s);
    QVERIFY(warning->text().contains(u"192.168.1.20"_s));

    // Started that way, the relay says so again while it runs, and the warning stays up.
    typeListen(page, u"0.0.0.0:0"_s);
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"reachable from other computers"_s), 10000);
    QVERIFY2(status->text().startsWith(u"Listening on http://0.0.0.0:"_s), qPrintable(status->text()));
    QVERIFY(warning->isVisible());
    QCOMPARE(start->text(), u"&Stop relay"_s);
    // 0.0.0.0 is no address a browser could use: the snippet leaves a place for the proxy's.
    QCOMPARE(page.findChild<QPlainTextEdit*>(u"snippetEdit"_s)->toPlainText(),
             u"<script src=\"https://YOUR-RELAY-HOST/cs.js\" data-key=\"%1\" async></script>"_s.arg(m_key));
    saveScreenshot(page, u"relay-exposed"_s);
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), u"Stopped."_s, 10000);

    // The address is the workspace's setting now: the CLI's relay would use it too.
    auto workspace = Workspace::open(m_path);
    QVERIFY(workspace);
    QCOMPARE(WorkspaceSettings::load(**workspace)->listen, u"0.0.0.0:0"_s);
}

void TestRelayPage::refusesAnAddressItCannotUse()
{
    RelayPage page;
    page.show();
    auto* start = page.findChild<QPushButton*>(u"startRelayButton"_s);
    QVERIFY(!start->isEnabled()); // no workspace yet
    QVERIFY(page.openWorkspace(m_path));
    QVERIFY(start->isEnabled());

    typeListen(page, u"localhost"_s);
    auto* error = page.findChild<QLabel*>(u"listenErrorLabel"_s);
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), u"listen must be an IP address and a port, such as 127.0.0.1:8787, not \"localhost\""_s);
    QVERIFY(!start->isEnabled());
    QVERIFY(!page.findChild<QLabel*>(u"exposureWarningLabel"_s)->isVisible());
    typeListen(page, u"127.0.0.1:9"_s);
    QVERIFY(!error->isVisible());
    QVERIFY(start->isEnabled());

    // A file that is not a workspace is refused with the reason, and the open one stays.
    const QString bogus = m_dir.filePath(u"not-a-workspace.csdb"_s);
    QFile file(bogus);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not SQLite");
    file.close();
    QVERIFY(!page.openWorkspace(bogus));
    QVERIFY2(page.findChild<QLabel*>(u"relayStatusLabel"_s)->text().startsWith(u"Cannot open "_s),
             qPrintable(page.findChild<QLabel*>(u"relayStatusLabel"_s)->text()));
    QCOMPARE(page.workspacePath(), m_path);
}

void TestRelayPage::startsDeliversAndStops()
{
    RelayPage page;
    page.resize(900, 760);
    page.show();
    QVERIFY(page.openWorkspace(m_path));
    auto* start = page.findChild<QPushButton*>(u"startRelayButton"_s);
    auto* status = page.findChild<QLabel*>(u"relayStatusLabel"_s);
    typeListen(page, u"127.0.0.1:0"_s);
    QSignalSpy canOpen(&page, &RelayPage::canOpenWorkspaceChanged); // File > Open Workspace follows it
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(listeningPort(page) != 0, 10000);
    QCOMPARE(canOpen.size(), 2); // starting, running
    QVERIFY(!canOpen.last().first().toBool());
    const quint16 port = listeningPort(page);
    QVERIFY2(status->text().endsWith(u"(this computer only)."_s), qPrintable(status->text()));
    QVERIFY(!page.findChild<QLabel*>(u"exposureWarningLabel"_s)->isVisible());
    QVERIFY(!page.findChild<QPushButton*>(u"openWorkspaceButton"_s)->isEnabled());
    QVERIFY(page.findChild<QLineEdit*>(u"listenEdit"_s)->isReadOnly());
    QCOMPARE(page.findChild<QPlainTextEdit*>(u"snippetEdit"_s)->toPlainText(),
             u"<script src=\"http://127.0.0.1:%1/cs.js\" data-key=\"%2\" async></script>"_s.arg(port).arg(m_key));
    QVERIFY(page.findChild<QPushButton*>(u"copySnippetButton"_s)->isEnabled());

    // A visitor who accepted ads books: the event reaches TikTok once, and the page counts it.
    QCOMPARE(post(port, u"/v1/consent"_s, R"({"visitor_id":"v-ui","ads":true,"source":"banner"})"), 204);
    QCOMPARE(post(port, u"/v1/events"_s, R"({"event":"Lead","event_id":"ui-1","visitor_id":"v-ui"})"), 202);
    // One who did not: received, never sent.
    QCOMPARE(post(port, u"/v1/events"_s, R"({"event":"Lead","event_id":"ui-2","visitor_id":"v-none"})"), 202);
    auto* delivered = page.findChild<QLabel*>(u"health_delivered"_s);
    QTRY_COMPARE_WITH_TIMEOUT(delivered->text(), u"1"_s, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(page.findChild<QLabel*>(u"health_received"_s)->text(), u"2"_s, 5000);
    QCOMPARE(page.findChild<QLabel*>(u"health_queue_depth"_s)->text(), u"0"_s);
    QCOMPARE(page.findChild<QLabel*>(u"health_delivery"_s)->text(), u"Running"_s);
    QCOMPARE(page.findChild<QLabel*>(u"health_last_tiktok_error"_s)->text(), u"None"_s);
    const QList<QJsonObject> accepted = m_fake.acceptedEvents();
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(accepted.first().value(u"event"_s).toString(), u"Lead"_s);
    saveScreenshot(page, u"relay-running"_s);

    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), u"Stopped."_s, 10000);
    QCOMPARE(start->text(), u"&Start relay"_s);
    QVERIFY(page.findChild<QPushButton*>(u"openWorkspaceButton"_s)->isEnabled());
    QVERIFY(canOpen.last().first().toBool());
    QVERIFY(page.findChild<QPlainTextEdit*>(u"snippetEdit"_s)->toPlainText().isEmpty());
    QCOMPARE(post(port, u"/v1/events"_s, R"({"event":"Lead","event_id":"ui-3"})"), 0); // nobody listens
    // The counts belong to the relay that ran: another workspace shows none.
    QVERIFY(page.openWorkspace(createWorkspace(u"other.csdb"_s)));
    QCOMPARE(page.findChild<QLabel*>(u"health_delivered"_s)->text(), u"–"_s);
    QVERIFY(page.openWorkspace(m_path));

    // The workspace is free again: a second start works.
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(listeningPort(page) != 0, 10000);
}

void TestRelayPage::showsWhyTheRelayCannotStart()
{
    // Another relay (here in this process; usually `clearsignal-cli relay`) holds the workspace.
    RelayService other;
    RelayOptions options;
    options.listen = u"127.0.0.1:0"_s;
    options.accessToken = token;
    QVERIFY(other.start(m_path, options));

    RelayPage page;
    page.show();
    QVERIFY(page.openWorkspace(m_path));
    auto* start = page.findChild<QPushButton*>(u"startRelayButton"_s);
    auto* status = page.findChild<QLabel*>(u"relayStatusLabel"_s);
    typeListen(page, u"127.0.0.1:0"_s);
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"another relay (process %1) is running on "_s.arg(
                                 QCoreApplication::applicationPid())),
                             10000);
    QCOMPARE(start->text(), u"&Start relay"_s);
    QVERIFY(start->isEnabled());
    QCOMPARE(page.runner().state(), RelayRunner::State::Stopped);
    // The address typed for a start that failed does not change the other relay's setting.
    auto workspace = Workspace::open(m_path);
    QVERIFY(workspace);
    QCOMPARE(WorkspaceSettings::load(**workspace)->listen, u"127.0.0.1:8787"_s);
}

void TestRelayPage::keepsTheAccessTokenInTheSecretStore()
{
    // No token in the environment this time: the page must get one into the (here in-memory) keychain.
    qunsetenv("CLEARSIGNAL_TIKTOK_TOKEN");
    const auto restore = qScopeGuard([] { qputenv("CLEARSIGNAL_TIKTOK_TOKEN", token.toUtf8()); });
    auto secrets = std::make_shared<MemorySecretStore>();
    RelayPage page([secrets] { return std::make_unique<SharedSecretStore>(secrets); });
    page.show();
    auto* setToken = page.findChild<QPushButton*>(u"setTokenButton"_s);
    QVERIFY(!setToken->isEnabled()); // no workspace yet
    QVERIFY(page.openWorkspace(m_path));
    QVERIFY(setToken->isEnabled());
    auto* start = page.findChild<QPushButton*>(u"startRelayButton"_s);
    auto* status = page.findChild<QLabel*>(u"relayStatusLabel"_s);
    typeListen(page, u"127.0.0.1:0"_s);

    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"No TikTok access token for workspace "_s), 10000);
    QCOMPARE(start->text(), u"&Start relay"_s);

    // A token with a space in it is refused, and the message does not repeat it.
    answerNextInputDialog(u"not a token"_s);
    QTest::mouseClick(setToken, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"The TikTok access token "_s), 10000);
    QVERIFY2(!status->text().contains(u"not a token"_s), qPrintable(status->text()));
    QVERIFY(secrets->keys().isEmpty());

    const QString fresh = u"fresh-token-0123456789abcdef"_s;
    answerNextInputDialog(fresh);
    QTest::mouseClick(setToken, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), u"The access token is in the system keychain."_s, 10000);
    QVERIFY(setToken->isEnabled());
    auto workspace = Workspace::open(m_path);
    QVERIFY(workspace);
    const QString key = accessTokenKey((*workspace)->setting(u"workspace_id"_s));
    QCOMPARE(secrets->keys(), QStringList{key});
    QCOMPARE(**secrets->read(key), fresh);

    // Started now, the relay sends with that token (the fake Events API refuses any other).
    m_fake.setAccessToken(fresh);
    const auto restoreFake = qScopeGuard([this] { m_fake.setAccessToken(token); });
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(listeningPort(page) != 0, 10000);
    QVERIFY(!setToken->isEnabled()); // not while the relay runs with the token it started with
    const quint16 port = listeningPort(page);
    QCOMPARE(post(port, u"/v1/consent"_s, R"({"visitor_id":"v-t","ads":true,"source":"banner"})"), 204);
    QCOMPARE(post(port, u"/v1/events"_s, R"({"event":"Lead","event_id":"token-1","visitor_id":"v-t"})"), 202);
    QTRY_COMPARE_WITH_TIMEOUT(page.findChild<QLabel*>(u"health_delivered"_s)->text(), u"1"_s, 15000);
    QCOMPARE(m_fake.acceptedEvents().size(), 1);
}

void TestRelayPage::closingWhileStoppingLosesNothing()
{
    // Stop clicked with requests on their way, and the window closed while the relay is still stopping: the page
    // goes without a hang, and every event the relay acknowledged is in the file.
    {
        // Events from visitors without a consent record are forwarded here, so each acknowledged one is queued.
        auto workspace = Workspace::open(m_path);
        QVERIFY(workspace);
        auto settings = WorkspaceSettings::load(**workspace);
        QVERIFY(settings && settings->set(u"consent_policy"_s, u"unless_opted_out"_s) && settings->save(**workspace));
    }
    QHash<QNetworkReply*, QString> replies; // and the event id each carries
    {
        RelayPage page;
        page.show();
        QVERIFY(page.openWorkspace(m_path));
        auto* start = page.findChild<QPushButton*>(u"startRelayButton"_s);
        typeListen(page, u"127.0.0.1:0"_s);
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(listeningPort(page) != 0, 10000);
        const quint16 port = listeningPort(page);
        for (int i = 0; i < 200; ++i) {
            QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/v1/events"_s.arg(port)));
            request.setRawHeader("Content-Type", "application/json");
            request.setRawHeader("X-ClearSignal-Key", m_key.toUtf8());
            const QString eventId = u"close-%1"_s.arg(i);
            replies.insert(m_network.post(request, R"({"event":"Lead","event_id":")" + eventId.toUtf8() + "\"}"),
                           eventId);
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(replies.keyBegin(), replies.keyEnd(),
                                             [](QNetworkReply* reply) { return reply->isFinished(); }),
                                 10000);
        QTest::mouseClick(start, Qt::LeftButton);
        QCOMPARE(page.runner().state(), RelayRunner::State::Stopping);
    } // the page and its relay go here
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.keyBegin(), replies.keyEnd(),
                                         [](QNetworkReply* reply) { return reply->isFinished(); }),
                             10000);
    QStringList acknowledged;
    for (auto it = replies.cbegin(); it != replies.cend(); ++it) {
        // 202: stored; 503: the relay was stopping, send again; no answer: the connection closed unread.
        const int status = it.key()->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QVERIFY2(status == 202 || status == 503 || status == 0, qPrintable(QString::number(status)));
        if (status == 202)
            acknowledged.append(it.value());
        it.key()->deleteLater();
    }
    QVERIFY(!acknowledged.isEmpty());
    auto workspace = Workspace::open(m_path);
    QVERIFY(workspace);
    QSqlQuery query((*workspace)->database());
    QVERIFY(query.exec(u"SELECT event_id FROM outbox UNION SELECT event_id FROM delivered"_s));
    QSet<QString> stored;
    while (query.next())
        stored.insert(query.value(0).toString());
    for (const QString& eventId : std::as_const(acknowledged))
        QVERIFY2(stored.contains(eventId), qPrintable(eventId + u" was acknowledged but is not in the file"_s));
}

void TestRelayPage::createsAWorkspaceForASite()
{
    RelayPage page;
    page.show();
    QVERIFY(page.workspacePath().isEmpty());
    const QString file = m_dir.filePath(u"made-here/newclinic.csdb"_s);
    QStringList seen; // what the dialog showed along the way
    QTimer::singleShot(0, [&] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        auto* site = dialog->findChild<QLineEdit*>(u"siteUrlEdit"_s);
        auto* fileEdit = dialog->findChild<QLineEdit*>(u"workspaceFileEdit"_s);
        auto* error = dialog->findChild<QLabel*>(u"newWorkspaceErrorLabel"_s);
        QTest::keyClicks(site, u"https://www.newclinic.example"_s);
        seen.append(QFileInfo(fileEdit->text()).fileName()); // suggested from the site
        seen.append(dialog->findChild<QComboBox*>(u"templateCombo"_s)->currentData().toString());
        QTest::keyClick(site, Qt::Key_Return); // Create, without a pixel ID
        seen.append(error->isVisible() ? error->text() : u"(no error)"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit*>(u"pixelIdEdit"_s), u"CNEWPIXEL00000000001"_s);
        saveScreenshot(*dialog, u"new-workspace"_s);
        fileEdit->selectAll();
        QTest::keyClick(fileEdit, Qt::Key_Delete);
        QTest::keyClicks(fileEdit, file);
        QTest::keyClick(fileEdit, Qt::Key_Return);
    });
    QTest::mouseClick(page.findChild<QPushButton*>(u"newWorkspaceButton"_s), Qt::LeftButton);
    QCOMPARE(seen, (QStringList{u"newclinic.example.csdb"_s, u"med-spa"_s,
                                u"Enter the TikTok pixel ID the events are for (TikTok Events Manager, your pixel)."_s}));
    QCOMPARE(page.workspacePath(), file);
    QCOMPARE(page.findChild<QLabel*>(u"relayStatusLabel"_s)->text(),
             u"Workspace created. Set the TikTok access token, then start the relay."_s);
    QVERIFY(page.findChild<QPushButton*>(u"startRelayButton"_s)->isEnabled());

    auto workspace = Workspace::open(file);
    QVERIFY(workspace);
    QCOMPARE(WorkspaceSettings::load(**workspace)->siteUrl, u"https://www.newclinic.example"_s);
    const auto rules = RulesHistory::current(**workspace);
    QVERIFY(rules);
    QCOMPARE(rules->second.pixelId, u"CNEWPIXEL00000000001"_s);
    QCOMPARE(rules->second.siteOrigins, QStringList{u"https://www.newclinic.example"_s});
    QCOMPARE(rules->second.templateId, u"med-spa"_s);
}

QTEST_MAIN(TestRelayPage)
#include "TestRelayPage.moc"
