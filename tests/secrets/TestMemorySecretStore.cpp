// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/MemorySecretStore.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestMemorySecretStore final : public QObject
{
    Q_OBJECT

private slots:
    void readMissingIsNullopt();
    void writeReadOverwriteRemove();
    void removeMissingSucceeds();
    void keysAreIndependent();
};

void TestMemorySecretStore::readMissingIsNullopt()
{
    MemorySecretStore store;
    const Expected<std::optional<QString>> read = store.read(u"tiktok-access-token/ws"_s);
    QVERIFY(read.hasValue());
    QVERIFY(!read->has_value());
}

void TestMemorySecretStore::writeReadOverwriteRemove()
{
    MemorySecretStore store;
    const QString key = u"tiktok-access-token/ws"_s;
    QVERIFY(store.write(key, u"first"_s).hasValue());
    QCOMPARE(store.read(key)->value_or(QString()), u"first"_s);
    QVERIFY(store.write(key, u"second"_s).hasValue());
    QCOMPARE(store.read(key)->value_or(QString()), u"second"_s);
    QCOMPARE(store.keys(), QStringList{key});

    QVERIFY(store.remove(key).hasValue());
    QVERIFY(!store.read(key)->has_value());
    QVERIFY(store.keys().isEmpty());
}

void TestMemorySecretStore::removeMissingSucceeds()
{
    MemorySecretStore store;
    QVERIFY(store.remove(u"tiktok-access-token/ws"_s).hasValue());
}

void TestMemorySecretStore::keysAreIndependent()
{
    MemorySecretStore store;
    QVERIFY(store.write(u"tiktok-access-token/b"_s, u"token-b"_s).hasValue());
    QVERIFY(store.write(u"tiktok-access-token/a"_s, u"token-a"_s).hasValue());
    QCOMPARE(store.keys(), (QStringList{u"tiktok-access-token/a"_s, u"tiktok-access-token/b"_s}));
    QVERIFY(store.remove(u"tiktok-access-token/a"_s).hasValue());
    QCOMPARE(store.read(u"tiktok-access-token/b"_s)->value_or(QString()), u"token-b"_s);
}

QTEST_GUILESS_MAIN(TestMemorySecretStore)
#include "TestMemorySecretStore.moc"
