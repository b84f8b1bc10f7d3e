// SPDX-License-Identifier: GPL-3.0-or-later
#include "UrlReducer.h"

#include "phi/ValueDecoding.h"

#include <QUrl>

#include <array>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;
using namespace ValueDecoding;

namespace {

QString originOf(const UrlParts& parts)
{
    const QString scheme = parts.scheme.toString().toLower();
    QString host = parts.host.toString().toLower();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    const bool defaultPort = parts.port.isEmpty() || (scheme == "https"_L1 && parts.port == u"443")
                             || (scheme == "http"_L1 && parts.port == u"80");
    return scheme + u"://"_s + host + (defaultPort ? QString() : u':' + parts.port.toString());
}

/// Re-encodes through QUrl so what leaves is a well-formed URL whatever the site sent; empty when it is not one. URLs made only of
/// characters that never need encoding (the usual case) are already in that form and skip QUrl.
QString encoded(const QString& url)
{
    static const std::array<bool, 128> allowed = [] {
        std::array<bool, 128> table{};
        for (char16_t u = 0; u < 128; ++u)
            table[u] = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
                       || QStringView(u"-._~:/?#@!$&'()*+,;=").contains(QChar(u));
        return table;
    }();
    const bool plain = std::all_of(url.begin(), url.end(), [](QChar c) {
        return c.unicode() < 128 && allowed[c.unicode()];
    });
    if (plain)
        return url;
    const QUrl parsed(url, QUrl::TolerantMode);
    return parsed.isValid() ? parsed.toString(QUrl::FullyEncoded) : QString();
}

QString filteredQuery(QStringView query)
{
    QStringList kept;
    for (const auto& [key, value] : splitQuery(query)) {
        const QString name = percentDecodeRepeatedly(key, true, 4).trimmed().toLower();
        if (UrlReducer::clickIdParameters().contains(name))
            continue;
        kept.append(value.isNull() ? key.toString() : key + u'=' + value);
    }
    return kept.join(u'&');
}

} // namespace

const QStringList& UrlReducer::clickIdParameters()
{
    static const QStringList names = {
        u"ttclid"_s,  u"fbclid"_s, u"gclid"_s,     u"gbraid"_s,  u"wbraid"_s,  u"dclid"_s,    u"msclkid"_s,
        u"twclid"_s,  u"li_fat_id"_s, u"sccid"_s,  u"rdt_cid"_s, u"epik"_s,    u"igshid"_s,   u"yclid"_s,
        u"_gl"_s,     u"mc_eid"_s, u"_hsenc"_s,    u"_hsmi"_s,   u"mkt_tok"_s, u"vero_id"_s,  u"oly_enc_id"_s,
        u"oly_anon_id"_s,
    };
    return names;
}

QString UrlReducer::extractTtclid(QStringView url)
{
    const std::optional<UrlParts> parts = splitUrl(url);
    if (!parts)
        return {};
    for (const auto& [key, value] : splitQuery(parts->query)) {
        // Decode the key only when it is encoded at all; almost every key is plain.
        const bool encodedKey = key.contains(u'%') || key.contains(u'+');
        const bool isTtclid = encodedKey
                                  ? percentDecodeRepeatedly(key, true, 4).trimmed().compare(u"ttclid", Qt::CaseInsensitive) == 0
                                  : key.compare(u"ttclid", Qt::CaseInsensitive) == 0;
        if (isTtclid) {
            const QString decoded = percentDecodeRepeatedly(value, true, 4).trimmed();
            if (!decoded.isEmpty())
                return decoded;
        }
    }
    return {};
}

UrlReducer::Result UrlReducer::reduce(QStringView url, FieldPolicy policy, const QList<UrlCategory>& categories)
{
    Result result = reduceUnchecked(url, policy, categories);
    if (result.url && result.url->isEmpty())
        return {std::nullopt, u"not_sent"_s, u"not a well-formed URL after reduction, so it is not sent"_s};
    return result;
}

UrlReducer::Result UrlReducer::reduceUnchecked(QStringView url, FieldPolicy policy,
                                               const QList<UrlCategory>& categories)
{
    if (policy == FieldPolicy::Drop)
        return {std::nullopt, u"dropped"_s, u"the rules drop this field"_s};

    const std::optional<UrlParts> parts = splitUrl(url);
    const QString scheme = parts ? parts->scheme.toString().toLower() : QString();
    if (!parts || (scheme != "https"_L1 && scheme != "http"_L1))
        return {std::nullopt, u"not_sent"_s, u"not an absolute http(s) URL, so it cannot be reduced safely"_s};

    const QString origin = originOf(*parts);
    switch (policy) {
    case FieldPolicy::Origin:
        return {encoded(origin + u'/'), u"reduced_to_origin"_s, u"path, query and fragment removed"_s};
    case FieldPolicy::Path: {
        const QString path = parts->path.isEmpty() ? u"/"_s : parts->path.toString();
        return {encoded(origin + path), u"reduced_to_path"_s, u"query and fragment removed"_s};
    }
    case FieldPolicy::Category: {
        const QString path = percentDecodeRepeatedly(parts->path.isEmpty() ? u"/" : parts->path, false, 4);
        for (qsizetype i = 0; i < categories.size(); ++i) {
            if (categories.at(i).path.matches(path))
                return {encoded(origin + categories.at(i).category), u"categorized"_s,
                        u"path replaced by the category of url_categories[%1]"_s.arg(i)};
        }
        return {encoded(origin + u'/'), u"reduced_to_origin"_s, u"no url_categories entry matched the path"_s};
    }
    case FieldPolicy::Keep: {
        const QString path = parts->path.isEmpty() ? u"/"_s : parts->path.toString();
        const QString query = filteredQuery(parts->query);
        return {encoded(origin + path + (query.isEmpty() ? QString() : u'?' + query)), u"kept"_s,
                u"kept without click ids, login or fragment"_s};
    }
    default:
        break;
    }
    return {std::nullopt, u"not_sent"_s, u"this policy does not apply to URLs"_s};
}

} // namespace ClearSignal
