// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanResultJson.h"

#include "common/JsonWriter.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <climits>
#include <cmath>

namespace ClearSignal::ScanResultJson {

using namespace Qt::Literals::StringLiterals;

namespace {

void writeStrings(JsonWriter& w, QLatin1StringView key, const QStringList& list)
{
    w.key(key);
    w.beginArray();
    for (const QString& item : list)
        w.value(item);
    w.endArray();
}

void optionalString(JsonWriter& w, QLatin1StringView key, const QString& value)
{
    w.key(key);
    if (value.isEmpty())
        w.null();
    else
        w.value(value);
}

} // namespace

QByteArray serialize(const ScanResult& result)
{
    JsonWriter w;
    w.beginObject();
    w.field("schema"_L1, schema);
    w.field("start_url"_L1, result.startUrl);
    w.field("started_at"_L1, result.startedAt);
    w.field("finished_at"_L1, result.finishedAt);
    w.field("stopped_early"_L1, result.stoppedEarly);
    w.key("settings"_L1);
    w.value(QJsonValue(result.settings));

    w.key("pages"_L1);
    w.beginArray();
    for (const ScanPage& page : result.pages) {
        w.beginObject();
        w.field("url"_L1, page.url);
        w.field("status"_L1, page.status);
        w.field("title"_L1, page.title);
        w.field("consent_state"_L1, consentStateName(page.consentState));
        w.field("depth"_L1, page.depth);
        if (!page.error.isEmpty())
            w.field("error"_L1, page.error);
        writeStrings(w, "frames"_L1, page.frames);
        w.endObject();
    }
    w.endArray();

    w.key("requests"_L1);
    w.beginArray();
    for (const CapturedRequest& request : result.requests) {
        w.beginObject();
        w.field("id"_L1, request.id);
        w.field("page_url"_L1, request.pageUrl);
        w.field("consent_state"_L1, consentStateName(request.consentState));
        w.field("frame_url"_L1, request.frameUrl);
        w.field("url"_L1, request.url);
        w.field("method"_L1, request.method);
        w.field("resource_type"_L1, request.resourceType);
        w.field("initiator"_L1, request.initiator);
        w.field("third_party"_L1, request.thirdParty);
        optionalString(w, "vendor"_L1, request.vendor);
        w.field("body_bytes"_L1, qint64(request.body.size()));
        optionalString(w, "content_sha256"_L1, request.contentSha256);
        w.endObject();
    }
    w.endArray();

    w.key("tracker_events"_L1);
    w.beginArray();
    for (const TrackerEvent& event : result.trackerEvents) {
        w.beginObject();
        w.field("request_id"_L1, event.requestId);
        w.field("vendor"_L1, event.vendor);
        w.field("pixel_id"_L1, event.pixelId);
        w.field("event"_L1, event.event);
        w.field("endpoint"_L1, event.endpoint);
        w.field("page_url"_L1, event.pageUrl);
        w.field("consent_state"_L1, consentStateName(event.consentState));
        w.key("sent"_L1);
        w.beginObject();
        w.field("url"_L1, event.sentUrl);
        w.field("referrer"_L1, event.sentReferrer);
        w.field("title"_L1, event.sentTitle);
        writeStrings(w, "identifiers"_L1, event.identifiers);
        w.key("properties"_L1);
        w.value(QJsonValue(event.properties));
        w.field("clicked_text"_L1, event.clickedText);
        w.endObject();
        w.endObject();
    }
    w.endArray();

    w.key("cookies"_L1);
    w.beginArray();
    for (const ScanCookie& cookie : result.cookies) {
        w.beginObject();
        w.field("name"_L1, cookie.name);
        w.field("domain"_L1, cookie.domain);
        optionalString(w, "vendor"_L1, cookie.vendor);
        w.field("consent_state"_L1, consentStateName(cookie.consentState));
        optionalString(w, "expires"_L1, cookie.expires);
        w.endObject();
    }
    w.endArray();

    w.key("storage"_L1);
    w.beginArray();
    for (const ScanStorageItem& item : result.storage) {
        w.beginObject();
        w.field("origin"_L1, item.origin);
        w.field("kind"_L1, item.kind);
        w.field("key"_L1, item.key);
        optionalString(w, "vendor"_L1, item.vendor);
        w.field("consent_state"_L1, consentStateName(item.consentState));
        w.endObject();
    }
    w.endArray();

    w.key("findings"_L1);
    w.beginArray();
    for (const Finding& finding : result.findings) {
        w.beginObject();
        w.field("code"_L1, finding.code);
        w.field("severity"_L1, severityName(finding.severity));
        w.field("title"_L1, finding.title);
        w.field("page_url"_L1, finding.pageUrl);
        optionalString(w, "vendor"_L1, finding.vendor);
        if (finding.consentState)
            w.field("consent_state"_L1, consentStateName(*finding.consentState));
        else
            w.field("consent_state"_L1, QString());
        w.key("evidence"_L1);
        w.value(QJsonValue(finding.evidence));
        w.field("remediation"_L1, finding.remediation);
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return JsonWriter::indented(w.take());
}

namespace {

QString typeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"true or false"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    default:
        return u"nothing"_s;
    }
}

/// Reads typed values and keeps the first problem, named by its JSON path. A missing value reads as empty;
/// a value of the wrong type is an error, so a damaged baseline is not silently compared as an empty one.
class Reader final
{
public:
    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }

    QString string(const QJsonObject& o, QLatin1StringView key, const QString& path, bool nullable = false)
    {
        const QJsonValue value = o.value(key);
        if (value.isUndefined() || (nullable && value.isNull()))
            return {};
        if (!value.isString())
            fail(path, key, u"a string"_s, value);
        return value.toString();
    }
    int integer(const QJsonObject& o, QLatin1StringView key, const QString& path)
    {
        const QJsonValue value = o.value(key);
        if (value.isUndefined())
            return 0;
        const double number = value.toDouble();
        if (!value.isDouble() || number != std::floor(number) || std::abs(number) > double(INT_MAX)) {
            fail(path, key, u"a whole number"_s, value);
            return 0;
        }
        return int(number);
    }
    bool boolean(const QJsonObject& o, QLatin1StringView key, const QString& path)
    {
        const QJsonValue value = o.value(key);
        if (!value.isUndefined() && !value.isBool())
            fail(path, key, u"true or false"_s, value);
        return value.toBool();
    }
    QJsonObject object(const QJsonObject& o, QLatin1StringView key, const QString& path)
    {
        const QJsonValue value = o.value(key);
        if (!value.isUndefined() && !value.isObject())
            fail(path, key, u"an object"_s, value);
        return value.toObject();
    }
    QJsonArray array(const QJsonObject& o, QLatin1StringView key, const QString& path, bool required = false)
    {
        const QJsonValue value = o.value(key);
        if (value.isUndefined() && required)
            setError(u"%1.%2 is missing: a scan lists its %2 (an array, possibly empty)"_s.arg(path, key));
        else if (!value.isUndefined() && !value.isArray())
            fail(path, key, u"an array"_s, value);
        return value.toArray();
    }
    QStringList strings(const QJsonObject& o, QLatin1StringView key, const QString& path)
    {
        QStringList list;
        const QJsonArray items = array(o, key, path);
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (!items.at(i).isString())
                fail(path + u'.' + key, u"[%1]"_s.arg(i), u"a string"_s, items.at(i));
            list.append(items.at(i).toString());
        }
        return list;
    }
    /// Reads each element of a top-level array, which must be an object; path is "$.pages[3]".
    template<typename Read>
    void objects(const QJsonObject& root, QLatin1StringView key, bool required, Read read)
    {
        const QJsonArray items = array(root, key, u"$"_s, required);
        for (qsizetype i = 0; i < items.size() && !failed(); ++i) {
            const QString path = u"$.%1[%2]"_s.arg(key).arg(i);
            if (!items.at(i).isObject())
                setError(u"%1 must be an object, not %2"_s.arg(path, typeName(items.at(i))));
            else
                read(items.at(i).toObject(), path);
        }
    }
    std::optional<ConsentState> consent(const QJsonObject& o, const QString& path, bool optional = false)
    {
        if (!o.contains("consent_state"_L1))
            return optional ? std::nullopt : std::optional(ConsentState::None);
        const QString name = string(o, "consent_state"_L1, path, optional);
        if (optional && name.isEmpty())
            return std::nullopt;
        const std::optional<ConsentState> state = consentStateFromName(name);
        if (!state && !failed())
            setError(u"%1.consent_state must be none, rejected, accepted or gpc, not \"%2\""_s.arg(path, name));
        return state;
    }
    Severity severity(const QJsonObject& o, const QString& path)
    {
        const QString name = string(o, "severity"_L1, path);
        const std::optional<Severity> severity = severityFromName(name);
        if (!severity && !failed())
            setError(u"%1.severity must be critical, high, medium, low or info, not \"%2\""_s.arg(path, name));
        return severity.value_or(Severity::Info);
    }

private:
    void fail(const QString& path, const QString& key, const QString& expected, const QJsonValue& found)
    {
        const QString where = key.startsWith(u'[') ? QString(path + key) : QString(path + u'.' + key);
        setError(u"%1 must be %2, not %3"_s.arg(where, expected, typeName(found)));
    }
    void setError(const QString& message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }
    QString m_error;
};

} // namespace

Expected<ScanResult> parse(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{u"not valid JSON (offset %1: %2)"_s.arg(error.offset).arg(error.errorString())};
    if (!document.isObject())
        return Error{u"the file holds a JSON array, not a scan object"_s};
    const QJsonObject root = document.object();
    const QJsonValue schemaValue = root.value("schema"_L1);
    if (schemaValue.toString() != schema) {
        return Error{schemaValue.isUndefined()
                         ? u"$.schema is missing (a scan has \"schema\": \"%1\")"_s.arg(schema)
                         : u"$.schema is %1, not \"%2\""_s.arg(
                               schemaValue.isString() ? u'"' + schemaValue.toString() + u'"' : typeName(schemaValue),
                               schema)};
    }
    Reader r;
    ScanResult result;
    result.startUrl = r.string(root, "start_url"_L1, u"$"_s);
    result.startedAt = r.string(root, "started_at"_L1, u"$"_s);
    result.finishedAt = r.string(root, "finished_at"_L1, u"$"_s);
    result.stoppedEarly = r.boolean(root, "stopped_early"_L1, u"$"_s);
    result.settings = r.object(root, "settings"_L1, u"$"_s);
    r.objects(root, "pages"_L1, true, [&](const QJsonObject& o, const QString& path) {
        ScanPage page;
        page.url = r.string(o, "url"_L1, path);
        page.status = r.integer(o, "status"_L1, path);
        page.title = r.string(o, "title"_L1, path);
        page.consentState = r.consent(o, path).value_or(ConsentState::None);
        page.depth = r.integer(o, "depth"_L1, path);
        page.error = r.string(o, "error"_L1, path);
        page.frames = r.strings(o, "frames"_L1, path);
        result.pages.append(page);
    });
    r.objects(root, "requests"_L1, true, [&](const QJsonObject& o, const QString& path) {
        CapturedRequest request;
        request.id = r.integer(o, "id"_L1, path);
        request.pageUrl = r.string(o, "page_url"_L1, path);
        request.consentState = r.consent(o, path).value_or(ConsentState::None);
        request.frameUrl = r.string(o, "frame_url"_L1, path);
        request.url = r.string(o, "url"_L1, path);
        request.method = r.string(o, "method"_L1, path);
        request.resourceType = r.string(o, "resource_type"_L1, path);
        request.initiator = r.string(o, "initiator"_L1, path);
        request.thirdParty = r.boolean(o, "third_party"_L1, path);
        request.vendor = r.string(o, "vendor"_L1, path, true);
        r.integer(o, "body_bytes"_L1, path); // the body itself is never written
        request.contentSha256 = r.string(o, "content_sha256"_L1, path, true);
        result.requests.append(request);
    });
    r.objects(root, "tracker_events"_L1, true, [&](const QJsonObject& o, const QString& path) {
        TrackerEvent event;
        event.requestId = r.integer(o, "request_id"_L1, path);
        event.vendor = r.string(o, "vendor"_L1, path);
        event.pixelId = r.string(o, "pixel_id"_L1, path);
        event.event = r.string(o, "event"_L1, path);
        event.endpoint = r.string(o, "endpoint"_L1, path);
        event.pageUrl = r.string(o, "page_url"_L1, path);
        event.consentState = r.consent(o, path).value_or(ConsentState::None);
        const QJsonObject sent = r.object(o, "sent"_L1, path);
        const QString sentPath = path + u".sent"_s;
        event.sentUrl = r.string(sent, "url"_L1, sentPath);
        event.sentReferrer = r.string(sent, "referrer"_L1, sentPath);
        event.sentTitle = r.string(sent, "title"_L1, sentPath);
        event.identifiers = r.strings(sent, "identifiers"_L1, sentPath);
        event.properties = r.object(sent, "properties"_L1, sentPath);
        event.clickedText = r.string(sent, "clicked_text"_L1, sentPath);
        result.trackerEvents.append(event);
    });
    r.objects(root, "cookies"_L1, false, [&](const QJsonObject& o, const QString& path) {
        ScanCookie cookie;
        cookie.name = r.string(o, "name"_L1, path);
        cookie.domain = r.string(o, "domain"_L1, path);
        cookie.vendor = r.string(o, "vendor"_L1, path, true);
        cookie.consentState = r.consent(o, path).value_or(ConsentState::None);
        cookie.expires = r.string(o, "expires"_L1, path, true);
        result.cookies.append(cookie);
    });
    r.objects(root, "storage"_L1, false, [&](const QJsonObject& o, const QString& path) {
        ScanStorageItem item;
        item.origin = r.string(o, "origin"_L1, path);
        item.kind = r.string(o, "kind"_L1, path);
        item.key = r.string(o, "key"_L1, path);
        item.vendor = r.string(o, "vendor"_L1, path, true);
        item.consentState = r.consent(o, path).value_or(ConsentState::None);
        result.storage.append(item);
    });
    r.objects(root, "findings"_L1, true, [&](const QJsonObject& o, const QString& path) {
        Finding finding;
        finding.code = r.string(o, "code"_L1, path);
        finding.severity = r.severity(o, path);
        finding.title = r.string(o, "title"_L1, path);
        finding.pageUrl = r.string(o, "page_url"_L1, path);
        finding.vendor = r.string(o, "vendor"_L1, path, true);
        finding.consentState = r.consent(o, path, true);
        finding.evidence = r.object(o, "evidence"_L1, path);
        finding.remediation = r.string(o, "remediation"_L1, path);
        result.findings.append(finding);
    });
    if (r.failed())
        return Error{r.error()};
    return result;
}

} // namespace ClearSignal::ScanResultJson
