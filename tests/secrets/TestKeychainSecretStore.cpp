// SPDX-License-Identifier: GPL-3.0-or-later
// KeychainSecretStore against a real gnome-keyring. Runs only through run-with-keyring.sh (a private D-Bus session
// with a throwaway unlocked keyring); secret-tool checks independently that secrets really are in the Secret Service.
#include "secrets/AccessTokenSource.h"
#include "secrets/KeychainSecretStore.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestKeychainSecretStore final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void usableFromAnyThread();
    void writeThenReadBack();
    void overwriteReplacesValue();
    void removeDeletesSecret();
    void readMissingIsNullopt();
    void removeMissingSucceeds();
    void tokenRoundTrip_data();
    void tokenRoundTrip();
    void largeValueRoundTrip();
    void keysAreIndependent();
    void resolvesTokenFromKeychain();

private:
    struct Lookup
    {
        int exitCode = -1;
        QString secret;
    };
    // What the Secret Service itself holds under (service "ClearSignal", key), read with libsecret's secret-tool.
    Lookup lookupWithSecretTool(const QString& key);
    // How many keychain items match (service "ClearSignal", key).
    int countItemsWithSecretTool(const QString& key);

    QString m_secretTool;
    KeychainSecretStore m_store;
};

void TestKeychainSecretStore::initTestCase()
{
    QVERIFY2(qEnvironmentVariable("CLEARSIGNAL_TEST_KEYRING") == "1"_L1,
             "Run this test through tests/secrets/run-with-keyring.sh (ctest does), so it uses a throwaway keyring "
             "and never yours.");
    m_secretTool = QStandardPaths::findExecutable(u"secret-tool"_s);
    QVERIFY2(!m_secretTool.isEmpty(), "secret-tool is missing: install libsecret-tools");
}

// First on purpose: QtKeychain's job queue belongs to the thread that first uses it. When that thread is gone, a
// store that ran jobs on its caller's thread would wedge; KeychainSecretStore runs them on its own thread.
void TestKeychainSecretStore::usableFromAnyThread()
{
    const QString key = u"tiktok-access-token/ws-thread"_s;
    QString threadError;
    QThread* worker = QThread::create([&] { threadError = m_store.write(key, u"from-a-thread"_s).errorMessage(); });
    worker->start();
    QVERIFY(worker->wait(15'000));
    delete worker;
    QCOMPARE(threadError, QString());

    const Expected<std::optional<QString>> read = m_store.read(key);
    QVERIFY2(read.hasValue(), qPrintable(read.errorMessage()));
    QCOMPARE(read->value_or(u"<none>"_s), u"from-a-thread"_s);
    QVERIFY2(m_store.remove(key).hasValue(), "remove failed");
}

void TestKeychainSecretStore::writeThenReadBack()
{
    const QString key = u"tiktok-access-token/ws-roundtrip"_s;
    const QString token = u"0c5f3e2a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e"_s;
    const Status written = m_store.write(key, token);
    QVERIFY2(written.hasValue(), qPrintable(written.errorMessage()));

    const Expected<std::optional<QString>> read = m_store.read(key);
    QVERIFY2(read.hasValue(), qPrintable(read.errorMessage()));
    QVERIFY(read->has_value());
    QCOMPARE(**read, token);

    const Lookup lookup = lookupWithSecretTool(key);
    QCOMPARE(lookup.exitCode, 0);
    QCOMPARE(lookup.secret, token);
    QVERIFY(m_store.remove(key).hasValue());
}

void TestKeychainSecretStore::overwriteReplacesValue()
{
    const QString key = u"tiktok-access-token/ws-overwrite"_s;
    QVERIFY(m_store.write(key, u"first-token"_s).hasValue());
    QVERIFY(m_store.write(key, u"second-token"_s).hasValue());

    const Expected<std::optional<QString>> read = m_store.read(key);
    QVERIFY2(read.hasValue(), qPrintable(read.errorMessage()));
    QCOMPARE(read->value_or(u"<none>"_s), u"second-token"_s);
    QCOMPARE(countItemsWithSecretTool(key), 1);
    QVERIFY(m_store.remove(key).hasValue());
}

void TestKeychainSecretStore::removeDeletesSecret()
{
    const QString key = u"tiktok-access-token/ws-remove"_s;
    QVERIFY(m_store.write(key, u"short-lived-token"_s).hasValue());
    QCOMPARE(countItemsWithSecretTool(key), 1);

    const Status removed = m_store.remove(key);
    QVERIFY2(removed.hasValue(), qPrintable(removed.errorMessage()));
    const Expected<std::optional<QString>> read = m_store.read(key);
    QVERIFY2(read.hasValue(), qPrintable(read.errorMessage()));
    QVERIFY(!read->has_value());
    QCOMPARE(countItemsWithSecretTool(key), 0);
}

void TestKeychainSecretStore::readMissingIsNullopt()
{
    const Expected<std::optional<QString>> read = m_store.read(u"tiktok-access-token/ws-never-written"_s);
    QVERIFY2(read.hasValue(), qPrintable(read.errorMessage()));
    QVERIFY(!read->has_value());
}

void TestKeychainSecretStore::removeMissingSucceeds()
{
    const Status removed = m_store.remove(u"tiktok-access-token/ws-never-written"_s);
    QVERIFY2(removed.hasValue(), qPrintable(removed.errorMessage()));
}

void TestKeychainSecretStore::tokenRoundTrip_data()
{
    QTest::addColumn<QString>("token");
    QTest::addRow("hex") << u"f1e2d3c4b5a697887766554433221100ffeeddcc"_s;
    QTest::addRow("punctuation") << u"Ab9-_.~+/=!#$%&'()*,:;<>?@[]^`{|}\"\\"_s;
    QTest::addRow("one character") << u"x"_s;
    QTest::addRow("base64-like") << u"dGhpcyBpcyBub3QgYSByZWFsIHRva2VuIGF0IGFsbA=="_s;
}

void TestKeychainSecretStore::tokenRoundTrip()
{
    QFETCH(QString, token);
    const QString key = u"tiktok-access-token/ws-token-"_s % QString::fromLatin1(QTest::currentDataTag());
    QVERIFY(m_store.write(key, token).hasValue());
    const Expected<std::optional<QString>> read = m_store.read(key);
    QVERIFY2(read.hasValue(), qPrintable(read.errorMessage()));
    QCOMPARE(read->value_or(QString()), token);
    QCOMPARE(lookupWithSecretTool(key).secret, token);
    QVERIFY(m_store.remove(key).hasValue());
}

void TestKeychainSecretStore::largeValueRoundTrip()
{
    QString value;
    value.reserve(4096);
    for (int i = 0; i < 4096; ++i)
        value.append(QChar(u'!' + (i * 7) % 94)); // every visible ASCII character, in a non-repeating-looking order
    QCOMPARE(value.size(), 4096);

    const QString key = u"tiktok-access-token/ws-large"_s;
    const Status written = m_store.write(key, value);
    QVERIFY2(written.hasValue(), qPrintable(written.errorMessage()));
    const Expected<std::optional<QString>> read = m_store.read(key);
    QVERIFY2(read.hasValue(), qPrintable(read.errorMessage()));
    QCOMPARE(read->value_or(QString()), value);
    QVERIFY(m_store.remove(key).hasValue());
}

void TestKeychainSecretStore::keysAreIndependent()
{
    const QString first = u"tiktok-access-token/ws-a"_s;
    const QString second = u"tiktok-access-token/ws-b"_s;
    QVERIFY(m_store.write(first, u"token-a"_s).hasValue());
    QVERIFY(m_store.write(second, u"token-b"_s).hasValue());
    QCOMPARE(m_store.read(first)->value_or(QString()), u"token-a"_s);
    QCOMPARE(m_store.read(second)->value_or(QString()), u"token-b"_s);

    QVERIFY(m_store.remove(first).hasValue());
    QVERIFY(!m_store.read(first)->has_value());
    QCOMPARE(m_store.read(second)->value_or(QString()), u"token-b"_s);
    QVERIFY(m_store.remove(second).hasValue());

    // Another service name is another namespace, so tests or other tools cannot clobber ClearSignal's entries.
    KeychainSecretStore other(u"ClearSignal-other"_s);
    QVERIFY(other.write(first, u"other-token"_s).hasValue());
    QVERIFY(!m_store.read(first)->has_value());
    QVERIFY(other.remove(first).hasValue());
}

void TestKeychainSecretStore::resolvesTokenFromKeychain()
{
    qunsetenv(accessTokenVariable);
    const QString token = u"abcdef0123456789abcdef0123456789abcdef01"_s;
    QVERIFY(m_store.write(accessTokenKey(u"ws-resolve"_s), token).hasValue());

    const Expected<QString> resolved = resolveAccessToken(m_store, u"ws-resolve"_s);
    QVERIFY2(resolved.hasValue(), qPrintable(resolved.errorMessage()));
    QCOMPARE(*resolved, token);
    QCOMPARE(lookupWithSecretTool(u"tiktok-access-token/ws-resolve"_s).secret, token);
    QVERIFY(m_store.remove(accessTokenKey(u"ws-resolve"_s)).hasValue());
}

TestKeychainSecretStore::Lookup TestKeychainSecretStore::lookupWithSecretTool(const QString& key)
{
    QProcess process;
    process.start(m_secretTool, {u"lookup"_s, u"server"_s, KeychainSecretStore::defaultService(), u"user"_s, key});
    if (!process.waitForFinished(15'000))
        return {};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput())};
}

int TestKeychainSecretStore::countItemsWithSecretTool(const QString& key)
{
    QProcess process;
    process.start(m_secretTool,
                  {u"search"_s, u"--all"_s, u"server"_s, KeychainSecretStore::defaultService(), u"user"_s, key});
    if (!process.waitForFinished(15'000))
        return -1;
    // secret-tool prints each item as a block that starts with its "[/path]" line.
    int items = 0;
    const QByteArrayList lines = process.readAllStandardOutput().split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith("[/"))
            ++items;
    }
    return items;
}

QTEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "TestKeychainSecretStore.moc"
