// SPDX-License-Identifier: GPL-3.0-or-later
#include "phi/HealthTermMatcher.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestHealthTermMatcher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void matches_data();
    void matches();
    void reportsSpans();

private:
    std::unique_ptr<HealthTermMatcher> m_matcher;
};

void TestHealthTermMatcher::initTestCase()
{
    const QList<LexiconTerm> terms = {
        {u"semaglutide"_s, u"medication"_s, u"test"_s, false},
        {u"glp-1"_s, u"medication"_s, u"test"_s, false},
        {u"weight loss"_s, u"procedure"_s, u"test"_s, false},
        {u"hiv"_s, u"condition"_s, u"test"_s, false},
        {u"ed"_s, u"condition"_s, u"test"_s, false},
        {u"filler"_s, u"procedure"_s, u"test"_s, false},
        {u"dental"_s, u"specialty"_s, u"test"_s, true}, // word-only: "accidental" must not match
        {u"pérdida de peso"_s, u"procedure"_s, u"test"_s, false},
        {u"erectile dysfunction"_s, u"condition"_s, u"test"_s, false},
    };
    m_matcher = std::make_unique<HealthTermMatcher>(terms);
}

void TestHealthTermMatcher::matches_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("terms");
    QTest::addRow("slug") << u"/services/semaglutide-weight-loss/book"_s
                          << QStringList{u"semaglutide"_s, u"weight loss"_s};
    QTest::addRow("camel event") << u"BookedGLP1Consultation"_s << QStringList{u"glp-1"_s};
    QTest::addRow("hyphenated") << u"glp-1 program"_s << QStringList{u"glp-1"_s};
    QTest::addRow("joined") << u"weightloss"_s << QStringList{u"weight loss"_s};
    QTest::addRow("camel joined") << u"WeightLossClinic"_s << QStringList{u"weight loss"_s};
    QTest::addRow("inside a word") << u"semaglutideclinic"_s << QStringList{u"semaglutide"_s};
    QTest::addRow("plural") << u"/lip-fillers"_s << QStringList{u"filler"_s};
    QTest::addRow("short whole word") << u"ViewHIVTestingPage"_s << QStringList{u"hiv"_s};
    QTest::addRow("short inside word") << u"archived"_s << QStringList{};
    QTest::addRow("ed is not in booked") << u"booked"_s << QStringList{};
    QTest::addRow("ed alone") << u"/ed-treatment"_s << QStringList{u"ed"_s};
    QTest::addRow("word only") << u"accidental"_s << QStringList{};
    QTest::addRow("word only whole") << u"/dental/cleaning"_s << QStringList{u"dental"_s};
    QTest::addRow("spanish accents") << u"/es/perdida-de-peso"_s << QStringList{u"pérdida de peso"_s};
    QTest::addRow("spanish with accents") << u"Pérdida de peso rápida"_s << QStringList{u"pérdida de peso"_s};
    QTest::addRow("query plus") << u"reason=erectile+dysfunction"_s << QStringList{u"erectile dysfunction"_s};
    QTest::addRow("random id") << u"E.C.P.CqgBxZ9Hkq1lC3YbTt0rhivEDx"_s << QStringList{};
    QTest::addRow("generic") << u"/contact-us?utm_source=tiktok"_s << QStringList{};
}

void TestHealthTermMatcher::matches()
{
    QFETCH(QString, text);
    QFETCH(QStringList, terms);
    WordTokenizer tokenizer;
    tokenizer.tokenize(text);
    std::vector<HealthTermMatcher::Match> matches;
    m_matcher->match(tokenizer, matches);
    QStringList found;
    for (const auto& match : matches) {
        const QString term = m_matcher->term(match.termIndex).term;
        if (!found.contains(term))
            found.append(term);
    }
    QCOMPARE(found, terms);
}

void TestHealthTermMatcher::reportsSpans()
{
    WordTokenizer tokenizer;
    const QString text = u"Book a Semaglutide visit"_s;
    tokenizer.tokenize(text);
    std::vector<HealthTermMatcher::Match> matches;
    m_matcher->match(tokenizer, matches);
    QVERIFY(!matches.empty());
    QCOMPARE(text.mid(matches[0].sourceBegin, matches[0].sourceEnd - matches[0].sourceBegin), u"Semaglutide"_s);
}

QTEST_GUILESS_MAIN(TestHealthTermMatcher)
#include "TestHealthTermMatcher.moc"
