// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scan/model/ScanModel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>
#include <QUrl>

/// A scan result as sorted text lines that stay the same from run to run: the server's port becomes {{SITE}}
/// and {{THIRD_PARTY}}, request ids and times are left out. Expected files hold these lines, one per row.
namespace ScanDigest {

inline QString withoutPort(QString text, const QUrl& site)
{
    const QString port = QString::number(site.port());
    text.replace(QStringLiteral("http://127.0.0.1:") + port, QStringLiteral("{{SITE}}"));
    text.replace(QStringLiteral("http%3A%2F%2F127.0.0.1%3A") + port, QStringLiteral("{{SITE_ENCODED}}"));
    text.replace(QStringLiteral("http://localhost:") + port, QStringLiteral("{{THIRD_PARTY}}"));
    text.replace(QStringLiteral("127.0.0.1:") + port, QStringLiteral("{{HOST}}"));
    return text;
}

inline QStringList pages(const ClearSignal::ScanResult& result, const QUrl& site)
{
    QStringList lines;
    for (const ClearSignal::ScanPage& page : result.pages) {
        lines.append(withoutPort(QStringLiteral("page %1 %2 depth=%3 status=%4%5%6")
                                     .arg(ClearSignal::consentStateName(page.consentState), page.url)
                                     .arg(page.depth)
                                     .arg(page.status)
                                     .arg(page.error.isEmpty() ? QString() : QStringLiteral(" error"))
                                     .arg(page.frames.isEmpty() ? QString()
                                                                : QStringLiteral(" frames=") + page.frames.join(u',')),
                                 site));
    }
    return lines;
}

inline QStringList trackerEvents(const ClearSignal::ScanResult& result, const QUrl& site)
{
    QStringList lines;
    for (const ClearSignal::TrackerEvent& event : result.trackerEvents) {
        lines.append(withoutPort(
            QStringLiteral("event %1 %2 pixel=%3 name=%4 page=%5 sent_url=%6 ids=%7 props=%8%9")
                .arg(ClearSignal::consentStateName(event.consentState), event.vendor, event.pixelId, event.event,
                     event.pageUrl, event.sentUrl, event.identifiers.join(u','),
                     QString::fromUtf8(QJsonDocument(event.properties).toJson(QJsonDocument::Compact)),
                     event.clickedText.isEmpty() ? QString() : QStringLiteral(" clicked=") + event.clickedText),
            site));
    }
    lines.sort();
    return lines;
}

inline QStringList findings(const ClearSignal::ScanResult& result, const QUrl& site)
{
    QStringList lines;
    for (const ClearSignal::Finding& finding : result.findings) {
        QJsonObject evidence = finding.evidence;
        evidence.remove(QStringLiteral("request_id"));
        evidence.remove(QStringLiteral("url")); // cache busters and timestamps
        lines.append(withoutPort(QStringLiteral("finding %1 %2 %3 %4 %5 %6")
                                     .arg(finding.code, ClearSignal::severityName(finding.severity), finding.vendor,
                                          finding.consentState ? ClearSignal::consentStateName(*finding.consentState)
                                                               : QLatin1StringView("-"),
                                          finding.pageUrl,
                                          QString::fromUtf8(QJsonDocument(evidence).toJson(QJsonDocument::Compact))),
                                 site));
    }
    lines.sort();
    return lines;
}

inline QStringList all(const ClearSignal::ScanResult& result, const QUrl& site)
{
    return pages(result, site) + trackerEvents(result, site) + findings(result, site);
}

} // namespace ScanDigest
