// SPDX-License-Identifier: GPL-3.0-or-later
#include "PageVisit.h"

#include "ScannerPage.h"
#include "scan/capture/DevToolsConnection.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUuid>
#include <QWebEngineLoadingInfo>
#include <QWebEngineProfile>

Q_LOGGING_CATEGORY(lcVisit, "clearsignal.scan.visit", QtWarningMsg)

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int scriptTimeoutMs = 3000;
constexpr int unloadSettleMs = 250;
constexpr int afterTimersQuietMs = 300;
constexpr int loadFailureGraceMs = 100;
constexpr int maxPostDataBytes = 256 * 1024;

QString headerValue(const QJsonObject& headers, QLatin1StringView name)
{
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        if (it.key().compare(name, Qt::CaseInsensitive) == 0)
            return it.value().toString();
    }
    return {};
}

QString initiatorOf(const QJsonObject& initiator)
{
    if (const QString url = initiator.value("url"_L1).toString(); !url.isEmpty())
        return url;
    const QJsonArray frames = initiator.value("stack"_L1).toObject().value("callFrames"_L1).toArray();
    for (const QJsonValue& frame : frames) {
        if (const QString url = frame.toObject().value("url"_L1).toString(); !url.isEmpty())
            return url;
    }
    return initiator.value("type"_L1).toString();
}

/// What went wrong, in words a practice manager can act on, with the browser's own code for support.
QString loadErrorText(const QWebEngineLoadingInfo& info)
{
    const QString code = info.errorString();
    QString text;
    switch (info.errorDomain()) {
    case QWebEngineLoadingInfo::DnsErrorDomain:
        text = u"the site's name could not be found; check the spelling and your internet connection"_s;
        break;
    case QWebEngineLoadingInfo::CertificateErrorDomain:
        text = u"the site's security certificate is not valid"_s;
        break;
    default:
        if (code.contains(u"NAME_NOT_RESOLVED"_s))
            text = u"the site's name could not be found; check the spelling and your internet connection"_s;
        else if (code.contains(u"CONNECTION_REFUSED"_s))
            text = u"the server refused the connection; is the site up at this address?"_s;
        else if (code.contains(u"TIMED_OUT"_s))
            text = u"the server did not answer in time"_s;
        else if (code.contains(u"TOO_MANY_REDIRECTS"_s))
            text = u"the page redirects in a loop"_s;
        else if (code.contains(u"SSL"_s) || code.contains(u"CERT"_s))
            text = u"a secure (TLS) connection to the site could not be made"_s;
        else if (code.contains(u"ABORTED"_s))
            text = u"the address is a download or was cancelled, not a page"_s;
        else
            text = u"the page could not be loaded; check the address and that the site is up"_s;
    }
    return code.isEmpty() ? text : u"%1 (%2)"_s.arg(text, code);
}

} // namespace

PageVisit::PageVisit(QWebEngineProfile* profile, DevToolsConnection* devTools, const VisitTimings& timings,
                     bool sendGpc, QObject* parent)
    : QObject(parent), m_profile(profile), m_devTools(devTools), m_timings(timings), m_sendGpc(sendGpc)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        m_needsFreshPage = true; // a page that overran may still be running scripts
        finish(u"the page did not finish within %1 s"_s.arg(m_timings.pageTimeoutMs / 1000));
    });
    m_settleTimer.setInterval(50);
    connect(&m_settleTimer, &QTimer::timeout, this, &PageVisit::checkSettled);
    connect(devTools, &DevToolsConnection::event, this, &PageVisit::onDevToolsEvent);
}

PageVisit::~PageVisit()
{
    if (m_devTools && !m_sessionId.isEmpty())
        m_devTools->detach(m_sessionId);
}

QString PageVisit::resource(const QString& name)
{
    QFile file(u":/clearsignal/scan/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

void PageVisit::start()
{
    m_stage = Stage::Starting;
    createPage();
}

void PageVisit::createPage()
{
    if (m_page) {
        if (m_devTools && !m_sessionId.isEmpty())
            m_devTools->detach(m_sessionId);
        m_page->deleteLater();
    }
    m_sessionId.clear();
    m_needsFreshPage = false;
    m_marker = u"cs-tab-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_page = new ScannerPage(m_profile, this);
    connect(m_page, &QWebEnginePage::loadingChanged, this, [this](const QWebEngineLoadingInfo& info) {
        qCDebug(lcVisit) << "loading" << info.status() << info.url() << info.errorDomain() << info.errorCode()
                         << info.errorString();
        // Only the document of the visit: later failures (a form's thank-you page) are not the page's error;
        // an HTTP status (404) is not a failure either, the error page is scanned and its status recorded.
        if (info.status() == QWebEngineLoadingInfo::LoadFailedStatus && m_stage == Stage::Loading
            && m_report.page.error.isEmpty() && info.errorDomain() != QWebEngineLoadingInfo::HttpStatusCodeDomain)
            m_report.page.error = loadErrorText(info);
    });
    connect(m_page, &QWebEnginePage::loadStarted, this, [this] { ++m_loadsStarted; });
    connect(m_page, &QWebEnginePage::loadFinished, this, &PageVisit::onLoadFinished);
    connect(m_page, &QWebEnginePage::renderProcessTerminated, this, [this] {
        m_needsFreshPage = true;
        if (m_stage != Stage::Idle && m_stage != Stage::Starting)
            finish(u"the page crashed its renderer"_s);
    });
    m_page->load(QUrl(u"about:blank#"_s + m_marker));
}

void PageVisit::onLoadFinished(bool ok)
{
    if (m_stage == Stage::Starting) {
        m_devTools->attachToPage(m_marker, [this](const QString& sessionId, const QString& error) {
            if (sessionId.isEmpty()) {
                m_stage = Stage::Idle;
                emit failed(u"could not attach to a browser tab: %1"_s.arg(error));
                return;
            }
            m_sessionId = sessionId;
            if (m_sendGpc)
                m_devTools->send(m_sessionId, u"Network.setExtraHTTPHeaders"_s,
                                 {{u"headers"_s, QJsonObject{{u"Sec-GPC"_s, u"1"_s}}}});
            // Loading may only start once the browser confirmed it records this tab's requests.
            m_devTools->send(m_sessionId, u"Network.enable"_s, {{u"maxPostDataSize"_s, maxPostDataBytes}},
                             [this](const QJsonObject&, const QString& error) { onNetworkEnabled(error); });
        });
        return;
    }
    if (m_stage == Stage::Unloading) {
        settle(unloadSettleMs, [this] { finish(); });
        return;
    }
    if (m_stage != Stage::Loading)
        return;
    if (!ok) {
        // The reason (loadingChanged(), a refused download) may arrive just after loadFinished(), and a page
        // that redirects itself from script starts a new load: give both a moment before calling it failed.
        const int generation = m_generation;
        const int loads = m_loadsStarted;
        QTimer::singleShot(loadFailureGraceMs, this, [this, generation, loads] {
            if (generation != m_generation || m_stage != Stage::Loading || m_loadsStarted != loads)
                return;
            // The server answered (an error page, or the page's own script navigated somewhere refused):
            // what it showed can still carry trackers, so it is scanned like any page.
            if (m_report.page.error.isEmpty() && m_report.page.status != 0) {
                startSettling();
                return;
            }
            if (m_report.page.error.isEmpty())
                m_report.page.error = u"the page could not be loaded; check the address and that the site is up"_s;
            finish();
        });
        return;
    }
    startSettling();
}

void PageVisit::startSettling()
{
    qCDebug(lcVisit) << "loaded" << m_visitClock.elapsed() << "ms" << m_plan.url;
    m_stage = Stage::Settling;
    // Scroll at once (lazy content and scroll-depth events fire), then wait for late scripts and quiet.
    runScript(u"window.scrollTo(0, document.body ? document.body.scrollHeight : 0); 'ok'"_s, [this](const QString&) {
        settle(m_timings.maxSettleMs, [this] { afterLoad(); });
    });
}

void PageVisit::onNetworkEnabled(const QString& error)
{
    if (!error.isEmpty()) {
        m_stage = Stage::Idle;
        emit failed(u"could not record the requests of a browser tab: %1"_s.arg(error));
        return;
    }
    const bool pending = m_plan.url.isValid() && m_stage == Stage::Starting && !m_report.page.url.isEmpty();
    m_stage = Stage::Idle;
    if (pending) {
        const Plan plan = m_plan;
        visit(plan);
        return;
    }
    emit ready();
}

void PageVisit::visit(const Plan& plan)
{
    m_plan = plan;
    m_report = PageReport();
    m_report.page.url = plan.url.toString();
    m_report.page.depth = plan.depth;
    m_report.page.consentState = plan.consentState;
    m_report.observation.pageUrl = m_report.page.url;
    m_report.observation.consentState = plan.consentState;
    m_requestIndex.clear();
    m_frameUrls.clear();
    m_scriptRequests.clear();
    m_inFlight.clear();
    m_pendingFetches = 0;
    m_mainFrameId.clear();
    ++m_generation;
    if (m_needsFreshPage || !m_page) {
        m_stage = Stage::Starting; // onLoadFinished of the new tab resumes this visit
        createPage();
        return;
    }
    m_stage = Stage::Loading;
    m_visitClock.start();
    m_lastActivity.start();
    m_deadline.start(m_timings.pageTimeoutMs);
    m_page->load(plan.url);
}

void PageVisit::downloadRequested(const QWebEnginePage* page, const QUrl& url)
{
    if (page != m_page || m_stage != Stage::Loading || url != m_plan.url)
        return;
    m_report.page.error = u"the address is a file download, not a page"_s;
    finish();
}

void PageVisit::abort()
{
    if (m_stage == Stage::Idle || m_stage == Stage::Starting)
        return;
    m_needsFreshPage = true;
    finish(u"the scan was stopped"_s);
}

void PageVisit::onDevToolsEvent(const QString& sessionId, const QString& method, const QJsonObject& params)
{
    if (sessionId != m_sessionId || m_sessionId.isEmpty() || m_stage == Stage::Idle || m_stage == Stage::Starting)
        return;
    const QString requestId = params.value("requestId"_L1).toString();
    if (method == "Network.requestWillBeSent"_L1) {
        onRequest(params);
    } else if (method == "Network.responseReceived"_L1) {
        const QJsonObject response = params.value("response"_L1).toObject();
        if (params.value("type"_L1).toString() == "Document"_L1 && params.value("frameId"_L1).toString() == m_mainFrameId)
            m_report.page.status = response.value("status"_L1).toInt();
    } else if (method == "Network.responseReceivedExtraInfo"_L1) {
        // Set-Cookie headers, one cookie per line; only the names are kept.
        const QString setCookie = headerValue(params.value("headers"_L1).toObject(), "Set-Cookie"_L1);
        for (const QString& line : setCookie.split(u'\n', Qt::SkipEmptyParts))
            addCookieName(line.section(u';', 0, 0).section(u'=', 0, 0).trimmed());
    } else if (method == "Network.loadingFinished"_L1 || method == "Network.loadingFailed"_L1) {
        if (!m_inFlight.remove(requestId))
            return;
        m_lastActivity.restart();
        if (method == "Network.loadingFailed"_L1 && requestId == m_mainFrameId && m_report.page.status == 0
            && !params.value("canceled"_L1).toBool())
            m_report.page.error = params.value("errorText"_L1).toString();
        if (method == "Network.loadingFinished"_L1 && m_scriptRequests.contains(requestId)) {
            const int index = m_scriptRequests.take(requestId);
            const int generation = m_generation;
            ++m_pendingFetches;
            m_devTools->send(m_sessionId, u"Network.getResponseBody"_s, {{u"requestId"_s, requestId}},
                             [this, index, generation](const QJsonObject& result, const QString&) {
                                 if (generation != m_generation)
                                     return;
                                 --m_pendingFetches;
                                 const QString body = result.value("body"_L1).toString();
                                 const QByteArray bytes = result.value("base64Encoded"_L1).toBool()
                                                              ? QByteArray::fromBase64(body.toLatin1())
                                                              : body.toUtf8();
                                 if (!body.isEmpty() && index < m_report.requests.size())
                                     m_report.requests[index].contentSha256 = QString::fromLatin1(
                                         QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
                             });
        }
    }
}

void PageVisit::onRequest(const QJsonObject& params)
{
    const QJsonObject request = params.value("request"_L1).toObject();
    const QString url = request.value("url"_L1).toString();
    if (url.startsWith(u"data:"_s) || url.startsWith(u"blob:"_s) || url.startsWith(u"about:"_s))
        return;
    const QString requestId = params.value("requestId"_L1).toString();
    const QString type = params.value("type"_L1).toString();
    // The browser's own favicon fetch comes whenever it likes; it is not something the page does.
    if (type == "Other"_L1 && QUrl(url).path() == "/favicon.ico"_L1)
        return;
    const QString frameId = params.value("frameId"_L1).toString();
    const bool redirect = params.contains("redirectResponse"_L1);

    if (type == "Document"_L1) {
        if (m_mainFrameId.isEmpty())
            m_mainFrameId = frameId; // the first document of the visit is the page itself
        else if (frameId != m_mainFrameId && !m_report.page.frames.contains(url))
            m_report.page.frames.append(url);
        m_frameUrls.insert(frameId, url);
    }

    CapturedRequest captured;
    captured.pageUrl = m_report.page.url;
    captured.consentState = m_plan.consentState;
    captured.frameUrl = type == "Document"_L1 ? url : m_frameUrls.value(frameId, m_report.page.url);
    captured.url = url;
    captured.method = request.value("method"_L1).toString();
    captured.resourceType = type.toLower();
    captured.initiator = initiatorOf(params.value("initiator"_L1).toObject());
    captured.body = request.value("postData"_L1).toString().toUtf8();
    const QJsonObject headers = request.value("headers"_L1).toObject();
    captured.contentType = headerValue(headers, "Content-Type"_L1);
    captured.accessTokenHeader = !headerValue(headers, "Access-Token"_L1).isEmpty();
    m_report.requests.append(captured);
    const int index = int(m_report.requests.size() - 1);
    m_requestIndex.insert(requestId, index);

    const QString pageHost = m_plan.url.host();
    if (type == "Script"_L1 && QUrl(url).host() != pageHost)
        m_scriptRequests.insert(requestId, index);
    if (!redirect)
        m_inFlight.insert(requestId);
    m_lastActivity.restart();

    if (captured.body.isEmpty() && request.value("hasPostData"_L1).toBool()) {
        // Bodies above the inline limit are fetched separately.
        const int generation = m_generation;
        ++m_pendingFetches;
        m_devTools->send(m_sessionId, u"Network.getRequestPostData"_s, {{u"requestId"_s, requestId}},
                         [this, index, generation](const QJsonObject& result, const QString&) {
                             if (generation != m_generation)
                                 return;
                             --m_pendingFetches;
                             if (index < m_report.requests.size())
                                 m_report.requests[index].body = result.value("postData"_L1).toString().toUtf8();
                         });
    }
}

void PageVisit::addCookieName(const QString& name)
{
    if (!name.isEmpty() && !m_report.cookieNames.contains(name))
        m_report.cookieNames.append(name);
}

void PageVisit::settle(int maxMs, std::function<void()> next)
{
    m_timersWerePending = false;
    m_requiredQuietMs = m_timings.quietMs;
    m_afterSettle = std::move(next);
    m_settleMax = maxMs;
    m_settleClock.start();
    m_settleTimer.start();
}

void PageVisit::checkSettled()
{
    if (m_settleClock.elapsed() >= m_settleMax) {
        settled(); // pages that never go quiet (polling, streams, a hung script) still end
        return;
    }
    const bool quiet = m_inFlight.isEmpty() && m_pendingFetches == 0 && m_lastActivity.elapsed() >= m_requiredQuietMs;
    const bool dwelt = m_settleClock.elapsed() >= std::min(m_timings.minDwellMs, m_settleMax);
    if (m_timerQueryPending || !quiet || !dwelt)
        return;
    // The network is quiet; the page may still hold a short timer that injects the next pixel.
    m_timerQueryPending = true;
    const int generation = m_generation;
    m_page->runJavaScript(u"window.__clearsignalWatch ? window.__clearsignalWatch.pendingTimers.size : 0"_s,
                          [this, generation](const QVariant& pending) {
                              if (generation != m_generation)
                                  return;
                              m_timerQueryPending = false;
                              qCDebug(lcVisit) << "quiet at" << m_visitClock.elapsed() << "ms, timers pending"
                                               << pending.toInt() << m_plan.url;
                              // A pending timer counts as activity: when it fires, the requests it starts
                              // get a full quiet period to show up.
                              if (pending.toInt() > 0) {
                                  m_lastActivity.restart();
                                  m_requiredQuietMs = m_timings.quietMs;
                                  m_timersWerePending = true;
                              } else if (std::exchange(m_timersWerePending, false)) {
                                  // The last one just fired: a short look at what it started.
                                  m_lastActivity.restart();
                                  m_requiredQuietMs = afterTimersQuietMs;
                              } else if (m_settleTimer.isActive()) {
                                  settled();
                              }
                          });
}

void PageVisit::settled()
{
    m_settleTimer.stop();
    m_timerQueryPending = false;
    if (auto next = std::exchange(m_afterSettle, {}))
        next();
}

void PageVisit::runScript(const QString& source, std::function<void(const QString& json)> done)
{
    const int generation = m_generation;
    auto answered = std::make_shared<bool>(false);
    // A page whose scripts never return still ends: the callback is abandoned after a while.
    QTimer::singleShot(scriptTimeoutMs, this, [this, generation, answered, done] {
        if (!*answered && generation == m_generation) {
            *answered = true;
            m_needsFreshPage = true;
            done(QString());
        }
    });
    m_page->runJavaScript(source, [this, generation, answered, done](const QVariant& value) {
        if (*answered || generation != m_generation)
            return;
        *answered = true;
        done(value.toString());
    });
}

void PageVisit::afterLoad()
{
    m_stage = Stage::Acting;
    if (m_plan.action == Action::Accept || m_plan.action == Action::Reject) {
        const QString script = resource(u"consent.js"_s).replace(
            u"CLEARSIGNAL_CHOICE"_s, m_plan.action == Action::Accept ? u"accept"_s : u"reject"_s);
        runScript(script, [this](const QString& json) {
            m_report.consentClicked = QJsonDocument::fromJson(json.toUtf8()).object().value("clicked"_L1).toString();
            if (m_report.consentClicked.isEmpty())
                m_report.notes.append(u"no consent banner button was found"_s);
            settle(m_timings.maxSettleMs, [this] { collect(); });
        });
        return;
    }
    if (m_plan.action == Action::SubmitForms) {
        const QString script = resource(u"forms.js"_s)
                                   .replace(u"CLEARSIGNAL_CANARIES"_s, QString::fromUtf8(m_plan.canariesJson))
                                   .replace(u"CLEARSIGNAL_SITE"_s, m_plan.siteDomain);
        runScript(script, [this](const QString& json) {
            const QJsonObject result = QJsonDocument::fromJson(json.toUtf8()).object();
            m_report.formSubmittedTo = result.value("submitted"_L1).toString();
            for (const QJsonValue& skipped : result.value("skipped"_L1).toArray())
                m_report.notes.append(skipped.toString());
            // The thank-you page loads in the same tab; its pixels count for this form.
            settle(m_timings.maxSettleMs + m_timings.minDwellMs, [this] { collect(); });
        });
        return;
    }
    collect();
}

void PageVisit::collect()
{
    qCDebug(lcVisit) << "settled" << m_visitClock.elapsed() << "ms" << m_plan.url;
    m_stage = Stage::Collecting;
    runScript(resource(u"collect.js"_s), [this](const QString& json) {
        const QJsonObject result = QJsonDocument::fromJson(json.toUtf8()).object();
        m_report.page.title = result.value("title"_L1).toString();
        for (const QJsonValue& link : result.value("links"_L1).toArray())
            m_report.links.append(link.toString());
        m_report.forms = result.value("forms"_L1).toInt();
        for (const QJsonValue& id : result.value("ttqLoad"_L1).toArray())
            m_report.observation.tiktokBaseCodePixelIds.append(id.toString());
        for (const QJsonValue& call : result.value("ttqQueue"_L1).toArray())
            m_report.observation.queuedTiktokCalls.append(call.toString());
        m_report.observation.accessTokenInPage = result.value("accessToken"_L1).toBool();
        for (const QJsonValue& name : result.value("cookieWrites"_L1).toArray())
            addCookieName(name.toString());
        const QJsonObject local = result.value("local"_L1).toObject();
        for (auto it = local.begin(); it != local.end(); ++it)
            m_report.localStorage.append({it.key(), it.value().toString()});
        const QJsonObject session = result.value("session"_L1).toObject();
        for (auto it = session.begin(); it != session.end(); ++it)
            m_report.sessionStorage.append({it.key(), it.value().toString()});
        m_report.origin = m_page->url().adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
        unload();
    });
}

void PageVisit::unload()
{
    // Leaving the page ends its timers and fires its pagehide beacons while this visit still records them;
    // without this, a late beacon would be counted for the next page the tab loads.
    qCDebug(lcVisit) << "collected" << m_visitClock.elapsed() << "ms" << m_plan.url;
    m_stage = Stage::Unloading;
    m_page->load(QUrl(u"about:blank"_s));
}

void PageVisit::finish(const QString& error)
{
    if (m_stage == Stage::Idle)
        return;
    m_deadline.stop();
    m_settleTimer.stop();
    m_timerQueryPending = false;
    m_afterSettle = {};
    if (!error.isEmpty() && m_report.page.error.isEmpty())
        m_report.page.error = error;
    qCDebug(lcVisit) << "finished" << m_visitClock.elapsed() << "ms" << m_plan.url << m_report.page.error;
    ++m_generation; // late DevTools answers and script results of this visit are ignored from now on
    m_stage = Stage::Idle;
    if (m_needsFreshPage && m_page)
        m_page->triggerAction(QWebEnginePage::Stop);
    const PageReport report = std::move(m_report);
    m_report = PageReport();
    emit finished(report);
}

} // namespace ClearSignal
