// SPDX-License-Identifier: GPL-3.0-or-later
#include "BaselineDiff.h"

#include <QJsonArray>
#include <QSet>
#include <QUrl>

namespace ClearSignal::BaselineDiff {

using namespace Qt::Literals::StringLiterals;

namespace {

struct Inventory
{
    QMap<QString, QString> trackers;  ///< vendor -> first page
    QMap<QString, QString> pixelIds;  ///< vendor:id -> first page
    QMap<QString, QString> events;    ///< vendor:event -> first page
    /// script URL without query -> content hashes seen. Several scripts can share a loader URL
    /// (gtm.js?id=GTM-A and ?id=GTM-B): their order of loading must not read as a change.
    QMap<QString, QStringList> scripts;
    QMap<QString, QString> scriptPages;
    QMap<QString, QString> healthTerms; ///< vendor:term -> first page
};

Inventory inventoryOf(const ScanResult& scan)
{
    Inventory inventory;
    for (const CapturedRequest& request : scan.requests) {
        if (!request.vendor.isEmpty() && !inventory.trackers.contains(request.vendor))
            inventory.trackers.insert(request.vendor, request.pageUrl);
        if (request.resourceType == "script"_L1 && request.thirdParty) {
            const QString url = QUrl(request.url).adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
            QStringList& hashes = inventory.scripts[url];
            if (!request.contentSha256.isEmpty() && !hashes.contains(request.contentSha256))
                hashes.append(request.contentSha256);
            if (!inventory.scriptPages.contains(url))
                inventory.scriptPages.insert(url, request.pageUrl);
        }
    }
    for (const TrackerEvent& event : scan.trackerEvents) {
        if (!event.pixelId.isEmpty() && !inventory.pixelIds.contains(event.vendor + u':' + event.pixelId))
            inventory.pixelIds.insert(event.vendor + u':' + event.pixelId, event.pageUrl);
        if (!event.event.isEmpty() && !inventory.events.contains(event.vendor + u':' + event.event))
            inventory.events.insert(event.vendor + u':' + event.event, event.pageUrl);
    }
    for (const Finding& finding : scan.findings) {
        if (finding.code == "tiktok_pixel_installed"_L1 || finding.code == "tracker_installed"_L1) {
            for (const QJsonValue& id : finding.evidence.value("pixel_ids"_L1).toArray()) {
                const QString key = finding.vendor + u':' + id.toString();
                if (!inventory.pixelIds.contains(key))
                    inventory.pixelIds.insert(key, finding.pageUrl);
            }
        }
        if (finding.code == "health_context_sent"_L1 || finding.code == "descriptive_event_name"_L1) {
            const QString key = finding.vendor + u':' + finding.evidence.value("term"_L1).toString();
            if (!inventory.healthTerms.contains(key))
                inventory.healthTerms.insert(key, finding.pageUrl);
        }
    }
    return inventory;
}

Finding change(const QString& code, Severity severity, const QString& title, const QString& pageUrl,
               const QString& vendor, QJsonObject evidence, const QString& remediation)
{
    return Finding{code, severity, title, pageUrl, vendor, std::nullopt, std::move(evidence), remediation};
}

} // namespace

void addChanges(const ScanResult& baseline, ScanResult& current)
{
    const Inventory before = inventoryOf(baseline);
    const Inventory now = inventoryOf(current);
    const QString review = u"Something changed on the site since the approved baseline. Find out who added it; "
                           u"remove it, or approve it by making this scan the new baseline."_s;
    for (auto it = now.trackers.begin(); it != now.trackers.end(); ++it) {
        if (!before.trackers.contains(it.key()))
            current.findings.append(change(u"new_tracker"_s, Severity::High, u"A new tracker appeared: %1"_s.arg(it.key()),
                                           it.value(), it.key(), QJsonObject{{u"vendor"_s, it.key()}}, review));
    }
    for (auto it = now.pixelIds.begin(); it != now.pixelIds.end(); ++it) {
        if (before.pixelIds.contains(it.key()))
            continue;
        const QString vendor = it.key().section(u':', 0, 0);
        const QString id = it.key().section(u':', 1);
        current.findings.append(change(u"new_pixel_id"_s, Severity::High, u"A new %1 pixel id appeared: %2"_s.arg(vendor, id),
                                       it.value(), vendor, QJsonObject{{u"pixel_id"_s, id}}, review));
    }
    for (auto it = now.events.begin(); it != now.events.end(); ++it) {
        if (before.events.contains(it.key()))
            continue;
        const QString vendor = it.key().section(u':', 0, 0);
        const QString event = it.key().section(u':', 1);
        current.findings.append(change(u"new_event"_s, Severity::Medium, u"%1 receives a new event: %2"_s.arg(vendor, event),
                                       it.value(), vendor, QJsonObject{{u"event"_s, event}}, review));
    }
    for (auto it = now.scripts.begin(); it != now.scripts.end(); ++it) {
        const bool known = before.scripts.contains(it.key());
        const QStringList previous = before.scripts.value(it.key());
        // A script that did not load (no hash) in either scan cannot be compared.
        const auto different = std::find_if(it.value().begin(), it.value().end(),
                                            [&](const QString& hash) { return !previous.contains(hash); });
        const bool changed = known && !previous.isEmpty() && different != it.value().end();
        if (known && !changed)
            continue;
        current.findings.append(change(
            u"new_third_party_script"_s, Severity::Medium,
            changed ? u"A third-party script changed: %1"_s.arg(it.key()) : u"A new third-party script: %1"_s.arg(it.key()),
            now.scriptPages.value(it.key()), QString(),
            QJsonObject{{u"url"_s, it.key()},
                        {u"content_sha256"_s, changed ? *different : it.value().value(0)},
                        {u"previous_sha256"_s, previous.value(0)}},
            review));
    }
    for (auto it = now.healthTerms.begin(); it != now.healthTerms.end(); ++it) {
        if (before.healthTerms.contains(it.key()))
            continue;
        const QString vendor = it.key().section(u':', 0, 0);
        const QString term = it.key().section(u':', 1);
        current.findings.append(change(u"new_health_term"_s, Severity::Critical,
                                       u"%1 now receives the health term \u201c%2\u201d"_s.arg(vendor, term), it.value(),
                                       vendor, QJsonObject{{u"term"_s, term}}, review));
    }
}

} // namespace ClearSignal::BaselineDiff
