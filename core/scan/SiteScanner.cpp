// SPDX-License-Identifier: GPL-3.0-or-later
#include "SiteScanner.h"

#include "capture/DevToolsConnection.h"
#include "crawl/PageVisit.h"
#include "crawl/Sitemap.h"
#include "phi/ValueDecoding.h"
#include "rules/TextMatcher.h"

#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QWebEngineCookieStore>
#include <QWebEngineDownloadRequest>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

/// Files a crawler should not open as pages: they download instead of rendering.
bool looksLikeFile(const QString& path)
{
    static const QStringList extensions = {u".pdf"_s, u".jpg"_s, u".jpeg"_s, u".png"_s, u".gif"_s, u".webp"_s,
                                           u".svg"_s, u".zip"_s, u".mp4"_s, u".mov"_s, u".mp3"_s, u".doc"_s,
                                           u".docx"_s, u".xls"_s, u".xlsx"_s, u".ppt"_s, u".pptx"_s, u".ics"_s,
                                           u".dmg"_s, u".exe"_s, u".css"_s, u".js"_s, u".xml"_s, u".json"_s};
    const QString lower = path.toLower();
    return std::any_of(extensions.begin(), extensions.end(), [&](const QString& ext) { return lower.endsWith(ext); });
}

QString resourceText(const QString& name)
{
    QFile file(u":/clearsignal/scan/"_s + name);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

/// Chrome's user agent without QtWebEngine's own token, so trackers behave as they do for visitors.
QString browserUserAgent(const QString& qtAgent)
{
    QString agent = qtAgent;
    static const QRegularExpression qtToken(uR"( QtWebEngine/[0-9.]+)"_s);
    agent.remove(qtToken);
    return agent;
}

} // namespace

QJsonObject ScanSettings::toJson() const
{
    QJsonArray states;
    for (ConsentState state : consentStates)
        states.append(consentStateName(state));
    return QJsonObject{{u"max_pages"_s, maxPages},
                       {u"max_depth"_s, maxDepth},
                       {u"parallel_pages"_s, parallelPages},
                       {u"consent_states"_s, states},
                       {u"forms"_s, forms},
                       {u"sitemap"_s, sitemap},
                       {u"include"_s, QJsonArray::fromStringList(include)},
                       {u"exclude"_s, QJsonArray::fromStringList(exclude)},
                       {u"page_timeout_ms"_s, timings.pageTimeoutMs}};
}

SiteScanner::SiteScanner(ScanSettings settings, QObject* parent) : QObject(parent), m_settings(std::move(settings))
{
    m_settings.parallelPages = std::clamp(m_settings.parallelPages, 1, 8);
    if (m_settings.consentStates.isEmpty())
        m_settings.consentStates = {ConsentState::None};
}

SiteScanner::~SiteScanner()
{
    // Pages before their profile; as children they would go in creation order, profile first.
    releaseState();
    for (const QPointer<QObject>& object : std::as_const(m_retired))
        delete object.data();
}

void SiteScanner::start()
{
    m_startedAt = QDateTime::currentDateTimeUtc();
    const QUrl& start = m_settings.startUrl;
    if (!start.isValid() || (start.scheme() != "http"_L1 && start.scheme() != "https"_L1) || start.host().isEmpty()) {
        emit failed(u"\"%1\" is not a web address; give one such as https://clinic.example"_s.arg(start.toString()));
        finishScan();
        return;
    }
    if (!TrackerSignatures::bundled() || !HealthLexicon::bundled()) {
        emit failed(u"the bundled tracker signatures or health lexicon cannot be loaded; reinstall ClearSignal"_s);
        finishScan();
        return;
    }
    m_site = ValueDecoding::registrableDomain(start.host());
    m_frontier = std::make_unique<CrawlFrontier>(start, m_settings.maxPages, m_settings.maxDepth,
                                                 [this](const QUrl& url) { return acceptLink(url); });
    if (m_settings.forms)
        m_canaries = std::make_unique<CanaryTracer>(
            QString::number(QRandomGenerator::global()->bounded(0x100000, 0xffffff), 16));

    if (m_settings.sitemap) {
        auto* sitemap = new Sitemap(this);
        connect(sitemap, &Sitemap::finished, this, [this, sitemap](const QStringList& pages) {
            sitemap->deleteLater();
            m_frontier->setSitemapPages(pages);
            if (m_phase == Phase::Crawl && !m_finished && !m_workers.isEmpty())
                continueCrawl();
        });
        sitemap->fetch(start);
    } else {
        m_frontier->setSitemapPages({});
    }

    QWebEngineProfile::defaultProfile(); // starts the browser, and with it the DevTools endpoint
    m_devTools = new DevToolsConnection(this);
    connect(m_devTools, &DevToolsConnection::ready, this, &SiteScanner::browserReady, Qt::SingleShotConnection);
    connect(m_devTools, &DevToolsConnection::ready, this, &SiteScanner::startState, Qt::SingleShotConnection);
    connect(m_devTools, &DevToolsConnection::failed, this, [this](const QString& message) {
        if (m_finished)
            return;
        emit failed(message);
        finishScan(message);
    });
    m_devTools->open();
}

void SiteScanner::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    if (m_running.isEmpty()) {
        finishScan();
        return;
    }
    for (PageVisit* worker : m_running.keys())
        worker->abort();
}

PageVisit::Action SiteScanner::consentAction() const
{
    switch (state()) {
    case ConsentState::Accepted:
        return PageVisit::Action::Accept;
    case ConsentState::Rejected:
        return PageVisit::Action::Reject;
    default:
        return PageVisit::Action::None;
    }
}

void SiteScanner::startState()
{
    if (m_cancelled) {
        finishScan();
        return;
    }
    // A fresh, off-the-record profile per consent state: nothing carries over from the previous one.
    m_profile = new QWebEngineProfile(this);
    m_profile->setHttpUserAgent(browserUserAgent(m_profile->httpUserAgent()));
    QWebEngineScript pageWatch;
    pageWatch.setName(u"clearsignal-page-watch"_s);
    pageWatch.setSourceCode(resourceText(u"page-watch.js"_s));
    pageWatch.setInjectionPoint(QWebEngineScript::DocumentCreation);
    pageWatch.setWorldId(QWebEngineScript::MainWorld);
    m_profile->scripts()->insert(pageWatch);
    const bool gpc = state() == ConsentState::Gpc;
    if (gpc) {
        QWebEngineScript script;
        script.setName(u"clearsignal-gpc"_s);
        script.setSourceCode(resourceText(u"gpc.js"_s));
        script.setInjectionPoint(QWebEngineScript::DocumentCreation);
        script.setWorldId(QWebEngineScript::MainWorld);
        script.setRunsOnSubFrames(true);
        m_profile->scripts()->insert(script);
    }
    const ConsentState currentState = state();
    connect(m_profile->cookieStore(), &QWebEngineCookieStore::cookieAdded, this,
            [this, currentState](const QNetworkCookie& cookie) { m_cookies.append({cookie, currentState}); });
    connect(m_profile, &QWebEngineProfile::downloadRequested, this, [this](QWebEngineDownloadRequest* download) {
        download->cancel(); // nothing a site offers is saved
        for (PageVisit* worker : std::as_const(m_workers))
            worker->downloadRequested(download->page(), download->url());
    });

    m_phase = Phase::Starting;
    m_readyWorkers = 0;
    for (int i = 0; i < m_settings.parallelPages; ++i) {
        auto* worker = new PageVisit(m_profile, m_devTools, m_settings.timings, gpc, this);
        connect(worker, &PageVisit::finished, this,
                [this, worker](const PageReport& report) { onVisitFinished(worker, report); });
        connect(worker, &PageVisit::failed, this, [this, worker](const QString& message) {
            m_workers.removeOne(worker);
            worker->deleteLater();
            if (m_workers.isEmpty()) {
                emit failed(message);
                finishScan(message);
            }
        });
        connect(worker, &PageVisit::ready, this, [this] {
            if (++m_readyWorkers != m_workers.size())
                return;
            if (consentAction() != PageVisit::Action::None)
                startPhase(Phase::Priming, {{m_settings.startUrl, 0}});
            else if (m_stateIndex == 0)
                startPhase(Phase::Crawl, {});
            else
                startPhase(Phase::Revisit, m_crawled);
        }, Qt::SingleShotConnection);
        m_workers.append(worker);
        worker->start();
    }
}

void SiteScanner::startPhase(Phase phase, QList<Job> jobs)
{
    m_phase = phase;
    m_jobs = std::move(jobs);
    m_phaseReports.clear();
    m_nextJob = 0;
    m_completed = 0;
    if (m_phase == Phase::Crawl) {
        continueCrawl();
        return;
    }
    if (m_jobs.isEmpty()) {
        phaseDone();
        return;
    }
    dispatch();
}

void SiteScanner::dispatch()
{
    for (PageVisit* worker : std::as_const(m_workers)) {
        if (m_cancelled)
            return;
        if (worker->isBusy() || m_running.contains(worker))
            continue;
        Job job;
        if (m_phase == Phase::Crawl) {
            const std::optional<CrawlFrontier::Page> page = m_frontier->next();
            if (!page)
                return;
            job = {page->url, page->depth};
        } else {
            if (m_nextJob >= m_jobs.size())
                return;
            m_runningIndex.insert(worker, m_nextJob);
            job = m_jobs.at(m_nextJob++);
        }
        PageVisit::Plan plan;
        plan.url = job.url;
        plan.depth = job.depth;
        plan.consentState = state();
        plan.action = m_phase == Phase::Forms ? PageVisit::Action::SubmitForms : consentAction();
        if (m_phase == Phase::Forms && m_canaries)
            plan.canariesJson = m_canaries->formValuesJson();
        plan.siteDomain = m_site;
        m_running.insert(worker, job);
        worker->visit(plan);
    }
}

void SiteScanner::onVisitFinished(PageVisit* worker, const PageReport& report)
{
    if (!m_running.contains(worker))
        return;
    const Job job = m_running.take(worker);
    const int index = m_runningIndex.take(worker);
    PageReport stored = report;
    stored.kind = m_phase == Phase::Forms      ? VisitKind::Forms
                  : m_phase == Phase::Priming ? VisitKind::ConsentPriming
                                              : VisitKind::Crawl;
    // Speculative crawl visits count too: almost always they turn out to belong to the crawl.
    const bool counted = m_phase != Phase::Priming;
    if (counted) {
        ++m_pagesDone;
        emit pageFinished(report.page);
        emit progress(m_pagesDone, expectedVisits(), report.page.url, report.page.consentState);
    }
    if (m_phase == Phase::Crawl) {
        // Kept whether or not the page is wanted yet: a speculative page joins the crawl when its level ends.
        m_crawlReports.insert(CrawlFrontier::normalized(job.url), stored);
        m_frontier->finished(job.url, report.links);
    } else {
        m_phaseReports.insert(index, stored);
        ++m_completed;
    }
    if (m_cancelled) {
        if (m_running.isEmpty())
            finishScan();
        return;
    }
    if (m_phase == Phase::Crawl) {
        continueCrawl();
        return;
    }
    if (m_completed == m_jobs.size())
        phaseDone();
    else
        dispatch();
}

void SiteScanner::continueCrawl()
{
    if (!m_frontier->isComplete()) {
        dispatch();
        return;
    }
    // Speculative visits that fell outside the crawl are abandoned; the crawl ends when none is left.
    for (auto it = m_running.begin(); it != m_running.end(); ++it) {
        if (!m_frontier->isWanted(it.value().url))
            it.key()->abort();
    }
    if (!m_running.isEmpty())
        return;
    for (const CrawlFrontier::Page& page : m_frontier->pages()) {
        m_crawled.append({page.url, page.depth});
        m_reports.append(m_crawlReports.value(CrawlFrontier::normalized(page.url)));
    }
    m_crawlReports.clear();
    m_phase = Phase::Revisit; // the first state's pages are done: continue as after a revisit
    m_jobs.clear();
    m_phaseReports.clear();
    phaseDone();
}

void SiteScanner::phaseDone()
{
    QList<PageReport> ordered;
    for (int i = 0; i < m_jobs.size(); ++i) {
        if (m_phaseReports.contains(i))
            ordered.append(m_phaseReports.value(i));
    }
    switch (m_phase) {
    case Phase::Priming:
        // Its requests mix before and after the choice: only the choice and the cookies it set are kept.
        m_reports += ordered;
        m_bannerChoices.insert(consentStateName(state()),
                               ordered.isEmpty() || ordered.first().consentClicked.isEmpty()
                                   ? QJsonValue(QJsonValue::Null)
                                   : QJsonValue(ordered.first().consentClicked));
        if (m_stateIndex == 0)
            startPhase(Phase::Crawl, {});
        else
            startPhase(Phase::Revisit, m_crawled);
        return;
    case Phase::Starting:
    case Phase::Crawl:
        return; // continueCrawl() ends the crawl
    case Phase::Revisit:
        m_reports += ordered;
        break;
    case Phase::Forms:
        m_reports += ordered;
        stateDone();
        return;
    }
    // End of a state's page visits: canary forms (in one state: accepted if scanned, else the first), then
    // the next state.
    const ConsentState formsState = m_settings.consentStates.contains(ConsentState::Accepted)
                                        ? ConsentState::Accepted
                                        : m_settings.consentStates.first();
    if (m_settings.forms && state() == formsState) {
        QList<Job> withForms;
        for (const PageReport& report : std::as_const(m_reports)) {
            if (report.forms > 0 && report.page.consentState == state() && report.kind == VisitKind::Crawl)
                withForms.append({QUrl(report.page.url), report.page.depth});
        }
        m_pagesWithForms = withForms;
        startPhase(Phase::Forms, withForms);
        return;
    }
    stateDone();
}

void SiteScanner::stateDone()
{
    releaseState();
    ++m_stateIndex;
    if (m_stateIndex < m_settings.consentStates.size() && !m_cancelled)
        startState();
    else
        finishScan();
}

void SiteScanner::releaseState()
{
    // Later, not now: this often runs inside a page's own loadFinished signal. Pages go before their
    // profile (deferred deletes run in order): QtWebEngine refuses to drop a profile that still has pages.
    for (PageVisit* worker : std::as_const(m_workers)) {
        worker->disconnect(this);
        worker->deleteLater();
        m_retired.append(worker);
    }
    m_workers.clear();
    m_running.clear();
    m_runningIndex.clear();
    if (m_profile) {
        m_profile->disconnect(this);
        m_profile->deleteLater();
        m_retired.append(m_profile);
        m_profile = nullptr;
    }
}

void SiteScanner::finishScan(const QString& error)
{
    if (m_finished)
        return;
    m_finished = true;
    releaseState();
    if (m_cancelled)
        keepPartialResults();
    ScanResult result;
    const Expected<TrackerSignatures>& signatures = TrackerSignatures::bundled();
    Expected<std::shared_ptr<const PhiScanner>> scanner = PhiScanner::create({}, u"US"_s);
    if (signatures && scanner)
        result = ScanAssembler(*signatures, *scanner).assemble(m_settings.startUrl.toString(), m_reports, m_cookies,
                                                                m_canaries.get());
    result.startUrl = m_settings.startUrl.toString();
    result.startedAt = m_startedAt.toString(Qt::ISODate);
    result.finishedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    result.settings = m_settings.toJson();
    if (!m_bannerChoices.isEmpty())
        result.settings.insert(u"consent_banner_clicked"_s, m_bannerChoices);
    if (!error.isEmpty())
        result.settings.insert(u"error"_s, error);
    result.stoppedEarly = m_cancelled || !error.isEmpty();
    emit finished(result);
}

void SiteScanner::keepPartialResults()
{
    // Pages already visited in the phase that was stopped are results too, in the order they would have had.
    if (m_phase == Phase::Crawl && m_frontier) {
        for (const CrawlFrontier::Page& page : m_frontier->pages()) {
            const QString key = CrawlFrontier::normalized(page.url);
            if (m_crawlReports.contains(key))
                m_reports.append(m_crawlReports.take(key));
        }
    } else if (m_phase == Phase::Revisit || m_phase == Phase::Forms) {
        for (int i = 0; i < m_jobs.size(); ++i) {
            if (m_phaseReports.contains(i))
                m_reports.append(m_phaseReports.take(i));
        }
    }
}

int SiteScanner::expectedVisits() const
{
    // Pages found so far (the first state's crawl is still discovering them), once per consent state.
    const int pages = m_stateIndex == 0 && m_phase == Phase::Crawl ? m_frontier->plannedPages() : int(m_crawled.size());
    return std::max(m_pagesDone, pages * int(m_settings.consentStates.size()) + int(m_pagesWithForms.size()));
}

bool SiteScanner::acceptLink(const QUrl& url) const
{
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1))
        return false;
    if (ValueDecoding::registrableDomain(url.host()) != m_site)
        return false;
    const QString path = url.path().isEmpty() ? u"/"_s : url.path();
    if (looksLikeFile(path))
        return false;
    auto matchesAny = [&](const QStringList& globs) {
        return std::any_of(globs.begin(), globs.end(), [&](const QString& glob) {
            const Expected<TextMatcher> matcher = TextMatcher::create(TextMatcher::Kind::Glob, glob);
            return matcher && matcher->matches(path);
        });
    };
    if (!m_settings.include.isEmpty() && !matchesAny(m_settings.include))
        return false;
    return !matchesAny(m_settings.exclude);
}

} // namespace ClearSignal
