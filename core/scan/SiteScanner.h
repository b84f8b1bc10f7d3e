// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanSettings.h"
#include "crawl/CanaryTracer.h"
#include "crawl/CrawlFrontier.h"
#include "crawl/ScanAssembler.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

class QWebEngineProfile;

namespace ClearSignal {

class DevToolsConnection;
class PageVisit;

/// Scans a site in the embedded browser: a deterministic breadth-first crawl (links and sitemap, sorted per
/// level, so scans diff cleanly) in a fresh profile, then the same pages again in each further consent
/// state, then canary forms. Emits progress while it works and always ends with finished(), also when
/// cancelled (with what it found so far) or when pages fail.
///
/// Lives on the GUI thread (QtWebEngine must). Delete it with deleteLater() from a slot of its own signals. DevToolsConnection::prepareEnvironment() must have run
/// before the application object was created.
class SiteScanner final : public QObject
{
    Q_OBJECT

public:
    explicit SiteScanner(ScanSettings settings, QObject* parent = nullptr);
    ~SiteScanner() override;

    void start();
    /// Stops as soon as the pages being loaded are abandoned; finished() follows.
    void cancel();

    const ScanSettings& settings() const { return m_settings; }

signals:
    /// The embedded browser is up; pages load next.
    void browserReady();
    void progress(int done, int total, const QString& url, ClearSignal::ConsentState state);
    void pageFinished(const ClearSignal::ScanPage& page);
    void finished(const ClearSignal::ScanResult& result);
    /// The scan could not run at all (the browser's DevTools endpoint, the bundled data); finished() follows.
    void failed(const QString& message);

private:
    enum class Phase { Starting, Priming, Crawl, Revisit, Forms };
    struct Job
    {
        QUrl url;
        int depth = 0;
    };

    void startState();
    void startPhase(Phase phase, QList<Job> jobs);
    void dispatch();
    void onVisitFinished(PageVisit* worker, const PageReport& report);
    void continueCrawl();
    void phaseDone();
    void stateDone();
    void finishScan(const QString& error = {});
    void keepPartialResults();
    void releaseState();
    bool acceptLink(const QUrl& url) const;
    int expectedVisits() const;
    ConsentState state() const { return m_settings.consentStates.value(m_stateIndex); }
    PageVisit::Action consentAction() const;

    ScanSettings m_settings;
    QString m_site;
    QDateTime m_startedAt;
    DevToolsConnection* m_devTools = nullptr;
    QWebEngineProfile* m_profile = nullptr;
    QList<PageVisit*> m_workers;
    QList<QPointer<QObject>> m_retired; ///< tabs and profiles of finished states, in the order they must go
    int m_readyWorkers = 0;

    int m_stateIndex = 0;
    Phase m_phase = Phase::Starting;
    QList<Job> m_jobs;                      ///< pages of the priming, revisit and forms phases
    QHash<int, PageReport> m_phaseReports;  ///< by job index, so order never depends on timing
    QHash<PageVisit*, Job> m_running;
    QHash<PageVisit*, int> m_runningIndex;  ///< job index of visits outside the crawl
    int m_nextJob = 0;
    int m_completed = 0;

    std::unique_ptr<CrawlFrontier> m_frontier; ///< the first state's crawl
    QHash<QString, PageReport> m_crawlReports; ///< by normalized URL, ordered by the frontier at the end
    QList<Job> m_crawled;                      ///< pages of the first state, in order: what later states revisit
    QList<Job> m_pagesWithForms;

    QList<PageReport> m_reports;
    QList<ObservedCookie> m_cookies;
    std::unique_ptr<CanaryTracer> m_canaries;
    QJsonObject m_bannerChoices; ///< consent state -> the banner button clicked (null: none found)
    bool m_cancelled = false;
    bool m_finished = false;
    int m_pagesDone = 0;
};

} // namespace ClearSignal
