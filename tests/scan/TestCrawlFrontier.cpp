// SPDX-License-Identifier: GPL-3.0-or-later
#include "scan/crawl/CrawlFrontier.h"

#include <QMap>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

class TestCrawlFrontier : public QObject
{
    Q_OBJECT

private slots:
    void normalizes_data();
    void normalizes();
    void sameCrawlInEveryCompletionOrder_data();
    void sameCrawlInEveryCompletionOrder();
    void truncationKeepsTheSortedPrefix();
    void speculativePageOutsideTheLevelIsUnwanted();
    void honoursMaxDepth();
    void sitemapJoinsTheFirstLevel();
    void startLevelWaitsForTheSitemap();
    void linkFilterIsHonoured();
    void duplicateSpellingsAreOnePage();
    void singlePage();
};

namespace {

using Site = QMap<QString, QStringList>; // page -> links, absolute as a page has them
using PageList = QList<QPair<QString, int>>; // url, depth

const QString origin = u"https://clinic.example"_s;

QString at(const QString& path)
{
    return origin + path;
}

/// A clinic site with links back and forth, duplicates, fragments, other sites and a mailto.
Site clinicSite()
{
    return {
        {at(u"/"_s),
         {at(u"/services"_s), at(u"/about"_s), at(u"/contact"_s), at(u"/book"_s), at(u"/about#team"_s),
          u"https://facebook.com/clinic"_s, u"mailto:front@clinic.example"_s, at(u"/"_s)}},
        {at(u"/about"_s), {at(u"/team"_s), at(u"/services"_s), at(u"/"_s)}},
        {at(u"/book"_s), {at(u"/book/thank-you"_s), at(u"/services/botox"_s)}},
        {at(u"/contact"_s), {at(u"/contact/thanks"_s), at(u"/"_s)}},
        {at(u"/services"_s),
         {at(u"/services/semaglutide"_s), at(u"/services/botox"_s), at(u"/services/fillers"_s),
          at(u"/services/acne"_s)}},
        {at(u"/team"_s), {at(u"/team/dr-lee"_s)}},
        {at(u"/book/thank-you"_s), {at(u"/"_s)}},
        {at(u"/contact/thanks"_s), {}},
        {at(u"/services/acne"_s), {at(u"/services/acne/before-after"_s)}},
        {at(u"/services/botox"_s), {at(u"/services/botox/pricing"_s), at(u"/book"_s)}},
        {at(u"/services/fillers"_s), {at(u"/services/fillers/faq"_s)}},
        {at(u"/services/semaglutide"_s), {at(u"/services/semaglutide/faq"_s), at(u"/book"_s)}},
        {at(u"/team/dr-lee"_s), {}},
        {at(u"/services/acne/before-after"_s), {}},
        {at(u"/services/botox/pricing"_s), {}},
        {at(u"/services/fillers/faq"_s), {}},
        {at(u"/services/semaglutide/faq"_s), {at(u"/services/semaglutide/faq/deeper"_s)}},
    };
}

bool sameSite(const QUrl& url)
{
    return (url.scheme() == "https"_L1 || url.scheme() == "http"_L1) && url.host() == "clinic.example"_L1;
}

/// How the browser tabs happen to finish.
enum class Order { OldestFirst, NewestFirst, DeepestFirst, Random };

struct Run
{
    QList<CrawlFrontier::Page> pages;
    QStringList handedOut;  ///< every page next() returned, in order
    QStringList unwanted;   ///< still loading when the crawl completed, and abandoned as outside it
    int speculativeStarts = 0; ///< pages handed out while a shallower page was still loading
    int maxRunning = 0;
    bool complete = false;
};

/// Drives the frontier as SiteScanner does: each free tab asks next(), a finished page reports its links,
/// and once the frontier is complete, running pages it does not want are abandoned.
Run crawl(CrawlFrontier& frontier, const Site& site, int tabs, Order order, quint32 seed = 1)
{
    struct Running
    {
        QUrl url;
        int depth;
    };
    QRandomGenerator random(seed);
    QList<Running> running;
    Run run;
    auto dispatch = [&] {
        while (running.size() < tabs) {
            const std::optional<CrawlFrontier::Page> page = frontier.next();
            if (!page)
                return;
            const bool shallowerRunning = std::any_of(running.begin(), running.end(),
                                                      [&](const Running& r) { return r.depth < page->depth; });
            if (shallowerRunning)
                ++run.speculativeStarts;
            run.handedOut.append(page->url.toString());
            running.append({page->url, page->depth});
            run.maxRunning = std::max(run.maxRunning, int(running.size()));
        }
    };
    dispatch();
    for (int guard = 0; !running.isEmpty() && guard < 10000; ++guard) {
        qsizetype index = 0;
        switch (order) {
        case Order::OldestFirst:
            index = 0;
            break;
        case Order::NewestFirst:
            index = running.size() - 1;
            break;
        case Order::DeepestFirst:
            for (qsizetype i = 0; i < running.size(); ++i) {
                if (running.at(i).depth >= running.at(index).depth)
                    index = i;
            }
            break;
        case Order::Random:
            index = qsizetype(random.bounded(quint32(running.size())));
            break;
        }
        const Running done = running.takeAt(index);
        frontier.finished(done.url, site.value(done.url.toString()));
        if (frontier.isComplete()) {
            for (qsizetype i = running.size() - 1; i >= 0; --i) {
                if (!frontier.isWanted(running.at(i).url))
                    run.unwanted.append(running.takeAt(i).url.toString());
            }
        } else {
            dispatch();
        }
    }
    run.pages = frontier.pages();
    run.complete = frontier.isComplete();
    return run;
}

PageList listed(const QList<CrawlFrontier::Page>& pages)
{
    PageList list;
    for (const CrawlFrontier::Page& page : pages)
        list.append({page.url.toString(), page.depth});
    return list;
}

PageList clinicCrawl()
{
    return {
        {at(u"/"_s), 0},
        {at(u"/about"_s), 1},
        {at(u"/book"_s), 1},
        {at(u"/contact"_s), 1},
        {at(u"/services"_s), 1},
        {at(u"/book/thank-you"_s), 2},
        {at(u"/contact/thanks"_s), 2},
        {at(u"/services/acne"_s), 2},
        {at(u"/services/botox"_s), 2},
        {at(u"/services/fillers"_s), 2},
        {at(u"/services/semaglutide"_s), 2},
        {at(u"/team"_s), 2},
        {at(u"/services/acne/before-after"_s), 3},
        {at(u"/services/botox/pricing"_s), 3},
        {at(u"/services/fillers/faq"_s), 3},
        {at(u"/services/semaglutide/faq"_s), 3},
        {at(u"/team/dr-lee"_s), 3},
    };
}

} // namespace

Q_DECLARE_METATYPE(Order)

void TestCrawlFrontier::normalizes_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::addRow("fragment removed") << u"https://clinic.example/about#team"_s << u"https://clinic.example/about"_s;
    QTest::addRow("host lowercased") << u"https://Clinic.EXAMPLE/About"_s << u"https://clinic.example/About"_s;
    QTest::addRow("scheme lowercased") << u"HTTPS://clinic.example/x"_s << u"https://clinic.example/x"_s;
    QTest::addRow("empty path") << u"https://clinic.example"_s << u"https://clinic.example/"_s;
    QTest::addRow("empty path with query") << u"https://clinic.example?utm=1"_s << u"https://clinic.example/?utm=1"_s;
    QTest::addRow("empty path with fragment") << u"https://clinic.example#top"_s << u"https://clinic.example/"_s;
    QTest::addRow("dot segments") << u"https://clinic.example/a/../b/./c"_s << u"https://clinic.example/b/c"_s;
    QTest::addRow("query kept") << u"https://clinic.example/s?b=2&a=1"_s << u"https://clinic.example/s?b=2&a=1"_s;
    QTest::addRow("trailing slash kept") << u"https://clinic.example/services/"_s
                                         << u"https://clinic.example/services/"_s;
    QTest::addRow("space encoded") << u"https://clinic.example/a b"_s << u"https://clinic.example/a%20b"_s;
    QTest::addRow("port kept") << u"http://127.0.0.1:8080"_s << u"http://127.0.0.1:8080/"_s;
}

void TestCrawlFrontier::normalizes()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(CrawlFrontier::normalized(QUrl(url)), expected);
    QCOMPARE(CrawlFrontier::normalized(QUrl(expected)), expected); // idempotent
}

void TestCrawlFrontier::sameCrawlInEveryCompletionOrder_data()
{
    QTest::addColumn<int>("tabs");
    QTest::addColumn<Order>("order");
    QTest::addColumn<quint32>("seed");
    QTest::addRow("one tab") << 1 << Order::OldestFirst << 0u;
    for (int tabs : {2, 3, 5}) {
        QTest::addRow("%d tabs, oldest first", tabs) << tabs << Order::OldestFirst << 0u;
        QTest::addRow("%d tabs, newest first", tabs) << tabs << Order::NewestFirst << 0u;
        QTest::addRow("%d tabs, deepest first", tabs) << tabs << Order::DeepestFirst << 0u;
        for (quint32 seed = 1; seed <= 8; ++seed)
            QTest::addRow("%d tabs, random %u", tabs, seed) << tabs << Order::Random << seed;
    }
}

void TestCrawlFrontier::sameCrawlInEveryCompletionOrder()
{
    QFETCH(int, tabs);
    QFETCH(Order, order);
    QFETCH(quint32, seed);
    CrawlFrontier frontier(QUrl(at(u"/"_s)), 100, 3, sameSite);
    frontier.setSitemapPages({});
    const Run run = crawl(frontier, clinicSite(), tabs, order, seed);

    QVERIFY(run.complete);
    QCOMPARE(listed(run.pages), clinicCrawl());
    QCOMPARE(frontier.plannedPages(), clinicCrawl().size());
    QCOMPARE(frontier.running(), 0);
    QVERIFY(run.unwanted.isEmpty()); // nothing is truncated, so every speculation belongs to the crawl
    // Each page loads once; depth 4 (/services/semaglutide/faq/deeper) never does.
    QCOMPARE(run.handedOut.size(), clinicCrawl().size());
    QCOMPARE(QSet<QString>(run.handedOut.begin(), run.handedOut.end()).size(), run.handedOut.size());
    QVERIFY(!run.handedOut.contains(at(u"/services/semaglutide/faq/deeper"_s)));
    QVERIFY(run.maxRunning <= tabs);
    if (tabs > 1 && order == Order::DeepestFirst)
        QVERIFY2(run.speculativeStarts > 0, "the next level must start before the current one ends");
}

void TestCrawlFrontier::truncationKeepsTheSortedPrefix()
{
    // 4 pages: the start page and the first three of level 1 in sorted order, not the first three linked
    // (/services, /about, /contact).
    for (Order order : {Order::OldestFirst, Order::NewestFirst, Order::DeepestFirst, Order::Random}) {
        for (int tabs : {1, 2, 4}) {
            CrawlFrontier frontier(QUrl(at(u"/"_s)), 4, 3, sameSite);
            frontier.setSitemapPages({});
            const Run run = crawl(frontier, clinicSite(), tabs, order, quint32(tabs));
            const PageList expected = {{at(u"/"_s), 0},
                                       {at(u"/about"_s), 1},
                                       {at(u"/book"_s), 1},
                                       {at(u"/contact"_s), 1}};
            QCOMPARE(listed(run.pages), expected);
            QVERIFY(run.complete);
            QCOMPARE(frontier.plannedPages(), 4);
            QVERIFY(!run.handedOut.contains(at(u"/services"_s)));
        }
    }
    // 9 pages: level 2 keeps the first four of its seven pages; speculative visits past them are abandoned.
    int abandoned = 0;
    for (Order order : {Order::OldestFirst, Order::NewestFirst, Order::DeepestFirst, Order::Random}) {
        for (int tabs : {2, 3, 4}) {
            CrawlFrontier frontier(QUrl(at(u"/"_s)), 9, 3, sameSite);
            frontier.setSitemapPages({});
            const Run run = crawl(frontier, clinicSite(), tabs, order, quint32(tabs));
            QCOMPARE(listed(run.pages), clinicCrawl().mid(0, 9));
            QCOMPARE(frontier.plannedPages(), 9);
            for (const QString& url : run.handedOut) {
                if (frontier.isWanted(QUrl(url)))
                    continue;
                // Only level 2's pages past the first four can have started and then fallen out.
                QVERIFY2(url == at(u"/services/fillers"_s) || url == at(u"/services/semaglutide"_s)
                             || url == at(u"/team"_s),
                         qPrintable(url));
                ++abandoned;
            }
            for (const QString& url : run.unwanted)
                QVERIFY2(!frontier.isWanted(QUrl(url)), qPrintable(url));
        }
    }
    QVERIFY2(abandoned > 0, "some completion order must start a page that falls outside the truncated level");
}

void TestCrawlFrontier::speculativePageOutsideTheLevelIsUnwanted()
{
    const Site site = {{at(u"/"_s), {at(u"/b"_s), at(u"/a"_s)}},
                       {at(u"/a"_s), {at(u"/z"_s)}},
                       {at(u"/b"_s), {at(u"/m"_s)}},
                       {at(u"/m"_s), {}},
                       {at(u"/z"_s), {}}};
    CrawlFrontier frontier(QUrl(at(u"/"_s)), 4, 5, sameSite);
    frontier.setSitemapPages({});
    QCOMPARE(frontier.next()->url, QUrl(at(u"/"_s)));
    QVERIFY(!frontier.next()); // nothing else is known yet
    QCOMPARE(frontier.plannedPages(), 1);
    frontier.finished(QUrl(at(u"/"_s)), site.value(at(u"/"_s)));
    QCOMPARE(frontier.plannedPages(), 3);

    const std::optional<CrawlFrontier::Page> a = frontier.next();
    const std::optional<CrawlFrontier::Page> b = frontier.next();
    QVERIFY(a && b);
    QCOMPARE(a->url, QUrl(at(u"/a"_s)));
    QCOMPARE(b->url, QUrl(at(u"/b"_s)));
    QCOMPARE(a->depth, 1);
    QCOMPARE(frontier.running(), 2);

    // /a finishes first: /z is the best guess for the last free place of level 2 and starts early.
    frontier.finished(QUrl(at(u"/a"_s)), site.value(at(u"/a"_s)));
    const std::optional<CrawlFrontier::Page> z = frontier.next();
    QVERIFY(z);
    QCOMPARE(z->url, QUrl(at(u"/z"_s)));
    QCOMPARE(z->depth, 2);
    QVERIFY(!frontier.next()); // room for one more page only
    QCOMPARE(frontier.plannedPages(), 4);
    QVERIFY(!frontier.isWanted(QUrl(at(u"/z"_s)))); // not yet part of the crawl

    // /b brings /m, which sorts before /z: level 2 is [/m], and /z falls outside it.
    frontier.finished(QUrl(at(u"/b"_s)), site.value(at(u"/b"_s)));
    QVERIFY(!frontier.isComplete());
    QVERIFY(!frontier.isWanted(QUrl(at(u"/z"_s))));
    QVERIFY(frontier.isWanted(QUrl(at(u"/m"_s))));
    QVERIFY(frontier.isWanted(QUrl(at(u"/a#x"_s))));
    QCOMPARE(frontier.plannedPages(), 4);
    const std::optional<CrawlFrontier::Page> m = frontier.next();
    QVERIFY(m);
    QCOMPARE(m->url, QUrl(at(u"/m"_s)));
    QCOMPARE(m->depth, 2);
    QVERIFY(!frontier.next());

    // The abandoned /z finishing late changes nothing.
    frontier.finished(QUrl(at(u"/z"_s)), {at(u"/y"_s)});
    QVERIFY(!frontier.isComplete());
    frontier.finished(QUrl(at(u"/m"_s)), {});
    QVERIFY(frontier.isComplete());
    QVERIFY(!frontier.next());
    QCOMPARE(frontier.running(), 0);
    QCOMPARE(listed(frontier.pages()),
             (PageList{{at(u"/"_s), 0}, {at(u"/a"_s), 1}, {at(u"/b"_s), 1}, {at(u"/m"_s), 2}}));
    QCOMPARE(frontier.plannedPages(), 4);
}

void TestCrawlFrontier::honoursMaxDepth()
{
    for (int maxDepth : {0, 1, 2}) {
        for (Order order : {Order::OldestFirst, Order::DeepestFirst}) {
            CrawlFrontier frontier(QUrl(at(u"/"_s)), 100, maxDepth, sameSite);
            frontier.setSitemapPages({});
            const Run run = crawl(frontier, clinicSite(), 3, order);
            PageList expected;
            for (const auto& page : clinicCrawl()) {
                if (page.second <= maxDepth)
                    expected.append(page);
            }
            QCOMPARE(listed(run.pages), expected);
            // Deeper pages are not even loaded speculatively.
            QCOMPARE(run.handedOut.size(), expected.size());
            QVERIFY(run.complete);
        }
    }
}

void TestCrawlFrontier::sitemapJoinsTheFirstLevel()
{
    const Site site = {{at(u"/"_s), {at(u"/b"_s)}},
                       {at(u"/b"_s), {at(u"/c"_s)}},
                       {at(u"/only-in-sitemap"_s), {at(u"/from-sitemap-page"_s)}}};
    CrawlFrontier frontier(QUrl(at(u"/"_s)), 100, 2, sameSite);
    frontier.setSitemapPages({at(u"/only-in-sitemap"_s), at(u"/b"_s), u"https://other.example/x"_s,
                              u"https://Clinic.Example/a#frag"_s});
    const Run run = crawl(frontier, site, 2, Order::DeepestFirst);
    QCOMPARE(listed(run.pages), (PageList{{at(u"/"_s), 0},
                                          {at(u"/a"_s), 1},
                                          {at(u"/b"_s), 1},
                                          {at(u"/only-in-sitemap"_s), 1},
                                          {at(u"/c"_s), 2},
                                          {at(u"/from-sitemap-page"_s), 2}}));
}

void TestCrawlFrontier::startLevelWaitsForTheSitemap()
{
    const Site site = {{at(u"/"_s), {at(u"/z"_s)}}, {at(u"/a"_s), {}}, {at(u"/z"_s), {}}};
    CrawlFrontier frontier(QUrl(at(u"/"_s)), 2, 3, sameSite);
    QCOMPARE(frontier.next()->url, QUrl(at(u"/"_s)));
    frontier.finished(QUrl(at(u"/"_s)), site.value(at(u"/"_s)));
    QVERIFY(!frontier.isComplete());
    QCOMPARE(listed(frontier.pages()), (PageList{{at(u"/"_s), 0}}));
    // /z may start speculatively, but level 1 is not decided before the sitemap is known.
    const std::optional<CrawlFrontier::Page> z = frontier.next();
    QVERIFY(z);
    QCOMPARE(z->url, QUrl(at(u"/z"_s)));
    frontier.finished(z->url, {});
    QVERIFY(!frontier.isComplete());
    QVERIFY(!frontier.isWanted(z->url));

    // The sitemap's /a sorts first and takes the only place left.
    frontier.setSitemapPages({at(u"/a"_s)});
    QVERIFY(!frontier.isComplete());
    QCOMPARE(listed(frontier.pages()), (PageList{{at(u"/"_s), 0}, {at(u"/a"_s), 1}}));
    QVERIFY(!frontier.isWanted(z->url));
    QCOMPARE(frontier.next()->url, QUrl(at(u"/a"_s)));
    frontier.finished(QUrl(at(u"/a"_s)), {});
    QVERIFY(frontier.isComplete());

    // Without a sitemap (an empty answer) the start page's links make level 1.
    CrawlFrontier plain(QUrl(at(u"/"_s)), 2, 3, sameSite);
    plain.next();
    plain.finished(QUrl(at(u"/"_s)), site.value(at(u"/"_s)));
    plain.setSitemapPages({});
    QCOMPARE(listed(plain.pages()), (PageList{{at(u"/"_s), 0}, {at(u"/z"_s), 1}}));
}

void TestCrawlFrontier::linkFilterIsHonoured()
{
    QStringList asked;
    auto filter = [&](const QUrl& url) {
        asked.append(url.toString());
        return sameSite(url) && !url.path().startsWith(u"/services"_s);
    };
    CrawlFrontier frontier(QUrl(at(u"/"_s)), 100, 3, filter);
    frontier.setSitemapPages({at(u"/services/from-sitemap"_s), at(u"/careers"_s)});
    const Run run = crawl(frontier, clinicSite(), 3, Order::Random, 7);
    QCOMPARE(listed(run.pages), (PageList{{at(u"/"_s), 0},
                                          {at(u"/about"_s), 1},
                                          {at(u"/book"_s), 1},
                                          {at(u"/careers"_s), 1},
                                          {at(u"/contact"_s), 1},
                                          {at(u"/book/thank-you"_s), 2},
                                          {at(u"/contact/thanks"_s), 2},
                                          {at(u"/team"_s), 2},
                                          {at(u"/team/dr-lee"_s), 3}}));
    for (const QString& url : run.handedOut)
        QVERIFY2(!url.contains(u"/services"_s) && url.startsWith(origin), qPrintable(url));
    QVERIFY(asked.contains(u"https://facebook.com/clinic"_s));
    QVERIFY(asked.contains(u"mailto:front@clinic.example"_s));
}

void TestCrawlFrontier::duplicateSpellingsAreOnePage()
{
    const Site site = {{u"https://clinic.example/"_s,
                        {u"https://CLINIC.example/about#team"_s, u"https://clinic.example/about"_s,
                         u"https://clinic.example/x/../about"_s, u"https://clinic.example#top"_s,
                         u"https://clinic.example"_s}},
                       {u"https://clinic.example/about"_s, {}}};
    CrawlFrontier frontier(QUrl(u"https://Clinic.Example"_s), 100, 3, sameSite);
    frontier.setSitemapPages({u"https://clinic.example/about#sitemap"_s});
    const Run run = crawl(frontier, site, 4, Order::NewestFirst);
    QCOMPARE(listed(run.pages), (PageList{{u"https://clinic.example/"_s, 0}, {u"https://clinic.example/about"_s, 1}}));
    QCOMPARE(run.handedOut, (QStringList{u"https://clinic.example/"_s, u"https://clinic.example/about"_s}));
}

void TestCrawlFrontier::singlePage()
{
    CrawlFrontier frontier(QUrl(at(u"/"_s)), 1, 3, sameSite);
    frontier.setSitemapPages({at(u"/a"_s)});
    const Run run = crawl(frontier, clinicSite(), 3, Order::OldestFirst);
    QCOMPARE(listed(run.pages), (PageList{{at(u"/"_s), 0}}));
    QCOMPARE(run.handedOut, QStringList{at(u"/"_s)});
    QVERIFY(run.complete);
    QCOMPARE(frontier.plannedPages(), 1);
    QVERIFY(!frontier.next());
}

QTEST_GUILESS_MAIN(TestCrawlFrontier)
#include "TestCrawlFrontier.moc"
