// SPDX-License-Identifier: GPL-3.0-or-later
#include "phi/HealthLexicon.h"
#include "phi/PhiScanner.h"

#include <QFile>
#include <QSet>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestHealthLexicon : public QObject
{
    Q_OBJECT

private slots:
    void loadsTheBundledLexicon();
    void coversEveryVerticalInBothLanguages();
    void detectsHealthPhrases_data();
    void detectsHealthPhrases();
    void leavesBenignPhrasesAlone_data();
    void leavesBenignPhrasesAlone();
    void rejectsBrokenLexicons_data();
    void rejectsBrokenLexicons();

private:
    static PhiHits scan(const QString& text);
};

PhiHits TestHealthLexicon::scan(const QString& text)
{
    static const std::shared_ptr<const PhiScanner> scanner = *PhiScanner::create({}, u"US"_s);
    PhiScanner::FieldScan field;
    field.field = u"properties.content_name"_s;
    field.identifiers = false;
    return scanner->scan(text, field);
}

void TestHealthLexicon::loadsTheBundledLexicon()
{
    const Expected<HealthLexicon>& lexicon = HealthLexicon::bundled();
    QVERIFY2(lexicon, qPrintable(lexicon.errorMessage()));
    QVERIFY(!lexicon->version().isEmpty());
    QVERIFY2(lexicon->terms().size() >= 800, qPrintable(QString::number(lexicon->terms().size())));
    QSet<QString> categories;
    for (const LexiconTerm& term : lexicon->terms()) {
        categories.insert(term.category);
        QCOMPARE(term.term, term.term.toLower());
        QVERIFY(lexicon->list(term.listId));
    }
    QCOMPARE(categories, (QSet<QString>{u"condition"_s, u"procedure"_s, u"medication"_s, u"specialty"_s}));
    for (const LexiconList& list : lexicon->lists())
        QVERIFY2(!list.source.isEmpty() && list.termCount > 0, qPrintable(list.id));
}

void TestHealthLexicon::coversEveryVerticalInBothLanguages()
{
    const Expected<HealthLexicon>& lexicon = HealthLexicon::bundled();
    QVERIFY(lexicon);
    QSet<QString> covered;
    for (const LexiconList& list : lexicon->lists()) {
        for (const QString& vertical : list.verticals)
            covered.insert(vertical + u'/' + list.language);
    }
    for (const QString& vertical : {u"med_spa"_s, u"dermatology"_s, u"weight_loss"_s, u"dental"_s, u"mental_health"_s,
                                    u"fertility"_s, u"mens_health"_s, u"womens_health"_s, u"sexual_health"_s}) {
        for (const QString& language : {u"en"_s, u"es"_s})
            QVERIFY2(covered.contains(vertical + u'/' + language), qPrintable(vertical + u'/' + language));
    }
}

void TestHealthLexicon::detectsHealthPhrases_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("term");
    QTest::addColumn<QString>("category");
    QFile file(QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/phi/health-phrases.tsv"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList columns = lines.at(i).split(u'\t');
        QCOMPARE(columns.size(), 3);
        QTest::addRow("%lld %s", qlonglong(i + 1), qPrintable(columns.at(0).left(40))) << columns.at(0) << columns.at(1)
                                                                                     << columns.at(2);
    }
}

void TestHealthLexicon::detectsHealthPhrases()
{
    QFETCH(QString, text);
    QFETCH(QString, term);
    QFETCH(QString, category);
    const PhiHits hits = scan(text);
    QVERIFY2(!hits.isEmpty(), "no health term found");
    QCOMPARE(hits.constFirst().term, term);
    QCOMPARE(hits.constFirst().category, category);
}

void TestHealthLexicon::leavesBenignPhrasesAlone_data()
{
    QTest::addColumn<QString>("text");
    QFile file(QStringLiteral(CLEARSIGNAL_TEST_DATA_DIR "/phi/benign-phrases.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 150);
    for (qsizetype i = 0; i < lines.size(); ++i)
        QTest::addRow("%lld %s", qlonglong(i + 1), qPrintable(lines.at(i).left(40))) << lines.at(i);
}

void TestHealthLexicon::leavesBenignPhrasesAlone()
{
    QFETCH(QString, text);
    const PhiHits hits = scan(text);
    QVERIFY2(hits.isEmpty(), qPrintable(hits.isEmpty() ? QString() : hits.constFirst().term));
}

void TestHealthLexicon::rejectsBrokenLexicons_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addRow("not json") << QByteArray("{") << u"not valid JSON"_s;
    QTest::addRow("schema") << QByteArray(R"({"schema":"x"})") << u"schema must be"_s;
    QTest::addRow("version") << QByteArray(R"({"schema":"clearsignal.lexicon/1"})") << u"no version"_s;
    QTest::addRow("category") << QByteArray(R"({"schema":"clearsignal.lexicon/1","version":"1","lists":[{"id":"a",
        "category":"vibes","source":"s","terms":["x"]}]})") << u"known category"_s;
    QTest::addRow("empty term") << QByteArray(R"({"schema":"clearsignal.lexicon/1","version":"1","lists":[{"id":"a",
        "category":"condition","source":"s","terms":[" "]}]})") << u"empty term"_s;
    QTest::addRow("no terms") << QByteArray(R"({"schema":"clearsignal.lexicon/1","version":"1","lists":[]})")
                              << u"no terms"_s;
}

void TestHealthLexicon::rejectsBrokenLexicons()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const Expected<HealthLexicon> lexicon = HealthLexicon::fromJson(json);
    QVERIFY(!lexicon);
    QVERIFY2(lexicon.errorMessage().contains(error), qPrintable(lexicon.errorMessage()));
}

QTEST_GUILESS_MAIN(TestHealthLexicon)
#include "TestHealthLexicon.moc"
