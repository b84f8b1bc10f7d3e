// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace ClearSignal {

/// Which pages a crawl visits and in which order: breadth first, each level sorted, at most maxPages pages
/// and maxDepth links deep, plus the sitemap's pages as the first level.
///
/// The set of pages and their order never depend on timing, so two scans of an unchanged site compare
/// cleanly. To keep every browser tab busy, pages of the next level are handed out before the current level
/// is complete ("speculatively"); one that turns out not to belong to the final, sorted and truncated level
/// is reported as unwanted and its visit is discarded.
class CrawlFrontier final
{
public:
    struct Page
    {
        QUrl url;
        int depth = 0;
    };
    using LinkFilter = std::function<bool(const QUrl&)>;

    CrawlFrontier(const QUrl& start, int maxPages, int maxDepth, LinkFilter accept);

    /// The sitemap's pages join the first level after the start page. Until this is called (possibly with
    /// nothing), the start page's level does not end.
    void setSitemapPages(const QStringList& pages);

    /// The next page to load, if any can start now.
    std::optional<Page> next();
    /// A page finished loading with these links (absolute URLs as the page had them).
    void finished(const QUrl& url, const QStringList& links);

    /// Whether a started page belongs to the crawl (false for a speculative page that fell outside its level).
    bool isWanted(const QUrl& url) const;
    /// Pages handed out and not finished.
    int running() const { return int(m_started.size() - m_finished.size()); }
    /// Every level is complete and no further level exists.
    bool isComplete() const { return m_complete; }
    /// The pages of the crawl in order: level by level, sorted within each level.
    QList<Page> pages() const;
    /// Pages known so far that will be visited (for progress).
    int plannedPages() const;

    static QString normalized(const QUrl& url);

private:
    void advance();
    bool levelDone() const;

    int m_maxPages;
    int m_maxDepth;
    LinkFilter m_accept;
    QList<QList<Page>> m_levels;              ///< final levels; the last one is current
    QSet<QString> m_assigned;                 ///< pages of final levels
    QHash<QString, QStringList> m_links;      ///< links of finished pages
    QSet<QString> m_started;
    QSet<QString> m_finished;
    QStringList m_speculative;                ///< next-level candidates started early, in start order
    QStringList m_sitemap;
    bool m_sitemapKnown = false;
    bool m_complete = false;
};

} // namespace ClearSignal
