// SPDX-License-Identifier: GPL-3.0-or-later
#include "RuleSetJson.h"

#include "common/JsonWriter.h"
#include "phi/PhoneNumbers.h"
#include "tiktok/StandardEvents.h"

#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

QString RuleProblem::toString() const
{
    return u"%1: %2: %3"_s.arg(severity == Severity::Error ? u"error"_s : u"warning"_s, path, message);
}

bool RuleSetLoad::hasErrors() const
{
    return std::any_of(problems.begin(), problems.end(),
                       [](const RuleProblem& p) { return p.severity == RuleProblem::Severity::Error; });
}

QString RuleSetLoad::report() const
{
    QStringList lines;
    for (const auto severity : {RuleProblem::Severity::Error, RuleProblem::Severity::Warning}) {
        for (const RuleProblem& problem : problems) {
            if (problem.severity == severity)
                lines.append(problem.toString());
        }
    }
    return lines.join(u'\n');
}

namespace {

/// Collects problems while walking the document; each check names the JSON path it looked at.
class RulesReader final
{
public:
    void error(const QString& path, const QString& message) { m_problems.append({RuleProblem::Severity::Error, path, message}); }
    void warning(const QString& path, const QString& message)
    {
        m_problems.append({RuleProblem::Severity::Warning, path, message});
    }
    QList<RuleProblem> takeProblems() { return std::move(m_problems); }

    void checkKeys(const QJsonObject& object, const QString& path, std::initializer_list<QLatin1StringView> known)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
                QStringList names;
                for (QLatin1StringView name : known)
                    names.append(name);
                error(path + u'.' + it.key(), u"unknown key; expected one of %1"_s.arg(names.join(u", "_s)));
            }
        }
    }

    std::optional<QString> string(const QJsonObject& object, QLatin1StringView key, const QString& path,
                                  bool required = false)
    {
        const QJsonValue value = object.value(key);
        const QString childPath = path + u'.' + key;
        if (value.isUndefined()) {
            if (required)
                error(childPath, u"is required"_s);
            return std::nullopt;
        }
        if (!value.isString()) {
            error(childPath, u"must be a string"_s);
            return std::nullopt;
        }
        return value.toString();
    }

    std::optional<QJsonArray> array(const QJsonObject& object, QLatin1StringView key, const QString& path)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isArray()) {
            error(path + u'.' + key, u"must be an array"_s);
            return std::nullopt;
        }
        return value.toArray();
    }

    std::optional<TextMatcher> matcher(const QJsonValue& value, const QString& path)
    {
        if (!value.isObject()) {
            error(path, u"must be an object with one of \"exact\", \"glob\" or \"regex\""_s);
            return std::nullopt;
        }
        const QJsonObject object = value.toObject();
        checkKeys(object, path, {"exact"_L1, "glob"_L1, "regex"_L1, "case_sensitive"_L1});
        std::optional<TextMatcher::Kind> kind;
        QString pattern;
        int kinds = 0;
        for (const auto candidate : {TextMatcher::Kind::Exact, TextMatcher::Kind::Glob, TextMatcher::Kind::Regex}) {
            const QJsonValue patternValue = object.value(TextMatcher::kindName(candidate));
            if (patternValue.isUndefined())
                continue;
            ++kinds;
            kind = candidate;
            if (!patternValue.isString() || patternValue.toString().isEmpty()) {
                error(path + u'.' + TextMatcher::kindName(candidate), u"must be a non-empty string"_s);
                return std::nullopt;
            }
            pattern = patternValue.toString();
        }
        if (kinds != 1) {
            error(path, u"needs exactly one of \"exact\", \"glob\" or \"regex\""_s);
            return std::nullopt;
        }
        const QJsonValue caseValue = object.value("case_sensitive"_L1);
        if (!caseValue.isUndefined() && !caseValue.isBool())
            error(path + u".case_sensitive"_s, u"must be true or false"_s);
        Expected<TextMatcher> result = TextMatcher::create(*kind, pattern, caseValue.toBool(false));
        if (!result) {
            error(path + u'.' + TextMatcher::kindName(*kind), result.errorMessage());
            return std::nullopt;
        }
        return *result;
    }

private:
    QList<RuleProblem> m_problems;
};

void readMappings(RulesReader& reader, const QJsonObject& root, RuleSet& rules)
{
    const std::optional<QJsonArray> mappings = reader.array(root, "mappings"_L1, u"$"_s);
    if (!mappings)
        return;
    static const QRegularExpression idPattern(uR"(^[A-Za-z0-9_.\-]{1,64}$)"_s);
    QStringList ids;
    for (qsizetype i = 0; i < mappings->size(); ++i) {
        const QString path = u"$.mappings[%1]"_s.arg(i);
        if (!mappings->at(i).isObject()) {
            reader.error(path, u"must be an object"_s);
            continue;
        }
        const QJsonObject object = mappings->at(i).toObject();
        reader.checkKeys(object, path, {"id"_L1, "description"_L1, "event"_L1, "url_path"_L1, "tiktok_event"_L1});
        EventMapping mapping;
        mapping.id = reader.string(object, "id"_L1, path, true).value_or(QString());
        if (!mapping.id.isEmpty() && !idPattern.match(mapping.id).hasMatch())
            reader.error(path + u".id"_s, u"use 1 to 64 letters, digits, '.', '_' or '-'"_s);
        if (ids.contains(mapping.id))
            reader.error(path + u".id"_s, u"\"%1\" is used by another mapping; ids must be unique"_s.arg(mapping.id));
        ids.append(mapping.id);
        mapping.description = reader.string(object, "description"_L1, path).value_or(QString());
        if (object.contains("event"_L1))
            mapping.event = reader.matcher(object.value("event"_L1), path + u".event"_s);
        if (object.contains("url_path"_L1))
            mapping.urlPath = reader.matcher(object.value("url_path"_L1), path + u".url_path"_s);
        if (!object.contains("event"_L1) && !object.contains("url_path"_L1))
            reader.error(path, u"needs \"event\", \"url_path\" or both"_s);
        const QString target = reader.string(object, "tiktok_event"_L1, path, true).value_or(QString());
        if (const std::optional<QString> canonical = StandardEvents::canonical(target)) {
            mapping.tiktokEvent = *canonical;
        } else if (!target.isEmpty()) {
            reader.error(path + u".tiktok_event"_s,
                         u"\"%1\" is not a TikTok standard event; only standard events leave ClearSignal. Choose one "
                         u"of: %2"_s.arg(target.left(64), StandardEvents::all().join(u", "_s)));
        }
        rules.mappings.append(mapping);
    }
}

void readFields(RulesReader& reader, const QJsonObject& root, RuleSet& rules)
{
    const QJsonValue value = root.value("fields"_L1);
    if (value.isUndefined())
        return;
    if (!value.isObject()) {
        reader.error(u"$.fields"_s, u"must be an object of field path -> policy"_s);
        return;
    }
    const QJsonObject fields = value.toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString path = u"$.fields[\"%1\"]"_s.arg(it.key());
        const std::optional<EventField> field = fieldFromPath(it.key());
        if (!field) {
            QStringList known;
            for (const EventFieldSpec& spec : allFieldSpecs())
                known.append(spec.path);
            reader.error(path, u"unknown field; known fields are %1"_s.arg(known.join(u", "_s)));
            continue;
        }
        const std::optional<FieldPolicy> policy =
            it.value().isString() ? policyFromName(it.value().toString()) : std::nullopt;
        const QList<FieldPolicy> allowed = RuleSet::allowedPolicies(*field);
        const FieldPolicy chosen = policy.value_or(FieldPolicy::Drop);
        if (!policy.has_value() || !allowed.contains(chosen)) {
            QStringList names;
            for (FieldPolicy candidate : allowed)
                names.append(policyName(candidate));
            QString hint;
            if (it.value().toString() == "keep"_L1 && allowed.contains(FieldPolicy::Hash))
                hint = u" (\"keep\" would send the raw identifier; use \"hash\")"_s;
            reader.error(path, u"policy must be one of %1%2"_s.arg(names.join(u", "_s), hint));
            continue;
        }
        rules.setPolicy(*field, chosen);
    }
}

void readUrlCategories(RulesReader& reader, const QJsonObject& root, RuleSet& rules)
{
    const std::optional<QJsonArray> categories = reader.array(root, "url_categories"_L1, u"$"_s);
    if (!categories)
        return;
    static const QRegularExpression categoryPattern(uR"(^(/[a-z0-9_\-]+)+/?$|^/$)"_s);
    for (qsizetype i = 0; i < categories->size(); ++i) {
        const QString path = u"$.url_categories[%1]"_s.arg(i);
        if (!categories->at(i).isObject()) {
            reader.error(path, u"must be an object {\"path\": {\"glob\": ...}, \"category\": \"/...\"}"_s);
            continue;
        }
        const QJsonObject object = categories->at(i).toObject();
        reader.checkKeys(object, path, {"path"_L1, "category"_L1});
        const std::optional<TextMatcher> matcher = reader.matcher(object.value("path"_L1), path + u".path"_s);
        const QString category = reader.string(object, "category"_L1, path, true).value_or(QString());
        if (!category.isEmpty() && !categoryPattern.match(category).hasMatch())
            reader.error(path + u".category"_s,
                         u"use a short path of lowercase letters, digits, '-' and '_', such as \"/services\""_s);
        if (matcher)
            rules.urlCategories.append({*matcher, category});
    }
}

void readApprovals(RulesReader& reader, const QJsonObject& root, RuleSet& rules)
{
    const std::optional<QJsonArray> approvals = reader.array(root, "approvals"_L1, u"$"_s);
    if (!approvals)
        return;
    for (qsizetype i = 0; i < approvals->size(); ++i) {
        const QString path = u"$.approvals[%1]"_s.arg(i);
        if (!approvals->at(i).isObject()) {
            reader.error(path, u"must be an object"_s);
            continue;
        }
        const QJsonObject object = approvals->at(i).toObject();
        reader.checkKeys(object, path, {"id"_L1, "fields"_L1, "approved_by"_L1, "approved_at"_L1, "reason"_L1});
        Approval approval;
        approval.id = reader.string(object, "id"_L1, path, true).value_or(QString());
        approval.approvedBy = reader.string(object, "approved_by"_L1, path, true).value_or(QString());
        approval.approvedAt = reader.string(object, "approved_at"_L1, path, true).value_or(QString());
        approval.reason = reader.string(object, "reason"_L1, path, true).value_or(QString());
        if (!approval.approvedAt.isEmpty() && !QDate::fromString(approval.approvedAt.left(10), Qt::ISODate).isValid())
            reader.error(path + u".approved_at"_s, u"must be an ISO-8601 date such as 2026-11-20"_s);
        if (object.contains("approved_by"_L1) && approval.approvedBy.trimmed().isEmpty())
            reader.error(path + u".approved_by"_s, u"name the person who approved"_s);
        const std::optional<QJsonArray> fields = reader.array(object, "fields"_L1, path);
        if (!fields || fields->isEmpty())
            reader.error(path + u".fields"_s, u"list the field paths this approval covers, such as [\"user.email\"]"_s);
        for (qsizetype f = 0; fields && f < fields->size(); ++f) {
            const QString field = fields->at(f).toString();
            if (!fieldFromPath(field))
                reader.error(u"%1.fields[%2]"_s.arg(path).arg(f), u"\"%1\" is not a known field path"_s.arg(field));
            approval.fields.append(field);
        }
        rules.approvals.append(approval);
    }
}

void readPhi(RulesReader& reader, const QJsonObject& root, RuleSet& rules)
{
    const QJsonValue value = root.value("phi"_L1);
    if (value.isUndefined())
        return;
    if (!value.isObject()) {
        reader.error(u"$.phi"_s, u"must be an object with \"extra_terms\" and \"allowed_terms\""_s);
        return;
    }
    const QJsonObject phi = value.toObject();
    reader.checkKeys(phi, u"$.phi"_s, {"extra_terms"_L1, "allowed_terms"_L1});
    if (const std::optional<QJsonArray> extra = reader.array(phi, "extra_terms"_L1, u"$.phi"_s)) {
        for (qsizetype i = 0; i < extra->size(); ++i) {
            const QString path = u"$.phi.extra_terms[%1]"_s.arg(i);
            const QJsonObject object = extra->at(i).toObject();
            reader.checkKeys(object, path, {"term"_L1, "category"_L1, "match"_L1});
            LexiconTerm term;
            term.term = reader.string(object, "term"_L1, path, true).value_or(QString()).trimmed();
            term.category = reader.string(object, "category"_L1, path, true).value_or(QString());
            term.listId = u"rules"_s;
            term.wordOnly = object.value("match"_L1).toString() == "word"_L1;
            if (term.term.size() < 3 || term.term.size() > 100)
                reader.error(path + u".term"_s, u"must be 3 to 100 characters"_s);
            if (!HealthLexicon::isCategory(term.category))
                reader.error(path + u".category"_s, u"must be one of %1"_s.arg(
                                                        HealthLexicon::categoryLabels().keys().join(u", "_s)));
            rules.extraTerms.append(term);
        }
    }
    if (const std::optional<QJsonArray> allowed = reader.array(phi, "allowed_terms"_L1, u"$.phi"_s)) {
        for (qsizetype i = 0; i < allowed->size(); ++i) {
            if (!allowed->at(i).isString() || allowed->at(i).toString().trimmed().isEmpty())
                reader.error(u"$.phi.allowed_terms[%1]"_s.arg(i), u"must be a non-empty string"_s);
            else
                rules.allowedTerms.append(allowed->at(i).toString().trimmed());
        }
    }
}

void readSettings(RulesReader& reader, const QJsonObject& root, RuleSet& rules)
{
    const QString top = u"$"_s;
    rules.name = reader.string(root, "name"_L1, top).value_or(QString());
    rules.description = reader.string(root, "description"_L1, top).value_or(QString());
    rules.templateId = reader.string(root, "template"_L1, top).value_or(QString());
    rules.pixelId = reader.string(root, "pixel_id"_L1, top).value_or(QString());
    static const QRegularExpression pixelPattern(uR"(^[A-Za-z0-9]{1,64}$)"_s);
    static const QRegularExpression typicalPixel(uR"(^[A-Z0-9]{20}$)"_s);
    if (!rules.pixelId.isEmpty()) {
        if (!pixelPattern.match(rules.pixelId).hasMatch())
            reader.error(u"$.pixel_id"_s, u"must be letters and digits only, as shown in TikTok Events Manager"_s);
        else if (!typicalPixel.match(rules.pixelId).hasMatch())
            reader.warning(u"$.pixel_id"_s, u"TikTok pixel IDs are usually 20 uppercase letters and digits"_s);
    }

    if (const std::optional<QJsonArray> origins = reader.array(root, "site_origins"_L1, top)) {
        for (qsizetype i = 0; i < origins->size(); ++i) {
            const QString origin = origins->at(i).toString();
            const QUrl url(origin, QUrl::StrictMode);
            const bool valid = url.isValid() && (url.scheme() == "https"_L1 || url.scheme() == "http"_L1)
                               && !url.host().isEmpty() && (url.path().isEmpty() || url.path() == "/"_L1)
                               && !url.hasQuery() && !url.hasFragment() && url.userInfo().isEmpty();
            if (!valid)
                reader.error(u"$.site_origins[%1]"_s.arg(i),
                             u"must be an origin such as https://clinic.example (no path, query or login)"_s);
            else
                rules.siteOrigins.append(url.toString(QUrl::RemovePath | QUrl::RemoveQuery));
        }
    }

    if (const std::optional<QString> region = reader.string(root, "default_phone_region"_L1, top)) {
        if (!PhoneNumbers::isSupportedRegion(*region))
            reader.error(u"$.default_phone_region"_s, u"must be a two-letter region code such as US or MX"_s);
        else
            rules.phoneRegion = *region;
    }

    const QJsonValue age = root.value("max_event_age_days"_L1);
    if (!age.isUndefined()) {
        const double days = age.toDouble(-1);
        if (!age.isDouble() || days != std::floor(days) || days < 1 || days > RuleSet::maxAllowedEventAgeDays)
            reader.error(u"$.max_event_age_days"_s,
                         u"must be a whole number of days from 1 to %1"_s.arg(RuleSet::maxAllowedEventAgeDays));
        else
            rules.maxEventAgeDays = int(days);
    }

    if (const std::optional<QString> names = reader.string(root, "standard_event_names"_L1, top)) {
        if (*names == "accept"_L1)
            rules.standardNames = StandardNamePolicy::Accept;
        else if (*names == "map_only"_L1)
            rules.standardNames = StandardNamePolicy::MapOnly;
        else
            reader.error(u"$.standard_event_names"_s, u"must be \"accept\" or \"map_only\""_s);
    }
    if (const std::optional<QString> unmapped = reader.string(root, "unmapped_events"_L1, top)) {
        if (*unmapped == "drop"_L1)
            rules.unmappedEvents = UnmappedEventPolicy::Drop;
        else if (*unmapped == "quarantine"_L1)
            rules.unmappedEvents = UnmappedEventPolicy::Quarantine;
        else
            reader.error(u"$.unmapped_events"_s, u"must be \"drop\" or \"quarantine\""_s);
    }
    const QJsonValue ldu = root.value("limited_data_use"_L1);
    if (!ldu.isUndefined() && !ldu.isBool())
        reader.error(u"$.limited_data_use"_s, u"must be true or false"_s);
    rules.limitedDataUse = ldu.toBool(false);
}

void checkConsistency(RulesReader& reader, const RuleSet& rules)
{
    for (const EventFieldSpec& spec : allFieldSpecs()) {
        const FieldPolicy policy = rules.policy(spec.field);
        if (RuleSet::needsApproval(spec.field, policy) && !rules.approvalFor(spec.field))
            reader.error(u"$.fields[\"%1\"]"_s.arg(spec.path),
                         u"\"%1\" sends an identifier of a person to TikTok; add an approval naming who approved "
                         u"it and why ($.approvals[].fields)"_s.arg(policyName(policy)));
    }
    const bool usesCategory = rules.policy(EventField::PageUrl) == FieldPolicy::Category
                              || rules.policy(EventField::PageReferrer) == FieldPolicy::Category;
    if (usesCategory && rules.urlCategories.isEmpty())
        reader.warning(u"$.url_categories"_s,
                       u"the \"category\" policy is used but no categories are defined: URLs leave as the origin only"_s);
    if (rules.mappings.isEmpty() && rules.standardNames == StandardNamePolicy::MapOnly)
        reader.warning(u"$.mappings"_s, u"no mappings and standard_event_names is map_only: no event will leave"_s);
}

void writeMatcher(JsonWriter& writer, QLatin1StringView key, const TextMatcher& matcher)
{
    writer.key(key);
    writer.beginObject();
    writer.field(TextMatcher::kindName(matcher.kind()), QStringView(matcher.pattern()));
    if (matcher.caseSensitive())
        writer.field("case_sensitive"_L1, true);
    writer.endObject();
}

void writeStrings(JsonWriter& writer, QLatin1StringView key, const QStringList& strings)
{
    writer.key(key);
    writer.beginArray();
    for (const QString& text : strings)
        writer.value(QStringView(text));
    writer.endArray();
}

} // namespace

RuleSetLoad RuleSetJson::parse(const QByteArray& json)
{
    RuleSetLoad result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.problems.append({RuleProblem::Severity::Error, u"$"_s,
                                u"invalid JSON at offset %1: %2"_s.arg(parseError.offset).arg(parseError.errorString())});
        return result;
    }
    if (!document.isObject()) {
        result.problems.append({RuleProblem::Severity::Error, u"$"_s, u"a rules file must be a JSON object"_s});
        return result;
    }
    const QJsonObject root = document.object();
    RulesReader reader;
    const QString schemaValue = root.value("schema"_L1).toString();
    if (schemaValue != schema) {
        reader.error(u"$.schema"_s, u"must be \"%1\"; this is not a ClearSignal rules file or it is from a newer "
                                    u"version"_s.arg(schema));
        result.problems = reader.takeProblems();
        return result;
    }
    reader.checkKeys(root, u"$"_s,
                     {"schema"_L1, "name"_L1, "description"_L1, "template"_L1, "pixel_id"_L1, "site_origins"_L1,
                      "default_phone_region"_L1, "max_event_age_days"_L1, "standard_event_names"_L1,
                      "unmapped_events"_L1, "limited_data_use"_L1, "mappings"_L1, "fields"_L1, "url_categories"_L1,
                      "approvals"_L1, "phi"_L1});

    RuleSet rules;
    readSettings(reader, root, rules);
    readMappings(reader, root, rules);
    readFields(reader, root, rules);
    readUrlCategories(reader, root, rules);
    readApprovals(reader, root, rules);
    readPhi(reader, root, rules);
    checkConsistency(reader, rules);

    result.problems = reader.takeProblems();
    if (!result.hasErrors())
        result.rules = std::move(rules);
    return result;
}

RuleSetLoad RuleSetJson::load(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        RuleSetLoad result;
        result.problems.append(
            {RuleProblem::Severity::Error, u"$"_s, u"cannot read %1: %2"_s.arg(path, file.errorString())});
        return result;
    }
    constexpr qint64 maxRulesBytes = 4 * 1024 * 1024;
    if (file.size() > maxRulesBytes) {
        RuleSetLoad result;
        result.problems.append({RuleProblem::Severity::Error, u"$"_s,
                                u"%1 is larger than 4 MiB; that is not a rules file"_s.arg(path)});
        return result;
    }
    return parse(file.readAll());
}

QByteArray RuleSetJson::serialize(const RuleSet& rules)
{
    JsonWriter writer;
    writer.beginObject();
    writer.field("schema"_L1, schema);
    writer.field("name"_L1, QStringView(rules.name));
    if (!rules.description.isEmpty())
        writer.field("description"_L1, QStringView(rules.description));
    if (!rules.templateId.isEmpty())
        writer.field("template"_L1, QStringView(rules.templateId));
    if (!rules.pixelId.isEmpty())
        writer.field("pixel_id"_L1, QStringView(rules.pixelId));
    writeStrings(writer, "site_origins"_L1, rules.siteOrigins);
    writer.field("default_phone_region"_L1, QStringView(rules.phoneRegion));
    writer.field("max_event_age_days"_L1, rules.maxEventAgeDays);
    writer.field("standard_event_names"_L1,
                 rules.standardNames == StandardNamePolicy::Accept ? "accept"_L1 : "map_only"_L1);
    writer.field("unmapped_events"_L1,
                 rules.unmappedEvents == UnmappedEventPolicy::Drop ? "drop"_L1 : "quarantine"_L1);
    if (rules.limitedDataUse)
        writer.field("limited_data_use"_L1, true);

    writer.key("mappings"_L1);
    writer.beginArray();
    for (const EventMapping& mapping : rules.mappings) {
        writer.beginObject();
        writer.field("id"_L1, QStringView(mapping.id));
        if (!mapping.description.isEmpty())
            writer.field("description"_L1, QStringView(mapping.description));
        if (mapping.event)
            writeMatcher(writer, "event"_L1, *mapping.event);
        if (mapping.urlPath)
            writeMatcher(writer, "url_path"_L1, *mapping.urlPath);
        writer.field("tiktok_event"_L1, QStringView(mapping.tiktokEvent));
        writer.endObject();
    }
    writer.endArray();

    writer.key("fields"_L1);
    writer.beginObject();
    for (const EventFieldSpec& spec : allFieldSpecs())
        writer.field(spec.path, policyName(rules.policy(spec.field)));
    writer.endObject();

    writer.key("url_categories"_L1);
    writer.beginArray();
    for (const UrlCategory& category : rules.urlCategories) {
        writer.beginObject();
        writeMatcher(writer, "path"_L1, category.path);
        writer.field("category"_L1, QStringView(category.category));
        writer.endObject();
    }
    writer.endArray();

    writer.key("approvals"_L1);
    writer.beginArray();
    for (const Approval& approval : rules.approvals) {
        writer.beginObject();
        writer.field("id"_L1, QStringView(approval.id));
        writeStrings(writer, "fields"_L1, approval.fields);
        writer.field("approved_by"_L1, QStringView(approval.approvedBy));
        writer.field("approved_at"_L1, QStringView(approval.approvedAt));
        writer.field("reason"_L1, QStringView(approval.reason));
        writer.endObject();
    }
    writer.endArray();

    writer.key("phi"_L1);
    writer.beginObject();
    writer.key("extra_terms"_L1);
    writer.beginArray();
    for (const LexiconTerm& term : rules.extraTerms) {
        writer.beginObject();
        writer.field("term"_L1, QStringView(term.term));
        writer.field("category"_L1, QStringView(term.category));
        if (term.wordOnly)
            writer.field("match"_L1, "word"_L1);
        writer.endObject();
    }
    writer.endArray();
    writeStrings(writer, "allowed_terms"_L1, rules.allowedTerms);
    writer.endObject();

    writer.endObject();
    return JsonWriter::indented(writer.take());
}

} // namespace ClearSignal
