// SPDX-License-Identifier: GPL-3.0-or-later
#include "phi/IdentifierDetector.h"
#include "phi/PhiHit.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(ClearSignal::KeyContext)

class TestIdentifierDetector : public QObject
{
    Q_OBJECT

private slots:
    void detects_data();
    void detects();
    void classifiesKeys_data();
    void classifiesKeys();
    void respectsOptions();
};

void TestIdentifierDetector::detects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<KeyContext>("key");
    QTest::addColumn<QStringList>("kinds");
    QTest::addColumn<QString>("firstMatch");

    const auto none = KeyContext::None;
    // email
    QTest::addRow("email") << u"contact jane.doe+tt@gmail.com today"_s << none << QStringList{u"email"_s}
                           << u"jane.doe+tt@gmail.com"_s;
    QTest::addRow("email needs tld") << u"user@localhost"_s << none << QStringList{} << QString();
    QTest::addRow("at sign alone") << u"@handle and me@"_s << none << QStringList{} << QString();
    // phone
    QTest::addRow("phone parentheses") << u"Call (512) 555-0147"_s << none << QStringList{u"phone"_s}
                                       << u"(512) 555-0147"_s;
    QTest::addRow("phone dashes") << u"512-555-0147"_s << none << QStringList{u"phone"_s} << u"512-555-0147"_s;
    QTest::addRow("phone dots") << u"tel 512.555.0147"_s << none << QStringList{u"phone"_s} << u"512.555.0147"_s;
    QTest::addRow("phone e164") << u"tel:+442071838750"_s << none << QStringList{u"phone"_s} << u"+442071838750"_s;
    QTest::addRow("phone bare whole value") << u"5125550147"_s << none << QStringList{u"phone"_s} << u"5125550147"_s;
    QTest::addRow("phone labelled") << u"5550147"_s << KeyContext::Phone << QStringList{u"phone"_s} << u"5550147"_s;
    QTest::addRow("order number") << u"ORD-2026-118842"_s << none << QStringList{} << QString();
    QTest::addRow("price range") << u"$800-1200"_s << none << QStringList{} << QString();
    QTest::addRow("unix ms") << u"messageId-1772265654345-1045857492235"_s << none << QStringList{} << QString();
    QTest::addRow("unix seconds") << u"1795305600"_s << none << QStringList{} << QString();
    QTest::addRow("version") << u"Chrome/120.0.0.0 Safari/537.36"_s << none << QStringList{} << QString();
    QTest::addRow("digits in id") << u"E.C.P.Cq5125550147x"_s << none << QStringList{} << QString();
    // SSN
    QTest::addRow("ssn") << u"SSN 219-09-9999"_s << none << QStringList{u"ssn"_s} << u"219-09-9999"_s;
    QTest::addRow("ssn invalid area") << u"666-09-9999"_s << none << QStringList{} << QString();
    QTest::addRow("ssn bare unlabelled") << u"219099999"_s << none << QStringList{} << QString();
    QTest::addRow("ssn bare labelled") << u"219099999"_s << KeyContext::Ssn << QStringList{u"ssn"_s} << u"219099999"_s;
    // dates of birth
    QTest::addRow("dob labelled field") << u"1984-03-12"_s << KeyContext::Birth << QStringList{u"date_of_birth"_s}
                                        << u"1984-03-12"_s;
    QTest::addRow("dob us format") << u"03/12/1984"_s << KeyContext::Birth << QStringList{u"date_of_birth"_s}
                                   << u"03/12/1984"_s;
    QTest::addRow("dob inline") << u"Patient DOB: 3/12/84 seen"_s << none << QStringList{u"date_of_birth"_s}
                                << u"DOB: 3/12/84"_s;
    QTest::addRow("dob words") << u"born on March 12, 1984"_s << none << QStringList{u"date_of_birth"_s}
                               << u"born on March 12, 1984"_s;
    QTest::addRow("date without context") << u"/blog/2025-03-12/spring"_s << none << QStringList{} << QString();
    // record numbers
    QTest::addRow("mrn glued") << u"/portal/chart?id=MRN00482913"_s << none << QStringList{u"medical_record_number"_s}
                               << u"MRN00482913"_s;
    QTest::addRow("mrn labelled text") << u"Medical record number: 4482-9913"_s << none
                                       << QStringList{u"medical_record_number"_s}
                                       << u"Medical record number: 4482-9913"_s;
    QTest::addRow("member id field") << u"XJH448291302"_s << KeyContext::RecordNumber
                                     << QStringList{u"medical_record_number"_s} << u"XJH448291302"_s;
    // addresses
    QTest::addRow("street") << u"lives at 1234 Oak Street, Austin TX"_s << none << QStringList{u"street_address"_s}
                            << u"1234 Oak Street"_s;
    QTest::addRow("street abbreviated") << u"55 W. Martin Luther King Blvd."_s << none
                                        << QStringList{u"street_address"_s} << u"55 W. Martin Luther King Blvd."_s;
    QTest::addRow("calle") << u"Calle Reforma 221"_s << none << QStringList{u"street_address"_s}
                           << u"Calle Reforma 221"_s;
    QTest::addRow("address field") << u"Apt 4, Elm"_s << KeyContext::Address << QStringList{u"street_address"_s}
                                   << u"Apt 4, Elm"_s;
    QTest::addRow("not an address") << u"Botox 20 units"_s << none << QStringList{} << QString();
    // names
    QTest::addRow("name field") << u"Jane Doe"_s << KeyContext::PersonName << QStringList{u"person_name"_s}
                                << u"Jane Doe"_s;
    QTest::addRow("name labelled") << u"Patient: Maria Lopez called"_s << none << QStringList{u"person_name"_s}
                                   << u"Patient: Maria Lopez"_s;
    QTest::addRow("name needs label") << u"Jane Doe"_s << none << QStringList{} << QString();
    // IP addresses
    QTest::addRow("ipv4") << u"client 203.0.113.45"_s << none << QStringList{u"ip_address"_s} << u"203.0.113.45"_s;
    QTest::addRow("ipv6") << u"from 2001:db8:85a3::8a2e:370:7334 ok"_s << none << QStringList{u"ip_address"_s}
                          << u"2001:db8:85a3::8a2e:370:7334"_s;
    QTest::addRow("time is not ipv6") << u"at 10:30:00"_s << none << QStringList{} << QString();
    QTest::addRow("mac is not ipv6") << u"00:1a:2b:3c:4d:5e"_s << none << QStringList{} << QString();
    // hashes
    QTest::addRow("sha256") << u"em=836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"_s << none
                            << QStringList{u"sha256_hash"_s}
                            << u"836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"_s;
    QTest::addRow("sha1") << u"e7d8a7b1c2f5b58b2e0a4c9e2b3f8d6a1c0e9f7a"_s << none << QStringList{u"sha1_hash"_s}
                          << u"e7d8a7b1c2f5b58b2e0a4c9e2b3f8d6a1c0e9f7a"_s;
    QTest::addRow("md5") << u"5d41402abc4b2a76b9719d911017c592"_s << none << QStringList{u"md5_hash"_s}
                         << u"5d41402abc4b2a76b9719d911017c592"_s;
    QTest::addRow("hex inside word") << u"x5d41402abc4b2a76b9719d911017c592"_s << none << QStringList{} << QString();
    QTest::addRow("uuid") << u"3f2504e0-4f89-11d3-9a0c-0305e82c3301"_s << none << QStringList{} << QString();
}

void TestIdentifierDetector::detects()
{
    QFETCH(QString, text);
    QFETCH(KeyContext, key);
    QFETCH(QStringList, kinds);
    QFETCH(QString, firstMatch);
    std::vector<IdentifierDetector::Hit> hits;
    IdentifierDetector::detect(text, key, IdentifierDetector::Options{}, hits);
    QStringList found;
    for (const auto& hit : hits) {
        if (!found.contains(hit.kind))
            found.append(hit.kind);
    }
    QCOMPARE(found, kinds);
    if (!hits.empty())
        QCOMPARE(text.mid(hits[0].begin, hits[0].end - hits[0].begin), firstMatch);
}

void TestIdentifierDetector::classifiesKeys_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<KeyContext>("context");
    QTest::addRow("email") << u"Email-Address"_s << KeyContext::Email;
    QTest::addRow("phone") << u"phone_number"_s << KeyContext::Phone;
    QTest::addRow("dob") << u"DOB"_s << KeyContext::Birth;
    QTest::addRow("fecha") << u"fecha_de_nacimiento"_s << KeyContext::Birth;
    QTest::addRow("mrn") << u"patient_id"_s << KeyContext::RecordNumber;
    QTest::addRow("first name") << u"firstName"_s << KeyContext::PersonName;
    QTest::addRow("content name is not a person") << u"content_name"_s << KeyContext::None;
    QTest::addRow("address") << u"address_line_1"_s << KeyContext::Address;
    QTest::addRow("utm") << u"utm_source"_s << KeyContext::None;
}

void TestIdentifierDetector::classifiesKeys()
{
    QFETCH(QString, key);
    QFETCH(KeyContext, context);
    QCOMPARE(classifyKey(key), context);
}

void TestIdentifierDetector::respectsOptions()
{
    IdentifierDetector::Options options;
    options.md5 = false;
    options.ipAddresses = false;
    std::vector<IdentifierDetector::Hit> hits;
    IdentifierDetector::detect(u"5d41402abc4b2a76b9719d911017c592 203.0.113.45"_s, KeyContext::None, options, hits);
    QVERIFY(hits.empty());
    options.hashes = false;
    IdentifierDetector::detect(u"836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"_s, KeyContext::None,
                               options, hits);
    QVERIFY(hits.empty());
}

QTEST_GUILESS_MAIN(TestIdentifierDetector)
#include "TestIdentifierDetector.moc"
