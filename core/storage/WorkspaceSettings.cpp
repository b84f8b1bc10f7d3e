// SPDX-License-Identifier: GPL-3.0-or-later
#include "WorkspaceSettings.h"

#include "Workspace.h"

#include <QHostAddress>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

Expected<int> positiveInteger(const QString& key, const QString& value, int max)
{
    bool ok = false;
    const int number = value.toInt(&ok);
    if (!ok || number < 1 || number > max)
        return Error{u"%1 must be a whole number from 1 to %2, not \"%3\""_s.arg(key).arg(max).arg(value)};
    return number;
}

Status checkHttpUrl(const QString& key, const QString& value)
{
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1) || url.host().isEmpty())
        return Error{u"%1 must be a web address such as https://clinic.example, not \"%2\""_s.arg(key, value)};
    return Ok;
}

} // namespace

Expected<std::pair<QHostAddress, quint16>> WorkspaceSettings::parseListen(const QString& value)
{
    const qsizetype colon = value.lastIndexOf(u':');
    bool ok = false;
    const int port = colon < 0 ? -1 : value.mid(colon + 1).toInt(&ok);
    QString host = colon < 0 ? QString() : value.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (!ok || port < 0 || port > 65535 || address.isNull())
        return Error{u"listen must be an IP address and a port, such as 127.0.0.1:8787, not \"%1\""_s.arg(value)};
    return std::pair{address, quint16(port)};
}

const QList<WorkspaceSettings::Key>& WorkspaceSettings::settingKeys()
{
    static const QList<Key> keys = {
        {u"site_url"_s, u"the practice's website"_s},
        {u"consent_policy"_s, u"required (forward only with a recorded grant and no GPC) or unless_opted_out"_s},
        {u"listen"_s, u"address and port the relay listens on; anything but loopback belongs behind a TLS proxy"_s},
        {u"endpoint"_s, u"the TikTok Events API address events are delivered to"_s},
        {u"test_event_code"_s, u"TikTok test event code: events show in Test Events only (empty for live traffic)"_s},
        {u"max_queue"_s, u"events kept waiting for TikTok before new ones are refused (503)"_s},
        {u"rate_limit"_s, u"requests per minute accepted from one client address (429 beyond)"_s},
        {u"request_timeout"_s, u"seconds one request to TikTok may take before it is retried"_s},
        {u"ingest_key"_s, u"the site's ingest key (X-ClearSignal-Key); set it to rotate the key"_s},
    };
    return keys;
}

QString WorkspaceSettings::newIngestKey()
{
    static const QLatin1StringView alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    QString key;
    for (int i = 0; i < 32; ++i)
        key.append(QChar(alphabet.at(QRandomGenerator::system()->bounded(int(alphabet.size())))));
    return key;
}

Expected<WorkspaceSettings> WorkspaceSettings::load(const Workspace& workspace)
{
    WorkspaceSettings settings;
    settings.workspaceId = workspace.setting(u"workspace_id"_s);
    settings.hashKeyHex = workspace.setting(u"hash_key"_s);
    for (const Key& key : settingKeys()) {
        const QString stored = workspace.setting(key.name);
        if (stored.isEmpty())
            continue;
        if (Status applied = settings.set(key.name, stored); !applied)
            return Error{u"the workspace %1 has an invalid setting: %2"_s.arg(workspace.path(), applied.errorMessage())};
    }
    if (settings.workspaceId.isEmpty() || settings.hashKeyHex.size() != 64 || settings.ingestKey.isEmpty())
        return Error{u"the workspace %1 is incomplete (no id, key or ingest key); create it again"_s.arg(workspace.path())};
    return settings;
}

Status WorkspaceSettings::save(Workspace& workspace) const
{
    return workspace.transaction([&]() -> Status {
        for (const Key& key : settingKeys()) {
            if (Status saved = workspace.setSetting(key.name, value(key.name)); !saved)
                return saved;
        }
        if (Status saved = workspace.setSetting(u"hash_key"_s, hashKeyHex); !saved)
            return saved;
        return Ok;
    });
}

Status WorkspaceSettings::set(const QString& key, const QString& value)
{
    if (key == "site_url"_L1) {
        if (Status ok = checkHttpUrl(key, value); !ok)
            return ok;
        siteUrl = value;
    } else if (key == "consent_policy"_L1) {
        const std::optional<ConsentPolicy> policy = consentPolicyFromName(value);
        if (!policy)
            return Error{u"consent_policy must be required or unless_opted_out, not \"%1\""_s.arg(value)};
        consentPolicy = *policy;
    } else if (key == "listen"_L1) {
        if (const auto parsed = parseListen(value); !parsed)
            return parsed.error();
        listen = value;
    } else if (key == "endpoint"_L1) {
        if (Status ok = checkHttpUrl(key, value); !ok)
            return ok;
        endpoint = value;
    } else if (key == "test_event_code"_L1) {
        if (value.size() > 64 || value.contains(u'"') || value.contains(u'\\'))
            return Error{u"test_event_code must be the short code from TikTok's Test Events tab"_s};
        testEventCode = value;
    } else if (key == "max_queue"_L1) {
        const Expected<int> number = positiveInteger(key, value, 100000000);
        if (!number)
            return number.error();
        maxQueuedEvents = *number;
    } else if (key == "rate_limit"_L1) {
        const Expected<int> number = positiveInteger(key, value, 10000000);
        if (!number)
            return number.error();
        rateLimitPerMinute = *number;
    } else if (key == "request_timeout"_L1) {
        const Expected<int> number = positiveInteger(key, value, 300);
        if (!number)
            return number.error();
        requestTimeoutSeconds = *number;
    } else if (key == "ingest_key"_L1) {
        static const QRegularExpression shape(u"^[A-Za-z0-9_-]{16,128}$"_s);
        if (!shape.match(value).hasMatch())
            return Error{u"ingest_key must be 16 to 128 letters, digits, - or _"_s};
        ingestKey = value;
    } else {
        QStringList names;
        for (const Key& known : settingKeys())
            names.append(known.name);
        return Error{u"unknown setting \"%1\"; settings are: %2, and the rules' pixel_id, origins and max_age_days"_s
                         .arg(key, names.join(u", "_s))};
    }
    return Ok;
}

QString WorkspaceSettings::value(const QString& key) const
{
    if (key == "site_url"_L1)
        return siteUrl;
    if (key == "consent_policy"_L1)
        return consentPolicyName(consentPolicy);
    if (key == "listen"_L1)
        return listen;
    if (key == "endpoint"_L1)
        return endpoint;
    if (key == "test_event_code"_L1)
        return testEventCode;
    if (key == "max_queue"_L1)
        return QString::number(maxQueuedEvents);
    if (key == "rate_limit"_L1)
        return QString::number(rateLimitPerMinute);
    if (key == "request_timeout"_L1)
        return QString::number(requestTimeoutSeconds);
    if (key == "ingest_key"_L1)
        return ingestKey;
    return {};
}

} // namespace ClearSignal
