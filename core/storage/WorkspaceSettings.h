// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"
#include "consent/ConsentPolicy.h"

#include <QHostAddress>
#include <QList>
#include <QString>

namespace ClearSignal {

class Workspace;

/// The typed settings of a workspace, with one table of keys, defaults and checks (settingKeys()).
/// Rules-level settings (pixel id, origins, event age) live in the rules document, not here.
struct WorkspaceSettings
{
    QString workspaceId;
    QString siteUrl;
    QString ingestKey;
    ConsentPolicy consentPolicy = ConsentPolicy::Required;
    QString listen = QStringLiteral("127.0.0.1:8787");
    QString endpoint = QStringLiteral("https://business-api.tiktok.com/open_api/v1.3/event/track/");
    QString testEventCode;
    int maxQueuedEvents = 1000000;
    int rateLimitPerMinute = 600; ///< requests per client address
    int requestTimeoutSeconds = 15; ///< how long one Events API request may take
    QString hashKeyHex;           ///< internal: the KeyedHasher key; never shown

    static Expected<WorkspaceSettings> load(const Workspace& workspace);
    Status save(Workspace& workspace) const;

    /// Sets one user-settable key from text (`workspace set KEY=VALUE`), checking the value.
    Status set(const QString& key, const QString& value);
    /// The value of a user-settable key as text.
    QString value(const QString& key) const;

    struct Key
    {
        QString name;
        QString description;
    };
    /// The keys a user may set, in the order `workspace show` lists them.
    static const QList<Key>& settingKeys();

    /// "127.0.0.1:8787" or "[::1]:8787" as an address and a port; the error shows an example.
    static Expected<std::pair<QHostAddress, quint16>> parseListen(const QString& value);

    /// A new random ingest key: 32 URL-safe characters.
    static QString newIngestKey();
};

} // namespace ClearSignal
