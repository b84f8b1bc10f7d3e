// SPDX-License-Identifier: GPL-3.0-or-later
#include "scan/crawl/Sitemap.h"

#include <QElapsedTimer>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestSitemap : public QObject
{
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void keepsTheFirstMaxPages();
    void entityExpansionIsBounded();
};

namespace {

const QByteArray ns = R"(xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")";

QByteArray urlset(const QByteArray& body)
{
    return R"(<?xml version="1.0" encoding="UTF-8"?>)" "\n<urlset " + ns + ">\n" + body + "</urlset>\n";
}

} // namespace

void TestSitemap::parses_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QStringList>("pages");
    QTest::addColumn<QStringList>("sitemaps");

    QTest::addRow("urlset") << urlset("<url><loc>https://clinic.example/</loc><lastmod>2026-01-02</lastmod>"
                                      "<changefreq>weekly</changefreq><priority>1.0</priority></url>\n"
                                      "<url><loc>https://clinic.example/services/</loc></url>\n")
                            << QStringList{u"https://clinic.example/"_s, u"https://clinic.example/services/"_s}
                            << QStringList{};
    QTest::addRow("order and duplicates as written")
        << urlset("<url><loc>https://clinic.example/b</loc></url><url><loc>https://clinic.example/a</loc></url>"
                  "<url><loc>https://clinic.example/b</loc></url>")
        << QStringList{u"https://clinic.example/b"_s, u"https://clinic.example/a"_s, u"https://clinic.example/b"_s}
        << QStringList{};
    QTest::addRow("sitemapindex")
        << QByteArray("<sitemapindex " + ns + ">"
                      "<sitemap><loc>https://clinic.example/post-sitemap.xml</loc><lastmod>2026-01-01</lastmod></sitemap>"
                      "<sitemap><loc>https://clinic.example/page-sitemap.xml</loc></sitemap></sitemapindex>")
        << QStringList{}
        << QStringList{u"https://clinic.example/post-sitemap.xml"_s, u"https://clinic.example/page-sitemap.xml"_s};
    QTest::addRow("no namespace") << QByteArray("<urlset><url><loc>https://clinic.example/about</loc></url></urlset>")
                                  << QStringList{u"https://clinic.example/about"_s} << QStringList{};
    QTest::addRow("old google namespace")
        << QByteArray(R"(<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">)"
                      "<url><loc>https://clinic.example/old</loc></url></urlset>")
        << QStringList{u"https://clinic.example/old"_s} << QStringList{};
    QTest::addRow("prefixed namespace")
        << QByteArray(R"(<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">)"
                      "<sm:url><sm:loc>https://clinic.example/prefixed</sm:loc></sm:url></sm:urlset>")
        << QStringList{u"https://clinic.example/prefixed"_s} << QStringList{};
    QTest::addRow("image and alternate extensions")
        << QByteArray(R"(<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" )"
                      R"(xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" )"
                      R"(xmlns:xhtml="http://www.w3.org/1999/xhtml">)"
                      "<url><loc>https://clinic.example/gallery</loc>"
                      "<image:image><image:loc>https://cdn.clinic.example/before.jpg</image:loc></image:image>"
                      R"(<xhtml:link rel="alternate" hreflang="es" href="https://clinic.example/es/galeria"/>)"
                      "</url></urlset>")
        << QStringList{u"https://clinic.example/gallery"_s} << QStringList{};
    QTest::addRow("CDATA") << urlset("<url><loc><![CDATA[https://clinic.example/search?q=a&page=2]]></loc></url>")
                           << QStringList{u"https://clinic.example/search?q=a&page=2"_s} << QStringList{};
    QTest::addRow("entity") << urlset("<url><loc>https://clinic.example/search?q=a&amp;page=3</loc></url>")
                            << QStringList{u"https://clinic.example/search?q=a&page=3"_s} << QStringList{};
    QTest::addRow("whitespace around loc")
        << urlset("<url>\n  <loc>\n\t  https://clinic.example/spaced  \r\n</loc>\n</url>"
                  "<url><loc>  <![CDATA[ https://clinic.example/cdata-spaced ]]>  </loc></url>")
        << QStringList{u"https://clinic.example/spaced"_s, u"https://clinic.example/cdata-spaced"_s} << QStringList{};
    QTest::addRow("empty loc skipped")
        << urlset("<url><loc>   </loc></url><url><loc/></url><url><loc>https://clinic.example/x</loc></url>")
        << QStringList{u"https://clinic.example/x"_s} << QStringList{};
    QTest::addRow("byte order mark") << QByteArray("\xEF\xBB\xBF" + urlset("<url><loc>https://clinic.example/bom</loc></url>"))
                                     << QStringList{u"https://clinic.example/bom"_s} << QStringList{};

    // Malformed: what was read before the error is kept, never a half-read address.
    QTest::addRow("truncated inside a loc")
        << QByteArray("<urlset " + ns + "><url><loc>https://clinic.example/a</loc></url>"
                      "<url><loc>https://clinic.example/b</loc></url><url><loc>https://clinic.example/ca")
        << QStringList{u"https://clinic.example/a"_s, u"https://clinic.example/b"_s} << QStringList{};
    QTest::addRow("mismatched tags")
        << QByteArray("<urlset><url><loc>https://clinic.example/a</loc></urlx>"
                      "<url><loc>https://clinic.example/b</loc></url></urlset>")
        << QStringList{u"https://clinic.example/a"_s} << QStringList{};
    QTest::addRow("element inside loc")
        << QByteArray("<urlset><url><loc>https://clinic.example/a</loc></url>"
                      "<url><loc>https://clinic.example/<b>bold</b></loc></url>"
                      "<url><loc>https://clinic.example/c</loc></url></urlset>")
        << QStringList{u"https://clinic.example/a"_s} << QStringList{};
    QTest::addRow("empty input") << QByteArray() << QStringList{} << QStringList{};
    QTest::addRow("binary garbage") << QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) << QStringList{}
                                    << QStringList{};

    // Not a sitemap: a 404 page served as sitemap.xml, a feed, or XML that happens to use <loc>.
    QTest::addRow("html page")
        << QByteArray("<!DOCTYPE html><html><head><title>Not found</title></head>"
                      "<body><a href=\"https://clinic.example/\">Home</a></body></html>")
        << QStringList{} << QStringList{};
    QTest::addRow("rss feed")
        << QByteArray("<rss version=\"2.0\"><channel><link>https://clinic.example/</link>"
                      "<item><link>https://clinic.example/blog/1</link></item></channel></rss>")
        << QStringList{} << QStringList{};
    QTest::addRow("loc outside url")
        << QByteArray("<config><loc>https://clinic.example/config</loc><url><loc>https://clinic.example/u</loc></url>"
                      "</config>")
        << QStringList{} << QStringList{};
    QTest::addRow("loc directly in urlset")
        << urlset("<loc>https://clinic.example/stray</loc><url><loc>https://clinic.example/ok</loc></url>")
        << QStringList{u"https://clinic.example/ok"_s} << QStringList{};
}

void TestSitemap::parses()
{
    QFETCH(QByteArray, xml);
    QFETCH(QStringList, pages);
    QFETCH(QStringList, sitemaps);
    const Sitemap::Parsed parsed = Sitemap::parse(xml);
    QCOMPARE(parsed.pages, pages);
    QCOMPARE(parsed.sitemaps, sitemaps);
}

void TestSitemap::keepsTheFirstMaxPages()
{
    const int count = Sitemap::maxPages + 25;
    QByteArray body;
    body.reserve(count * 64);
    for (int i = 0; i < count; ++i)
        body += "<url><loc>https://clinic.example/p/" + QByteArray::number(i) + "</loc></url>\n";
    const Sitemap::Parsed parsed = Sitemap::parse(urlset(body));
    QCOMPARE(parsed.pages.size(), Sitemap::maxPages);
    QCOMPARE(parsed.pages.first(), u"https://clinic.example/p/0"_s);
    QCOMPARE(parsed.pages.at(12345), u"https://clinic.example/p/12345"_s);
    QCOMPARE(parsed.pages.last(), u"https://clinic.example/p/%1"_s.arg(Sitemap::maxPages - 1));
    QVERIFY(parsed.sitemaps.isEmpty());
}

void TestSitemap::entityExpansionIsBounded()
{
    // "Billion laughs": a sitemap is untrusted input and must not expand into gigabytes.
    QByteArray xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE urlset [\n<!ENTITY l0 \"lollollollollollollollollollol\">\n";
    for (int i = 1; i <= 9; ++i) {
        xml += "<!ENTITY l" + QByteArray::number(i) + " \"";
        for (int j = 0; j < 10; ++j)
            xml += "&l" + QByteArray::number(i - 1) + ";";
        xml += "\">\n";
    }
    xml += "]>\n<urlset><url><loc>https://clinic.example/first</loc></url><url><loc>&l9;</loc></url>"
           "<url><loc>https://clinic.example/after</loc></url></urlset>";
    QElapsedTimer timer;
    timer.start();
    const Sitemap::Parsed parsed = Sitemap::parse(xml);
    QVERIFY2(timer.elapsed() < 5000, "entity expansion must be cut off");
    QCOMPARE(parsed.pages, QStringList{u"https://clinic.example/first"_s});
}

QTEST_GUILESS_MAIN(TestSitemap)
#include "TestSitemap.moc"
