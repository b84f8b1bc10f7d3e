// SPDX-License-Identifier: GPL-3.0-or-later
#include "rules/RuleSetJson.h"
#include "sanitize/PayloadGate.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestPayloadGate : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void judges_data();
    void judges();

private:
    std::unique_ptr<PayloadGate> m_gate;
};

void TestPayloadGate::initTestCase()
{
    const RuleSetLoad loaded = RuleSetJson::parse(R"({"schema": "clearsignal.rules/1",
        "site_origins": ["https://clinic.example"],
        "fields": {"user.email": "hash", "user.ip": "keep", "page.url": "origin", "page.referrer": "keep",
                   "properties.content_name": "keep",
                   "properties.contents": "keep", "user.user_agent": "keep"},
        "approvals": [{"id": "a", "fields": ["user.email", "user.ip", "user.user_agent"], "approved_by": "D",
                       "approved_at": "2026-11-20", "reason": "r"}]})");
    QVERIFY2(loaded.rules, qPrintable(loaded.report()));
    m_gate = std::make_unique<PayloadGate>(*loaded.rules, *PhiScanner::create({}, u"US"_s));
}

void TestPayloadGate::judges_data()
{
    QTest::addColumn<QByteArray>("item");
    QTest::addColumn<QStringList>("reasons");
    const QByteArray hash = "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f";
    QTest::addRow("clean") << QByteArray(R"({"event":"Lead","event_time":1,"event_id":"a","user":{"ttclid":"E.C.P.x",)"
                                         R"("email":")" + hash + R"(","ip":"203.0.113.9","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0"},)"
                                         R"("page":{"url":"https://www.semaglutideclinic.com/","referrer":"https://clinic.example/about"},)"
                                         R"("properties":{"value":150,"currency":"USD"}})")
                           << QStringList{};
    QTest::addRow("not json") << QByteArray("{") << QStringList{u"gate_blocked:malformed_item"_s};
    QTest::addRow("custom event") << QByteArray(R"({"event":"BookedConsult","event_time":1})")
                                  << QStringList{u"gate_blocked:non_standard_event"_s};
    QTest::addRow("fraction time") << QByteArray(R"({"event":"Lead","event_time":1.5})")
                                   << QStringList{u"gate_blocked:event_time"_s};
    QTest::addRow("field the rules drop") << QByteArray(R"({"event":"Lead","event_time":1,"user":{"phone":"x"}})")
                                          << QStringList{u"gate_blocked:unexpected_field:user.phone"_s};
    QTest::addRow("unknown field") << QByteArray(R"({"event":"Lead","event_time":1,"extra":"x"})")
                                   << QStringList{u"gate_blocked:unexpected_field:(unknown)"_s};
    QTest::addRow("raw email in hashed field")
        << QByteArray(R"({"event":"Lead","event_time":1,"user":{"email":"jane@x.com"}})")
        << QStringList{u"gate_blocked:not_hashed:user.email"_s};
    QTest::addRow("upper-case hash") << QByteArray(R"({"event":"Lead","event_time":1,"user":{"email":")" + hash.toUpper() + R"("}})")
                                     << QStringList{u"gate_blocked:not_hashed:user.email"_s};
    QTest::addRow("bad ip") << QByteArray(R"({"event":"Lead","event_time":1,"user":{"ip":"jane"}})")
                            << QStringList{u"gate_blocked:not_an_ip:user.ip"_s};
    QTest::addRow("health in referrer path")
        << QByteArray(R"({"event":"Lead","event_time":1,"page":{"referrer":"https://clinic.example/semaglutide"}})")
        << QStringList{u"phi_in_kept_field:page.referrer:semaglutide"_s};
    QTest::addRow("health in foreign referrer host")
        << QByteArray(R"({"event":"Lead","event_time":1,"page":{"referrer":"https://ozempic-forum.example/"}})")
        << QStringList{u"phi_in_kept_field:page.referrer:ozempic"_s};
    QTest::addRow("health in contents")
        << QByteArray(R"({"event":"Lead","event_time":1,"properties":{"contents":[{"content_name":"Botox 20 units"}]}})")
        << QStringList{u"phi_in_kept_field:properties.contents[0].content_name:botox"_s};
    QTest::addRow("hash in content name")
        << QByteArray(R"({"event":"Lead","event_time":1,"properties":{"content_name":")" + hash + R"("}})")
        << QStringList{u"phi_in_kept_field:properties.content_name:sha256_hash"_s};
    QTest::addRow("unicode escape hides nothing")
        << QByteArray(R"({"event":"Lead","event_time":1,"properties":{"content_name":"sema\u0067lutide"}})")
        << QStringList{u"phi_in_kept_field:properties.content_name:semaglutide"_s};
    QTest::addRow("term in a port")
        << QByteArray(R"({"event":"Lead","event_time":1,"page":{"url":"https://clinic.example:semaglutide/"}})")
        << QStringList{u"phi_in_kept_field:page.url:semaglutide"_s};
    QTest::addRow("term in a scheme")
        << QByteArray(R"({"event":"Lead","event_time":1,"properties":{"content_name":"ozempic://refill/now"}})")
        << QStringList{u"phi_in_kept_field:properties.content_name:ozempic"_s};
    QTest::addRow("email as a query item")
        << QByteArray(R"({"event":"Lead","event_time":1,"page":{"referrer":"https://clinic.example/thanks?jane.doe@gmail.com"}})")
        << QStringList{u"phi_in_kept_field:page.referrer:email"_s};
    QTest::addRow("phone as a query key")
        << QByteArray(R"({"event":"Lead","event_time":1,"page":{"referrer":"https://clinic.example/?5125550147=1"}})")
        << QStringList{u"phi_in_kept_field:page.referrer:phone"_s};
    QTest::addRow("zero-width space")
        << QByteArray(R"({"event":"Lead","event_time":1,"properties":{"content_name":"sema​glutide"}})")
        << QStringList{u"phi_in_kept_field:properties.content_name:semaglutide"_s};
    QTest::addRow("ipv6 scope id") << QByteArray(R"({"event":"Lead","event_time":1,"user":{"ip":"fe80::1%jane"}})")
                                   << QStringList{u"gate_blocked:not_an_ip:user.ip"_s};
    QTest::addRow("ip not canonical") << QByteArray(R"({"event":"Lead","event_time":1,"user":{"ip":" 203.0.113.9"}})")
                                      << QStringList{u"gate_blocked:not_an_ip:user.ip"_s};
    QTest::addRow("phone number as a value")
        << QByteArray(R"({"event":"Lead","event_time":1,"properties":{"value":5125550147}})")
        << QStringList{u"phi_in_kept_field:properties.value:phone"_s};
    QTest::addRow("ldu not allowed") << QByteArray(R"({"event":"Lead","event_time":1,"limited_data_use":true})")
                                     << QStringList{u"gate_blocked:unexpected_field:limited_data_use"_s};
}

void TestPayloadGate::judges()
{
    QFETCH(QByteArray, item);
    QFETCH(QStringList, reasons);
    const PayloadGate::Verdict verdict = m_gate->inspect(item);
    QCOMPARE(verdict.reasons, reasons);
    QCOMPARE(verdict.passed(), reasons.isEmpty());
}

QTEST_GUILESS_MAIN(TestPayloadGate)
#include "TestPayloadGate.moc"
