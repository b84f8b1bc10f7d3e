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
    QString parent;
    while (!reader.atEnd() && !reader.hasError()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = reader.name();
        if (name == u"url" || name == u"sitemap") {
            parent = name.toString();
        } else if (name == u"loc") {
            const QString loc = reader.readElementText().trimmed();
            if (loc.isEmpty())
                continue;
            if (parent == "sitemap"_L1)
                parsed.sitemaps.append(loc);
            else if (parsed.pages.size() < maxPages)
                parsed.pages.append(loc);
        }
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
