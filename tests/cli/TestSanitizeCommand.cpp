// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliRunner.h"

#include "common/Version.h"
#include "event/EventParser.h"
#include "phi/ValueDecoding.h"
#include "rules/RuleSetJson.h"
#include "sanitize/Sanitizer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 corpusNow = 1795305600; // the corpus's fixed "now": 2026-11-22T00:00:00Z

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

QString dataPath(const QString& relative)
{
    return QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/") + relative;
}

} // namespace

class TestSanitizeCommand : public QObject
{
    Q_OBJECT

private slots:
    void matchesGoldenOutput_data();
    void matchesGoldenOutput();
    void matchesExpectations_data();
    void matchesExpectations();
    void previewIsByteIdenticalToTheCli();
    void explainsEveryLine();
    void readsStandardInputAndRejectsBadLines();
    void reportsUsageErrors_data();
    void reportsUsageErrors();
    void answersHelpAndVersion();

private:
    static void corpus_data();
};

void TestSanitizeCommand::corpus_data()
{
    QTest::addColumn<QString>("corpus");
    QTest::addColumn<QString>("expectations");
    for (const QString& name :
         {u"med-spa"_s, u"dermatology"_s, u"glp1-clinic"_s, u"dental"_s, u"mental-health"_s, u"telehealth"_s})
        QTest::addRow("%s", qPrintable(name)) << name << name + u".expect.json"_s;
    QTest::addRow("mixed permissive") << u"mixed"_s << u"mixed.permissive.expect.json"_s;
}

void TestSanitizeCommand::matchesGoldenOutput_data()
{
    corpus_data();
}

void TestSanitizeCommand::matchesGoldenOutput()
{
    QFETCH(QString, corpus);
    QFETCH(QString, expectations);
    const QJsonObject expect = QJsonDocument::fromJson(readFile(dataPath(u"corpus/"_s + expectations))).object();
    const QString rules = expect.value("rules"_L1).toString();
    const CliRun run = runCli({u"sanitize"_s, u"--rules"_s, rules, u"--input"_s,
                               u"tests/data/corpus/%1.ndjson"_s.arg(corpus), u"--now"_s, QString::number(corpusNow)});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), run.err.constData());

    const QString golden = dataPath(u"golden/%1.ndjson"_s.arg(expectations.section(u'.', 0, -3)));
    if (qEnvironmentVariableIsSet("CLEARSIGNAL_UPDATE_GOLDEN")) {
        QDir().mkpath(QFileInfo(golden).path());
        QFile file(golden);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(run.out);
        QSKIP("golden file rewritten; review the diff before committing");
    }
    const QByteArray expected = readFile(golden);
    const QList<QByteArray> actualLines = run.out.split('\n');
    const QList<QByteArray> expectedLines = expected.split('\n');
    for (qsizetype i = 0; i < std::min(actualLines.size(), expectedLines.size()); ++i)
        QCOMPARE(actualLines.at(i), expectedLines.at(i));
    QCOMPARE(run.out, expected);
}

void TestSanitizeCommand::matchesExpectations_data()
{
    corpus_data();
}

void TestSanitizeCommand::matchesExpectations()
{
    QFETCH(QString, corpus);
    QFETCH(QString, expectations);
    const QJsonObject expect = QJsonDocument::fromJson(readFile(dataPath(u"corpus/"_s + expectations))).object();
    const CliRun run = runCli({u"sanitize"_s, u"--rules"_s, expect.value("rules"_L1).toString(), u"--input"_s,
                               u"tests/data/corpus/%1.ndjson"_s.arg(corpus), u"--now"_s, QString::number(corpusNow)});
    QCOMPARE(run.exitCode, 0);

    QHash<qint64, QJsonObject> results;
    for (const QByteArray& line : run.out.split('\n')) {
        if (!line.isEmpty()) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            results.insert(object.value("line"_L1).toInteger(), object);
        }
    }
    int forwarded = 0;
    int genericForwarded = 0;
    QStringList mismatches;
    const QJsonArray events = expect.value("events"_L1).toArray();
    QVERIFY(events.size() >= 40);
    for (const QJsonValue& value : events) {
        const QJsonObject expected = value.toObject();
        const qint64 line = expected.value("line"_L1).toInteger();
        const QJsonObject actual = results.value(line);
        const QString where = u"%1 line %2: %3"_s.arg(corpus).arg(line).arg(
            QString::fromUtf8(QJsonDocument(actual).toJson(QJsonDocument::Compact)));
        auto expectThat = [&](bool condition, const QString& what) {
            if (!condition)
                mismatches.append(what + u" -- "_s + where);
        };
        expectThat(!actual.isEmpty(), u"missing output line"_s);
        expectThat(actual.value("decision"_L1) == expected.value("decision"_L1),
                   u"expected %1"_s.arg(expected.value("decision"_L1).toString()));
        const QStringList reasons = actual.value("reasons"_L1).toVariant().toStringList();
        if (expected.contains("reason"_L1))
            expectThat(reasons.contains(expected.value("reason"_L1).toString()),
                       u"expected reason %1"_s.arg(expected.value("reason"_L1).toString()));
        if (expected.contains("reason_prefix"_L1)) {
            const QString prefix = expected.value("reason_prefix"_L1).toString();
            expectThat(std::any_of(reasons.begin(), reasons.end(), [&](const QString& r) { return r.startsWith(prefix); }),
                       u"expected a reason starting %1"_s.arg(prefix));
        }
        if (expected.contains("error_contains"_L1))
            expectThat(actual.value("error"_L1).toString().contains(expected.value("error_contains"_L1).toString()),
                       u"expected error containing %1"_s.arg(expected.value("error_contains"_L1).toString()));
        if (expected.contains("tiktok_event"_L1) && actual.value("decision"_L1).toString() == "forward"_L1)
            expectThat(actual.value("tiktok"_L1).toObject().value("event"_L1) == expected.value("tiktok_event"_L1),
                       u"expected TikTok event %1"_s.arg(expected.value("tiktok_event"_L1).toString()));

        // Zero leaks: nothing planted in this event appears in what would be sent, however encoded.
        if (actual.value("decision"_L1).toString() == "forward"_L1) {
            ++forwarded;
            const QJsonArray needles = expected.value("needles"_L1).toArray();
            genericForwarded += needles.isEmpty();
            const QByteArray sent = QJsonDocument(actual.value("tiktok"_L1).toObject()).toJson(QJsonDocument::Compact);
            const QString decoded = ValueDecoding::percentDecodeRepeatedly(QString::fromUtf8(sent), true, 4).toLower();
            for (const QJsonValue& needle : needles)
                QVERIFY2(!decoded.contains(needle.toString().toLower()),
                         qPrintable(u"LEAK of \"%1\" in %2"_s.arg(needle.toString(), where)));
        }
    }
    QVERIFY2(mismatches.isEmpty(), qPrintable(u"\n"_s + mismatches.join(u'\n')));
    // Over-blocking is a failure too: clean conversions must still flow.
    QVERIFY2(genericForwarded >= 10, qPrintable(u"only %1 clean conversions forwarded"_s.arg(genericForwarded)));
    QVERIFY(forwarded >= genericForwarded);
}

void TestSanitizeCommand::previewIsByteIdenticalToTheCli()
{
    // The in-process sanitizer (what the preview and the relay call) and the CLI produce the same bytes.
    const QString rulesPath = QStringLiteral(CLEARSIGNAL_SOURCE_DIR "/resources/templates/glp1-clinic.json");
    const QString corpusPath = dataPath(u"corpus/glp1-clinic.ndjson"_s);
    const CliRun run = runCli({u"sanitize"_s, u"--rules"_s, rulesPath, u"--input"_s, corpusPath, u"--now"_s,
                               QString::number(corpusNow)});
    const QList<QByteArray> outLines = run.out.split('\n');
    FixedClock clock(corpusNow);
    const Sanitizer sanitizer = *Sanitizer::create(*RuleSetJson::load(rulesPath).rules, clock);
    const QList<QByteArray> inLines = readFile(corpusPath).split('\n');
    int compared = 0;
    for (qsizetype i = 0; i < inLines.size(); ++i) {
        const Expected<RawEvent> event = EventParser::parse(inLines.at(i));
        if (!event)
            continue;
        const SanitizeResult result = sanitizer.sanitize(*event);
        if (result.decision != Decision::Forward)
            continue;
        const QByteArray line = outLines.at(i);
        QVERIFY(line.contains(QByteArray("\"tiktok\":" + result.item + ",\"reasons\"")));
        ++compared;
    }
    QVERIFY(compared >= 10);
}

void TestSanitizeCommand::explainsEveryLine()
{
    const CliRun run = runCli({u"sanitize"_s, u"--rules"_s, u"resources/templates/dental.json"_s, u"--explain"_s},
                              R"({"event":"RootCanalBooking","event_id":"x","page":{"url":"https://d.example/root-canal"}})");
    QCOMPARE(run.exitCode, 0);
    const QJsonObject line = QJsonDocument::fromJson(run.out).object();
    const QJsonArray trace = line.value("trace"_L1).toArray();
    QVERIFY(!trace.isEmpty());
    bool urlExplained = false;
    for (const QJsonValue& entry : trace) {
        const QJsonObject object = entry.toObject();
        if (object.value("field"_L1).toString() == "page.url"_L1) {
            urlExplained = true;
            QCOMPARE(object.value("action"_L1).toString(), u"reduced_to_origin"_s);
            QCOMPARE(object.value("hits"_L1).toArray().at(0).toObject().value("category"_L1).toString(),
                     u"procedure"_s);
        }
    }
    QVERIFY(urlExplained);
    QVERIFY(!run.out.contains("root-canal"));
}

void TestSanitizeCommand::readsStandardInputAndRejectsBadLines()
{
    QByteArray input = R"({"event":"Lead"})"
                       "\n\n"
                       "{\"event\":\"Lead\",\"form\":{\"x\":\"" + QByteArray(70000, 'a') + "\"}}\n"
                       "{bad\n"
                       "{\"event\":\"Le\xff\"}\n";
    const CliRun run = runCli({u"sanitize"_s, u"--rules"_s, u"resources/templates/med-spa.json"_s}, input);
    QCOMPARE(run.exitCode, 0);
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines[0].startsWith(R"({"line":1,"decision":"forward")"));
    QCOMPARE(lines[1], QByteArray(R"J({"line":3,"decision":"reject","error":"line 3: the event is 70032 bytes; the limit is 65536 bytes (64 KiB)"})J"));
    QCOMPARE(lines[2], QByteArray(R"({"line":4,"decision":"reject","error":"line 4: invalid JSON at offset 1: expected a key in double quotes"})"));
    QCOMPARE(lines[3], QByteArray(R"({"line":5,"decision":"reject","error":"line 5: invalid JSON at offset 12: invalid UTF-8 in a string"})"));
}

void TestSanitizeCommand::reportsUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("no command") << QStringList{} << 2 << u"Usage: clearsignal-cli COMMAND"_s;
    QTest::addRow("unknown command") << QStringList{u"sanitise"_s} << 2 << u"unknown command \"sanitise\""_s;
    QTest::addRow("no rules") << QStringList{u"sanitize"_s} << 2 << u"sanitize needs --rules FILE"_s;
    QTest::addRow("unknown option") << QStringList{u"sanitize"_s, u"--rule"_s, u"x"_s} << 2 << u"Unknown option 'rule'"_s;
    QTest::addRow("missing rules file") << QStringList{u"sanitize"_s, u"--rules"_s, u"nope.json"_s} << 3
                                        << u"cannot read nope.json"_s;
    QTest::addRow("invalid rules file") << QStringList{u"sanitize"_s, u"--rules"_s, u"tests/data/rules/invalid.json"_s}
                                        << 3 << u"$.mappings[0].tiktok_event"_s;
    QTest::addRow("missing input") << QStringList{u"sanitize"_s, u"--rules"_s, u"resources/templates/dental.json"_s,
                                                  u"--input"_s, u"/nonexistent/events.ndjson"_s}
                                   << 3 << u"cannot read /nonexistent/events.ndjson"_s;
    QTest::addRow("unwritable output") << QStringList{u"sanitize"_s, u"--rules"_s, u"resources/templates/dental.json"_s,
                                                      u"--output"_s, u"/nonexistent/dir/out.ndjson"_s}
                                       << 4 << u"cannot write /nonexistent/dir/out.ndjson"_s;
    QTest::addRow("bad now") << QStringList{u"sanitize"_s, u"--rules"_s, u"resources/templates/dental.json"_s,
                                            u"--now"_s, u"tomorrow"_s}
                             << 2 << u"--now: the time is not an ISO-8601 date-time"_s;
}

void TestSanitizeCommand::reportsUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
}

void TestSanitizeCommand::answersHelpAndVersion()
{
    const CliRun version = runCli({u"--version"_s});
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QByteArray("clearsignal-cli " CLEARSIGNAL_VERSION "\n"));
    const CliRun help = runCli({u"sanitize"_s, u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.startsWith("Usage: clearsignal-cli sanitize [options]"));
    QVERIFY(help.out.contains("--explain"));
}

QTEST_GUILESS_MAIN(TestSanitizeCommand)
#include "TestSanitizeCommand.moc"
