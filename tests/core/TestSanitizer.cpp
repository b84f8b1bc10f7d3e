// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/EventParser.h"
#include "rules/RuleSetJson.h"
#include "rules/RuleTemplates.h"
#include "sanitize/SanitizeOutput.h"
#include "sanitize/Sanitizer.h"
#include "tiktok/IdentifierHashing.h"

#include <QFile>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 now = 1795305600; // 2026-11-22T00:00:00Z

// Rules that send every identifier, with an approval: tests/data/rules/approved-identifiers.json.
QByteArray approvedRulesJson()
{
    QFile file(QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/rules/approved-identifiers.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read approved-identifiers.json");
    return file.readAll();
}
const QByteArray approvedRules = approvedRulesJson();

} // namespace

class TestSanitizer : public QObject
{
    Q_OBJECT

private slots:
    void reasonsForRecordsHoldNoTerms();
    void forwardsAGenericConversionUnderATemplate();
    void appliesEveryFieldPolicy();
    void mapsEvents_data();
    void mapsEvents();
    void dropsByTime_data();
    void dropsByTime();
    void quarantinesPhiInKeptFields_data();
    void quarantinesPhiInKeptFields();
    void quarantinesUnmappedWhenAsked();
    void prefersTheEventsOwnTtclid();
    void doesNotSendWhatCannotBeNormalised();
    void traceNamesEveryFieldButNoValue();
    void addsLimitedDataUse();

private:
    static Sanitizer make(const QByteArray& rulesJson);
    static Sanitizer makeTemplate(const QString& id);
    static RawEvent event(const QByteArray& json);
    FixedClock m_clock{now};
};

Sanitizer TestSanitizer::make(const QByteArray& rulesJson)
{
    static FixedClock clock(now);
    RuleSetLoad loaded = RuleSetJson::parse(rulesJson);
    if (!loaded.rules)
        qFatal("test rules invalid: %s", qPrintable(loaded.report()));
    return *Sanitizer::create(*loaded.rules, clock);
}

Sanitizer TestSanitizer::makeTemplate(const QString& id)
{
    static FixedClock clock(now);
    return *Sanitizer::create(*RuleTemplates::load(id).rules, clock);
}

RawEvent TestSanitizer::event(const QByteArray& json)
{
    Expected<RawEvent> parsed = EventParser::parse(json);
    if (!parsed)
        qFatal("test event invalid: %s", qPrintable(parsed.errorMessage()));
    return *parsed;
}

void TestSanitizer::forwardsAGenericConversionUnderATemplate()
{
    const Sanitizer sanitizer = makeTemplate(u"med-spa"_s);
    const SanitizeResult result = sanitizer.sanitize(event(R"({"event":"Lead","event_id":"evt-1","event_time":1795300000,
        "page":{"url":"https://www.glowmedspa.com/contact?ttclid=E.C.P.CqgBxZ9Hkq1lC3Yb&utm_source=tiktok",
                "referrer":"https://www.google.com/search?q=botox+near+me","title":"Contact Us"},
        "user":{"ttp":"2F7h37YkS1j57AYSKTI7IHhJPYH","email":"jane@x.com","ip":"203.0.113.9"},
        "properties":{"value":0,"currency":"USD","content_name":"Botox consult"},
        "form":{"message":"I want botox for my forehead"}})"));
    QCOMPARE(result.decision, Decision::Forward);
    QCOMPARE(result.reasons, QStringList());
    QCOMPARE(result.eventId, u"evt-1"_s);
    QCOMPARE(result.item, QByteArray(R"({"event":"Lead","event_time":1795300000,"event_id":"evt-1",)"
                                     R"("user":{"ttclid":"E.C.P.CqgBxZ9Hkq1lC3Yb","ttp":"2F7h37YkS1j57AYSKTI7IHhJPYH"},)"
                                     R"("page":{"url":"https://www.glowmedspa.com/"},)"
                                     R"("properties":{"value":0,"currency":"USD"}})"));
}

void TestSanitizer::appliesEveryFieldPolicy()
{
    const Sanitizer sanitizer = make(approvedRules);
    const SanitizeResult result = sanitizer.sanitize(event(R"({"event":"BookedConsult","event_id":"e-9",
        "event_time":"2026-11-21T10:00:00-05:00",
        "page":{"url":"https://clinic.example/services/botox/book?ttclid=T1","referrer":"https://clinic.example/pricing?x=1"},
        "user":{"email":" Jane.Doe@Example.com ","phone":"(512) 555-0147","external_id":"CRM-7","first_name":"Mary Ann",
                "zip_code":"94107-1234","ip":"203.0.113.77","city":"San José","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
                "locale":"es-MX","last_name":"Lopez"},
        "properties":{"content_type":"product","num_items":2,"value":99.5,"currency":"usd"}})"));
    QCOMPARE(result.decision, Decision::Forward);
    using IdentifierHashing::sha256Hex;
    const QString item = QString::fromUtf8(result.item);
    QCOMPARE(item, u"{\"event\":\"Schedule\",\"event_time\":1795273200,\"event_id\":\"e-9\","
                   u"\"user\":{\"ttclid\":\"T1\","
                   u"\"email\":\"%1\",\"phone\":\"%2\",\"external_id\":\"%3\",\"first_name\":\"%4\",\"zip_code\":\"%5\","
                   u"\"city\":\"sanjose\",\"ip\":\"203.0.113.0\",\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\","
                   u"\"locale\":\"es-MX\"},"
                   u"\"page\":{\"url\":\"https://clinic.example/services\",\"referrer\":\"https://clinic.example/pricing\"},"
                   u"\"properties\":{\"value\":99.5,\"currency\":\"USD\",\"content_type\":\"product\",\"num_items\":2}}"_s
                       .arg(sha256Hex(u"jane.doe@example.com"_s), sha256Hex(u"+15125550147"_s), sha256Hex(u"crm-7"_s),
                            sha256Hex(u"maryann"_s), sha256Hex(u"941071234"_s)));
}

void TestSanitizer::mapsEvents_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("tiktokEvent"); // empty: unmapped
    QTest::addRow("standard name any case") << QByteArray(R"({"event":"completeregistration"})")
                                            << u"CompleteRegistration"_s;
    QTest::addRow("first matching mapping") << QByteArray(R"({"event":"BookNow"})") << u"Schedule"_s;
    QTest::addRow("path mapping before generic")
        << QByteArray(R"({"event":"form_submit","page":{"url":"https://clinic.example/book/glp1"}})") << u"Schedule"_s;
    QTest::addRow("path mapping needs the path")
        << QByteArray(R"({"event":"form_submit","page":{"url":"https://clinic.example/contact"}})") << u"Lead"_s;
    QTest::addRow("path mapping without url") << QByteArray(R"({"event":"form_submit"})") << u"Lead"_s;
    QTest::addRow("unmapped") << QByteArray(R"({"event":"scroll_depth"})") << QString();
}

void TestSanitizer::mapsEvents()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, tiktokEvent);
    const SanitizeResult result = make(approvedRules).sanitize(event(json));
    QCOMPARE(result.tiktokEvent, tiktokEvent);
    if (tiktokEvent.isEmpty()) {
        QCOMPARE(result.decision, Decision::Drop);
        QCOMPARE(result.reasons, QStringList{u"unmapped_event"_s});
    } else {
        QCOMPARE(result.decision, Decision::Forward);
        QVERIFY(result.item.startsWith(QByteArray("{\"event\":\"" + tiktokEvent.toUtf8() + '"')));
    }

    RuleSet mapOnly = *RuleSetJson::parse(approvedRules).rules;
    mapOnly.standardNames = StandardNamePolicy::MapOnly;
    const SanitizeResult strict = Sanitizer::create(mapOnly, m_clock)->sanitize(event(R"({"event":"Lead"})"));
    QCOMPARE(strict.decision, Decision::Drop);
}

void TestSanitizer::dropsByTime_data()
{
    QTest::addColumn<qint64>("time");
    QTest::addColumn<QString>("reason"); // empty: forwarded
    QTest::addRow("just now") << now << QString();
    QTest::addRow("seven days") << now - 7 * 86400 << QString();
    QTest::addRow("older than seven days") << now - 7 * 86400 - 1 << u"event_too_old"_s;
    QTest::addRow("slight clock skew") << now + 600 << QString();
    QTest::addRow("future") << now + 601 << u"event_time_in_future"_s;
}

void TestSanitizer::dropsByTime()
{
    QFETCH(qint64, time);
    QFETCH(QString, reason);
    const SanitizeResult result =
        makeTemplate(u"dental"_s).sanitize(event(R"({"event":"Lead","event_id":"a","event_time":)" + QByteArray::number(time) + "}"));
    if (reason.isEmpty()) {
        QCOMPARE(result.decision, Decision::Forward);
    } else {
        QCOMPARE(result.decision, Decision::Drop);
        QCOMPARE(result.reasons, QStringList{reason});
        QCOMPARE(result.eventId, u"a"_s);
    }
}

void TestSanitizer::quarantinesPhiInKeptFields_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("reasons");
    QTest::addRow("health term in event_id") << QByteArray(R"({"event":"Lead","event_id":"lead-semaglutide-42"})")
                                             << QStringList{u"phi_in_kept_field:event_id:semaglutide"_s};
    QTest::addRow("email in ttclid") << QByteArray(R"({"event":"Lead","user":{"ttclid":"jane.doe@gmail.com"}})")
                                     << QStringList{u"phi_in_kept_field:user.ttclid:email"_s};
    QTest::addRow("service subdomain")
        << QByteArray(R"({"event":"Lead","page":{"url":"https://botox.glowmedspa.com/contact"}})")
        << QStringList{u"phi_in_kept_field:page.url:botox"_s};
}

void TestSanitizer::quarantinesPhiInKeptFields()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, reasons);
    const SanitizeResult result = makeTemplate(u"med-spa"_s).sanitize(event(json));
    QCOMPARE(result.decision, Decision::Quarantine);
    QCOMPARE(result.reasons, reasons);
    QVERIFY(result.item.isEmpty());
    if (reasons.constFirst().contains(u":event_id:"_s))
        QVERIFY(result.eventId.isEmpty()); // the id itself is not repeated
}

void TestSanitizer::quarantinesUnmappedWhenAsked()
{
    RuleSet rules = *RuleTemplates::load(u"dental"_s).rules;
    rules.unmappedEvents = UnmappedEventPolicy::Quarantine;
    const SanitizeResult result = Sanitizer::create(rules, m_clock)->sanitize(event(R"({"event":"video_play"})"));
    QCOMPARE(result.decision, Decision::Quarantine);
    QCOMPARE(result.reasons, QStringList{u"unmapped_event"_s});
}

void TestSanitizer::prefersTheEventsOwnTtclid()
{
    const SanitizeResult result = makeTemplate(u"dental"_s).sanitize(
        event(R"({"event":"Lead","user":{"ttclid":"OWN"},"page":{"url":"https://d.example/?ttclid=URL"}})"));
    QVERIFY2(result.item.contains(R"("user":{"ttclid":"OWN"})"), result.item.constData());
}

void TestSanitizer::doesNotSendWhatCannotBeNormalised()
{
    const SanitizeResult result = make(approvedRules).sanitize(
        event(R"({"event":"Lead","user":{"email":"not-an-email","phone":"ask me","ip":"localhost"}})"), {true});
    QCOMPARE(result.decision, Decision::Forward);
    QVERIFY2(!result.item.contains("\"user\""), result.item.constData());
    int notSent = 0;
    for (const TraceEntry& entry : result.trace)
        notSent += entry.action == "not_sent"_L1 && entry.field.startsWith(u"user."_s);
    QCOMPARE(notSent, 3);
}

void TestSanitizer::traceNamesEveryFieldButNoValue()
{
    const QStringList needles = {u"jane.doe@gmail.com"_s, u"5125550147"_s, u"Jane"_s, u"1984-03-12"_s,
                                 u"MRN00482913"_s, u"Oak Street"_s, u"10mg"_s};
    const SanitizeResult result = makeTemplate(u"mental-health"_s).sanitize(
        event(R"({"event":"BookLexaproRefill","event_id":"e1","event_time":1795300000,"visitor_id":"v1",
        "page":{"url":"https://mind.example/portal?mrn=MRN00482913&email=jane.doe%40gmail.com","title":"Lexapro refill"},
        "user":{"email":"jane.doe@gmail.com","phone":"512-555-0147","first_name":"Jane"},
        "properties":{"description":"Lexapro 10mg","dob":"1984-03-12"},
        "form":{"address":"12 Oak Street","jane.doe@gmail.com":"x"},"extra":{"lexapro":1},
        "jane.doe@gmail.com":1,"user2":{"Jane_Doe":1}})"),
        {true});
    QCOMPARE(result.decision, Decision::Forward);
    const QByteArray line = SanitizeOutput::resultLine(1, result, true);
    for (const QString& needle : needles)
        QVERIFY2(!line.contains(needle.toUtf8()), qPrintable(u"trace leaks %1: %2"_s.arg(needle, QString::fromUtf8(line))));
    QStringList fields;
    for (const TraceEntry& entry : result.trace)
        fields.append(entry.field);
    for (const QString& field : {u"event"_s, u"event_id"_s, u"page.url"_s, u"page.title"_s, u"user.email"_s,
                                 u"user.phone"_s, u"user.first_name"_s, u"properties.description"_s,
                                 u"properties.dob"_s, u"form.address"_s, u"form"_s, u"visitor_id"_s})
        QVERIFY2(fields.contains(field), qPrintable(field));
    // The event name's health term is explained, by term and category only.
    const auto eventEntry = std::find_if(result.trace.begin(), result.trace.end(),
                                         [](const TraceEntry& entry) { return entry.field == "event"_L1; });
    QCOMPARE(eventEntry->action, u"renamed"_s);
    QCOMPARE(eventEntry->rule, u"mappings[booking]"_s);
}

void TestSanitizer::addsLimitedDataUse()
{
    RuleSet rules = *RuleTemplates::load(u"dental"_s).rules;
    rules.limitedDataUse = true;
    const SanitizeResult result =
        Sanitizer::create(rules, m_clock)->sanitize(event(R"({"event":"Lead","event_time":1795300000})"));
    QCOMPARE(result.item, QByteArray(R"({"event":"Lead","event_time":1795300000,"limited_data_use":true})"));
}

void TestSanitizer::reasonsForRecordsHoldNoTerms()
{
    SanitizeResult result;
    result.reasons = {u"phi_in_kept_field:page.url:semaglutide"_s, u"phi_in_kept_field:user.ttp:email"_s,
                      u"gate_blocked:not_hashed:user.email"_s, u"phi_in_kept_field:properties.value:unlisted"_s};
    PhiHit medication;
    medication.term = u"semaglutide"_s;
    medication.category = u"medication"_s;
    medication.field = u"page.url"_s;
    PhiHit identifier;
    identifier.kind = PhiKind::Identifier;
    identifier.term = u"email"_s;
    identifier.category = u"identifier"_s;
    identifier.field = u"user.ttp"_s;
    result.hits = {medication, identifier};
    QCOMPARE(result.reasonsWithoutTerms(),
             (QStringList{u"phi_in_kept_field:page.url:medication"_s, u"phi_in_kept_field:user.ttp:identifier"_s,
                          u"gate_blocked:not_hashed:user.email"_s,
                          u"phi_in_kept_field:properties.value:health_context"_s}));
}

QTEST_GUILESS_MAIN(TestSanitizer)
#include "TestSanitizer.moc"
