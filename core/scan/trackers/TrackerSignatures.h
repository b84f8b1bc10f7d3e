// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace ClearSignal {

/// What a request is, as far as ad platforms go.
struct TrackerMatch
{
    QString vendor;  ///< tiktok, meta, google, snap, pinterest, linkedin, x, microsoft, reddit
    QString kind;    ///< pixel (sends events), script (loads a tag), events_api (server API), other
    QString decoder; ///< decoder for pixel requests
    QString idParam; ///< query parameter carrying the account or pixel id of a script
};

/// The tracker-signature table (resources/trackers/signatures.json): hosts, endpoints, cookie and
/// storage names of each ad platform.
class TrackerSignatures final
{
public:
    static Expected<TrackerSignatures> fromJson(const QByteArray& json);
    static const Expected<TrackerSignatures>& bundled();

    /// Endpoint rules first (they can match any host, as GA4's /g/collect does), then the vendor's domains.
    std::optional<TrackerMatch> classify(const QUrl& url) const;
    /// The vendor owning a host name, by registrable-domain suffix; empty when none does.
    QString vendorForHost(QStringView host) const;
    QString vendorForCookie(QStringView name) const;
    QString vendorForStorageKey(QStringView key) const;
    QString vendorName(const QString& vendor) const;
    QString version() const { return m_version; }

private:
    struct Endpoint
    {
        QString kind;
        QRegularExpression host;
        QRegularExpression path;
        QString decoder;
        QString idParam;
    };
    struct Vendor
    {
        QString id;
        QString name;
        QStringList domains;
        QList<Endpoint> endpoints;
        QStringList cookies; ///< exact names or "prefix*"
        QStringList storage;
    };
    static bool matchesName(const QStringList& patterns, QStringView name);

    QString m_version;
    QList<Vendor> m_vendors;
};

} // namespace ClearSignal
