// SPDX-License-Identifier: GPL-3.0-or-later
#include "relay/RelayRunner.h"
#include "rules/RuleTemplates.h"
#include "secrets/AccessTokenSource.h"
#include "secrets/MemorySecretStore.h"
#include "storage/Workspace.h"
#include "storage/WorkspaceSetup.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QEventLoop>
#include <QTimer>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

/// A keychain that takes its time to answer, as a locked one does while it asks for a password, and keeps the
/// calling thread's events flowing meanwhile (as waiting on D-Bus can): a stop may arrive in the middle of a start.
class SlowSecretStore final : public SecretStore
{
public:
    SlowSecretStore(std::shared_ptr<MemorySecretStore> store, int delayMs) : m_store(std::move(store)), m_delayMs(delayMs) {}
    Expected<std::optional<QString>> read(const QString& key) override
    {
        if (m_delayMs > 0) {
            QEventLoop wait;
            QTimer::singleShot(m_delayMs, &wait, &QEventLoop::quit);
            wait.exec();
        }
        return m_store->read(key);
    }
    Status write(const QString& key, const QString& value) override { return m_store->write(key, value); }
    Status remove(const QString& key) override { return m_store->remove(key); }

private:
    std::shared_ptr<MemorySecretStore> m_store;
    int m_delayMs;
};

} // namespace

/// The relay on a thread of its own, as the desktop app runs it: start and stop through signals, the token from
/// the secret store, and a runner destroyed while the keychain is still answering.
class TestRelayRunner final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void startsReportsHealthAndStops();
    void destroyedWhileTheKeychainAnswers();
    void refusesAnInvalidTokenWithoutRepeatingIt();

private:
    RelayRunner::SecretStoreFactory slowStore(int delayMs)
    {
        return [store = m_secrets, delayMs] { return std::make_unique<SlowSecretStore>(store, delayMs); };
    }
    RelayOptions options() const
    {
        RelayOptions options;
        options.listen = u"127.0.0.1:0"_s;
        return options;
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::shared_ptr<MemorySecretStore> m_secrets;
};

void TestRelayRunner::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qunsetenv(accessTokenVariable); // the token comes from the store under test
}

void TestRelayRunner::init()
{
    static int run = 0;
    m_path = m_dir.filePath(u"runner-%1.csdb"_s.arg(++run));
    RuleSet rules = *RuleTemplates::load(u"med-spa"_s).rules;
    rules.pixelId = u"CTESTPIXEL0000000001"_s;
    rules.siteOrigins = {u"https://clinic.example"_s};
    WorkspaceSettings settings;
    settings.endpoint = u"http://127.0.0.1:9/open_api/v1.3/event/track/"_s; // nothing is queued to send
    const Expected<WorkspaceSettings> created = createSiteWorkspace(m_path, settings, rules, {u"test"_s, {}, 1});
    QVERIFY(created);
    m_secrets = std::make_shared<MemorySecretStore>();
    QVERIFY(m_secrets->write(accessTokenKey(created->workspaceId), u"token-from-the-keychain"_s));
}

void TestRelayRunner::startsReportsHealthAndStops()
{
    RelayRunner runner(slowStore(0));
    QSignalSpy started(&runner, &RelayRunner::started);
    QSignalSpy health(&runner, &RelayRunner::healthChanged);
    QSignalSpy stopped(&runner, &RelayRunner::stopped);
    runner.start(m_path, options());
    QCOMPARE(runner.state(), RelayRunner::State::Starting);
    runner.start(m_path, options()); // ignored while starting
    QVERIFY(started.wait(10000));
    QCOMPARE(started.size(), 1);
    QCOMPARE(runner.state(), RelayRunner::State::Running);
    QVERIFY(started.first().at(0).toString().startsWith(u"http://127.0.0.1:"_s));
    QCOMPARE(started.first().at(1).toBool(), false);
    QTRY_VERIFY_WITH_TIMEOUT(!health.isEmpty(), 5000);
    QCOMPARE(health.last().first().toJsonObject().value("status"_L1).toString(), u"ok"_s);

    runner.stop();
    QCOMPARE(runner.state(), RelayRunner::State::Stopping);
    QVERIFY(stopped.wait(10000));
    QCOMPARE(runner.state(), RelayRunner::State::Stopped);
    // Stopped, the workspace is free for another relay.
    RelayService other;
    RelayOptions direct = options();
    direct.accessToken = u"token"_s;
    QVERIFY(other.start(m_path, direct));
}

void TestRelayRunner::destroyedWhileTheKeychainAnswers()
{
    QElapsedTimer took;
    took.start();
    {
        RelayRunner runner(slowStore(400));
        runner.start(m_path, options());
        QTest::qWait(50); // the relay's thread is now waiting on the keychain
    } // the window closes: the relay that starts late must be stopped, and nothing may hang
    QVERIFY2(took.elapsed() < 5000, QByteArray::number(took.elapsed()).constData());
    RelayService other;
    RelayOptions direct = options();
    direct.accessToken = u"token"_s;
    const Status started = other.start(m_path, direct);
    QVERIFY2(started, qPrintable(started.errorMessage())); // the lock was released
}

void TestRelayRunner::refusesAnInvalidTokenWithoutRepeatingIt()
{
    RelayRunner runner(slowStore(0));
    QSignalSpy failed(&runner, &RelayRunner::accessTokenFailed);
    QSignalSpy stored(&runner, &RelayRunner::accessTokenStored);
    runner.storeAccessToken(m_path, u"secret with spaces"_s);
    QVERIFY(failed.wait(5000));
    QVERIFY(!failed.first().first().toString().contains(u"secret"_s));
    runner.storeAccessToken(m_path, u"a-new-token"_s);
    QVERIFY(stored.wait(5000));
    auto workspace = Workspace::open(m_path);
    QVERIFY(workspace);
    QCOMPARE(**m_secrets->read(accessTokenKey((*workspace)->setting(u"workspace_id"_s))), u"a-new-token"_s);
}

QTEST_GUILESS_MAIN(TestRelayRunner)
#include "TestRelayRunner.moc"
