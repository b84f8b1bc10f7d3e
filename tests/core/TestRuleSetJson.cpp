// SPDX-License-Identifier: GPL-3.0-or-later
#include "rules/RuleSetJson.h"
#include "rules/RuleTemplates.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestRuleSetJson : public QObject
{
    Q_OBJECT

private slots:
    void templatesAreValidAndSafe_data();
    void templatesAreValidAndSafe();
    void templatesAreCanonical_data();
    void templatesAreCanonical();
    void roundTripsEverything();
    void reportsProblems_data();
    void reportsProblems();
    void reportsEveryProblemAtOnce();
    void unknownTemplateIsAProblem();
};

void TestRuleSetJson::templatesAreValidAndSafe_data()
{
    QTest::addColumn<QString>("id");
    for (const QString& id :
         {u"med-spa"_s, u"dermatology"_s, u"glp1-clinic"_s, u"dental"_s, u"mental-health"_s, u"telehealth"_s})
        QTest::addRow("%s", qPrintable(id)) << id;
}

void TestRuleSetJson::templatesAreValidAndSafe()
{
    QFETCH(QString, id);
    const RuleSetLoad loaded = RuleTemplates::load(id);
    QVERIFY2(loaded.problems.isEmpty(), qPrintable(loaded.report()));
    const RuleSet& rules = *loaded.rules;
    QCOMPARE(rules.templateId, id);
    QVERIFY(!rules.name.isEmpty());
    QVERIFY(!rules.mappings.isEmpty());
    QVERIFY(rules.approvals.isEmpty());
    const QList<EventField> mayLeave = {EventField::EventId,  EventField::UserTtclid,   EventField::UserTtp,
                                        EventField::PageUrl,  EventField::PropValue,    EventField::PropCurrency};
    for (const EventFieldSpec& spec : allFieldSpecs()) {
        const FieldPolicy policy = rules.policy(spec.field);
        if (!mayLeave.contains(spec.field))
            QVERIFY2(policy == FieldPolicy::Drop, spec.path.data());
        QVERIFY(!RuleSet::needsApproval(spec.field, policy));
    }
    QVERIFY(rules.policy(EventField::PageUrl) == FieldPolicy::Origin || rules.policy(EventField::PageUrl) == FieldPolicy::Drop);
}

void TestRuleSetJson::templatesAreCanonical_data()
{
    templatesAreValidAndSafe_data();
}

void TestRuleSetJson::templatesAreCanonical()
{
    // Shipped files are exactly what ClearSignal writes, so saving a template unchanged changes no byte.
    QFETCH(QString, id);
    QFile file(QStringLiteral(CLEARSIGNAL_SOURCE_DIR "/resources/templates/%1.json").arg(id));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    const RuleSetLoad loaded = RuleSetJson::parse(bytes);
    QVERIFY(loaded.rules);
    const QByteArray canonical = RuleSetJson::serialize(*loaded.rules);
    if (canonical != bytes && qEnvironmentVariableIsSet("CLEARSIGNAL_UPDATE_GOLDEN")) {
        file.close();
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(canonical);
        QSKIP("template rewritten in canonical form; review the diff before committing");
    }
    QCOMPARE(canonical, bytes);
}

void TestRuleSetJson::roundTripsEverything()
{
    const QByteArray json = R"({
      "schema": "clearsignal.rules/1", "name": "Everything", "pixel_id": "C3LTV833G487IS978FKG",
      "site_origins": ["https://clinic.example", "https://book.clinic.example:8443/"],
      "default_phone_region": "MX", "max_event_age_days": 28, "standard_event_names": "map_only",
      "unmapped_events": "quarantine", "limited_data_use": true,
      "mappings": [{"id": "b", "description": "d", "event": {"regex": "^Book", "case_sensitive": true},
                    "url_path": {"glob": "/book/**"}, "tiktok_event": "schedule"}],
      "fields": {"user.email": "hash", "user.ip": "truncate", "page.url": "category", "page.referrer": "path"},
      "url_categories": [{"path": {"exact": "/x"}, "category": "/services"}],
      "approvals": [{"id": "a1", "fields": ["user.email", "user.ip"], "approved_by": "Dana Ruiz, Privacy Officer",
                     "approved_at": "2026-11-20", "reason": "Match booked consultations"}],
      "phi": {"extra_terms": [{"term": "Glow Renewal", "category": "procedure", "match": "word"}],
              "allowed_terms": ["weight"]}
    })";
    const RuleSetLoad first = RuleSetJson::parse(json);
    QVERIFY2(first.rules, qPrintable(first.report()));
    const RuleSet& rules = *first.rules;
    QCOMPARE(rules.mappings.at(0).tiktokEvent, u"Schedule"_s); // canonical spelling
    QCOMPARE(rules.siteOrigins, (QStringList{u"https://clinic.example"_s, u"https://book.clinic.example:8443"_s}));
    QCOMPARE(rules.policy(EventField::UserEmail), FieldPolicy::Hash);
    QCOMPARE(rules.policy(EventField::PageTitle), FieldPolicy::Drop);
    QCOMPARE(rules.phoneRegion, u"MX"_s);
    QVERIFY(rules.extraTerms.at(0).wordOnly);
    const QByteArray written = RuleSetJson::serialize(rules);
    const RuleSetLoad second = RuleSetJson::parse(written);
    QVERIFY2(second.rules, qPrintable(second.report()));
    QCOMPARE(RuleSetJson::serialize(*second.rules), written);
}

void TestRuleSetJson::reportsProblems_data()
{
    QTest::addColumn<QByteArray>("members"); // added to a minimal valid document
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::addRow("typo key") << QByteArray(R"("mapings": [])") << u"$.mapings"_s << u"unknown key"_s;
    QTest::addRow("non-standard target")
        << QByteArray(R"("mappings": [{"id": "x", "event": {"exact": "a"}, "tiktok_event": "BookedConsult"}])")
        << u"$.mappings[0].tiktok_event"_s << u"is not a TikTok standard event"_s;
    QTest::addRow("bad regex") << QByteArray(R"("mappings": [{"id": "x", "event": {"regex": "(a"}, "tiktok_event": "Lead"}])")
                               << u"$.mappings[0].event.regex"_s << u"invalid regular expression at offset 2"_s;
    QTest::addRow("two matchers")
        << QByteArray(R"("mappings": [{"id": "x", "event": {"exact": "a", "glob": "b"}, "tiktok_event": "Lead"}])")
        << u"$.mappings[0].event"_s << u"needs exactly one of"_s;
    QTest::addRow("no matcher") << QByteArray(R"("mappings": [{"id": "x", "tiktok_event": "Lead"}])")
                                << u"$.mappings[0]"_s << u"needs \"event\", \"url_path\" or both"_s;
    QTest::addRow("duplicate id")
        << QByteArray(R"("mappings": [{"id": "x", "event": {"exact": "a"}, "tiktok_event": "Lead"},
                                      {"id": "x", "event": {"exact": "b"}, "tiktok_event": "Lead"}])")
        << u"$.mappings[1].id"_s << u"ids must be unique"_s;
    QTest::addRow("unknown field") << QByteArray(R"("fields": {"user.dob": "drop"})") << u"$.fields[\"user.dob\"]"_s
                                   << u"unknown field"_s;
    QTest::addRow("raw email") << QByteArray(R"("fields": {"user.email": "keep"})") << u"$.fields[\"user.email\"]"_s
                               << u"would send the raw identifier; use \"hash\""_s;
    QTest::addRow("title kept") << QByteArray(R"("fields": {"page.title": "keep"})") << u"$.fields[\"page.title\"]"_s
                                << u"policy must be one of drop"_s;
    QTest::addRow("hash without approval") << QByteArray(R"("fields": {"user.phone": "hash"})")
                                           << u"$.fields[\"user.phone\"]"_s << u"add an approval"_s;
    QTest::addRow("origin with path") << QByteArray(R"("site_origins": ["https://clinic.example/book"])")
                                      << u"$.site_origins[0]"_s << u"must be an origin"_s;
    QTest::addRow("region") << QByteArray(R"("default_phone_region": "USA")") << u"$.default_phone_region"_s
                            << u"two-letter region code"_s;
    QTest::addRow("age") << QByteArray(R"("max_event_age_days": 365)") << u"$.max_event_age_days"_s
                         << u"from 1 to 90"_s;
    QTest::addRow("pixel") << QByteArray(R"("pixel_id": "C3LTV-833")") << u"$.pixel_id"_s
                           << u"letters and digits only"_s;
    QTest::addRow("unmapped") << QByteArray(R"("unmapped_events": "forward")") << u"$.unmapped_events"_s
                              << u"must be \"drop\" or \"quarantine\""_s;
    QTest::addRow("category path") << QByteArray(R"("url_categories": [{"path": {"glob": "/a/**"}, "category": "Weight Loss"}])")
                                   << u"$.url_categories[0].category"_s << u"short path"_s;
    QTest::addRow("approval date") << QByteArray(R"("approvals": [{"id": "a", "fields": ["user.email"], "approved_by": "D",
                                                 "approved_at": "last week", "reason": "r"}])")
                                   << u"$.approvals[0].approved_at"_s << u"ISO-8601 date"_s;
    QTest::addRow("approval field") << QByteArray(R"("approvals": [{"id": "a", "fields": ["email"], "approved_by": "D",
                                                  "approved_at": "2026-01-01", "reason": "r"}])")
                                    << u"$.approvals[0].fields[0]"_s << u"not a known field path"_s;
    QTest::addRow("extra term category") << QByteArray(R"("phi": {"extra_terms": [{"term": "Glow", "category": "spa"}]})")
                                         << u"$.phi.extra_terms[0].category"_s << u"must be one of"_s;
    QTest::addRow("extra term short") << QByteArray(R"("phi": {"extra_terms": [{"term": "ab", "category": "procedure"}]})")
                                      << u"$.phi.extra_terms[0].term"_s << u"3 to 100 characters"_s;
}

void TestRuleSetJson::reportsProblems()
{
    QFETCH(QByteArray, members);
    QFETCH(QString, path);
    QFETCH(QString, message);
    const RuleSetLoad loaded = RuleSetJson::parse(R"({"schema": "clearsignal.rules/1", )" + members + "}");
    QVERIFY(!loaded.rules);
    const bool found = std::any_of(loaded.problems.begin(), loaded.problems.end(), [&](const RuleProblem& problem) {
        return problem.path == path && problem.message.contains(message);
    });
    QVERIFY2(found, qPrintable(loaded.report()));
}

void TestRuleSetJson::reportsEveryProblemAtOnce()
{
    const RuleSetLoad loaded = RuleSetJson::parse(R"({"schema": "clearsignal.rules/1", "max_event_age_days": 0,
        "fields": {"user.email": "keep", "nope": "drop"}, "pixel_id": "x-y"})");
    QCOMPARE(loaded.problems.size(), 4);
    QVERIFY(loaded.report().startsWith(u"error: $.pixel_id"_s));

    QCOMPARE(RuleSetJson::parse("{").problems.at(0).message, u"invalid JSON at offset 1: unterminated object"_s);
    QVERIFY(RuleSetJson::parse(R"({"schema": "clearsignal.rules/2"})").problems.at(0).message.contains(u"newer"_s));
    QVERIFY(RuleSetJson::load(u"/nonexistent/rules.json"_s).problems.at(0).message.startsWith(u"cannot read"_s));
}

void TestRuleSetJson::unknownTemplateIsAProblem()
{
    const RuleSetLoad loaded = RuleTemplates::load(u"chiropractic"_s);
    QVERIFY(!loaded.rules);
    QVERIFY(loaded.report().contains(u"med-spa, dermatology, glp1-clinic, dental, mental-health, telehealth"_s));
    QCOMPARE(RuleTemplates::all().size(), 6);
}

QTEST_GUILESS_MAIN(TestRuleSetJson)
#include "TestRuleSetJson.moc"
