// SPDX-License-Identifier: GPL-3.0-or-later
#include "phi/PhiScanner.h"

#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestPhiScanner : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void findsThroughEncodings_data();
    void findsThroughEncodings();
    void exemptsTheSitesOwnDomain();
    void honoursAllowedAndExtraTerms();
    void failsClosedWhenTooComplex();
    void neverReportsValues();

private:
    PhiHits scan(const QString& value, const QString& key = QString(), const QStringList& ownDomains = {}) const;

    std::shared_ptr<const HealthTermMatcher> m_matcher;
    std::unique_ptr<PhiScanner> m_scanner;
};

void TestPhiScanner::initTestCase()
{
    m_matcher = std::make_shared<HealthTermMatcher>(QList<LexiconTerm>{
        {u"semaglutide"_s, u"medication"_s, u"test"_s, false},
        {u"tirzepatide"_s, u"medication"_s, u"test"_s, false},
        {u"ozempic"_s, u"medication"_s, u"test"_s, false},
        {u"weight loss"_s, u"procedure"_s, u"test"_s, false},
        {u"depresión"_s, u"condition"_s, u"test"_s, false},
        {u"erectile dysfunction"_s, u"condition"_s, u"test"_s, false},
        {u"botox"_s, u"procedure"_s, u"test"_s, false},
    });
    m_scanner = std::make_unique<PhiScanner>(m_matcher, PhiScanner::Vocabulary{}, u"US"_s);
}

PhiHits TestPhiScanner::scan(const QString& value, const QString& key, const QStringList& ownDomains) const
{
    PhiScanner::FieldScan field;
    field.field = u"page.url"_s;
    field.key = key;
    field.ownDomains = ownDomains;
    return m_scanner->scan(value, field);
}

void TestPhiScanner::findsThroughEncodings_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("hits"); // term@location[decoding], comma separated

    const auto b64 = [](const QString& text) { return QString::fromLatin1(text.toUtf8().toBase64()); };
    const auto b64url = [](const QString& text) {
        return QString::fromLatin1(
            text.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    QTest::addRow("plain path") << u"https://clinic.example/services/semaglutide/book"_s
                                << u"semaglutide@path"_s;
    QTest::addRow("percent path") << u"https://clinic.example/weight%20loss"_s << u"weight loss@path[percent]"_s;
    QTest::addRow("query plus") << u"https://c.example/?reason=erectile+dysfunction"_s
                                << u"erectile dysfunction@query:reason[percent]"_s;
    QTest::addRow("double encoded") << u"https://c.example/?q=weight%2520loss"_s
                                    << u"weight loss@query:q[percent]"_s;
    QTest::addRow("utf-8 spanish") << u"https://c.example/?condition=Depresi%C3%B3n"_s
                                   << u"depresión@query:condition[percent]"_s;
    QTest::addRow("base64 state")
        << u"https://c.example/cb?state="_s + b64(u"{\"next\":\"/services/tirzepatide\"}"_s)
        << u"tirzepatide@query:state.next[base64>json]"_s;
    QTest::addRow("base64url email")
        << u"https://c.example/r/"_s + b64url(u"{\"email\":\"jane.doe@gmail.com\",\"x\":1}"_s)
        << u"email@path.email[base64>json]"_s;
    QTest::addRow("json in query") << u"https://c.example/?data=%7B%22drug%22%3A%22Ozempic%22%7D"_s
                                   << u"ozempic@query:data.drug[percent>json]"_s;
    QTest::addRow("nested url") << u"https://c.example/login?redirect=https%3A%2F%2Fc.example%2Fbotox%2Fbook"_s
                                << u"botox@query:redirect>path[percent]"_s;
    QTest::addRow("fragment route") << u"https://c.example/#/treatments/ozempic"_s << u"ozempic@fragment"_s;
    QTest::addRow("email in query") << u"https://c.example/?email=jane.doe%40gmail.com"_s
                                    << u"email@query:email[percent]"_s;
    QTest::addRow("phone in query") << u"https://c.example/?phone=%28512%29+555-0147"_s
                                    << u"phone@query:phone[percent]"_s;
    QTest::addRow("dob in query") << u"https://c.example/?dob=1984-03-12"_s << u"date_of_birth@query:dob"_s;
    QTest::addRow("key is the term") << u"https://c.example/?ozempic=1"_s << u"ozempic@query:ozempic"_s;
    QTest::addRow("subdomain") << u"https://semaglutide.example.com/"_s << u"semaglutide@host"_s;
    QTest::addRow("clean") << u"https://clinic.example/contact?utm_source=tiktok&ttclid=E.C.P.CqgBxZ9Hkq1lC3Yb"_s
                           << QString();
    QTest::addRow("plain text") << u"I have been on Ozempic for a year"_s << u"ozempic"_s;
    QTest::addRow("combining accent") << u"Depresio\u0301n severa"_s << u"depresión"_s;
    QTest::addRow("fullwidth letters") << u"\uFF4F\uFF5A\uFF45\uFF4D\uFF50\uFF49\uFF43"_s << u"ozempic"_s;
    QTest::addRow("latin-1 escape") << u"https://c.example/?c=Depresi%F3n"_s << u"depresión@query:c[percent]"_s;
    QTest::addRow("query item without a value") << u"https://c.example/thanks?ozempic"_s << u"ozempic@query"_s;
    QTest::addRow("search referrer") << u"https://www.google.com/search?q=ozempic+near+me"_s
                                     << u"ozempic@query:q[percent]"_s;
}

void TestPhiScanner::findsThroughEncodings()
{
    QFETCH(QString, value);
    QFETCH(QString, hits);
    QStringList found;
    for (const PhiHit& hit : scan(value)) {
        QString text = hit.term;
        if (!hit.location.isEmpty())
            text += u'@' + hit.location;
        if (!hit.decoding.isEmpty())
            text += u'[' + hit.decoding + u']';
        found.append(text);
    }
    QVERIFY2(!hits.isEmpty() || found.isEmpty(), qPrintable(found.join(u", "_s)));
    if (!hits.isEmpty())
        QVERIFY2(found.contains(hits), qPrintable(u"expected %1 in: %2"_s.arg(hits, found.join(u", "_s))));
}

void TestPhiScanner::exemptsTheSitesOwnDomain()
{
    QVERIFY(!scan(u"https://austinweightlossclinic.com/"_s).isEmpty());
    QVERIFY(scan(u"https://austinweightlossclinic.com/"_s, QString(), {u"austinweightlossclinic.com"_s}).isEmpty());
    const PhiHits subdomain =
        scan(u"https://semaglutide.austinweightlossclinic.com/"_s, QString(), {u"austinweightlossclinic.com"_s});
    QCOMPARE(subdomain.size(), 1);
    QCOMPARE(subdomain[0].term, u"semaglutide"_s);
    QCOMPARE(subdomain[0].location, u"host"_s);
}

void TestPhiScanner::honoursAllowedAndExtraTerms()
{
    PhiScanner::Vocabulary vocabulary;
    vocabulary.allowedTerms = {u"Weight-Loss"_s};
    vocabulary.extraTerms = {{u"Glow Renewal"_s, u"procedure"_s, u"rules"_s, false}};
    const PhiScanner scanner(m_matcher, vocabulary, u"US"_s);
    PhiScanner::FieldScan field;
    field.field = u"properties.content_name"_s;
    const PhiHits hits = scanner.scan(u"Weight loss with the GlowRenewal package"_s, field);
    QCOMPARE(hits.size(), 1);
    QCOMPARE(hits[0].term, u"Glow Renewal"_s);
    QCOMPARE(hits[0].listId, u"rules"_s);
    QCOMPARE(hits[0].field, u"properties.content_name"_s);
}

void TestPhiScanner::failsClosedWhenTooComplex()
{
    // Base64 inside base64 inside base64 ... deeper than the budget allows.
    QString value = u"nothing to see here"_s;
    for (int i = 0; i < 8; ++i)
        value = QString::fromLatin1(value.toUtf8().toBase64());
    const PhiHits hits = scan(u"https://c.example/?s="_s + value);
    QVERIFY(!hits.isEmpty());
    QCOMPARE(hits.last().kind, PhiKind::Unscannable);
    QCOMPARE(hits.last().term, u"too_complex_to_scan"_s);
}

void TestPhiScanner::neverReportsValues()
{
    const PhiHits hits = scan(u"https://c.example/?email=jane.doe%40gmail.com&name=Jane+Doe&jane.roe%40x.com=1"_s);
    QVERIFY(!hits.isEmpty());
    for (const PhiHit& hit : hits) {
        for (const QString& text : {hit.term, hit.location, hit.decoding, hit.category}) {
            QVERIFY2(!text.contains(u"jane"_s, Qt::CaseInsensitive), qPrintable(text));
            QVERIFY2(!text.contains(u"doe"_s, Qt::CaseInsensitive), qPrintable(text));
        }
    }
}

QTEST_GUILESS_MAIN(TestPhiScanner)
#include "TestPhiScanner.moc"
