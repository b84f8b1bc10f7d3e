// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ClearSignal {

/// The consent situation a page was loaded in.
enum class ConsentState { None, Rejected, Accepted, Gpc };
QLatin1StringView consentStateName(ConsentState state);
std::optional<ConsentState> consentStateFromName(QStringView name);

enum class Severity { Info, Low, Medium, High, Critical };
QLatin1StringView severityName(Severity severity);
std::optional<Severity> severityFromName(QStringView name);

/// One page the crawler loaded (or tried to).
struct ScanPage
{
    QString url;
    int status = 0;       ///< HTTP status of the document, 0 when it did not load
    QString title;
    ConsentState consentState = ConsentState::None;
    int depth = 0;
    QString error;        ///< why it could not be loaded, for people
    QStringList frames;   ///< URLs of its iframes
};

/// One request a page made, as the browser sent it.
struct CapturedRequest
{
    int id = 0;
    QString pageUrl;
    ConsentState consentState = ConsentState::None;
    QString frameUrl;
    QString url;
    QString method;
    QString resourceType; ///< script, xhr, fetch, ping, image, document, ...
    QString initiator;    ///< script URL or "parser"
    bool thirdParty = false;
    QString vendor;       ///< tiktok, meta, google, ... or empty when no tracker
    QByteArray body;      ///< POST or beacon body, kept in memory only for decoding and canary search
    QString contentType;
    bool accessTokenHeader = false; ///< carried an Access-Token header (an Events API token in the browser)
    QString contentSha256;          ///< of a script's response body, when it loaded (for change alerts)
};

/// One ad-platform event decoded from a request.
struct TrackerEvent
{
    int requestId = 0;
    QString vendor;
    QString pixelId;
    QString event;
    QString endpoint;  ///< path of the request ("/api/v2/pixel")
    QString pageUrl;   ///< the page the crawler was on
    ConsentState consentState = ConsentState::None;
    QString sentUrl;   ///< page URL the event carried
    QString sentReferrer;
    QString sentTitle;
    QStringList identifiers; ///< ttclid, ttp, hashed_email, email, phone, external_id, fbp, ...
    QJsonObject properties;
    QString clickedText;
};

struct ScanCookie
{
    QString name;
    QString domain;
    QString vendor;
    ConsentState consentState = ConsentState::None;
    QString expires; ///< ISO-8601, empty for session cookies
    QString pageUrl; ///< where it was first seen
};

struct ScanStorageItem
{
    QString origin;
    QString kind; ///< local or session
    QString key;
    QString vendor;
    ConsentState consentState = ConsentState::None;
};

/// A problem with evidence and what to do about it. Codes are stable (ARCHITECTURE.md).
struct Finding
{
    QString code;
    Severity severity = Severity::Info;
    QString title;
    QString pageUrl;
    QString vendor;
    std::optional<ConsentState> consentState;
    QJsonObject evidence;
    QString remediation;
};

/// A whole scan: clearsignal.scan/1.
struct ScanResult
{
    QString startUrl;
    QString startedAt;
    QString finishedAt;
    QJsonObject settings;
    QList<ScanPage> pages;
    QList<CapturedRequest> requests;
    QList<TrackerEvent> trackerEvents;
    QList<ScanCookie> cookies;
    QList<ScanStorageItem> storage;
    QList<Finding> findings;
    bool stoppedEarly = false; ///< cancelled (Ctrl-C) before the crawl was complete
};

} // namespace ClearSignal
