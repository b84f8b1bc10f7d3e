// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanResultJson.h"

#include "common/JsonWriter.h"

#include <QJsonArray>
#include <QJsonDocument>

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

Expected<ScanResult> parse(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{u"not valid JSON (offset %1: %2)"_s.arg(error.offset).arg(error.errorString())};
    const QJsonObject root = document.object();
    if (root.value("schema"_L1).toString() != schema)
        return Error{u"not a ClearSignal scan (schema must be %1)"_s.arg(schema)};
    ScanResult result;
    result.startUrl = root.value("start_url"_L1).toString();
    result.startedAt = root.value("started_at"_L1).toString();
    result.finishedAt = root.value("finished_at"_L1).toString();
    result.settings = root.value("settings"_L1).toObject();
    auto consent = [](const QJsonValue& value) {
        return consentStateFromName(value.toString()).value_or(ConsentState::None);
    };
    for (const QJsonValue& value : root.value("pages"_L1).toArray()) {
        const QJsonObject o = value.toObject();
        ScanPage page;
        page.url = o.value("url"_L1).toString();
        page.status = o.value("status"_L1).toInt();
        page.title = o.value("title"_L1).toString();
        page.consentState = consent(o.value("consent_state"_L1));
        page.depth = o.value("depth"_L1).toInt();
        page.error = o.value("error"_L1).toString();
        for (const QJsonValue& frame : o.value("frames"_L1).toArray())
            page.frames.append(frame.toString());
        result.pages.append(page);
    }
    for (const QJsonValue& value : root.value("requests"_L1).toArray()) {
        const QJsonObject o = value.toObject();
        CapturedRequest request;
        request.id = o.value("id"_L1).toInt();
        request.pageUrl = o.value("page_url"_L1).toString();
        request.consentState = consent(o.value("consent_state"_L1));
        request.frameUrl = o.value("frame_url"_L1).toString();
        request.url = o.value("url"_L1).toString();
        request.method = o.value("method"_L1).toString();
        request.resourceType = o.value("resource_type"_L1).toString();
        request.initiator = o.value("initiator"_L1).toString();
        request.thirdParty = o.value("third_party"_L1).toBool();
        request.vendor = o.value("vendor"_L1).toString();
        request.contentSha256 = o.value("content_sha256"_L1).toString();
        result.requests.append(request);
    }
    for (const QJsonValue& value : root.value("tracker_events"_L1).toArray()) {
        const QJsonObject o = value.toObject();
        const QJsonObject sent = o.value("sent"_L1).toObject();
        TrackerEvent event;
        event.requestId = o.value("request_id"_L1).toInt();
        event.vendor = o.value("vendor"_L1).toString();
        event.pixelId = o.value("pixel_id"_L1).toString();
        event.event = o.value("event"_L1).toString();
        event.endpoint = o.value("endpoint"_L1).toString();
        event.pageUrl = o.value("page_url"_L1).toString();
        event.consentState = consent(o.value("consent_state"_L1));
        event.sentUrl = sent.value("url"_L1).toString();
        event.sentReferrer = sent.value("referrer"_L1).toString();
        event.sentTitle = sent.value("title"_L1).toString();
        for (const QJsonValue& identifier : sent.value("identifiers"_L1).toArray())
            event.identifiers.append(identifier.toString());
        event.properties = sent.value("properties"_L1).toObject();
        event.clickedText = sent.value("clicked_text"_L1).toString();
        result.trackerEvents.append(event);
    }
    for (const QJsonValue& value : root.value("findings"_L1).toArray()) {
        const QJsonObject o = value.toObject();
        Finding finding;
        finding.code = o.value("code"_L1).toString();
        finding.severity = severityFromName(o.value("severity"_L1).toString()).value_or(Severity::Info);
        finding.title = o.value("title"_L1).toString();
        finding.pageUrl = o.value("page_url"_L1).toString();
        finding.vendor = o.value("vendor"_L1).toString();
        finding.consentState = consentStateFromName(o.value("consent_state"_L1).toString());
        finding.evidence = o.value("evidence"_L1).toObject();
        finding.remediation = o.value("remediation"_L1).toString();
        result.findings.append(finding);
    }
    return result;
}

} // namespace ClearSignal::ScanResultJson
