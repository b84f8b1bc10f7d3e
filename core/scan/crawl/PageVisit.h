// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PageReport.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QWebEnginePage;
class QWebEngineProfile;

namespace ClearSignal {

class DevToolsConnection;
class ScannerPage;

/// How long a page may take, and how quiet it must get before it counts as settled.
struct VisitTimings
{
    int pageTimeoutMs = 20000; ///< the whole visit, actions included
    int minDwellMs = 1000;     ///< after load, at least; short timers the page holds extend the wait
    int quietMs = 500;         ///< no request in flight for this long
    int maxSettleMs = 8000;    ///< pages that never go quiet (polling, streams)
};

/// One browser tab of the scanner: loads pages one after another in its QWebEnginePage, records every
/// request (with bodies) through the DevTools protocol, waits for the network to go quiet, optionally
/// clicks a consent choice or submits canary forms, scrolls, and reports what it saw.
/// A hung or runaway page is abandoned at the timeout and the tab is replaced.
class PageVisit final : public QObject
{
    Q_OBJECT

public:
    enum class Action { None, Accept, Reject, SubmitForms };
    struct Plan
    {
        QUrl url;
        int depth = 0;
        ConsentState consentState = ConsentState::None;
        Action action = Action::None;
        QByteArray canariesJson; ///< for SubmitForms
        QString siteDomain;      ///< forms are only submitted within it
    };

    PageVisit(QWebEngineProfile* profile, DevToolsConnection* devTools, const VisitTimings& timings, bool sendGpc,
              QObject* parent = nullptr);
    ~PageVisit() override;

    /// Creates the tab and attaches DevTools to it; emits ready() or failed().
    void start();
    void visit(const Plan& plan);
    /// Ends the current visit now (cancel); finished() follows with what was captured so far.
    void abort();
    bool isBusy() const { return m_stage != Stage::Idle; }
    /// The profile refused a download; when it was this tab's page address, the visit ends saying so.
    void downloadRequested(const QWebEnginePage* page, const QUrl& url);

signals:
    void ready();
    void failed(const QString& message);
    void finished(const ClearSignal::PageReport& report);

private:
    enum class Stage { Idle, Starting, Loading, Settling, Acting, Collecting, Unloading };

    void createPage();
    void onDevToolsEvent(const QString& sessionId, const QString& method, const QJsonObject& params);
    void onRequest(const QJsonObject& params);
    void onLoadFinished(bool ok);
    void startSettling();
    void onNetworkEnabled(const QString& error);
    void addCookieName(const QString& name);
    void settle(int maxMs, std::function<void()> next);
    void checkSettled();
    void settled();
    void afterLoad();
    void collect();
    void unload();
    void finish(const QString& error = {});
    void runScript(const QString& source, std::function<void(const QString& json)> done);
    static QString resource(const QString& name);

    QWebEngineProfile* m_profile;
    QPointer<DevToolsConnection> m_devTools;
    VisitTimings m_timings;
    bool m_sendGpc;
    ScannerPage* m_page = nullptr;
    QString m_sessionId;
    QString m_marker;
    bool m_needsFreshPage = false;

    Stage m_stage = Stage::Idle;
    Plan m_plan;
    PageReport m_report;
    int m_generation = 0;
    int m_loadsStarted = 0;
    QString m_mainFrameId;
    QHash<QString, int> m_requestIndex; ///< DevTools requestId -> index in m_report.requests
    QHash<QString, QString> m_frameUrls;
    QHash<QString, int> m_scriptRequests; ///< third-party scripts whose body is hashed when loaded
    QSet<QString> m_inFlight;
    int m_pendingFetches = 0;

    QTimer m_deadline;
    QTimer m_settleTimer;
    QElapsedTimer m_settleClock;
    QElapsedTimer m_lastActivity;
    QElapsedTimer m_visitClock; ///< since the visit's load started, for the debug log
    int m_settleMax = 0;
    bool m_timerQueryPending = false;
    bool m_timersWerePending = false;
    int m_requiredQuietMs = 0;
    std::function<void()> m_afterSettle;
};

} // namespace ClearSignal
