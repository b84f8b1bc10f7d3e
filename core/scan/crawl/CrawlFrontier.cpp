// SPDX-License-Identifier: GPL-3.0-or-later
#include "CrawlFrontier.h"

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

CrawlFrontier::CrawlFrontier(const QUrl& start, int maxPages, int maxDepth, LinkFilter accept)
    : m_maxPages(std::max(1, maxPages)), m_maxDepth(std::max(0, maxDepth)), m_accept(std::move(accept))
{
    const QString key = normalized(start);
    m_levels.append({{QUrl(key), 0}});
    m_assigned.insert(key);
}

QString CrawlFrontier::normalized(const QUrl& url)
{
    QUrl copy = url.adjusted(QUrl::RemoveFragment | QUrl::NormalizePathSegments);
    copy.setHost(copy.host().toLower());
    if (copy.path().isEmpty())
        copy.setPath(u"/"_s);
    return copy.toString(QUrl::FullyEncoded);
}

void CrawlFrontier::setSitemapPages(const QStringList& pages)
{
    m_sitemap = pages;
    m_sitemapKnown = true;
    advance();
}

std::optional<CrawlFrontier::Page> CrawlFrontier::next()
{
    if (m_complete)
        return std::nullopt;
    for (const Page& page : std::as_const(m_levels.last())) {
        const QString key = page.url.toString(QUrl::FullyEncoded);
        if (!m_started.contains(key)) {
            m_started.insert(key);
            return page;
        }
    }
    // Speculate on the next level: the smallest candidate known so far, since levels keep a sorted prefix.
    const int nextDepth = int(m_levels.size());
    const qsizetype room = m_maxPages - m_assigned.size();
    if (nextDepth > m_maxDepth || room <= 0 || m_speculative.size() >= room)
        return std::nullopt;
    QStringList candidates;
    for (const Page& page : std::as_const(m_levels.last())) {
        const QString key = page.url.toString(QUrl::FullyEncoded);
        for (const QString& link : m_links.value(key))
            candidates.append(link);
    }
    if (nextDepth == 1)
        candidates += m_sitemap;
    QString best;
    for (const QString& candidate : std::as_const(candidates)) {
        const QUrl url(candidate);
        const QString key = normalized(url);
        if (m_assigned.contains(key) || m_started.contains(key) || !m_accept(url))
            continue;
        if (best.isEmpty() || key < best)
            best = key;
    }
    if (best.isEmpty())
        return std::nullopt;
    m_started.insert(best);
    m_speculative.append(best);
    return Page{QUrl(best), nextDepth};
}

void CrawlFrontier::finished(const QUrl& url, const QStringList& links)
{
    const QString key = normalized(url);
    m_finished.insert(key);
    m_links.insert(key, links);
    advance();
}

bool CrawlFrontier::levelDone() const
{
    for (const Page& page : m_levels.last()) {
        if (!m_finished.contains(page.url.toString(QUrl::FullyEncoded)))
            return false;
    }
    return m_levels.size() > 1 || m_sitemapKnown;
}

void CrawlFrontier::advance()
{
    while (!m_complete && levelDone()) {
        const int nextDepth = int(m_levels.size());
        QStringList next;
        if (nextDepth <= m_maxDepth) {
            QStringList candidates;
            for (const Page& page : std::as_const(m_levels.last())) {
                for (const QString& link : m_links.value(page.url.toString(QUrl::FullyEncoded)))
                    candidates.append(link);
            }
            if (nextDepth == 1)
                candidates += m_sitemap;
            for (const QString& candidate : std::as_const(candidates)) {
                const QUrl url(candidate);
                const QString key = normalized(url);
                if (m_assigned.contains(key) || next.contains(key) || !m_accept(url))
                    continue;
                next.append(key);
            }
            std::sort(next.begin(), next.end());
            const qsizetype room = m_maxPages - m_assigned.size();
            if (next.size() > room)
                next.resize(std::max<qsizetype>(0, room));
        }
        m_speculative.clear();
        if (next.isEmpty()) {
            m_complete = true;
            return;
        }
        QList<Page> level;
        for (const QString& key : std::as_const(next)) {
            m_assigned.insert(key);
            level.append({QUrl(key), nextDepth});
        }
        m_levels.append(level);
    }
}

bool CrawlFrontier::isWanted(const QUrl& url) const
{
    return m_assigned.contains(normalized(url));
}

QList<CrawlFrontier::Page> CrawlFrontier::pages() const
{
    QList<Page> all;
    for (const QList<Page>& level : m_levels)
        all += level;
    return all;
}

int CrawlFrontier::plannedPages() const
{
    return int(m_assigned.size() + (m_complete ? 0 : m_speculative.size()));
}

} // namespace ClearSignal
