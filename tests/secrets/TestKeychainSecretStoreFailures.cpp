// SPDX-License-Identifier: GPL-3.0-or-later
// KeychainSecretStore when there is no usable keychain: no D-Bus session, a bus without a Secret Service, a bus that
// never answers, a locked keyring. Each case runs KeychainProbe in a child process with its own environment, because
// D-Bus connections and QtKeychain's job queue are process-wide; the child must answer in time and exit normally.
#include "secrets/KeychainSecretStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLocalServer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestKeychainSecretStoreFailures final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void deadBusSocket_data();
    void deadBusSocket();
    void noSessionBus();
    void busWithoutSecretService_data();
    void busWithoutSecretService();
    void busThatNeverAnswers();
    void lockedKeyring_data();
    void lockedKeyring();

private:
    struct Run
    {
        bool finished = false;
        QProcess::ExitStatus exitStatus = QProcess::CrashExit;
        int exitCode = -1;
        QString out;
        QString err;
        qint64 elapsedMs = 0;
    };
    Run run(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment);
    Run probe(const QStringList& arguments, const QProcessEnvironment& environment);
    // The test's environment without any D-Bus session or display, with a runtime directory that holds no bus.
    QProcessEnvironment isolatedEnvironment() const;

    QTemporaryDir m_scratch;
};

namespace {

constexpr int probeTimeoutMs = 2000;
// A child that answers "no keychain" takes milliseconds; this bounds a hang, not the expected run time.
constexpr int childDeadlineMs = 30'000;

const QString probeTimeout = QString::number(probeTimeoutMs);

} // namespace

void TestKeychainSecretStoreFailures::initTestCase()
{
    QVERIFY(m_scratch.isValid());
    QVERIFY(QDir(m_scratch.path()).mkdir(u"runtime"_s));
    QVERIFY(QFile::exists(QStringLiteral(CLEARSIGNAL_KEYCHAIN_PROBE)));
}

void TestKeychainSecretStoreFailures::deadBusSocket_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addRow("read") << QStringList{u"read"_s, u"tiktok-access-token/ws"_s, probeTimeout};
    QTest::addRow("write") << QStringList{u"write"_s, u"tiktok-access-token/ws"_s, probeTimeout};
    QTest::addRow("remove") << QStringList{u"remove"_s, u"tiktok-access-token/ws"_s, probeTimeout};
}

void TestKeychainSecretStoreFailures::deadBusSocket()
{
    QFETCH(QStringList, arguments);
    QProcessEnvironment environment = isolatedEnvironment();
    environment.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s % m_scratch.filePath(u"no-such-bus"_s));

    const Run result = probe(arguments, environment);
    QVERIFY(result.finished);
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err.trimmed(), KeychainSecretStore::noKeychainMessage());
    QVERIFY2(result.elapsedMs < probeTimeoutMs, "gave up by timing out instead of seeing that there is no bus");
}

void TestKeychainSecretStoreFailures::noSessionBus()
{
    const Run result = probe({u"read"_s, u"tiktok-access-token/ws"_s, probeTimeout}, isolatedEnvironment());
    QVERIFY(result.finished);
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err.trimmed(), KeychainSecretStore::noKeychainMessage());
    QVERIFY(result.elapsedMs < probeTimeoutMs);
}

void TestKeychainSecretStoreFailures::busWithoutSecretService_data()
{
    deadBusSocket_data();
}

// A headless server with D-Bus but no keyring daemon: the bus answers, nobody provides org.freedesktop.secrets.
void TestKeychainSecretStoreFailures::busWithoutSecretService()
{
    QFETCH(QStringList, arguments);
    const QString dbusRunSession = QStandardPaths::findExecutable(u"dbus-run-session"_s);
    QVERIFY2(!dbusRunSession.isEmpty(), "dbus-run-session is missing: install dbus");
    // The stock session configuration lists service directories, where gnome-keyring is activatable; this one none.
    QFile config(m_scratch.filePath(u"session-without-services.conf"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    const QString busConfig = uR"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=%1</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)"_s;
    config.write(busConfig.arg(m_scratch.path()).toUtf8());
    config.close();

    const Run result =
        run(dbusRunSession,
            QStringList{u"--config-file="_s % config.fileName(), u"--"_s, QStringLiteral(CLEARSIGNAL_KEYCHAIN_PROBE)} +
                arguments,
            isolatedEnvironment());
    QVERIFY(result.finished);
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(KeychainSecretStore::noKeychainMessage()), qPrintable(result.err));
}

// A bus socket that accepts connections and never says a word: the store must give up after its timeout.
void TestKeychainSecretStoreFailures::busThatNeverAnswers()
{
    QLocalServer silentBus;
    silentBus.setSocketOptions(QLocalServer::UserAccessOption);
    QVERIFY(silentBus.listen(m_scratch.filePath(u"silent-bus"_s)));
    QProcessEnvironment environment = isolatedEnvironment();
    environment.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s % silentBus.fullServerName());

    const Run result = probe({u"read"_s, u"tiktok-access-token/ws"_s, probeTimeout}, environment);
    QVERIFY(result.finished);
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.startsWith(u"The system keychain did not answer within 2 seconds while reading the secret "
                                   u"\"tiktok-access-token/ws\"."_s),
             qPrintable(result.err));
    QVERIFY(result.err.contains(u"CLEARSIGNAL_TIKTOK_TOKEN"_s));
    QVERIFY2(result.elapsedMs >= probeTimeoutMs, "answered before the timeout, so the bus was not the silent one");
    QVERIFY2(result.elapsedMs < probeTimeoutMs + 5000, "did not give up soon after its timeout");
}

void TestKeychainSecretStoreFailures::lockedKeyring_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("expected");
    QTest::addRow("read") << u"read"_s << u"while reading the secret \"tiktok-access-token/ws\""_s;
    QTest::addRow("write") << u"write"_s << u"while storing the secret \"tiktok-access-token/ws\""_s;
    QTest::addRow("remove") << u"remove"_s << u"while deleting the secret \"tiktok-access-token/ws\""_s;
}

// A token stored in a keyring that was locked since. libsecret answers a read with "not found" and a delete with
// "done" when the unlock prompt fails; the store must say the keyring is locked instead.
void TestKeychainSecretStoreFailures::lockedKeyring()
{
    QFETCH(QString, operation);
    QFETCH(QString, expected);
    const QString probePath = QStringLiteral(CLEARSIGNAL_KEYCHAIN_PROBE);
    const QString script = u"\"$1\" write tiktok-access-token/ws "_s % probeTimeout %
                           u" >/dev/null && dbus-send --session --print-reply --dest=org.freedesktop.secrets "
                           u"/org/freedesktop/secrets org.freedesktop.Secret.Service.Lock "
                           u"array:objpath:/org/freedesktop/secrets/collection/login >/dev/null && "
                           u"exec \"$1\" "_s %
                           operation % u" tiktok-access-token/ws "_s % probeTimeout;
    const Run result = run(u"sh"_s,
                           {QStringLiteral(CLEARSIGNAL_SOURCE_DIR "/tests/secrets/run-with-keyring.sh"), u"sh"_s,
                            u"-c"_s, script, u"sh"_s, probePath},
                           QProcessEnvironment::systemEnvironment());
    QVERIFY(result.finished);
    QCOMPARE(result.exitStatus, QProcess::NormalExit);
    QVERIFY2(result.exitCode == 1,
             qPrintable(u"exit code "_s % QString::number(result.exitCode) % u": "_s % result.err % result.out));
    QVERIFY2(result.err.contains(u"The system keychain refused access "_s % expected %
                                 u": the keyring is locked or access was denied"_s),
             qPrintable(result.err));
    QVERIFY(!result.err.contains(u"probe-value"_s));
}

TestKeychainSecretStoreFailures::Run TestKeychainSecretStoreFailures::run(const QString& program,
                                                                          const QStringList& arguments,
                                                                          const QProcessEnvironment& environment)
{
    Run result;
    QProcess process;
    process.setProcessEnvironment(environment);
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    result.finished = process.waitForFinished(childDeadlineMs);
    result.elapsedMs = timer.elapsed();
    if (!result.finished) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitStatus = process.exitStatus();
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

TestKeychainSecretStoreFailures::Run TestKeychainSecretStoreFailures::probe(const QStringList& arguments,
                                                                            const QProcessEnvironment& environment)
{
    return run(QStringLiteral(CLEARSIGNAL_KEYCHAIN_PROBE), arguments, environment);
}

QProcessEnvironment TestKeychainSecretStoreFailures::isolatedEnvironment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString& name : {u"DBUS_SESSION_BUS_ADDRESS"_s, u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s})
        environment.remove(name);
    // Both GLib and libdbus fall back to $XDG_RUNTIME_DIR/bus, the systemd user bus.
    environment.insert(u"XDG_RUNTIME_DIR"_s, m_scratch.filePath(u"runtime"_s));
    return environment;
}

QTEST_GUILESS_MAIN(TestKeychainSecretStoreFailures)
#include "TestKeychainSecretStoreFailures.moc"
