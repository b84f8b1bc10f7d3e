// SPDX-License-Identifier: GPL-3.0-or-later
#include "Sitemap.h"

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QXmlStreamReader>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr qint64 maxSitemapBytes = 10 * 1024 * 1024;
constexpr int fetchTimeoutMs = 10000;
} // namespace

Sitemap::Parsed Sitemap::parse(const QByteArray& xml)
{
    Parsed parsed;
    QXmlStreamReader reader(xml);
    // Only <urlset><url><loc> and <sitemapindex><sitemap><loc> count: extensions nest their own <loc>
    // (<image:image><image:loc>) and other XML may use the name too.
    QStringList names; // open elements, by local name
    while (!reader.atEnd() && !reader.hasError()) {
        const QXmlStreamReader::TokenType token = reader.readNext();
        if (token == QXmlStreamReader::EndElement) {
            if (!names.isEmpty())
                names.removeLast();
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        const QString name = reader.name().toString();
        if (name != "loc"_L1) {
            names.append(name);
            continue;
        }
        const bool page = names == QStringList{u"urlset"_s, u"url"_s};
        const bool sitemap = names == QStringList{u"sitemapindex"_s, u"sitemap"_s};
        const QString loc = reader.readElementText().trimmed(); // consumes </loc>
        if (reader.hasError() || loc.isEmpty() || (!page && !sitemap))
            continue; // never a half-read address
        if (sitemap)
            parsed.sitemaps.append(loc);
        else if (parsed.pages.size() < maxPages)
            parsed.pages.append(loc);
    }
    return parsed;
}

Sitemap::Sitemap(QObject* parent) : QObject(parent)
{
    m_network.setProxy(QNetworkProxy::NoProxy);
}

void Sitemap::fetch(const QUrl& origin)
{
    get(origin.resolved(QUrl(u"/sitemap.xml"_s)));
}

void Sitemap::get(const QUrl& url)
{
    ++m_pending;
    ++m_fetched;
    QNetworkRequest request(url);
    request.setTransferTimeout(fetchTimeoutMs);
    QNetworkReply* reply = m_network.get(request);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > maxSitemapBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        if (reply->error() == QNetworkReply::NoError) {
            const Parsed parsed = parse(reply->readAll());
            for (const QString& page : parsed.pages) {
                if (!m_pages.contains(page))
                    m_pages.append(page);
            }
            // Only sitemaps on the same host: an index cannot send the scanner elsewhere.
            for (const QString& sitemap : parsed.sitemaps) {
                const QUrl next(sitemap);
                if (next.host() == url.host() && m_fetched < maxSitemaps)
                    get(next);
            }
        }
        if (--m_pending == 0)
            emit finished(m_pages);
    });
}

} // namespace ClearSignal
