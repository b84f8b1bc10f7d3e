// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crawl/PageVisit.h"
#include "model/ScanModel.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QUrl>

namespace ClearSignal {

/// What to scan and how (clearsignal-cli scan options; the GUI's scan page).
struct ScanSettings
{
    QUrl startUrl;
    int maxPages = 50;
    int maxDepth = 3;
    int parallelPages = 3;
    QList<ConsentState> consentStates = {ConsentState::None};
    bool forms = false;
    bool sitemap = true;
    QStringList include; ///< path globs; empty: everything on the site
    QStringList exclude; ///< path globs
    VisitTimings timings;

    QJsonObject toJson() const;
};

} // namespace ClearSignal
