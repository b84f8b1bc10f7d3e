// SPDX-License-Identifier: GPL-3.0-or-later
#include "sanitize/UrlReducer.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(ClearSignal::FieldPolicy)

class TestUrlReducer : public QObject
{
    Q_OBJECT

private slots:
    void reduces_data();
    void reduces();
    void extractsTtclid();
};

void TestUrlReducer::reduces_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<FieldPolicy>("policy");
    QTest::addColumn<QString>("expected"); // empty: not sent
    const QString url =
        u"https://user:pw@Clinic.Example:443/services/semaglutide%20plan/book?ttclid=E.C.P.x&utm_source=tiktok&FBCLID=1&q=a+b#step2"_s;
    QTest::addRow("origin") << url << FieldPolicy::Origin << u"https://clinic.example/"_s;
    QTest::addRow("path") << url << FieldPolicy::Path << u"https://clinic.example/services/semaglutide%20plan/book"_s;
    QTest::addRow("keep") << url << FieldPolicy::Keep
                          << u"https://clinic.example/services/semaglutide%20plan/book?utm_source=tiktok&q=a+b"_s;
    QTest::addRow("category") << url << FieldPolicy::Category << u"https://clinic.example/services"_s;
    QTest::addRow("category fallback") << u"https://clinic.example/about"_s << FieldPolicy::Category
                                       << u"https://clinic.example/"_s;
    QTest::addRow("drop") << url << FieldPolicy::Drop << QString();
    QTest::addRow("custom port kept") << u"http://localhost:8080/x"_s << FieldPolicy::Origin
                                      << u"http://localhost:8080/"_s;
    QTest::addRow("not a url") << u"/services/book"_s << FieldPolicy::Origin << QString();
    QTest::addRow("term in a port") << u"https://clinic.example:semaglutide/x"_s << FieldPolicy::Origin << QString();
    QTest::addRow("javascript") << u"javascript:alert(1)"_s << FieldPolicy::Keep << QString();
    QTest::addRow("spaces encoded") << u"https://clinic.example/a b?x=<y>"_s << FieldPolicy::Keep
                                    << u"https://clinic.example/a%20b?x=%3Cy%3E"_s;
}

void TestUrlReducer::reduces()
{
    QFETCH(QString, url);
    QFETCH(FieldPolicy, policy);
    QFETCH(QString, expected);
    const QList<UrlCategory> categories = {
        {*TextMatcher::create(TextMatcher::Kind::Glob, u"/services/**"_s), u"/services"_s},
    };
    const UrlReducer::Result result = UrlReducer::reduce(url, policy, categories);
    QCOMPARE(result.url.value_or(QString()), expected);
    QVERIFY(!result.reason.isEmpty());
}

void TestUrlReducer::extractsTtclid()
{
    QCOMPARE(UrlReducer::extractTtclid(u"https://a.example/?x=1&TTCLID=E.C.P.abc%2Bd"_s), u"E.C.P.abc+d"_s);
    QCOMPARE(UrlReducer::extractTtclid(u"https://a.example/?ttclid="_s), QString());
    QCOMPARE(UrlReducer::extractTtclid(u"not a url"_s), QString());
}

QTEST_GUILESS_MAIN(TestUrlReducer)
#include "TestUrlReducer.moc"
