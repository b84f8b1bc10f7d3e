// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CanaryTracer.h"
#include "PageReport.h"
#include "scan/findings/FindingEngine.h"
#include "scan/model/ScanModel.h"
#include "scan/trackers/TrackerSignatures.h"

#include <QNetworkCookie>

#include <optional>

namespace ClearSignal {

/// A cookie the browser stored during one consent state's crawl.
struct ObservedCookie
{
    QNetworkCookie cookie;
    ConsentState consentState = ConsentState::None;
};

/// Turns page reports into a clearsignal.scan/1 result: numbers requests deterministically, marks third-party
/// requests and vendors, decodes tracker events, lists tracker cookies and storage, finds canary values, and
/// derives the findings. No browser involved: tests feed it reports directly.
class ScanAssembler final
{
public:
    ScanAssembler(const TrackerSignatures& signatures, std::shared_ptr<const PhiScanner> scanner);

    /// reports in deterministic order (consent state, then crawl order). canaries: set when forms were filled.
    ScanResult assemble(const QString& startUrl, const QList<PageReport>& reports,
                        const QList<ObservedCookie>& cookies, const CanaryTracer* canaries) const;

private:
    void addCanaryFindings(ScanResult& result, const QList<PageReport>& reports, const QList<ObservedCookie>& cookies,
                           const CanaryTracer& canaries) const;

    const TrackerSignatures& m_signatures;
    std::shared_ptr<const PhiScanner> m_scanner;
};

} // namespace ClearSignal
