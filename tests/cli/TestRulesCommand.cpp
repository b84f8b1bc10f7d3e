// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliRunner.h"

using namespace Qt::Literals::StringLiterals;

class TestRulesCommand : public QObject
{
    Q_OBJECT

private slots:
    void validatesGoodRules();
    void namesEveryProblem();
    void testReportsCountsAndLeaks();
    void testPassesSafeRules();
    void needsItsArguments();
};

void TestRulesCommand::validatesGoodRules()
{
    const CliRun run = runCli({u"rules"_s, u"validate"_s, u"resources/templates/glp1-clinic.json"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    QVERIFY(run.out.startsWith("resources/templates/glp1-clinic.json: valid clearsignal.rules/1 (\"GLP-1 clinic\": "));
    QVERIFY(run.out.contains("sends event, event_time, event_id, user.ttclid, user.ttp, page.url (origin), "
                             "properties.value, properties.currency"));
}

void TestRulesCommand::namesEveryProblem()
{
    const CliRun run = runCli({u"rules"_s, u"validate"_s, u"tests/data/rules/invalid.json"_s});
    QCOMPARE(run.exitCode, 3);
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.contains(u"tests/data/rules/invalid.json: $.mappings[0].tiktok_event: \"BookedGLP1Consultation\" is "
                          u"not a TikTok standard event"_s),
             qPrintable(err));
    QVERIFY2(err.contains(u"$.fields[\"user.email\"]: policy must be one of drop, hash (\"keep\" would send the raw "
                          u"identifier; use \"hash\")"_s),
             qPrintable(err));
    QVERIFY(err.contains(u"has errors; fix them and run again"_s));
    QVERIFY(run.out.isEmpty());
}

void TestRulesCommand::testReportsCountsAndLeaks()
{
    const CliRun run = runCli({u"rules"_s, u"test"_s, u"--rules"_s, u"tests/data/rules/permissive-keep.json"_s,
                               u"--input"_s, u"tests/data/corpus/glp1-clinic.ndjson"_s, u"--now"_s, u"1795305600"_s});
    QCOMPARE(run.exitCode, 1);
    const QString out = QString::fromUtf8(run.out);
    QVERIFY2(out.contains(u" forwarded, "_s) && out.contains(u" quarantined, "_s), qPrintable(out));
    QVERIFY2(out.contains(u"WOULD LEAK"_s), qPrintable(out));
    QVERIFY2(out.contains(u": page.url contains \""_s), qPrintable(out));
    QVERIFY2(out.contains(u"REJECTED (not valid cs-event/1):"_s), qPrintable(out));
}

void TestRulesCommand::testPassesSafeRules()
{
    const QByteArray events = R"({"event":"Lead","event_time":1795300000,"page":{"url":"https://c.example/contact?ttclid=T"}})"
                              "\n"
                              R"({"event":"page_view","event_time":1795300000})"
                              "\n";
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(events);
    file.close();
    const CliRun run = runCli({u"rules"_s, u"test"_s, u"--rules"_s, u"resources/templates/dental.json"_s, u"--input"_s,
                               file.fileName(), u"--now"_s, u"2026-11-22T00:00:00Z"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, QByteArray("2 events: 1 forwarded, 1 dropped, 0 quarantined, 0 rejected\n"
                                 "  dropped unmapped_event: 1\n"));
}

void TestRulesCommand::needsItsArguments()
{
    QCOMPARE(runCli({u"rules"_s}).exitCode, 2);
    QCOMPARE(runCli({u"rules"_s, u"check"_s}).exitCode, 2);
    QCOMPARE(runCli({u"rules"_s, u"test"_s, u"--rules"_s, u"resources/templates/dental.json"_s}).exitCode, 2);
    QCOMPARE(runCli({u"rules"_s, u"validate"_s}).exitCode, 2);
    const CliRun help = runCli({u"rules"_s, u"test"_s, u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.startsWith("Usage: clearsignal-cli rules test [options]"));
}

QTEST_GUILESS_MAIN(TestRulesCommand)
#include "TestRulesCommand.moc"
