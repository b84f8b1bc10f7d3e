// SPDX-License-Identifier: GPL-3.0-or-later
#include "relay/DeadLetterReplay.h"
#include "relay/RelayStore.h"
#include "rules/RuleTemplates.h"
#include "sanitize/Sanitizer.h"
#include "storage/Workspace.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {
constexpr qint64 now = 1795400000;
const QString pixel = u"CTESTPIXEL0000000001"_s;
} // namespace

/// Dead letters sent again under the rules in force now, through the same sanitizer and gate as new events.
class TestDeadLetterReplay final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void requeuesWhatTheCurrentRulesAllow();
    void dryRunChangesNothing();

private:
    void deadLetter(const QString& eventId, const QByteArray& item);
    qint64 count(const QString& sql);

    FixedClock m_clock{now};
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<RelayStore> m_store;
    std::unique_ptr<Sanitizer> m_sanitizer;
};

void TestDeadLetterReplay::init()
{
    static int run = 0;
    m_workspace = Workspace::create(m_dir.filePath(u"replay-%1.csdb"_s.arg(++run))).value();
    m_store = RelayStore::open(*m_workspace, KeyedHasher(QByteArray(32, 'k'))).value();
    RuleSet rules = *RuleTemplates::load(u"med-spa"_s).rules;
    rules.pixelId = pixel;
    m_sanitizer = std::make_unique<Sanitizer>(Sanitizer::create(rules, m_clock).value());
    const QString recent = QString::number(now - 3600);
    deadLetter(u"ok-1"_s, (u"{\"event\":\"Lead\",\"event_time\":%1,\"event_id\":\"ok-1\",\"user\":{\"ttclid\":\"E.C.P.a\"},"
                           "\"properties\":{\"value\":10,\"currency\":\"USD\"}}"_s.arg(recent)).toUtf8());
    // Sanitized under older rules that kept a hashed email; the current rules drop it.
    deadLetter(u"email-2"_s, (u"{\"event\":\"Lead\",\"event_time\":%1,\"event_id\":\"email-2\",\"user\":{\"email\":"
                              "\"b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514\"}}"_s.arg(recent))
                   .toUtf8());
    deadLetter(u"old-3"_s, QByteArray("{\"event\":\"Lead\",\"event_time\":1790000000,\"event_id\":\"old-3\"}"));
    deadLetter(u"bad-4"_s, QByteArray("not json"));
}

void TestDeadLetterReplay::cleanup()
{
    m_sanitizer.reset();
    m_store.reset();
    m_workspace.reset();
}

void TestDeadLetterReplay::deadLetter(const QString& eventId, const QByteArray& item)
{
    QueuedItem queued;
    queued.id = -1;
    queued.pixelId = pixel;
    queued.eventId = eventId;
    queued.item = item;
    QVERIFY(m_workspace->transaction(
        [&] { return m_store->deadLetter(queued, 40002, u"Batch.0.event: refused"_s, u"r"_s, now - 60); }));
}

qint64 TestDeadLetterReplay::count(const QString& sql)
{
    QSqlQuery query(m_workspace->database());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

void TestDeadLetterReplay::requeuesWhatTheCurrentRulesAllow()
{
    const Expected<DeadLetterReport> report = DeadLetterReplay::replay(*m_store, *m_sanitizer, 7, now, false);
    QVERIFY2(report, qPrintable(report.errorMessage()));
    QCOMPARE(report->deadLetters, 4);
    QCOMPARE(report->requeued, 2);
    QCOMPARE(report->kept, (QMap<QString, int>{{u"event_too_old"_s, 1}, {u"unreadable_item"_s, 1}}));
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"SELECT event_id, item, rules_revision FROM outbox ORDER BY id"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toString(), u"ok-1"_s);
    QCOMPARE(query.value(2).toInt(), 7);
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toString(), u"email-2"_s);
    QCOMPARE(query.value(1).toByteArray(), QByteArray("{\"event\":\"Lead\",\"event_time\":1795396400,\"event_id\":\"email-2\"}"));
    QCOMPARE(count(u"SELECT COUNT(*) FROM dead_letters"_s), 2);
    QCOMPARE(m_store->counters().value(u"dead_letters_replayed"_s), 2);
    // Replaying again sends nothing twice: the two left are refused again, the queued ones are not duplicated.
    const Expected<DeadLetterReport> again = DeadLetterReplay::replay(*m_store, *m_sanitizer, 7, now, false);
    QCOMPARE(again->requeued, 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 2);
}

void TestDeadLetterReplay::dryRunChangesNothing()
{
    const Expected<DeadLetterReport> report = DeadLetterReplay::replay(*m_store, *m_sanitizer, 7, now, true);
    QCOMPARE(report->requeued, 2);
    QCOMPARE(count(u"SELECT COUNT(*) FROM dead_letters"_s), 4);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox"_s), 0);
}

QTEST_GUILESS_MAIN(TestDeadLetterReplay)
#include "TestDeadLetterReplay.moc"
