// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "phi/PhiScanner.h"
#include "scan/model/ScanModel.h"
#include "scan/trackers/TrackerSignatures.h"

#include <memory>

namespace ClearSignal {

/// What the scanner saw on the pages themselves, besides the requests.
struct PageObservation
{
    QString pageUrl;
    ConsentState consentState = ConsentState::None;
    QStringList tiktokBaseCodePixelIds; ///< ttq.load('ID') in the page's HTML
    QStringList queuedTiktokCalls;      ///< method names queued in window.ttq while TikTok's script could not load
    bool accessTokenInPage = false;     ///< an Events API access token written into the page
};

/// Turns what a scan captured into findings with stable codes, evidence and remediation
/// (ARCHITECTURE.md "Finding codes"). Health context is judged on what was sent: the URL, referrer,
/// title, event name, properties and clicked text of each decoded event.
class FindingEngine final
{
public:
    FindingEngine(std::shared_ptr<const PhiScanner> scanner, const TrackerSignatures& signatures);

    /// Replaces result.findings. Canary hits (form data found in requests) are added by the caller.
    void evaluate(ScanResult& result, const QList<PageObservation>& observations) const;

private:
    void installationFindings(ScanResult& result, const QList<PageObservation>& observations) const;
    void payloadFindings(ScanResult& result) const;
    void consentFindings(ScanResult& result) const;
    void cookieFindings(ScanResult& result) const;
    void tokenFindings(ScanResult& result, const QList<PageObservation>& observations) const;

    std::shared_ptr<const PhiScanner> m_scanner;
    const TrackerSignatures& m_signatures;
};

} // namespace ClearSignal
