// SPDX-License-Identifier: GPL-3.0-or-later
#include "consent/ConsentReader.h"
#include "conversions/ConversionImporter.h"
#include "relay/RelayStore.h"
#include "rules/RuleTemplates.h"
#include "sanitize/Sanitizer.h"
#include "storage/Workspace.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 now = 1795400000; // 2026-11-22
const QByteArray mappingJson = R"({"schema": "clearsignal.conversions/1", "event_source": "crm",
    "event_set_id": "CRMSET00000000000001", "event": "schedule", "time_format": "yyyy-MM-dd HH:mm",
    "time_zone": "America/Chicago", "currency": "usd",
    "columns": {"event_id": "Booking ID", "event_time": "Booked At", "email": "Email", "ttclid": "Click",
                "value": "Amount", "consent": "Consent", "visitor_id": "Visitor"}})";

} // namespace

/// Offline conversions: mapping files, consent per row, the sanitizer, dedup across imports, no PHI kept.
class TestConversionImporter final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void mappingErrorsNameThePath_data();
    void mappingErrorsNameThePath();
    void importsThroughConsentAndRules();
    void importingAgainSendsNothingTwice();
    void dryRunWritesNothing();
    void missingColumnIsReportedBeforeAnything();
    void aLaterWithdrawalBeatsTheRowsYes();
    void decimalCommaAmounts();

private:
    Expected<ImportReport> run(const QByteArray& csv, bool dryRun = false);
    QList<QByteArray> queued(const QString& column = u"item"_s);

    FixedClock m_clock{now};
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<RelayStore> m_store;
    std::unique_ptr<ConsentReader> m_consent;
    std::unique_ptr<Sanitizer> m_sanitizer;
};

void TestConversionImporter::init()
{
    static int run = 0;
    auto workspace = Workspace::create(m_dir.filePath(u"import-%1.csdb"_s.arg(++run)));
    QVERIFY(workspace);
    m_workspace = std::move(*workspace);
    const KeyedHasher hasher(QByteArray(32, 'k'));
    auto store = RelayStore::open(*m_workspace, hasher);
    QVERIFY(store);
    m_store = std::move(*store);
    m_consent = std::make_unique<ConsentReader>(*m_workspace, hasher);
    RuleSet rules = *RuleTemplates::load(u"med-spa"_s).rules;
    rules.pixelId = u"CTESTPIXEL0000000001"_s;
    m_sanitizer = std::make_unique<Sanitizer>(std::move(*Sanitizer::create(rules, m_clock)));
}

void TestConversionImporter::cleanup()
{
    m_sanitizer.reset();
    m_consent.reset();
    m_store.reset();
    m_workspace.reset();
}

Expected<ImportReport> TestConversionImporter::run(const QByteArray& csv, bool dryRun)
{
    const Expected<CsvTable> table = CsvReader::parse(csv);
    if (!table)
        return table.error();
    const Expected<ConversionMapping> mapping = ConversionMapping::parse(mappingJson);
    if (!mapping)
        return mapping.error();
    ConversionImporter importer(*m_store, *m_consent, *m_sanitizer, ConsentPolicy::Required, m_clock);
    return importer.import(*table, *mapping, QString(), 3, dryRun);
}

QList<QByteArray> TestConversionImporter::queued(const QString& column)
{
    QList<QByteArray> values;
    QSqlQuery query(m_workspace->database());
    if (query.exec(u"SELECT %1 FROM outbox ORDER BY id"_s.arg(column))) {
        while (query.next())
            values.append(query.value(0).toByteArray());
    }
    return values;
}

void TestConversionImporter::mappingErrorsNameThePath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::addRow("not json") << QByteArray("{") << u"the mapping is not valid JSON (offset 1: unterminated object)"_s;
    QTest::addRow("schema") << QByteArray(R"({"schema": "x"})") << u"$.schema must be \"clearsignal.conversions/1\""_s;
    QTest::addRow("source") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_source": "web"})")
                            << u"$.event_source must be \"offline\" (store visits, bookings) or \"crm\" (leads)"_s;
    QTest::addRow("no set id") << QByteArray(R"({"schema": "clearsignal.conversions/1"})")
                               << u"$.event_set_id is required: the id of the offline or CRM event set in TikTok "
                                  "Events Manager"_s;
    QTest::addRow("custom event") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_set_id": "X",
                                                   "event": "BookedGLP1Consult"})")
                                  << u"$.event must be a TikTok standard event such as Schedule or CompletePayment, "
                                     "not \"BookedGLP1Consult\""_s;
    QTest::addRow("unknown field") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_set_id": "X",
                                                    "event": "Lead", "columns": {"diagnosis": "Dx"}})")
                                   << u"$.columns.diagnosis is not a field; fields are event, event_id, event_time, "
                                      "visitor_id, consent, email, phone, external_id, first_name, last_name, "
                                      "zip_code, ttclid, value, currency"_s;
    QTest::addRow("no zone") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_set_id": "X",
                                              "event": "Lead", "columns": {"event_time": "t"}})")
                             << u"$.time_zone is required: the clinic's time zone, such as America/Chicago, for times "
                                "written without an offset (use \"UTC\" if the export is in UTC)"_s;
    QTest::addRow("no time") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_set_id": "X",
                                              "event": "Lead", "time_zone": "UTC", "columns": {}})")
                             << u"$.columns.event_time is required: TikTok needs when each conversion happened"_s;
    QTest::addRow("empty consent word") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_set_id": "X",
                                                         "event": "Lead", "columns": {"event_time": "t"},
                                                         "time_zone": "UTC", "consent_yes": ["yes", ""]})")
                                        << u"$.consent_yes must hold words, not empty values"_s;
    QTest::addRow("word in both lists") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_set_id": "X",
                                                         "event": "Lead", "columns": {"event_time": "t"}, "time_zone": "UTC",
                                                         "consent_no": ["ja", "no"], "consent_yes": ["ja"]})")
                                        << u"\"ja\" is in both $.consent_yes and $.consent_no"_s;
    QTest::addRow("decimal separator") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_set_id": "X",
                                                        "event": "Lead", "decimal_separator": ";"})")
                                       << u"$.decimal_separator must be \".\" (1,250.00) or \",\" (1.250,00)"_s;
    QTest::addRow("zone") << QByteArray(R"({"schema": "clearsignal.conversions/1", "event_set_id": "X",
                                           "event": "Lead", "time_zone": "Mars/Olympus", "columns": {}})")
                          << u"$.time_zone must be a time zone such as America/Chicago, not \"Mars/Olympus\""_s;
}

void TestConversionImporter::mappingErrorsNameThePath()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const Expected<ConversionMapping> mapping = ConversionMapping::parse(json);
    QVERIFY(!mapping);
    QCOMPARE(mapping.errorMessage(), message);
}

void TestConversionImporter::importsThroughConsentAndRules()
{
    // The visitor "v-granted" accepted ads on the site; rows without their own consent answer use that record.
    QVERIFY(m_workspace->transaction([&] {
        return m_store->recordConsent(u"v-granted"_s, ConsentRecord{true, u"banner"_s, now - 100});
    }));
    const Expected<ImportReport> report = run(
        "Booking ID,Booked At,Email,Click,Amount,Consent,Visitor,Notes\n"
        "B-1,2026-11-20 10:30,ana.needle@example.com,E.C.P.a1,\"1,250.00\",yes,,\"semaglutide, diabetic\"\n"
        "B-2,2026-11-20 11:00,ben@example.com,,300,no,,\n"
        "B-3,2026-11-21 09:15,,E.C.P.c3,99,,v-granted,\n"
        "B-4,2026-11-21 09:30,,,99,,v-stranger,\n"
        "B-5,31/11/2026,dan@example.com,,50,yes,,\n"
        "B-6,2026-11-21 10:00,,,minus five,yes,,\n"
        "B-7,1897-03-01 10:00,,,5,yes,,\n");
    QVERIFY2(report, qPrintable(report.errorMessage()));
    QCOMPARE(report->rows, 7);
    QCOMPARE(report->queued, 2);
    QCOMPARE(report->dropped, (QMap<QString, int>{{u"consent_withdrawn"_s, 1}, {u"no_consent"_s, 1}}));
    QCOMPARE(report->errors, (QStringList{u"line 6: event_time does not match the time format yyyy-MM-dd HH:mm"_s,
                                          u"line 7: value is not an amount"_s,
                                          u"line 8: event_time is outside the years 2000 to 2100 (or in milliseconds)"_s}));
    // Times without an offset are in the mapping's zone (Chicago, UTC-6 in November); the med-spa rules send
    // ttclid, value and currency, and nothing of the email.
    QCOMPARE(queued(), (QList<QByteArray>{
                           R"({"event":"Schedule","event_time":1795192200,"event_id":"B-1","user":{"ttclid":"E.C.P.a1"},"properties":{"value":1250,"currency":"USD"}})",
                           R"({"event":"Schedule","event_time":1795274100,"event_id":"B-3","user":{"ttclid":"E.C.P.c3"},"properties":{"value":99,"currency":"USD"}})"}));
    QCOMPARE(queued(u"event_source"_s), (QList<QByteArray>{"crm", "crm"}));
    QCOMPARE(queued(u"pixel_id"_s), (QList<QByteArray>{"CRMSET00000000000001", "CRMSET00000000000001"}));

    // Nothing of the rows' personal data is in the file.
    m_consent.reset();
    m_store.reset();
    m_workspace.reset();
    QByteArray bytes;
    QDirIterator files(m_dir.path(), {u"import-*.csdb*"_s}, QDir::Files);
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        bytes += file.readAll();
    }
    for (const char* needle : {"ana.needle@example.com", "semaglutide", "diabetic", "ben@example.com"})
        QVERIFY2(!bytes.contains(needle), needle);
}

void TestConversionImporter::importingAgainSendsNothingTwice()
{
    // No booking id: the importer derives one from the row, the same each time.
    const QByteArray csv = "Booking ID,Booked At,Email,Click,Amount,Consent,Visitor\n,2026-11-20 10:30,,E.C.P.a1,10,yes,\n";
    const Expected<ImportReport> first = run(csv);
    QVERIFY2(first, qPrintable(first.errorMessage()));
    QCOMPARE(first->queued, 1);
    const Expected<ImportReport> again = run(csv);
    QVERIFY(again);
    QCOMPARE(again->queued, 0);
    QCOMPARE(again->dropped.value(u"duplicate_event_id"_s), 1);
    const QList<QByteArray> ids = queued(u"event_id"_s);
    QCOMPARE(ids.size(), 1);
    QVERIFY2(ids.first().startsWith("import-") && ids.first().size() == 39, ids.first().constData());
}

void TestConversionImporter::dryRunWritesNothing()
{
    const Expected<ImportReport> report =
        run("Booking ID,Booked At,Email,Click,Amount,Consent,Visitor\nB-9,2026-11-20 10:30,,,10,yes,\n", true);
    QVERIFY2(report, qPrintable(report.errorMessage()));
    QCOMPARE(report->queued, 1);
    QCOMPARE(queued().size(), 0);
    QSqlQuery query(m_workspace->database());
    QVERIFY(query.exec(u"SELECT (SELECT COUNT(*) FROM audit) + (SELECT COUNT(*) FROM stats)"_s) && query.next());
    QCOMPARE(query.value(0).toInt(), 0);
}

void TestConversionImporter::missingColumnIsReportedBeforeAnything()
{
    const Expected<ImportReport> report = run("Date,Amount\n2026-11-20 10:30,10\n");
    QVERIFY(!report);
    QVERIFY2(report.errorMessage().startsWith(u"the mapping reads column \""_s), qPrintable(report.errorMessage()));
    QVERIFY(report.errorMessage().endsWith(u"but the CSV has no such column (it has: Date, Amount)"_s));
    QCOMPARE(queued().size(), 0);
}

void TestConversionImporter::aLaterWithdrawalBeatsTheRowsYes()
{
    // The CRM says yes on the day of the booking; the visitor withdrew on the site afterwards.
    QVERIFY(m_workspace->transaction([&] {
        return m_store->recordConsent(u"v-changed-mind"_s, ConsentRecord{false, u"banner"_s, now - 3600});
    }));
    const Expected<ImportReport> report =
        run("Booking ID,Booked At,Email,Click,Amount,Consent,Visitor\n"
            "B-1,2026-11-20 10:30,,,10,yes,v-changed-mind\n");
    QVERIFY2(report, qPrintable(report.errorMessage()));
    QCOMPARE(report->queued, 0);
    QCOMPARE(report->dropped, (QMap<QString, int>{{u"consent_withdrawn"_s, 1}}));
}

void TestConversionImporter::decimalCommaAmounts()
{
    const Expected<CsvTable> table =
        CsvReader::parse("Booked At;Betrag;Consent\n2026-11-20 10:30;1.250,50;yes\n2026-11-20 11:30;99,9;yes\n");
    QVERIFY(table);
    const Expected<ConversionMapping> mapping = ConversionMapping::parse(
        R"({"schema": "clearsignal.conversions/1", "event_set_id": "SET", "event": "Schedule", "currency": "EUR",
            "time_format": "yyyy-MM-dd HH:mm", "time_zone": "Europe/Berlin", "decimal_separator": ",",
            "columns": {"event_time": "Booked At", "value": "Betrag", "consent": "Consent"}})");
    QVERIFY2(mapping, qPrintable(mapping.errorMessage()));
    ConversionImporter importer(*m_store, *m_consent, *m_sanitizer, ConsentPolicy::Required, m_clock);
    const Expected<ImportReport> report = importer.import(*table, *mapping, QString(), 1, false);
    QVERIFY2(report, qPrintable(report.errorMessage()));
    QCOMPARE(report->queued, 2);
    QList<double> values;
    for (const QByteArray& item : queued())
        values.append(QJsonDocument::fromJson(item).object().value("properties"_L1).toObject().value("value"_L1).toDouble());
    QCOMPARE(values, (QList<double>{1250.5, 99.9}));
}

QTEST_GUILESS_MAIN(TestConversionImporter)
#include "TestConversionImporter.moc"
