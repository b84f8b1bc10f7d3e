// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrackerSignatures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

Expected<TrackerSignatures> TrackerSignatures::fromJson(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{u"the tracker signatures are not valid JSON: %1"_s.arg(error.errorString())};
    const QJsonObject root = document.object();
    if (root.value("schema"_L1).toString() != "clearsignal.trackers/1"_L1)
        return Error{u"the tracker signatures' schema must be clearsignal.trackers/1"_s};
    TrackerSignatures signatures;
    signatures.m_version = root.value("version"_L1).toString();
    for (const QJsonValue& vendorValue : root.value("vendors"_L1).toArray()) {
        const QJsonObject object = vendorValue.toObject();
        Vendor vendor;
        vendor.id = object.value("vendor"_L1).toString();
        vendor.name = object.value("name"_L1).toString();
        for (const QJsonValue& domain : object.value("domains"_L1).toArray())
            vendor.domains.append(domain.toString());
        for (const QJsonValue& endpointValue : object.value("endpoints"_L1).toArray()) {
            const QJsonObject e = endpointValue.toObject();
            Endpoint endpoint{e.value("kind"_L1).toString(),
                              QRegularExpression(e.value("host"_L1).toString(), QRegularExpression::CaseInsensitiveOption),
                              QRegularExpression(e.value("path"_L1).toString()), e.value("decoder"_L1).toString(),
                              e.value("id_param"_L1).toString()};
            if (!endpoint.host.isValid() || !endpoint.path.isValid())
                return Error{u"tracker signature of %1 has an invalid pattern"_s.arg(vendor.id)};
            vendor.endpoints.append(endpoint);
        }
        for (const QJsonValue& cookie : object.value("cookies"_L1).toArray())
            vendor.cookies.append(cookie.toString());
        for (const QJsonValue& key : object.value("storage"_L1).toArray())
            vendor.storage.append(key.toString());
        if (vendor.id.isEmpty())
            return Error{u"a tracker signature has no vendor id"_s};
        signatures.m_vendors.append(vendor);
    }
    return signatures;
}

const Expected<TrackerSignatures>& TrackerSignatures::bundled()
{
    static const Expected<TrackerSignatures> signatures = []() -> Expected<TrackerSignatures> {
        QFile file(u":/clearsignal/trackers/signatures.json"_s);
        if (!file.open(QIODevice::ReadOnly))
            return Error{u"the bundled tracker signatures are missing; reinstall ClearSignal"_s};
        return fromJson(file.readAll());
    }();
    return signatures;
}

std::optional<TrackerMatch> TrackerSignatures::classify(const QUrl& url) const
{
    const QString host = url.host().toLower();
    // Floodlight puts its parameters in the path after ';', which QUrl keeps in the path.
    const QString path = url.path(QUrl::FullyEncoded);
    for (const Vendor& vendor : m_vendors) {
        for (const Endpoint& endpoint : vendor.endpoints) {
            if (endpoint.host.match(host).hasMatch() && endpoint.path.match(path).hasMatch())
                return TrackerMatch{vendor.id, endpoint.kind, endpoint.decoder, endpoint.idParam};
        }
    }
    const QString vendor = vendorForHost(host);
    if (vendor.isEmpty())
        return std::nullopt;
    return TrackerMatch{vendor, u"other"_s, QString(), QString()};
}

QString TrackerSignatures::vendorForHost(QStringView host) const
{
    for (const Vendor& vendor : m_vendors) {
        for (const QString& domain : vendor.domains) {
            if (host.compare(domain, Qt::CaseInsensitive) == 0
                || (host.size() > domain.size() && host.endsWith(domain, Qt::CaseInsensitive)
                    && host[host.size() - domain.size() - 1] == u'.'))
                return vendor.id;
        }
    }
    return {};
}

bool TrackerSignatures::matchesName(const QStringList& patterns, QStringView name)
{
    for (const QString& pattern : patterns) {
        if (pattern.endsWith(u'*') ? name.startsWith(QStringView(pattern).chopped(1)) : name == pattern)
            return true;
    }
    return false;
}

QString TrackerSignatures::vendorForCookie(QStringView name) const
{
    for (const Vendor& vendor : m_vendors) {
        if (matchesName(vendor.cookies, name))
            return vendor.id;
    }
    return {};
}

QString TrackerSignatures::vendorForStorageKey(QStringView key) const
{
    for (const Vendor& vendor : m_vendors) {
        if (matchesName(vendor.storage, key))
            return vendor.id;
    }
    return {};
}

QString TrackerSignatures::vendorName(const QString& vendor) const
{
    for (const Vendor& candidate : m_vendors) {
        if (candidate.id == vendor)
            return candidate.name;
    }
    return vendor;
}

} // namespace ClearSignal
