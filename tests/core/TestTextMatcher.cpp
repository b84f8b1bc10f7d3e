// SPDX-License-Identifier: GPL-3.0-or-later
#include "rules/TextMatcher.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(ClearSignal::TextMatcher::Kind)

class TestTextMatcher : public QObject
{
    Q_OBJECT

private slots:
    void matches_data();
    void matches();
    void reportsBadRegex();
};

void TestTextMatcher::matches_data()
{
    using K = TextMatcher::Kind;
    QTest::addColumn<K>("kind");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("caseSensitive");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");
    QTest::addRow("exact ignores case") << K::Exact << u"Lead"_s << false << u"lead"_s << true;
    QTest::addRow("exact case sensitive") << K::Exact << u"Lead"_s << true << u"lead"_s << false;
    QTest::addRow("exact whole") << K::Exact << u"Lead"_s << false << u"Leads"_s << false;
    QTest::addRow("glob star") << K::Glob << u"*book*"_s << false << u"BookedGLP1Consultation"_s << true;
    QTest::addRow("glob anchored") << K::Glob << u"book*"_s << false << u"rebook"_s << false;
    QTest::addRow("star stays in segment") << K::Glob << u"/services/*"_s << false << u"/services/a/b"_s << false;
    QTest::addRow("double star crosses") << K::Glob << u"/services/**"_s << false << u"/services/a/b"_s << true;
    QTest::addRow("trailing slash star star matches dir") << K::Glob << u"/book*/**"_s << false << u"/book"_s << true;
    QTest::addRow("dir child") << K::Glob << u"/book*/**"_s << false << u"/booking/glp1"_s << true;
    QTest::addRow("question mark") << K::Glob << u"/p?"_s << false << u"/p1"_s << true;
    QTest::addRow("glob escapes regex") << K::Glob << u"/a.b"_s << false << u"/axb"_s << false;
    QTest::addRow("regex searches") << K::Regex << u"book|schedul"_s << false << u"ScheduleCall"_s << true;
    QTest::addRow("regex anchored") << K::Regex << u"^lead$"_s << false << u"leads"_s << false;
}

void TestTextMatcher::matches()
{
    QFETCH(TextMatcher::Kind, kind);
    QFETCH(QString, pattern);
    QFETCH(bool, caseSensitive);
    QFETCH(QString, text);
    QFETCH(bool, matches);
    const Expected<TextMatcher> matcher = TextMatcher::create(kind, pattern, caseSensitive);
    QVERIFY(matcher);
    QCOMPARE(matcher->matches(text), matches);
}

void TestTextMatcher::reportsBadRegex()
{
    const Expected<TextMatcher> matcher = TextMatcher::create(TextMatcher::Kind::Regex, u"book("_s);
    QVERIFY(!matcher);
    QVERIFY2(matcher.errorMessage().startsWith(u"invalid regular expression at offset 5"_s),
             qPrintable(matcher.errorMessage()));
    QVERIFY(!TextMatcher::create(TextMatcher::Kind::Glob, QString()));
}

QTEST_GUILESS_MAIN(TestTextMatcher)
#include "TestTextMatcher.moc"
