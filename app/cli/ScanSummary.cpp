// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanSummary.h"

#include <QJsonArray>
#include <QMap>
#include <QSet>

namespace ClearSignal::Cli::ScanSummary {

using namespace Qt::Literals::StringLiterals;

std::optional<FailOn> parseFailOn(const QString& text)
{
    if (text == "new"_L1)
        return FailOn{std::nullopt, true};
    const std::optional<Severity> severity = severityFromName(text);
    if (!severity || *severity < Severity::Medium)
        return std::nullopt;
    return FailOn{severity, false};
}

bool fails(const ScanResult& result, const FailOn& failOn)
{
    return std::any_of(result.findings.begin(), result.findings.end(), [&](const Finding& finding) {
        if (failOn.anyNew)
            return finding.code.startsWith(u"new_"_s);
        return finding.severity >= *failOn.atLeast;
    });
}

QString text(const ScanResult& result)
{
    QString out;
    QSet<QString> states;
    for (const ScanPage& page : result.pages)
        states.insert(consentStateName(page.consentState));
    QSet<QString> pages;
    for (const ScanPage& page : result.pages)
        pages.insert(page.url);
    int toTrackers = 0;
    QStringList vendors;
    for (const CapturedRequest& request : result.requests) {
        if (request.vendor.isEmpty())
            continue;
        ++toTrackers;
        if (!vendors.contains(request.vendor))
            vendors.append(request.vendor);
    }
    out += u"Scanned %1 page(s) of %2 in %3 consent state(s): %4 requests, %5 to ad platforms%6.\n"_s
               .arg(pages.size())
               .arg(result.startUrl)
               .arg(states.size())
               .arg(result.requests.size())
               .arg(toTrackers)
               .arg(vendors.isEmpty() ? QString() : u" ("_s + vendors.join(u", "_s) + u')');
    if (result.stoppedEarly)
        out += u"The scan was stopped early: these results are incomplete.\n"_s;

    QStringList failed;
    for (const ScanPage& page : result.pages) {
        if (!page.error.isEmpty())
            failed.append(u"  %1 (%2): %3"_s.arg(page.url, consentStateName(page.consentState), page.error));
    }
    if (!failed.isEmpty())
        out += u"%1 page visit(s) could not be completed:\n"_s.arg(failed.size()) + failed.join(u'\n') + u'\n';

    QMap<Severity, int> counts;
    for (const Finding& finding : result.findings)
        ++counts[finding.severity];
    out += u"\nFindings: %1 critical, %2 high, %3 medium, %4 low, %5 info\n"_s.arg(counts.value(Severity::Critical))
               .arg(counts.value(Severity::High))
               .arg(counts.value(Severity::Medium))
               .arg(counts.value(Severity::Low))
               .arg(counts.value(Severity::Info));
    for (const Finding& finding : result.findings) {
        out += u"\n%1 %2 %3\n"_s.arg(QString(severityName(finding.severity)).toUpper().leftJustified(8),
                                     finding.code.leftJustified(24), finding.title);
        QStringList where;
        if (!finding.pageUrl.isEmpty())
            where.append(finding.pageUrl);
        // A finding seen in several consent states is one finding; say all of them, not just the first.
        QStringList states;
        for (const QJsonValue& state : finding.evidence.value("consent_states"_L1).toArray())
            states.append(state.toString());
        if (states.isEmpty() && finding.consentState)
            states.append(consentStateName(*finding.consentState));
        if (!states.isEmpty())
            where.append(u"consent: "_s + states.join(u", "_s));
        if (const QString field = finding.evidence.value("field"_L1).toString(); !field.isEmpty())
            where.append(u"field: "_s + field);
        if (!where.isEmpty())
            out += u"         "_s + where.join(u"; "_s) + u'\n';
        out += u"         What to do: "_s + finding.remediation + u'\n';
    }
    if (result.findings.isEmpty())
        out += u"No tracking problems found on the pages scanned.\n"_s;
    return out;
}

QString startPageError(const ScanResult& result)
{
    const bool anyLoaded = std::any_of(result.pages.begin(), result.pages.end(),
                                       [](const ScanPage& page) { return page.status > 0 && page.error.isEmpty(); });
    if (anyLoaded || result.pages.isEmpty() || (result.stoppedEarly && result.pages.isEmpty()))
        return result.pages.isEmpty() && !result.stoppedEarly ? u"no page of %1 could be scanned"_s.arg(result.startUrl)
                                                              : QString();
    const ScanPage& start = result.pages.first();
    return u"could not load %1: %2"_s.arg(start.url, start.error.isEmpty() ? u"HTTP %1"_s.arg(start.status) : start.error);
}

} // namespace ClearSignal::Cli::ScanSummary
