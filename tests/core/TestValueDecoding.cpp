// SPDX-License-Identifier: GPL-3.0-or-later
#include "phi/ValueDecoding.h"

#include <QTest>

using namespace ClearSignal;
using namespace ClearSignal::ValueDecoding;
using namespace Qt::Literals::StringLiterals;

class TestValueDecoding : public QObject
{
    Q_OBJECT

private slots:
    void percentDecodes_data();
    void percentDecodes();
    void decodesRepeatedly();
    void findsBase64Text_data();
    void findsBase64Text();
    void splitsUrls_data();
    void splitsUrls();
    void splitsQueries();
    void findsRegistrableDomain_data();
    void findsRegistrableDomain();
};

void TestValueDecoding::percentDecodes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("plus");
    QTest::addColumn<QString>("decoded");
    QTest::addRow("space") << u"semaglutide%20weight"_s << false << u"semaglutide weight"_s;
    QTest::addRow("plus as space") << u"erectile+dysfunction"_s << true << u"erectile dysfunction"_s;
    QTest::addRow("plus kept") << u"a+b"_s << false << u"a+b"_s;
    QTest::addRow("utf-8") << u"Depresi%C3%B3n"_s << false << u"Depresión"_s;
    QTest::addRow("broken escape") << u"100%"_s << false << u"100%"_s;
    QTest::addRow("bad hex") << u"%zz"_s << false << u"%zz"_s;
    QTest::addRow("not utf-8 reads as latin-1") << u"%ff"_s << false << u"\u00ff"_s;
    QTest::addRow("latin-1 form") << u"Depresi%F3n"_s << false << u"Depresión"_s;
    QTest::addRow("emoji kept") << u"%F0%9F%98%80 \U0001F600"_s << false << u"\U0001F600 \U0001F600"_s;
}

void TestValueDecoding::percentDecodes()
{
    QFETCH(QString, text);
    QFETCH(bool, plus);
    QFETCH(QString, decoded);
    QCOMPARE(percentDecode(text, plus), decoded);
}

void TestValueDecoding::decodesRepeatedly()
{
    int rounds = 0;
    QCOMPARE(percentDecodeRepeatedly(u"weight%252Dloss"_s, false, 4, &rounds), u"weight-loss"_s);
    QCOMPARE(rounds, 2);
    QCOMPARE(percentDecodeRepeatedly(u"%25252525"_s, false, 2, &rounds), u"%2525"_s);
    QCOMPARE(rounds, 2);
}

void TestValueDecoding::findsBase64Text_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("decoded");
    const QString json = u"{\"email\":\"jane@x.com\",\"next\":\"/ozempic\"}"_s;
    QTest::addRow("standard") << QString::fromLatin1(json.toUtf8().toBase64()) << json;
    QTest::addRow("url safe unpadded")
        << QString::fromLatin1(json.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
        << json;
    QTest::addRow("inside text") << u"state="_s + QString::fromLatin1(u"/services/tirzepatide"_s.toUtf8().toBase64())
                                 << u"/services/tirzepatide"_s;
    QTest::addRow("random id is binary") << u"CqgBxZ9Hkq1lC3YbTt0rAbCdEf12"_s << QString();
    QTest::addRow("plain word") << u"consultationappointments"_s << QString();
}

void TestValueDecoding::findsBase64Text()
{
    QFETCH(QString, text);
    QFETCH(QString, decoded);
    QString found;
    for (const Base64Segment& segment : findBase64Segments(text)) {
        if (const auto value = decodeBase64Text(QStringView(text).mid(segment.begin, segment.length)))
            found = *value;
    }
    QCOMPARE(found, decoded);
}

void TestValueDecoding::splitsUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QStringList>("parts"); // scheme, userinfo, host, port, path, query, fragment
    QTest::addRow("full") << u"https://u:p@Clinic.example:8443/a/b?x=1&y=2#frag"_s
                          << QStringList{u"https"_s, u"u:p"_s, u"Clinic.example"_s, u"8443"_s, u"/a/b"_s,
                                         u"x=1&y=2"_s, u"frag"_s};
    QTest::addRow("no path") << u"https://clinic.example?q=1"_s
                             << QStringList{u"https"_s, {}, u"clinic.example"_s, {}, {}, u"q=1"_s, {}};
    QTest::addRow("ipv6") << u"http://[2001:db8::1]:80/x"_s
                          << QStringList{u"http"_s, {}, u"2001:db8::1"_s, u"80"_s, u"/x"_s, {}, {}};
    QTest::addRow("scheme relative") << u"//cdn.example/p"_s
                                     << QStringList{{}, {}, u"cdn.example"_s, {}, u"/p"_s, {}, {}};
}

void TestValueDecoding::splitsUrls()
{
    QFETCH(QString, url);
    QFETCH(QStringList, parts);
    const std::optional<UrlParts> split = splitUrl(url);
    QVERIFY(split);
    const QStringList actual = {split->scheme.toString(), split->userInfo.toString(), split->host.toString(),
                                split->port.toString(),   split->path.toString(),     split->query.toString(),
                                split->fragment.toString()};
    QCOMPARE(actual, parts);
    QVERIFY(!splitUrl(u"/relative/path"_s));
    QVERIFY(!splitUrl(u"mailto:jane@x.com"_s));
    QVERIFY(!splitUrl(u"https://"_s));
    QVERIFY(!splitUrl(u"https://clinic.example:semaglutide/x"_s)); // a port is digits only
    QVERIFY(!splitUrl(u"https://clinic.example:99999/"_s));
}

void TestValueDecoding::splitsQueries()
{
    const auto items = splitQuery(u"a=1&b&c=&&d=x=y;e=2"_s);
    QCOMPARE(items.size(), size_t(5));
    QCOMPARE(items[0].first, u"a");
    QCOMPARE(items[0].second, u"1");
    QCOMPARE(items[1].first, u"b");
    QVERIFY(items[1].second.isNull());
    QCOMPARE(items[3].second, u"x=y");
    QCOMPARE(items[4].first, u"e");
}

void TestValueDecoding::findsRegistrableDomain_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("domain");
    QTest::addRow("plain") << u"glowmedspa.com"_s << u"glowmedspa.com"_s;
    QTest::addRow("subdomain") << u"botox.Glowmedspa.com"_s << u"glowmedspa.com"_s;
    QTest::addRow("co.uk") << u"www.clinic.co.uk"_s << u"clinic.co.uk"_s;
    QTest::addRow("com.mx") << u"citas.clinica.com.mx"_s << u"clinica.com.mx"_s;
    QTest::addRow("ip") << u"10.0.0.5"_s << u"10.0.0.5"_s;
    QTest::addRow("single label") << u"localhost"_s << u"localhost"_s;
}

void TestValueDecoding::findsRegistrableDomain()
{
    QFETCH(QString, host);
    QFETCH(QString, domain);
    QCOMPARE(registrableDomain(host), domain);
}

QTEST_GUILESS_MAIN(TestValueDecoding)
#include "TestValueDecoding.moc"
