// SPDX-License-Identifier: GPL-3.0-or-later
// clearsignal-cli scan as a user or a CI script runs it: the bundled demo, exit codes, usage errors,
// baselines and Ctrl-C.
#include "CliRunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>

#include <csignal>

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QStringList codes(const QJsonObject& scan)
{
    QStringList list;
    for (const QJsonValue& finding : scan.value("findings"_L1).toArray())
        list.append(finding.toObject().value("code"_L1).toString());
    return list;
}

} // namespace

class TestScanCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void scansTheDemoClinic();
    void failOnSetsTheExitCode();
    void summaryNamesEveryConsentState();
    void baselineReportsWhatIsNew();
    void reportsUsageErrors_data();
    void reportsUsageErrors();
    void unreachableSiteIsARuntimeFailure();
    void interruptWritesWhatWasFound();

private:
    QTemporaryDir m_dir;
};

void TestScanCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestScanCommand::scansTheDemoClinic()
{
    const QString json = m_dir.filePath(u"demo.json"_s);
    const CliRun run = runCli({u"scan"_s, u"--demo"_s, u"--max-pages"_s, u"4"_s, u"--json"_s, json});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject scan = readJson(json);
    QCOMPARE(scan.value("schema"_L1).toString(), u"clearsignal.scan/1"_s);
    QCOMPARE(scan.value("pages"_L1).toArray().size(), 4);
    QVERIFY(codes(scan).contains(u"tiktok_pixel_installed"_s));
    // Progress on stderr, the summary on stdout.
    QVERIFY(run.err.contains("[1/"));
    QVERIFY(run.err.contains("(the bundled demo clinic)"));
    QVERIFY(run.out.contains("Scanned 4 page(s)"));
    QVERIFY(run.out.contains("HIGH     tiktok_pixel_installed"));
    QVERIFY(run.out.contains("What to do: "));
    // Nothing from the browser's start-up reaches the user.
    QVERIFY2(!run.err.contains("DevTools listening"), run.err.constData());
    QVERIFY2(!run.err.contains("qt.webengine"), run.err.constData());
}

void TestScanCommand::summaryNamesEveryConsentState()
{
    // The acne page sends its address to Google in all four states: one finding that says so, and the
    // include glob reaches below /services/ ("**" crosses path segments).
    const CliRun run = runCli({u"scan"_s, u"--demo"_s, u"--consent"_s, u"all"_s, u"--include"_s, u"/services/**"_s,
                               u"--max-pages"_s, u"3"_s, u"--quiet"_s});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("Scanned 3 page(s) of "), run.out.constData());
    QVERIFY2(run.out.contains("/services/acne-scar-treatment/; consent: none, rejected, accepted, gpc; field: dl\n"),
             run.out.constData());
    QVERIFY(run.err.isEmpty()); // --quiet: no progress
}

void TestScanCommand::failOnSetsTheExitCode()
{
    const CliRun critical = runCli({u"scan"_s, u"--demo"_s, u"--max-pages"_s, u"1"_s, u"--quiet"_s,
                                    u"--fail-on"_s, u"high"_s});
    QCOMPARE(critical.exitCode, 1); // the home page alone installs the TikTok pixel (high)
    QVERIFY(critical.err.isEmpty());
    const CliRun clean = runCli({u"scan"_s, u"--demo"_s, u"--max-pages"_s, u"1"_s, u"--quiet"_s,
                                 u"--fail-on"_s, u"critical"_s});
    QCOMPARE(clean.exitCode, 0); // nothing critical on the home page
}

void TestScanCommand::baselineReportsWhatIsNew()
{
    const QString first = m_dir.filePath(u"baseline.json"_s);
    QCOMPARE(runCli({u"scan"_s, u"--demo"_s, u"--max-pages"_s, u"1"_s, u"--quiet"_s, u"--json"_s, first}).exitCode, 0);
    // An approved baseline without Google: Google now counts as new.
    QJsonObject baseline = readJson(first);
    for (const char* list : {"requests", "tracker_events"}) {
        QJsonArray kept;
        for (const QJsonValue& item : baseline.value(QLatin1StringView(list)).toArray()) {
            if (item.toObject().value("vendor"_L1).toString() != "google"_L1)
                kept.append(item);
        }
        baseline.insert(QLatin1StringView(list), kept);
    }
    QFile file(first);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(baseline).toJson());
    file.close();

    const QString second = m_dir.filePath(u"second.json"_s);
    const CliRun run = runCli({u"scan"_s, u"--demo"_s, u"--max-pages"_s, u"1"_s, u"--quiet"_s, u"--baseline"_s, first,
                               u"--json"_s, second, u"--fail-on"_s, u"new"_s});
    QCOMPARE(run.exitCode, 1);
    const QStringList found = codes(readJson(second));
    QVERIFY(found.contains(u"new_tracker"_s));
    QVERIFY(!found.contains(u"new_pixel_id"_s) || found.count(u"new_pixel_id"_s) == 1); // Google's measurement id
}

void TestScanCommand::reportsUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("message");
    QTest::addRow("no address") << QStringList{u"scan"_s} << 2 << QByteArray("scan needs one web address");
    QTest::addRow("address and demo") << QStringList{u"scan"_s, u"https://a.example"_s, u"--demo"_s} << 2
                                      << QByteArray("scan needs one web address");
    QTest::addRow("not a web address") << QStringList{u"scan"_s, u"ftp://files.example/"_s} << 2
                                       << QByteArray("is not a web address");
    QTest::addRow("bad consent") << QStringList{u"scan"_s, u"--demo"_s, u"--consent"_s, u"maybe"_s} << 2
                                 << QByteArray("--consent takes none, reject, accept, gpc or all");
    QTest::addRow("zero pages") << QStringList{u"scan"_s, u"--demo"_s, u"--max-pages"_s, u"0"_s} << 2
                                << QByteArray("--max-pages takes a number from 1 to 10000");
    QTest::addRow("fail-on low") << QStringList{u"scan"_s, u"--demo"_s, u"--fail-on"_s, u"low"_s} << 2
                                 << QByteArray("--fail-on takes critical, high, medium or new");
    QTest::addRow("unknown option") << QStringList{u"scan"_s, u"--demo"_s, u"--fast"_s} << 2
                                    << QByteArray("Unknown option 'fast'");
    QTest::addRow("missing baseline") << QStringList{u"scan"_s, u"--demo"_s, u"--baseline"_s, u"/nonexistent.json"_s}
                                      << 3 << QByteArray("cannot read /nonexistent.json");
    QTest::addRow("baseline not a scan")
        << QStringList{u"scan"_s, u"--demo"_s, u"--baseline"_s, QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/rules/invalid.json")}
        << 3 << QByteArray("is not a ClearSignal scan");
    QTest::addRow("output folder missing")
        << QStringList{u"scan"_s, u"--demo"_s, u"--json"_s, u"/nonexistent/folder/scan.json"_s} << 4
        << QByteArray("the folder /nonexistent/folder does not exist");
}

void TestScanCommand::reportsUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, message);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), run.err.constData());
}

void TestScanCommand::unreachableSiteIsARuntimeFailure()
{
    QTcpServer probe; // a port that was free a moment ago: nothing listens there now
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString address = u"http://127.0.0.1:%1/"_s.arg(probe.serverPort());
    probe.close();
    const CliRun run = runCli({u"scan"_s, address, u"--quiet"_s});
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(run.err.contains(QByteArray("could not load " + address.toUtf8() + ": the server refused the connection")),
             run.err.constData());
}

void TestScanCommand::interruptWritesWhatWasFound()
{
    const QString json = m_dir.filePath(u"interrupted.json"_s);
    QProcess process;
    process.setWorkingDirectory(QStringLiteral(CLEARSIGNAL_SOURCE_DIR));
    process.setReadChannel(QProcess::StandardError); // progress arrives there
    process.start(QStringLiteral(CLEARSIGNAL_CLI), {u"scan"_s, u"--demo"_s, u"--json"_s, json});
    QVERIFY(process.waitForStarted());
    // Ctrl-C as soon as the first page is done.
    QByteArray err;
    while (!err.contains("[1/") && process.waitForReadyRead(30000))
        err += process.readAllStandardError();
    QVERIFY2(err.contains("[1/"), err.constData());
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(60000));
    err += process.readAllStandardError();
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 130, err.constData());
    QVERIFY(err.contains("Stopping; writing what was found so far"));
    const QJsonObject scan = readJson(json);
    QCOMPARE(scan.value("stopped_early"_L1).toBool(), true);
    QVERIFY(!scan.value("pages"_L1).toArray().isEmpty());
    QVERIFY(scan.value("pages"_L1).toArray().size() < 13);
}

QTEST_GUILESS_MAIN(TestScanCommand)
#include "TestScanCommand.moc"
