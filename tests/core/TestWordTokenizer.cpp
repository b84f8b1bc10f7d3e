// SPDX-License-Identifier: GPL-3.0-or-later
#include "phi/WordTokenizer.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestWordTokenizer : public QObject
{
    Q_OBJECT

private slots:
    void splitsWords_data();
    void splitsWords();
    void recognisesIds_data();
    void recognisesIds();
    void keepsSourceSpans();
};

void TestWordTokenizer::splitsWords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("tokens");
    QTest::addRow("camel case") << u"BookedGLP1Consultation"_s << u"booked glp 1 consultation"_s;
    QTest::addRow("acronym then word") << u"ViewHIVTestingPage"_s << u"view hiv testing page"_s;
    QTest::addRow("snake case") << u"botox_booking_complete"_s << u"botox booking complete"_s;
    QTest::addRow("kebab path") << u"/services/weight-loss/book"_s << u"services weight loss book"_s;
    QTest::addRow("screaming") << u"IVF_CONSULT"_s << u"ivf consult"_s;
    QTest::addRow("accents") << u"Pérdida de peso"_s << u"perdida de peso"_s;
    QTest::addRow("n tilde") << u"Niño"_s << u"nino"_s;
    QTest::addRow("sharp s") << u"Straße"_s << u"strase"_s;
    QTest::addRow("digits") << u"covid19"_s << u"covid 19"_s;
    QTest::addRow("emoji") << u"botox😀filler"_s << u"botox filler"_s;
    QTest::addRow("id kept whole") << u"E.C.P.CpYBrX9Gm1lC"_s << u"e c p cpybrx9gm1lc"_s;
}

void TestWordTokenizer::splitsWords()
{
    QFETCH(QString, text);
    QFETCH(QString, tokens);
    WordTokenizer tokenizer;
    tokenizer.tokenize(text);
    QStringList words;
    for (const WordTokenizer::Token& token : tokenizer.tokens())
        words.append(tokenizer.tokenText(token).toString());
    QCOMPARE(words.join(u' '), tokens);
}

void TestWordTokenizer::recognisesIds_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<bool>("id");
    QTest::addRow("ttp") << u"2F7h37YkS1j57AYSKTI7IHhJPYH"_s << true;
    QTest::addRow("ttclid tail") << u"CpYBrX9Gm1lC"_s << true;
    QTest::addRow("ulid") << u"01KEMC163EX38R4MP15Q3AE1EF"_s << true;
    QTest::addRow("hex") << u"7f3a9c21"_s << true;
    QTest::addRow("event name") << u"BookedGLP1Consultation"_s << false;
    QTest::addRow("acronym event") << u"ViewHIVTestingPage"_s << false;
    QTest::addRow("word") << u"consultation"_s << false;
    QTest::addRow("short") << u"xY1zW2"_s << false;
    QTest::addRow("uuid group") << u"4ed1"_s << true;
}

void TestWordTokenizer::recognisesIds()
{
    QFETCH(QString, word);
    QFETCH(bool, id);
    QCOMPARE(WordTokenizer::looksLikeId(word), id);
}

void TestWordTokenizer::keepsSourceSpans()
{
    WordTokenizer tokenizer;
    const QString text = u"/book/SemaglutideNow"_s;
    tokenizer.tokenize(text);
    QCOMPARE(tokenizer.tokens().size(), size_t(3));
    const WordTokenizer::Token& second = tokenizer.tokens()[1];
    QCOMPARE(text.mid(second.sourceBegin, second.sourceEnd - second.sourceBegin), u"Semaglutide"_s);
}

QTEST_GUILESS_MAIN(TestWordTokenizer)
#include "TestWordTokenizer.moc"
