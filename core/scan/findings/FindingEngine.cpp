// SPDX-License-Identifier: GPL-3.0-or-later
#include "FindingEngine.h"

#include "scan/trackers/TrackerDecoder.h"
#include "tiktok/StandardEvents.h"

#include <QJsonArray>
#include <QSet>
#include <QUrl>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

/// How each platform names the fields of an event, so evidence quotes the vendor's own field names.
struct FieldNames
{
    QString url;
    QString referrer;
    QString title;
    QString event;
    QString propertyPrefix;
    QString clicked;
};

FieldNames fieldNames(const QString& vendor)
{
    if (vendor == "tiktok"_L1)
        return {u"context.page.url"_s, u"context.page.referrer"_s, u"context.page.title"_s, u"event"_s,
                u"properties."_s, u"auto_collected_properties.trigger_element.inner_text"_s};
    if (vendor == "meta"_L1)
        return {u"dl"_s, u"rl"_s, QString(), u"ev"_s, u"cd."_s, QString()};
    if (vendor == "google"_L1)
        return {u"dl"_s, u"dr"_s, u"dt"_s, u"en"_s, u"ep."_s, QString()};
    if (vendor == "snap"_L1)
        return {u"pl"_s, u"rf"_s, QString(), u"ev"_s, u""_s, QString()};
    if (vendor == "pinterest"_L1)
        return {u"ad.loc"_s, u"ad.ref"_s, QString(), u"event"_s, u"ed."_s, QString()};
    if (vendor == "x"_L1)
        return {u"tw_document_href"_s, u"tw_document_referrer"_s, QString(), u"events"_s, u""_s, QString()};
    if (vendor == "microsoft"_L1)
        return {u"p"_s, u"r"_s, u"tl"_s, u"ea"_s, u""_s, QString()};
    return {u"url"_s, u"ref"_s, QString(), u"event"_s, u""_s, QString()};
}

bool isPersonalIdentifier(const QString& identifier)
{
    static const QStringList personal = {u"email"_s, u"phone"_s, u"first_name"_s, u"last_name"_s, u"date_of_birth"_s,
                                         u"zip_code"_s, u"external_id"_s, u"user_id"_s, u"city"_s, u"state"_s,
                                         u"gender"_s, u"raw_"_s, u"hashed_"_s, u"user_property:"_s, u"partner_id"_s};
    return std::any_of(personal.begin(), personal.end(), [&](const QString& p) { return identifier.contains(p); });
}

/// Event names platforms send on their own or define as standard: not the site describing anything.
bool isStandardName(const QString& vendor, const QString& name)
{
    if (name.startsWith(u"auto:"_s) || name.isEmpty())
        return true;
    static const QSet<QString> common = {
        u"pageview"_s, u"page_view"_s, u"pageload"_s, u"viewcontent"_s, u"lead"_s, u"purchase"_s,
        u"completeregistration"_s, u"contact"_s, u"schedule"_s, u"search"_s, u"subscribe"_s, u"addtocart"_s,
        u"initiatecheckout"_s, u"submitform"_s, u"clickbutton"_s, u"conversion"_s, u"custom"_s, u"engagedsession"_s,
        u"user_engagement"_s, u"scroll"_s, u"session_start"_s, u"first_visit"_s, u"form_start"_s, u"form_submit"_s,
        u"click"_s, u"generate_lead"_s, u"sign_up"_s, u"signup"_s, u"addtowishlist"_s, u"findlocation"_s,
        u"pagevisit"_s, u"checkout"_s, u"page_visit"_s};
    Q_UNUSED(vendor);
    return common.contains(name.toLower()) || StandardEvents::canonical(name).has_value();
}

QString vendorLabel(const TrackerSignatures& signatures, const QString& vendor)
{
    return signatures.vendorName(vendor);
}

Finding finding(const QString& code, Severity severity, const QString& title, const QString& pageUrl,
                const QString& vendor, std::optional<ConsentState> consent, QJsonObject evidence,
                const QString& remediation)
{
    return Finding{code, severity, title, pageUrl, vendor, consent, std::move(evidence), remediation};
}

QJsonArray firstPages(const QStringList& pages)
{
    QJsonArray array;
    for (qsizetype i = 0; i < pages.size() && i < 10; ++i)
        array.append(pages.at(i));
    return array;
}

} // namespace

FindingEngine::FindingEngine(std::shared_ptr<const PhiScanner> scanner, const TrackerSignatures& signatures)
    : m_scanner(std::move(scanner)), m_signatures(signatures)
{
}

void FindingEngine::evaluate(ScanResult& result, const QList<PageObservation>& observations) const
{
    result.findings.clear();
    tokenFindings(result, observations);
    installationFindings(result, observations);
    payloadFindings(result);
    consentFindings(result);
    cookieFindings(result);
    std::stable_sort(result.findings.begin(), result.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
}

void FindingEngine::installationFindings(ScanResult& result, const QList<PageObservation>& observations) const
{
    struct Installation
    {
        QStringList pixelIds;
        QStringList pages;
        int requestId = 0;
    };
    QMap<QString, Installation> byVendor;
    auto note = [&](const QString& vendor, const QString& pixelId, const QString& page, int requestId) {
        Installation& installation = byVendor[vendor];
        if (!pixelId.isEmpty() && !installation.pixelIds.contains(pixelId))
            installation.pixelIds.append(pixelId);
        if (!page.isEmpty() && !installation.pages.contains(page))
            installation.pages.append(page);
        if (installation.requestId == 0)
            installation.requestId = requestId;
    };
    for (const CapturedRequest& request : result.requests) {
        if (request.vendor.isEmpty())
            continue;
        const QUrl url(request.url);
        const std::optional<TrackerMatch> match = m_signatures.classify(url);
        if (match && (match->kind == "script"_L1 || match->kind == "pixel"_L1))
            note(request.vendor, TrackerDecoder::scriptAccountId(url, *match), request.pageUrl, request.id);
    }
    for (const TrackerEvent& event : result.trackerEvents)
        note(event.vendor, event.pixelId, event.pageUrl, event.requestId);
    for (const PageObservation& observation : observations) {
        for (const QString& pixelId : observation.tiktokBaseCodePixelIds)
            note(u"tiktok"_s, pixelId, observation.pageUrl, 0);
        if (!observation.queuedTiktokCalls.isEmpty())
            note(u"tiktok"_s, QString(), observation.pageUrl, 0);
    }

    for (auto it = byVendor.begin(); it != byVendor.end(); ++it) {
        Installation& installation = it.value();
        installation.pixelIds.sort(); // one page's pixels fire in any order
        QJsonObject evidence{{u"pixel_ids"_s, QJsonArray::fromStringList(installation.pixelIds)},
                             {u"pages"_s, firstPages(installation.pages)},
                             {u"page_count"_s, installation.pages.size()}};
        if (installation.requestId > 0)
            evidence.insert(u"request_id"_s, installation.requestId);
        const QString firstPage = installation.pages.value(0);
        if (it.key() == "tiktok"_L1) {
            result.findings.append(finding(
                u"tiktok_pixel_installed"_s, Severity::High,
                installation.pixelIds.isEmpty()
                    ? u"The TikTok pixel is installed"_s
                    : u"The TikTok pixel %1 is installed"_s.arg(installation.pixelIds.join(u", "_s)),
                firstPage, it.key(), std::nullopt, evidence,
                u"Remove the TikTok pixel from every page (the base code in the page and any tag in your tag "
                u"manager), then send only approved conversions through the ClearSignal relay."_s));
        } else {
            const QString name = vendorLabel(m_signatures, it.key());
            result.findings.append(finding(
                u"tracker_installed"_s, Severity::Medium, u"%1 is installed"_s.arg(name), firstPage, it.key(),
                std::nullopt, evidence,
                u"Check whether %1 needs to run on pages about health services. Remove it from those pages, or "
                u"use a vendor that signs a business associate agreement."_s.arg(name)));
        }
    }
}

namespace {

/// One payload problem, gathered over every field and consent state it showed up in, so that a term sent
/// in the page address, the title and a property of the same page is one finding, not six.
struct PayloadProblem
{
    QString code;
    Severity severity = Severity::Info;
    QString vendor;
    QString pageUrl;
    QString term;
    QString category;
    QStringList identifiers;
    QStringList fields;
    QStringList what; ///< for people: "the page address", "the page title"
    QList<ConsentState> states;
    int requestId = 0;
    QString pixelId;
    QString event;
};

void addUnique(QStringList& list, const QString& value)
{
    if (!value.isEmpty() && !list.contains(value))
        list.append(value);
}

QString joined(const QStringList& items)
{
    if (items.size() <= 1)
        return items.value(0);
    return QStringList(items.mid(0, items.size() - 1)).join(u", "_s) + u" and "_s + items.last();
}

/// Hits inside a longer hit of the same field ("filler" in "dermal filler") say nothing new.
PhiHits withoutNestedTerms(const PhiHits& hits)
{
    PhiHits kept;
    for (const PhiHit& hit : hits) {
        const bool nested = std::any_of(hits.begin(), hits.end(), [&](const PhiHit& other) {
            return other.kind == hit.kind && other.term.size() > hit.term.size() && other.term.contains(hit.term);
        });
        if (!nested)
            kept.append(hit);
    }
    return kept;
}

/// Fields in a fixed order (address, referrer, title, clicked text, then properties by name), with the matching
/// descriptions for people, so findings read the same whatever order the requests came in.
void sortByFieldOrder(QStringList& fields, QStringList& what, const FieldNames& names)
{
    const QStringList leading = {names.url, names.referrer, names.title, names.clicked, names.event};
    const auto rank = [&](const QString& field) {
        const qsizetype index = leading.indexOf(field);
        return index >= 0 ? std::pair<qsizetype, QString>(index, QString()) : std::pair(leading.size(), field);
    };
    std::sort(fields.begin(), fields.end(), [&](const QString& a, const QString& b) { return rank(a) < rank(b); });
    static const QStringList order = {u"the page address"_s, u"the previous page's address"_s, u"the page title"_s,
                                      u"the text of the clicked button"_s, u"an event property"_s};
    std::sort(what.begin(), what.end(),
              [&](const QString& a, const QString& b) { return order.indexOf(a) < order.indexOf(b); });
}

} // namespace

void FindingEngine::payloadFindings(ScanResult& result) const
{
    QList<PayloadProblem> problems;
    QHash<QString, qsizetype> byKey;
    auto note = [&](const QString& key, const TrackerEvent& event, auto fill) -> PayloadProblem& {
        auto it = byKey.constFind(key);
        if (it == byKey.constEnd()) {
            PayloadProblem problem;
            problem.vendor = event.vendor;
            problem.pageUrl = event.pageUrl;
            problem.requestId = event.requestId;
            problem.pixelId = event.pixelId;
            problem.event = event.event;
            fill(problem);
            byKey.insert(key, problems.size());
            problems.append(problem);
            it = byKey.constFind(key);
        }
        PayloadProblem& problem = problems[it.value()];
        if (!problem.states.contains(event.consentState))
            problem.states.append(event.consentState);
        // Requests of one page arrive in any order: the evidence quotes the same event every time.
        if (event.consentState == problem.states.first() && event.event < problem.event) {
            problem.requestId = event.requestId;
            problem.pixelId = event.pixelId;
            problem.event = event.event;
        }
        return problem;
    };

    for (const TrackerEvent& event : std::as_const(result.trackerEvents)) {
        const FieldNames names = fieldNames(event.vendor);
        struct Sent
        {
            QString field;
            QString value;
            QString what;
        };
        QList<Sent> sent = {{names.url, event.sentUrl, u"the page address"_s},
                            {names.referrer, event.sentReferrer, u"the previous page's address"_s},
                            {names.title, event.sentTitle, u"the page title"_s},
                            {names.clicked, event.clickedText, u"the text of the clicked button"_s}};
        for (auto it = event.properties.begin(); it != event.properties.end(); ++it) {
            if (it.value().isString())
                sent.append({names.propertyPrefix + it.key(), it.value().toString(), u"an event property"_s});
        }

        PhiScanner::FieldScan scan;
        for (const Sent& item : std::as_const(sent)) {
            if (item.value.isEmpty() || item.field.isEmpty())
                continue;
            scan.field = item.field;
            for (const PhiHit& hit : withoutNestedTerms(m_scanner->scan(item.value, scan))) {
                const bool health = hit.kind == PhiKind::HealthTerm;
                if (!health && (hit.kind != PhiKind::Identifier || hit.term == "ip_address"_L1))
                    continue;
                const QString code = health ? u"health_context_sent"_s : u"identifier_sent"_s;
                PayloadProblem& problem =
                    note(code + u'|' + event.pageUrl + u'|' + event.vendor + u'|' + hit.term, event,
                         [&](PayloadProblem& p) {
                             p.code = code;
                             p.severity = health ? Severity::Critical : Severity::High;
                             p.term = hit.term;
                             p.category = hit.category;
                         });
                addUnique(problem.fields, item.field);
                addUnique(problem.what, item.what);
            }
        }

        if (!isStandardName(event.vendor, event.event)) {
            scan.field = names.event;
            const PhiHits hits = withoutNestedTerms(m_scanner->scan(event.event, scan));
            const auto hit = std::find_if(hits.begin(), hits.end(),
                                          [](const PhiHit& h) { return h.kind == PhiKind::HealthTerm; });
            if (hit != hits.end()) {
                PayloadProblem& problem =
                    note(u"descriptive_event_name|"_s + event.pageUrl + u'|' + event.vendor + u'|' + event.event, event,
                         [&](PayloadProblem& p) {
                             p.code = u"descriptive_event_name"_s;
                             p.severity = Severity::High;
                             p.term = hit->term;
                             p.category = hit->category;
                         });
                addUnique(problem.fields, names.event);
            }
        }

        QStringList personal;
        for (const QString& identifier : event.identifiers) {
            if (isPersonalIdentifier(identifier))
                personal.append(identifier);
        }
        if (!personal.isEmpty()) {
            PayloadProblem& problem = note(u"identifiers|"_s + event.pageUrl + u'|' + event.vendor, event,
                                           [](PayloadProblem& p) {
                                               p.code = u"identifier_sent"_s;
                                               p.severity = Severity::High;
                                           });
            for (const QString& identifier : personal)
                addUnique(problem.identifiers, identifier);
        }
    }

    for (PayloadProblem& problem : problems) {
        const QString vendor = vendorLabel(m_signatures, problem.vendor);
        sortByFieldOrder(problem.fields, problem.what, fieldNames(problem.vendor));
        QJsonObject evidence{{u"request_id"_s, problem.requestId}};
        if (!problem.fields.isEmpty())
            evidence.insert(u"field"_s, problem.fields.first());
        if (problem.fields.size() > 1)
            evidence.insert(u"fields"_s, QJsonArray::fromStringList(problem.fields));
        if (!problem.term.isEmpty()) {
            evidence.insert(u"term"_s, problem.term);
            evidence.insert(u"category"_s, problem.category);
        }
        if (!problem.identifiers.isEmpty())
            evidence.insert(u"identifiers"_s, QJsonArray::fromStringList(problem.identifiers));
        if (!problem.pixelId.isEmpty())
            evidence.insert(u"pixel_id"_s, problem.pixelId);
        if (!problem.event.isEmpty())
            evidence.insert(u"event"_s, problem.event);
        if (problem.states.size() > 1) {
            QJsonArray states;
            for (ConsentState state : problem.states)
                states.append(consentStateName(state));
            evidence.insert(u"consent_states"_s, states);
        }

        QString title;
        QString remediation;
        if (problem.code == "health_context_sent"_L1) {
            title = u"%1 received \u201c%2\u201d (%3) in %4"_s.arg(vendor, problem.term, problem.category,
                                                                joined(problem.what));
            remediation = u"Stop sending %1 to %2: remove the tag from this page, or strip the page address, title "
                          u"and properties from its events (the ClearSignal relay does this)."_s.arg(
                              joined(problem.what), vendor);
        } else if (problem.code == "descriptive_event_name"_L1) {
            title = u"%1 received the event name \u201c%2\u201d, which names %3 (%4)"_s.arg(
                vendor, problem.event, problem.term, problem.category);
            remediation = u"Rename the event to a standard name without health meaning (Lead, Schedule, "
                          u"CompleteRegistration), or map it to one in ClearSignal's rules."_s;
        } else if (!problem.identifiers.isEmpty()) {
            title = u"%1 received identifiers of the visitor: %2"_s.arg(vendor, problem.identifiers.join(u", "_s));
            remediation = u"Turn off advanced matching (manual and automatic) in %1 for this site: hashed emails and "
                          u"phone numbers still identify patients. Hashing is not de-identification."_s.arg(vendor);
        } else {
            title = u"%1 received a visitor's %2 in %3"_s.arg(vendor, QString(problem.term).replace(u'_', u' '),
                                                               joined(problem.what));
            remediation = u"Make sure no form values or personal details are written into page addresses or event "
                          u"properties, and turn off automatic advanced matching in %1."_s.arg(vendor);
        }
        result.findings.append(finding(problem.code, problem.severity, title, problem.pageUrl, problem.vendor,
                                       problem.states.value(0), evidence, remediation));
    }
}

void FindingEngine::consentFindings(ScanResult& result) const
{
    QSet<QString> reported;
    for (const CapturedRequest& request : std::as_const(result.requests)) {
        if (request.vendor.isEmpty())
            continue;
        const QString vendor = vendorLabel(m_signatures, request.vendor);
        QString code;
        Severity severity = Severity::High;
        QString title;
        QString remediation;
        switch (request.consentState) {
        case ConsentState::None:
            code = u"tracking_before_consent"_s;
            severity = Severity::Medium;
            title = u"%1 loads before the visitor has made any consent choice"_s.arg(vendor);
            remediation = u"Load %1 only after the visitor accepts advertising cookies (configure your consent "
                          u"banner or tag manager to hold it)."_s.arg(vendor);
            break;
        case ConsentState::Rejected:
            code = u"tracking_after_reject"_s;
            severity = Severity::Critical;
            title = u"%1 still loads after the visitor rejected advertising cookies"_s.arg(vendor);
            remediation = u"Fix the consent banner or tag manager so that a rejection stops %1 on every page."_s.arg(vendor);
            break;
        case ConsentState::Gpc:
            code = u"gpc_ignored"_s;
            title = u"%1 loads although the browser sends Global Privacy Control"_s.arg(vendor);
            remediation = u"Treat the Sec-GPC signal as an opt-out: do not load %1 for such visitors."_s.arg(vendor);
            break;
        case ConsentState::Accepted:
            continue;
        }
        const QString key = code + request.vendor;
        if (reported.contains(key))
            continue;
        reported.insert(key);
        result.findings.append(finding(code, severity, title, request.pageUrl, request.vendor, request.consentState,
                                       QJsonObject{{u"request_id"_s, request.id}, {u"url"_s, request.url}},
                                       remediation));
    }
}

void FindingEngine::cookieFindings(ScanResult& result) const
{
    struct Cookies
    {
        QString vendor;
        ConsentState state;
        QString pageUrl;
        QStringList names;
        QStringList domains;
    };
    QList<Cookies> groups;
    for (const ScanCookie& cookie : std::as_const(result.cookies)) {
        if (cookie.vendor.isEmpty())
            continue;
        auto group = std::find_if(groups.begin(), groups.end(), [&](const Cookies& g) {
            return g.vendor == cookie.vendor && g.state == cookie.consentState;
        });
        if (group == groups.end()) {
            groups.append({cookie.vendor, cookie.consentState, cookie.pageUrl, {}, {}});
            group = groups.end() - 1;
        }
        if (group->pageUrl.isEmpty())
            group->pageUrl = cookie.pageUrl;
        addUnique(group->names, cookie.name);
        addUnique(group->domains, cookie.domain);
    }
    for (const Cookies& group : std::as_const(groups)) {
        // After a refusal it is a broken promise; before any choice a problem; after acceptance a fact to know.
        const bool refused = group.state == ConsentState::Rejected || group.state == ConsentState::Gpc;
        const Severity severity = refused                                ? Severity::High
                                  : group.state == ConsentState::Accepted ? Severity::Low
                                                                          : Severity::Medium;
        result.findings.append(finding(
            u"tracker_cookie_set"_s, severity,
            u"%1 set the cookie%2 %3"_s.arg(vendorLabel(m_signatures, group.vendor),
                                             group.names.size() > 1 ? u"s"_s : QString(), joined(group.names)),
            group.pageUrl, group.vendor, group.state,
            QJsonObject{{u"cookies"_s, QJsonArray::fromStringList(group.names)},
                        {u"domains"_s, QJsonArray::fromStringList(group.domains)}},
            u"Tracking cookies identify returning visitors; set them only after consent, and not at all on "
            u"pages about health services."_s));
    }
}

void FindingEngine::tokenFindings(ScanResult& result, const QList<PageObservation>& observations) const
{
    for (const CapturedRequest& request : std::as_const(result.requests)) {
        const std::optional<TrackerMatch> match = m_signatures.classify(QUrl(request.url));
        if (!request.accessTokenHeader && !(match && match->kind == "events_api"_L1))
            continue;
        result.findings.append(finding(
            u"events_api_token_exposed"_s, Severity::Critical,
            u"The page calls TikTok's Events API from the browser, exposing the access token"_s, request.pageUrl,
            u"tiktok"_s, request.consentState, QJsonObject{{u"request_id"_s, request.id}, {u"url"_s, request.url}},
            u"Revoke the access token in TikTok Events Manager now and generate a new one; keep it only on a server "
            u"(the ClearSignal relay stores it in the system keychain)."_s));
        return;
    }
    for (const PageObservation& observation : observations) {
        if (!observation.accessTokenInPage)
            continue;
        result.findings.append(finding(
            u"events_api_token_exposed"_s, Severity::Critical,
            u"A TikTok Events API access token is written into the page"_s, observation.pageUrl, u"tiktok"_s,
            observation.consentState, QJsonObject{{u"field"_s, u"page source"_s}},
            u"Revoke the access token in TikTok Events Manager now and generate a new one; keep it only on a server."_s));
        return;
    }
}

} // namespace ClearSignal
