// SPDX-License-Identifier: GPL-3.0-or-later
#include "WorkspaceCommand.h"

#include "CliSupport.h"
#include "QueueAccess.h"
#include "relay/DeadLetterReplay.h"
#include "rules/RuleSetJson.h"
#include "rules/RuleTemplates.h"
#include "secrets/AccessTokenSource.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/RulesHistory.h"
#include "storage/Workspace.h"
#include "storage/WorkspaceSettings.h"
#include "storage/WorkspaceSetup.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTextStream>
#include <QUrl>

#include <cstdio>

namespace ClearSignal::Cli {

using namespace Qt::Literals::StringLiterals;

namespace {

qint64 now()
{
    return QDateTime::currentSecsSinceEpoch();
}

QString author()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return user.isEmpty() ? u"clearsignal-cli"_s : user + u" (clearsignal-cli)"_s;
}

/// Applies a rules-level KEY=VALUE (pixel_id, origins, max_age_days) to rules; false when the key is not one.
Expected<bool> setRulesValue(RuleSet& rules, const QString& key, const QString& value)
{
    if (key == "pixel_id"_L1) {
        rules.pixelId = value.trimmed();
        return true;
    }
    // The rules' own validation (RulesHistory::add) checks these values and names what is wrong.
    if (key == "origins"_L1) {
        rules.siteOrigins.clear();
        for (const QString& part : value.split(u',', Qt::SkipEmptyParts))
            rules.siteOrigins.append(part.trimmed());
        return true;
    }
    if (key == "max_age_days"_L1) {
        bool ok = false;
        rules.maxEventAgeDays = value.toInt(&ok);
        if (!ok)
            return Error{u"max_age_days must be a whole number of days, not \"%1\""_s.arg(value)};
        return true;
    }
    return false;
}

std::unique_ptr<Workspace> openOrReport(const QString& path)
{
    Expected<std::unique_ptr<Workspace>> workspace = Workspace::open(path);
    if (!workspace) {
        printError(workspace.errorMessage());
        return nullptr;
    }
    return std::move(*workspace);
}

int create(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Creates a workspace file for one site and prints its ingest key (only that, "
                                     "on standard output)."_s);
    parser.addPositionalArgument(u"FILE"_s, u"The new workspace file (.csdb)."_s);
    const QCommandLineOption siteOption(u"site"_s, u"The practice's website, such as https://clinic.example."_s,
                                        u"URL"_s);
    const QCommandLineOption pixelOption(u"pixel-id"_s, u"The TikTok pixel ID events are sent for."_s, u"ID"_s);
    const QCommandLineOption templateOption(u"template"_s, u"Start from a bundled rules template (default "
                                                          "med-spa): "_s + [] {
        QStringList ids;
        for (const RuleTemplate& rule : RuleTemplates::all())
            ids.append(rule.id);
        return ids.join(u", "_s);
    }(), u"NAME"_s);
    const QCommandLineOption rulesOption(u"rules"_s, u"Start from a rules file instead of a template."_s, u"FILE"_s);
    const QCommandLineOption originOption(u"origin"_s, u"An origin allowed to send events (repeatable; default: the "
                                                       "site's)."_s, u"URL"_s);
    parser.addOptions({siteOption, pixelOption, templateOption, rulesOption, originOption});
    int exitCode = Success;
    if (!parseArguments(parser, u"workspace create"_s, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(siteOption) || !parser.isSet(pixelOption)) {
        printError(u"workspace create needs FILE, --site URL and --pixel-id ID"_s);
        return UsageError;
    }
    if (parser.isSet(templateOption) && parser.isSet(rulesOption)) {
        printError(u"give either --template or --rules, not both"_s);
        return UsageError;
    }
    WorkspaceSettings settings;
    if (Status site = settings.set(u"site_url"_s, parser.value(siteOption)); !site) {
        printError(site.errorMessage());
        return UsageError;
    }
    const RuleSetLoad load = parser.isSet(rulesOption)
                                 ? RuleSetJson::load(parser.value(rulesOption))
                                 : RuleTemplates::load(parser.value(templateOption).isEmpty() ? u"med-spa"_s
                                                                                             : parser.value(templateOption));
    if (load.hasErrors() || !load.rules) {
        printError(load.report());
        return InvalidInput;
    }
    RuleSet rules = *load.rules;
    rules.pixelId = parser.value(pixelOption).trimmed();
    const QStringList origins =
        parser.isSet(originOption) ? parser.values(originOption) : QStringList{parser.value(siteOption)};
    if (Expected<bool> set = setRulesValue(rules, u"origins"_s, origins.join(u','));!set) {
        printError(set.errorMessage());
        return UsageError;
    }

    if (Status storable = RulesHistory::check(rules); !storable) {
        printError(storable.errorMessage());
        return InvalidInput;
    }
    const Expected<WorkspaceSettings> created = createSiteWorkspace(
        parser.positionalArguments().constFirst(), settings, rules, {author(), u"workspace created"_s, now()});
    if (!created) {
        printError(created.errorMessage());
        return RuntimeFailure;
    }
    QTextStream(stdout) << created->ingestKey << u'\n';
    return Success;
}

int show(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Shows a workspace: settings, rules revision, ingest key and counts. Never "
                                     "personal data, never the access token."_s);
    parser.addPositionalArgument(u"FILE"_s, u"The workspace file."_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print JSON instead of text."_s);
    parser.addOption(jsonOption);
    int exitCode = Success;
    if (!parseArguments(parser, u"workspace show"_s, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printError(u"workspace show needs exactly one FILE"_s);
        return UsageError;
    }
    const std::unique_ptr<Workspace> workspace = openOrReport(parser.positionalArguments().constFirst());
    if (!workspace)
        return RuntimeFailure;
    const Expected<WorkspaceSettings> settings = WorkspaceSettings::load(*workspace);
    const auto rules = RulesHistory::current(*workspace);
    if (!settings || !rules) {
        printError(!settings ? settings.errorMessage() : rules.errorMessage());
        return InvalidInput;
    }
    QJsonObject object;
    for (const WorkspaceSettings::Key& key : WorkspaceSettings::settingKeys())
        object.insert(key.name, settings->value(key.name));
    object.insert(u"workspace_id"_s, settings->workspaceId);
    object.insert(u"pixel_id"_s, rules->second.pixelId);
    object.insert(u"origins"_s, QJsonArray::fromStringList(rules->second.siteOrigins));
    object.insert(u"max_age_days"_s, rules->second.maxEventAgeDays);
    object.insert(u"rules_name"_s, rules->second.name);
    object.insert(u"rules_revision"_s, rules->first.revision);
    QJsonObject counts;
    QSqlQuery query(workspace->database());
    for (const auto& [name, sql] : {std::pair{u"waiting_for_tiktok"_s, u"SELECT COUNT(*) FROM outbox"_s},
                                    std::pair{u"dead_letters"_s, u"SELECT COUNT(*) FROM dead_letters"_s},
                                    std::pair{u"consent_records"_s, u"SELECT COUNT(*) FROM consent"_s},
                                    std::pair{u"audit_records"_s, u"SELECT COUNT(*) FROM audit"_s}}) {
        if (query.exec(sql) && query.next())
            counts.insert(name, query.value(0).toLongLong());
    }
    if (query.exec(u"SELECT name, value FROM stats ORDER BY name"_s)) {
        while (query.next())
            counts.insert(query.value(0).toString(), query.value(1).toLongLong());
    }
    object.insert(u"counts"_s, counts);
    QTextStream out(stdout);
    if (parser.isSet(jsonOption)) {
        out << QJsonDocument(object).toJson(QJsonDocument::Indented);
        return Success;
    }
    out << u"Workspace %1\n"_s.arg(workspace->path());
    out << u"  pixel_id         %1\n  origins          %2\n  max_age_days     %3\n  rules            \"%4\", revision %5\n"_s
               .arg(rules->second.pixelId, rules->second.siteOrigins.join(u", "_s))
               .arg(rules->second.maxEventAgeDays)
               .arg(rules->second.name)
               .arg(rules->first.revision);
    for (const WorkspaceSettings::Key& key : WorkspaceSettings::settingKeys())
        out << u"  "_s << key.name.leftJustified(17) << settings->value(key.name) << u'\n';
    out << u"Counts\n"_s;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        out << u"  "_s << it.key().leftJustified(26) << it.value().toInteger() << u'\n';
    return Success;
}

int set(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Changes workspace settings (KEY=VALUE). Rules-level keys (pixel_id, origins, "
                                     "max_age_days) add a rules revision."_s);
    parser.addPositionalArgument(u"FILE"_s, u"The workspace file."_s);
    parser.addPositionalArgument(u"KEY=VALUE"_s, u"One or more settings."_s, u"KEY=VALUE..."_s);
    int exitCode = Success;
    if (!parseArguments(parser, u"workspace set"_s, arguments, exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 2) {
        printError(u"workspace set needs FILE and at least one KEY=VALUE"_s);
        return UsageError;
    }
    const std::unique_ptr<Workspace> workspace = openOrReport(positional.constFirst());
    if (!workspace)
        return RuntimeFailure;
    Expected<WorkspaceSettings> settings = WorkspaceSettings::load(*workspace);
    auto rules = RulesHistory::current(*workspace);
    if (!settings || !rules) {
        printError(!settings ? settings.errorMessage() : rules.errorMessage());
        return InvalidInput;
    }
    RuleSet newRules = rules->second;
    QStringList changedRules;
    for (const QString& assignment : positional.mid(1)) {
        const qsizetype equals = assignment.indexOf(u'=');
        if (equals <= 0) {
            printError(u"\"%1\" is not KEY=VALUE"_s.arg(assignment));
            return UsageError;
        }
        const QString key = assignment.left(equals);
        const QString value = assignment.mid(equals + 1);
        Expected<bool> rulesKey = setRulesValue(newRules, key, value);
        if (!rulesKey) {
            printError(rulesKey.errorMessage());
            return UsageError;
        }
        if (*rulesKey) {
            changedRules.append(key);
            continue;
        }
        if (Status applied = settings->set(key, value); !applied) {
            printError(applied.errorMessage());
            return UsageError;
        }
    }
    Status saved = workspace->transaction([&]() -> Status {
        if (Status written = settings->save(*workspace); !written)
            return written;
        if (changedRules.isEmpty())
            return Ok;
        Expected<int> revision =
            RulesHistory::add(*workspace, newRules, author(), u"set "_s + changedRules.join(u", "_s), now());
        return revision ? Status(Ok) : Status(revision.error());
    });
    if (!saved) {
        printError(saved.errorMessage());
        return InvalidInput;
    }
    return Success;
}

int setToken(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Stores the TikTok Events API access token of a workspace in the system "
                                     "keychain. The token is read from standard input (never from an argument, "
                                     "where other users could see it)."_s);
    parser.addPositionalArgument(u"FILE"_s, u"The workspace file."_s);
    int exitCode = Success;
    if (!parseArguments(parser, u"workspace set-token"_s, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printError(u"workspace set-token needs exactly one FILE, and the token on standard input"_s);
        return UsageError;
    }
    const std::unique_ptr<Workspace> workspace = openOrReport(parser.positionalArguments().constFirst());
    if (!workspace)
        return RuntimeFailure;
    QTextStream in(stdin);
    const QString token = in.readLine(8192).trimmed();
    if (Status valid = validateAccessToken(token); !valid) {
        printError(valid.errorMessage());
        return InvalidInput;
    }
    KeychainSecretStore keychain;
    if (Status stored = keychain.write(accessTokenKey(workspace->setting(u"workspace_id"_s)), token); !stored) {
        printError(stored.errorMessage());
        return RuntimeFailure;
    }
    QTextStream(stderr) << u"The access token is in the system keychain.\n"_s;
    return Success;
}

int replayDeadLetters(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Sends the events TikTok refused again, under the rules in force now: each one "
                                     "goes through the current rules and final gate like a new event; what passes is "
                                     "queued (the relay delivers it), the rest stays a dead letter."_s);
    parser.addPositionalArgument(u"FILE"_s, u"The workspace file."_s);
    const QCommandLineOption dryRunOption(u"dry-run"_s, u"Count what would be sent again; change nothing."_s);
    parser.addOption(dryRunOption);
    int exitCode = Success;
    if (!parseArguments(parser, u"workspace replay-dead-letters"_s, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printError(u"workspace replay-dead-letters needs exactly one FILE"_s);
        return UsageError;
    }
    int failure = Success;
    const std::unique_ptr<QueueAccess> access = QueueAccess::open(parser.positionalArguments().constFirst(), failure);
    if (!access)
        return failure;
    const Expected<DeadLetterReport> report = DeadLetterReplay::replay(*access->store, *access->sanitizer,
                                                                   access->revision.revision, now(),
                                                                   parser.isSet(dryRunOption));
    if (!report) {
        printError(report.errorMessage());
        return RuntimeFailure;
    }
    QTextStream out(stdout);
    out << u"%1 dead letter(s): %2 %3"_s.arg(report->deadLetters)
               .arg(report->requeued)
               .arg(parser.isSet(dryRunOption) ? u"would be sent again"_s : u"queued again"_s);
    for (auto it = report->kept.cbegin(); it != report->kept.cend(); ++it)
        out << u", %1 kept (%2)"_s.arg(it.value()).arg(it.key());
    out << u'\n';
    if (report->requeued > 0 && !parser.isSet(dryRunOption))
        out << (access->relayRunning ? u"The running relay delivers them.\n"_s
                             : u"The relay delivers them when it runs.\n"_s);
    return Success;
}

} // namespace

int runWorkspace(const QStringList& arguments)
{
    const QString sub = arguments.value(2);
    QStringList rest = arguments.mid(3);
    rest.prepend(arguments.constFirst() + u" workspace "_s + sub);
    if (sub == "create"_L1)
        return create(rest);
    if (sub == "show"_L1)
        return show(rest);
    if (sub == "set"_L1)
        return set(rest);
    if (sub == "set-token"_L1)
        return setToken(rest);
    if (sub == "replay-dead-letters"_L1)
        return replayDeadLetters(rest);
    printError(u"workspace needs a subcommand: create, show, set, set-token or replay-dead-letters"_s);
    return UsageError;
}

} // namespace ClearSignal::Cli
