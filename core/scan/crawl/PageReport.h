// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scan/findings/FindingEngine.h"
#include "scan/model/ScanModel.h"

#include <QList>
#include <QPair>
#include <QStringList>

namespace ClearSignal {

/// Why a page was visited.
enum class VisitKind {
    Crawl,          ///< a page of the site in one consent state
    ConsentPriming, ///< the start page, to click the banner; only its cookie writes are used
    Forms,          ///< to fill and submit the page's forms with canary values
};

/// Everything one page visit produced. Storage values stay in memory (canary search); only keys are reported.
struct PageReport
{
    ScanPage page;
    QList<CapturedRequest> requests; ///< in capture order; ids are assigned when the scan is assembled
    QStringList links;               ///< absolute hrefs as the page had them
    QString origin;
    QList<QPair<QString, QString>> localStorage;
    QList<QPair<QString, QString>> sessionStorage;
    PageObservation observation;
    QStringList cookieNames;         ///< cookies this page set (Set-Cookie headers and document.cookie writes)
    int forms = 0;
    QString consentClicked;  ///< the button text clicked, if any
    VisitKind kind = VisitKind::Crawl;
    QString formSubmittedTo; ///< the action a canary form was submitted to, if any
    QStringList notes;       ///< for people: "no consent banner found", "form posts to another site"
};

} // namespace ClearSignal
