// SPDX-License-Identifier: GPL-3.0-or-later
#include "tiktok/IdentifierHashing.h"

#include <QTest>

using namespace ClearSignal;
using namespace ClearSignal::IdentifierHashing;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(ClearSignal::IdentifierHashing::Identifier)

class TestIdentifierHashing : public QObject
{
    Q_OBJECT

private slots:
    void matchesResearchVectors_data();
    void matchesResearchVectors();
    void hashes_data();
    void hashes();
    void normalizesPlaces();
};

// Vectors from research/tiktok-api.md section 2 (re-computed there with sha256sum).
void TestIdentifierHashing::matchesResearchVectors_data()
{
    QTest::addColumn<QString>("normalized");
    QTest::addColumn<QString>("digest");
    QTest::addRow("segment email") << u"coreytest1231@gmail.com"_s
                                   << u"eb9869a32b532840dd6aa714f7a872d21d6f650fc5aa933d9feefc64708969c7"_s;
    QTest::addRow("segment phone") << u"+15555555555"_s
                                   << u"910a625c4ba147b544e6bd2f267e130ae14c591b6ba9c25cb8573322dedbebd0"_s;
    QTest::addRow("phone without plus") << u"15555555555"_s
                                        << u"009875cdd7e8a0abe6dc0444d693ff435599e9c68793dac5bc277066d4bc0dc3"_s;
    QTest::addRow("external id") << u"testid123"_s
                                 << u"481f202262e9c5ccc48d24e60798fadaa5f6ff1f8369f7ab927c04c3aa682a7f"_s;
    QTest::addRow("john") << u"john.doe@example.com"_s
                          << u"836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"_s;
    QTest::addRow("uk phone") << u"+442071838750"_s
                              << u"e631c2534428c6c9b48c2167604a8983046085e43a2c00ed748733c544c0bb4d"_s;
    QTest::addRow("empty") << QString() << u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s;
}

void TestIdentifierHashing::matchesResearchVectors()
{
    QFETCH(QString, normalized);
    QFETCH(QString, digest);
    QCOMPARE(sha256Hex(normalized), digest);
}

void TestIdentifierHashing::hashes_data()
{
    QTest::addColumn<Identifier>("kind");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("expected"); // empty: treated as absent
    QTest::addRow("email trimmed and lowercased")
        << Identifier::Email << u"  CoreyTest1231@Gmail.com "_s
        << u"eb9869a32b532840dd6aa714f7a872d21d6f650fc5aa933d9feefc64708969c7"_s;
    QTest::addRow("segment phone fixture") << Identifier::Phone << u"+1555-555-5555"_s
                                           << u"910a625c4ba147b544e6bd2f267e130ae14c591b6ba9c25cb8573322dedbebd0"_s;
    QTest::addRow("national phone gets country code")
        << Identifier::Phone << u"(555) 555-5555"_s << u"910a625c4ba147b544e6bd2f267e130ae14c591b6ba9c25cb8573322dedbebd0"_s;
    QTest::addRow("uk phone") << Identifier::Phone << u"+44 20 7183 8750"_s
                              << u"e631c2534428c6c9b48c2167604a8983046085e43a2c00ed748733c544c0bb4d"_s;
    QTest::addRow("phone not a number") << Identifier::Phone << u"call me"_s << QString();
    QTest::addRow("external id lowercased") << Identifier::ExternalId << u" testId123 "_s
                                            << u"481f202262e9c5ccc48d24e60798fadaa5f6ff1f8369f7ab927c04c3aa682a7f"_s;
    QTest::addRow("name whitespace removed") << Identifier::FirstName << u" Mary Ann "_s << sha256Hex(u"maryann"_s);
    QTest::addRow("zip dashes removed") << Identifier::ZipCode << u"94107-1234"_s << sha256Hex(u"941071234"_s);
    QTest::addRow("already hashed passes through")
        << Identifier::Email << u"EB9869A32B532840DD6AA714F7A872D21D6F650FC5AA933D9FEEFC64708969C7"_s
        << u"eb9869a32b532840dd6aa714f7a872d21d6f650fc5aa933d9feefc64708969c7"_s;
    QTest::addRow("empty is absent") << Identifier::Email << u"   "_s << QString();
    QTest::addRow("email without at") << Identifier::Email << u"jane.doe"_s << QString();
}

void TestIdentifierHashing::hashes()
{
    QFETCH(Identifier, kind);
    QFETCH(QString, raw);
    QFETCH(QString, expected);
    const std::optional<QString> hashed = hash(kind, raw, u"US"_s);
    QCOMPARE(hashed.value_or(QString()), expected);
}

void TestIdentifierHashing::normalizesPlaces()
{
    QCOMPARE(normalizePlace(u" San José, CA "_s).value_or(QString()), u"sanjoseca"_s);
    QCOMPARE(normalizePlace(u" - "_s), std::nullopt);
    QCOMPARE(normalizePhone(u"512 555 0147"_s, u"US"_s).value_or(QString()), u"+15125550147"_s);
    QCOMPARE(normalizePhone(u"55 1234 5678"_s, u"MX"_s).value_or(QString()), u"+525512345678"_s);
}

QTEST_GUILESS_MAIN(TestIdentifierHashing)
#include "TestIdentifierHashing.moc"
