// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QUrl>

namespace ClearSignal {

/// Reads a site's sitemap.xml, following sitemap indexes, so pages no link reaches are scanned too.
class Sitemap final : public QObject
{
    Q_OBJECT

public:
    struct Parsed
    {
        QStringList pages;    ///< <urlset><url><loc>
        QStringList sitemaps; ///< <sitemapindex><sitemap><loc>
    };
    static Parsed parse(const QByteArray& xml);

    static constexpr int maxSitemaps = 20;
    static constexpr int maxPages = 50000;

    explicit Sitemap(QObject* parent = nullptr);
    /// Fetches origin/sitemap.xml and what it indexes; emits finished() with page URLs (possibly none).
    void fetch(const QUrl& origin);

signals:
    void finished(const QStringList& pages);

private:
    void get(const QUrl& url);
    void done();

    QNetworkAccessManager m_network;
    QStringList m_pages;
    int m_pending = 0;
    int m_fetched = 0;
};

} // namespace ClearSignal
