// SPDX-License-Identifier: GPL-3.0-or-later
#include "rules/RuleTemplates.h"
#include "storage/KeyedHasher.h"
#include "storage/Migrations.h"
#include "storage/RulesHistory.h"
#include "storage/Workspace.h"
#include "storage/WorkspaceSettings.h"
#include "storage/WorkspaceSetup.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestWorkspace final : public QObject
{
    Q_OBJECT

private slots:
    void createMakesAPrivateFileAtTheLatestSchema();
    void createRefusesAnExistingFile();
    void openExplainsMissingAndDamagedFiles();
    void openRefusesANewerSchema();
    void openUpgradesAnOlderSchema();
    void settingsRoundTrip();
    void settingsRejectBadValues_data();
    void settingsRejectBadValues();
    void rulesHistoryKeepsEveryRevision();
    void transactionsRollBackAndNest();
    void auditTrailIsAppendOnly();
    void keyedHashIsHmacSha256();
    void aSiteWorkspaceIsCreatedWholeOrNotAtAll();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
};

void TestWorkspace::createMakesAPrivateFileAtTheLatestSchema()
{
    auto workspace = Workspace::create(path(u"new.csdb"_s));
    QVERIFY2(workspace, qPrintable(workspace.errorMessage()));
    QCOMPARE((*workspace)->schemaVersion(), Migrations::all().size());
    QCOMPARE(QFile::permissions(path(u"new.csdb"_s)) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteOther),
             QFileDevice::Permissions());
    QCOMPARE((*workspace)->setting(u"workspace_id"_s).size(), 36);
    QSqlQuery query((*workspace)->database());
    QVERIFY(query.exec(u"PRAGMA journal_mode"_s) && query.next());
    QCOMPARE(query.value(0).toString(), u"wal"_s);
}

void TestWorkspace::createRefusesAnExistingFile()
{
    QFile existing(path(u"taken.csdb"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("not ours");
    existing.close();
    const auto workspace = Workspace::create(path(u"taken.csdb"_s));
    QVERIFY(!workspace);
    QCOMPARE(workspace.errorMessage(), path(u"taken.csdb"_s)
                                           + u" exists already; open it, or choose another file name for a new "
                                             "workspace"_s);
    QVERIFY(existing.open(QIODevice::ReadOnly));
    QCOMPARE(existing.readAll(), QByteArray("not ours")); // untouched
}

void TestWorkspace::openExplainsMissingAndDamagedFiles()
{
    const auto missing = Workspace::open(path(u"nowhere.csdb"_s));
    QVERIFY(!missing);
    QVERIFY(missing.errorMessage().contains(u"does not exist; create a workspace first with: clearsignal-cli "
                                            "workspace create"_s));

    QFile garbage(path(u"garbage.csdb"_s));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(8192, 'x'));
    garbage.close();
    const auto damaged = Workspace::open(path(u"garbage.csdb"_s));
    QVERIFY(!damaged);
    QVERIFY2(damaged.errorMessage().contains(u"restore it from a backup"_s), qPrintable(damaged.errorMessage()));
}

void TestWorkspace::openRefusesANewerSchema()
{
    {
        auto workspace = Workspace::create(path(u"future.csdb"_s));
        QVERIFY(workspace);
        QSqlQuery query((*workspace)->database());
        QVERIFY(query.exec(u"PRAGMA user_version = 99"_s));
    }
    const auto opened = Workspace::open(path(u"future.csdb"_s));
    QVERIFY(!opened);
    QCOMPARE(opened.errorMessage(), u"%1 was written by a newer ClearSignal (schema 99, this version knows %2); "
                                    "update ClearSignal"_s.arg(path(u"future.csdb"_s))
                                        .arg(Migrations::all().size()));
}

void TestWorkspace::openUpgradesAnOlderSchema()
{
    {
        // A workspace as the first release wrote it: schema 1, without the dead-letter index of schema 2.
        auto workspace = Workspace::create(path(u"old.csdb"_s));
        QVERIFY(workspace);
        QSqlQuery query((*workspace)->database());
        QVERIFY(query.exec(u"DROP INDEX dead_letters_event"_s));
        QVERIFY(query.exec(u"PRAGMA user_version = 1"_s));
    }
    auto opened = Workspace::open(path(u"old.csdb"_s));
    QVERIFY2(opened, qPrintable(opened.errorMessage()));
    QCOMPARE((*opened)->schemaVersion(), 2);
    QSqlQuery query((*opened)->database());
    QVERIFY(query.exec(u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'dead_letters_event'"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
}

void TestWorkspace::settingsRoundTrip()
{
    auto workspace = Workspace::create(path(u"settings.csdb"_s));
    QVERIFY(workspace);
    WorkspaceSettings settings;
    settings.workspaceId = (*workspace)->setting(u"workspace_id"_s);
    settings.ingestKey = WorkspaceSettings::newIngestKey();
    settings.hashKeyHex = QString(64, u'a');
    QVERIFY(settings.set(u"site_url"_s, u"https://clinic.example"_s));
    QVERIFY(settings.set(u"consent_policy"_s, u"unless_opted_out"_s));
    QVERIFY(settings.set(u"listen"_s, u"[::1]:9000"_s));
    QVERIFY(settings.set(u"max_queue"_s, u"5000"_s));
    QVERIFY(settings.save(**workspace));

    const Expected<WorkspaceSettings> loaded = WorkspaceSettings::load(**workspace);
    QVERIFY2(loaded, qPrintable(loaded.errorMessage()));
    QCOMPARE(loaded->siteUrl, u"https://clinic.example"_s);
    QCOMPARE(loaded->consentPolicy, ConsentPolicy::UnlessOptedOut);
    QCOMPARE(loaded->listen, u"[::1]:9000"_s);
    QCOMPARE(loaded->maxQueuedEvents, 5000);
    QCOMPARE(loaded->ingestKey, settings.ingestKey);
    QCOMPARE(loaded->testEventCode, QString());
    QCOMPARE(loaded->rateLimitPerMinute, 600); // the default, never set
    QCOMPARE(settings.ingestKey.size(), 32);
}

void TestWorkspace::settingsRejectBadValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");
    QTest::addRow("site not a url") << u"site_url"_s << u"clinic"_s
                                    << u"site_url must be a web address such as https://clinic.example, not \"clinic\""_s;
    QTest::addRow("policy") << u"consent_policy"_s << u"always"_s
                            << u"consent_policy must be required or unless_opted_out, not \"always\""_s;
    QTest::addRow("listen without port") << u"listen"_s << u"127.0.0.1"_s
                                         << u"listen must be an IP address and a port, such as 127.0.0.1:8787, not "
                                            "\"127.0.0.1\""_s;
    QTest::addRow("listen host name") << u"listen"_s << u"localhost:80"_s
                                      << u"listen must be an IP address and a port, such as 127.0.0.1:8787, not "
                                         "\"localhost:80\""_s;
    QTest::addRow("queue zero") << u"max_queue"_s << u"0"_s
                                << u"max_queue must be a whole number from 1 to 100000000, not \"0\""_s;
    QTest::addRow("short key") << u"ingest_key"_s << u"abc"_s << u"ingest_key must be 16 to 128 letters, digits, - or _"_s;
    QTest::addRow("unknown") << u"colour"_s << u"blue"_s
                             << u"unknown setting \"colour\"; settings are: site_url, consent_policy, listen, "
                                "endpoint, test_event_code, max_queue, rate_limit, request_timeout, ingest_key, and the rules' "
                                "pixel_id, origins and max_age_days"_s;
}

void TestWorkspace::settingsRejectBadValues()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, message);
    WorkspaceSettings settings;
    const WorkspaceSettings before = settings;
    const Status status = settings.set(key, value);
    QVERIFY(!status);
    QCOMPARE(status.errorMessage(), message);
    QCOMPARE(settings.value(key), before.value(key));
}

void TestWorkspace::rulesHistoryKeepsEveryRevision()
{
    auto workspace = Workspace::create(path(u"rules.csdb"_s));
    QVERIFY(workspace);
    QVERIFY(!RulesHistory::current(**workspace));
    RuleSetLoad load = RuleTemplates::load(u"dental"_s);
    QVERIFY(load.rules);
    RuleSet rules = *load.rules;
    rules.pixelId = u"CPIXEL0000000000000A"_s;
    QCOMPARE(*RulesHistory::add(**workspace, rules, u"ana"_s, u"first"_s, 1000), 1);
    rules.maxEventAgeDays = 3;
    QCOMPARE(*RulesHistory::add(**workspace, rules, u"ben"_s, u"shorter age"_s, 2000), 2);

    const auto current = RulesHistory::current(**workspace);
    QVERIFY(current);
    QCOMPARE(current->first.revision, 2);
    QCOMPARE(current->first.author, u"ben"_s);
    QCOMPARE(current->second.maxEventAgeDays, 3);
    QCOMPARE(current->second.pixelId, u"CPIXEL0000000000000A"_s);
    const QList<RulesRevision> all = RulesHistory::list(**workspace);
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.first().comment, u"first"_s);
    QCOMPARE(all.first().createdAt, 1000);

    // A document damaged by hand is refused on the way out, with the path of the problem.
    QSqlQuery query((*workspace)->database());
    QVERIFY(query.exec(u"UPDATE rules_revisions SET document = '{\"schema\": \"clearsignal.rules/1\", "
                       "\"unmapped_events\": \"send\"}' WHERE revision = 2"_s));
    const auto damaged = RulesHistory::current(**workspace);
    QVERIFY(!damaged);
    QVERIFY2(damaged.errorMessage().startsWith(u"rules revision 2 of "_s), qPrintable(damaged.errorMessage()));
}

void TestWorkspace::transactionsRollBackAndNest()
{
    auto workspace = Workspace::create(path(u"tx.csdb"_s));
    QVERIFY(workspace);
    Workspace& w = **workspace;
    const Status failed = w.transaction([&]() -> Status {
        if (Status set = w.setSetting(u"a"_s, u"1"_s); !set)
            return set;
        // A nested call joins the outer transaction, so the outer failure undoes it too.
        if (Status inner = w.transaction([&] { return w.setSetting(u"b"_s, u"2"_s); }); !inner)
            return inner;
        return Error{u"stop"_s};
    });
    QCOMPARE(failed.errorMessage(), u"stop"_s);
    QCOMPARE(w.setting(u"a"_s), QString());
    QCOMPARE(w.setting(u"b"_s), QString());
    QVERIFY(w.transaction([&] { return w.transaction([&] { return w.setSetting(u"c"_s, u"3"_s); }); }));
    QCOMPARE(w.setting(u"c"_s), u"3"_s);
}

void TestWorkspace::auditTrailIsAppendOnly()
{
    auto workspace = Workspace::create(path(u"audit.csdb"_s));
    QVERIFY(workspace);
    QSqlQuery query((*workspace)->database());
    QVERIFY(query.exec(u"INSERT INTO audit (seq, at, kind, record, prev_hash, hash) VALUES (1, 1, 'x', '{}', '', '')"_s));
    QVERIFY(!query.exec(u"UPDATE audit SET kind = 'y'"_s));
    QVERIFY(query.lastError().text().contains(u"the audit trail is append-only"_s));
    QVERIFY(!query.exec(u"DELETE FROM audit"_s));
    QVERIFY(query.exec(u"SELECT kind FROM audit"_s) && query.next());
    QCOMPARE(query.value(0).toString(), u"x"_s);
}

void TestWorkspace::keyedHashIsHmacSha256()
{
    // RFC 4231 test cases 2 and 6 (a key longer than the block), truncated to 128 bits.
    QCOMPARE(KeyedHasher("Jefe").hash(u"what do ya want for nothing?"), u"5bdcc146bf60754e6a042426089575c7"_s);
    QCOMPARE(KeyedHasher(QByteArray(131, char(0xaa))).hash(u"Test Using Larger Than Block-Size Key - Hash Key First"),
             u"60e431591ee0b67f0d8a26aacbf5b77f"_s);
    QCOMPARE(KeyedHasher::newKeyHex().size(), 64);
    QVERIFY(KeyedHasher::newKeyHex() != KeyedHasher::newKeyHex());
}

void TestWorkspace::aSiteWorkspaceIsCreatedWholeOrNotAtAll()
{
    WorkspaceSettings settings;
    settings.siteUrl = u"https://clinic.example"_s;
    settings.listen = u"127.0.0.1:9000"_s;
    RuleSet rules = *RuleTemplates::load(u"med-spa"_s).rules;
    rules.pixelId = u"CTESTPIXEL0000000001"_s;
    const Expected<WorkspaceSettings> created =
        createSiteWorkspace(path(u"site.csdb"_s), settings, rules, {u"jane"_s, u"workspace created"_s, 1700000000});
    QVERIFY(created);
    QCOMPARE(created->ingestKey.size(), 32);
    QCOMPARE(created->hashKeyHex.size(), 64);
    auto workspace = Workspace::open(path(u"site.csdb"_s));
    QVERIFY(workspace);
    const Expected<WorkspaceSettings> stored = WorkspaceSettings::load(**workspace);
    QVERIFY(stored);
    QCOMPARE(stored->workspaceId, (*workspace)->setting(u"workspace_id"_s));
    QCOMPARE(stored->ingestKey, created->ingestKey);
    QCOMPARE(stored->listen, u"127.0.0.1:9000"_s);
    const auto current = RulesHistory::current(**workspace);
    QVERIFY(current);
    QCOMPARE(current->first.revision, 1);
    QCOMPARE(current->first.author, u"jane"_s);
    QCOMPARE(current->second.pixelId, u"CTESTPIXEL0000000001"_s);

    // An existing file is left as it was.
    const Expected<WorkspaceSettings> again = createSiteWorkspace(path(u"site.csdb"_s), settings, rules, {});
    QVERIFY(!again);
    QCOMPARE(WorkspaceSettings::load(**workspace)->ingestKey, created->ingestKey);

    // Rules that cannot be stored leave no file behind.
    RuleSet broken = rules;
    broken.pixelId = u"not a pixel id"_s;
    QVERIFY(!RulesHistory::check(broken));
    const Expected<WorkspaceSettings> failed = createSiteWorkspace(path(u"broken.csdb"_s), settings, broken, {});
    QVERIFY(!failed);
    QVERIFY2(failed.errorMessage().startsWith(u"the rules cannot be saved:"_s), qPrintable(failed.errorMessage()));
    QVERIFY(!QFile::exists(path(u"broken.csdb"_s)));
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "TestWorkspace.moc"
