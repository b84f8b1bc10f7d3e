// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/AccessTokenSource.h"
#include "secrets/MemorySecretStore.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

// A store that counts its reads and can fail like an unavailable keychain.
class RecordingStore final : public SecretStore
{
public:
    Expected<std::optional<QString>> read(const QString& key) override
    {
        ++m_reads;
        if (m_failure)
            return *m_failure;
        return m_memory.read(key);
    }
    Status write(const QString& key, const QString& value) override { return m_memory.write(key, value); }
    Status remove(const QString& key) override { return m_memory.remove(key); }

    void failWith(const QString& message) { m_failure = Error{message}; }
    int reads() const { return m_reads; }

private:
    MemorySecretStore m_memory;
    std::optional<Error> m_failure;
    int m_reads = 0;
};

const QString workspace = u"ws-7f3a"_s;

} // namespace

class TestAccessTokenSource final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void keyNamesTheWorkspace();
    void environmentWins();
    void environmentSkipsTheStore();
    void keychainUsedWithoutEnvironment();
    void tokensArePerWorkspace();
    void missingTokenSaysHowToStoreOne();
    void storeFailurePassesThrough();
    void validTokensAccepted_data();
    void validTokensAccepted();
    void invalidTokensRejected_data();
    void invalidTokensRejected();
    void emptyEnvironmentVariableRejected();
};

// The variable of whoever runs the tests must not leak in, and one test's setting not into the next.
void TestAccessTokenSource::init()
{
    qunsetenv(accessTokenVariable);
}

void TestAccessTokenSource::cleanup()
{
    qunsetenv(accessTokenVariable);
}

void TestAccessTokenSource::keyNamesTheWorkspace()
{
    QCOMPARE(accessTokenKey(u"ws-7f3a"_s), u"tiktok-access-token/ws-7f3a"_s);
    QCOMPARE(QString::fromLatin1(accessTokenVariable), u"CLEARSIGNAL_TIKTOK_TOKEN"_s);
}

void TestAccessTokenSource::environmentWins()
{
    MemorySecretStore store;
    QVERIFY(store.write(accessTokenKey(workspace), u"token-from-keychain"_s).hasValue());
    qputenv(accessTokenVariable, "token-from-environment");

    const Expected<QString> token = resolveAccessToken(store, workspace);
    QVERIFY2(token.hasValue(), qPrintable(token.errorMessage()));
    QCOMPARE(*token, u"token-from-environment"_s);
}

// A headless server without a keychain must not pay for (or fail on) a keychain lookup it does not need.
void TestAccessTokenSource::environmentSkipsTheStore()
{
    RecordingStore store;
    store.failWith(u"No keychain is available"_s);
    qputenv(accessTokenVariable, "token-from-environment");

    const Expected<QString> token = resolveAccessToken(store, workspace);
    QVERIFY2(token.hasValue(), qPrintable(token.errorMessage()));
    QCOMPARE(*token, u"token-from-environment"_s);
    QCOMPARE(store.reads(), 0);
}

void TestAccessTokenSource::keychainUsedWithoutEnvironment()
{
    RecordingStore store;
    QVERIFY(store.write(accessTokenKey(workspace), u"token-from-keychain"_s).hasValue());

    const Expected<QString> token = resolveAccessToken(store, workspace);
    QVERIFY2(token.hasValue(), qPrintable(token.errorMessage()));
    QCOMPARE(*token, u"token-from-keychain"_s);
    QCOMPARE(store.reads(), 1);
}

void TestAccessTokenSource::tokensArePerWorkspace()
{
    MemorySecretStore store;
    QVERIFY(store.write(accessTokenKey(u"ws-one"_s), u"token-one"_s).hasValue());
    QVERIFY(store.write(accessTokenKey(u"ws-two"_s), u"token-two"_s).hasValue());
    QCOMPARE(resolveAccessToken(store, u"ws-two"_s).value(), u"token-two"_s);
    QCOMPARE(resolveAccessToken(store, u"ws-one"_s).value(), u"token-one"_s);
    QVERIFY(!resolveAccessToken(store, u"ws-three"_s).hasValue());
}

void TestAccessTokenSource::missingTokenSaysHowToStoreOne()
{
    MemorySecretStore store;
    const Expected<QString> token = resolveAccessToken(store, workspace);
    QVERIFY(!token.hasValue());
    QCOMPARE(token.errorMessage(),
             u"No TikTok access token for workspace \"ws-7f3a\": CLEARSIGNAL_TIKTOK_TOKEN is not set and the keychain "
             u"holds none. Store the token with `clearsignal-cli workspace set-token FILE` (FILE is the workspace; the "
             u"token is read from standard input), or on a headless server set CLEARSIGNAL_TIKTOK_TOKEN in the "
             u"relay's environment."_s);
}

void TestAccessTokenSource::storeFailurePassesThrough()
{
    RecordingStore store;
    store.failWith(u"No keychain is available: start your keyring."_s);
    const Expected<QString> token = resolveAccessToken(store, workspace);
    QVERIFY(!token.hasValue());
    QCOMPARE(token.errorMessage(), u"No keychain is available: start your keyring."_s);
}

void TestAccessTokenSource::validTokensAccepted_data()
{
    QTest::addColumn<QString>("token");
    QTest::addRow("hex, 40 characters") << u"0123456789abcdef0123456789abcdef01234567"_s;
    QTest::addRow("every visible ASCII punctuation") << u"A!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~z"_s;
    QTest::addRow("one character") << u"x"_s;
    QTest::addRow("long") << QString(2048, u'a');
}

void TestAccessTokenSource::validTokensAccepted()
{
    QFETCH(QString, token);
    QVERIFY(validateAccessToken(token).hasValue());

    MemorySecretStore store;
    QVERIFY(store.write(accessTokenKey(workspace), token).hasValue());
    const Expected<QString> fromKeychain = resolveAccessToken(store, workspace);
    QVERIFY2(fromKeychain.hasValue(), qPrintable(fromKeychain.errorMessage()));
    QCOMPARE(*fromKeychain, token);

    qputenv(accessTokenVariable, token.toLatin1());
    const Expected<QString> fromEnvironment = resolveAccessToken(store, workspace);
    QVERIFY2(fromEnvironment.hasValue(), qPrintable(fromEnvironment.errorMessage()));
    QCOMPARE(*fromEnvironment, token);
}

void TestAccessTokenSource::invalidTokensRejected_data()
{
    // Each token carries a marker that must never show up in a message, and the problem the message must name.
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("problem");
    QTest::addRow("trailing newline") << u"SECRETMARKER9f8e7d\n"_s
                                      << u"spans more than one line: it contains a line break (character 19 of 19)"_s;
    QTest::addRow("two lines") << u"SECRETMARKER9f8e7d\nsecond-line"_s
                               << u"spans more than one line: it contains a line break (character 19 of 30)"_s;
    QTest::addRow("carriage return") << u"SECRETMARKER9f8e7d\r"_s
                                     << u"spans more than one line: it contains a line break (character 19 of 19)"_s;
    QTest::addRow("inner space") << u"SECRETMARKER 9f8e7d"_s << u"contains white space (character 13 of 19)"_s;
    QTest::addRow("leading space") << u" SECRETMARKER9f8e7d"_s << u"contains white space (character 1 of 19)"_s;
    QTest::addRow("tab") << u"SECRETMARKER9f8e7d\t"_s << u"contains white space (character 19 of 19)"_s;
    QTest::addRow("control character") << u"SECRETMARKER\x01"
                                          u"9f8e7d"_s
                                       << u"contains a character that is not printable ASCII (character 13 of 19)"_s;
    QTest::addRow("DEL") << u"SECRETMARKER9f8e7d\x7f"_s
                         << u"contains a character that is not printable ASCII (character 19 of 19)"_s;
    QTest::addRow("accented letter") << u"SECRETMARKER9f8e7dé"_s
                                     << u"contains a character that is not printable ASCII (character 19 of 19)"_s;
    QTest::addRow("non-breaking space") << u"SECRETMARKER\u00a0"
                                           u"9f8e7d"_s
                                        << u"contains a character that is not printable ASCII (character 13 of 19)"_s;
}

void TestAccessTokenSource::invalidTokensRejected()
{
    QFETCH(QString, token);
    QFETCH(QString, problem);
    const QString marker = u"SECRETMARKER"_s;

    const Status validated = validateAccessToken(token);
    QVERIFY(!validated.hasValue());
    QCOMPARE(validated.errorMessage(), u"The TikTok access token "_s % problem %
                                           u". Copy it again from TikTok Events Manager: it is a single line of "
                                           u"letters, digits and punctuation."_s);

    MemorySecretStore store;
    QVERIFY(store.write(accessTokenKey(workspace), token).hasValue());
    const Expected<QString> fromKeychain = resolveAccessToken(store, workspace);
    QVERIFY(!fromKeychain.hasValue());
    QCOMPARE(fromKeychain.errorMessage(),
             u"The TikTok access token stored in the keychain for workspace \"ws-7f3a\" "_s % problem %
                 u". Store the token with `clearsignal-cli workspace set-token FILE` (FILE is the workspace; the "
                 u"token is read from standard input) to replace it."_s);

    qputenv(accessTokenVariable, token.toUtf8());
    const Expected<QString> fromEnvironment = resolveAccessToken(store, workspace);
    QVERIFY(!fromEnvironment.hasValue());
    QCOMPARE(fromEnvironment.errorMessage(),
             u"CLEARSIGNAL_TIKTOK_TOKEN is set, but the TikTok access token in it "_s % problem %
                 u". Set CLEARSIGNAL_TIKTOK_TOKEN to the token exactly as TikTok Events Manager shows it, or unset it "
                 u"to use the token in the keychain."_s);

    for (const QString& message :
         {validated.errorMessage(), fromKeychain.errorMessage(), fromEnvironment.errorMessage()})
        QVERIFY2(!message.contains(marker) && !message.contains(u"9f8e7d"_s), qPrintable(message));
}

// CLEARSIGNAL_TIKTOK_TOKEN= (set, empty) is a broken unit file or script, not "use the keychain": say so.
void TestAccessTokenSource::emptyEnvironmentVariableRejected()
{
    MemorySecretStore store;
    QVERIFY(store.write(accessTokenKey(workspace), u"token-from-keychain"_s).hasValue());
    qputenv(accessTokenVariable, QByteArray());

    const Expected<QString> token = resolveAccessToken(store, workspace);
    QVERIFY(!token.hasValue());
    QCOMPARE(token.errorMessage(),
             u"CLEARSIGNAL_TIKTOK_TOKEN is set, but the TikTok access token in it is empty. Set "
             u"CLEARSIGNAL_TIKTOK_TOKEN to the token exactly as TikTok Events Manager shows it, or unset it to use the "
             u"token in the keychain."_s);
    QVERIFY(!validateAccessToken(QString()).hasValue());
}

QTEST_GUILESS_MAIN(TestAccessTokenSource)
#include "TestAccessTokenSource.moc"
