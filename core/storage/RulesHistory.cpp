// SPDX-License-Identifier: GPL-3.0-or-later
#include "RulesHistory.h"

#include "Workspace.h"
#include "rules/RuleSetJson.h"

#include <QSqlQuery>
#include <QVariant>

namespace ClearSignal::RulesHistory {

using namespace Qt::Literals::StringLiterals;

Status check(const RuleSet& rules)
{
    const RuleSetLoad load = RuleSetJson::parse(RuleSetJson::serialize(rules));
    if (load.hasErrors())
        return Error{u"the rules cannot be saved:\n"_s + load.report()};
    return Ok;
}

Expected<int> add(Workspace& workspace, const RuleSet& rules, const QString& author, const QString& comment,
                  qint64 now)
{
    if (Status valid = check(rules); !valid)
        return valid.error();
    const QByteArray document = RuleSetJson::serialize(rules);
    QSqlQuery query(workspace.database());
    query.prepare(u"INSERT INTO rules_revisions (created_at, author, comment, document) VALUES (?, COALESCE(?, ''), COALESCE(?, ''), ?)"_s);
    query.addBindValue(now);
    query.addBindValue(author);
    query.addBindValue(comment);
    query.addBindValue(QString::fromUtf8(document));
    if (!query.exec())
        return Error{workspace.describeError(query, u"saving the rules"_s)};
    return query.lastInsertId().toInt();
}

Expected<std::pair<RulesRevision, RuleSet>> current(const Workspace& workspace)
{
    QSqlQuery query(workspace.database());
    if (!query.exec(u"SELECT revision, created_at, author, comment, document FROM rules_revisions "
                    "ORDER BY revision DESC LIMIT 1"_s))
        return Error{workspace.describeError(query, u"reading the rules"_s)};
    if (!query.next())
        return Error{u"the workspace %1 has no rules yet; give it a template or a rules file"_s.arg(workspace.path())};
    RulesRevision revision;
    revision.revision = query.value(0).toInt();
    revision.createdAt = query.value(1).toLongLong();
    revision.author = query.value(2).toString();
    revision.comment = query.value(3).toString();
    revision.document = query.value(4).toString().toUtf8();
    RuleSetLoad load = RuleSetJson::parse(revision.document);
    if (load.hasErrors() || !load.rules)
        return Error{u"rules revision %1 of %2 is invalid:\n%3"_s.arg(revision.revision).arg(workspace.path(),
                                                                                            load.report())};
    return std::pair{revision, std::move(*load.rules)};
}

QList<RulesRevision> list(const Workspace& workspace)
{
    QList<RulesRevision> revisions;
    QSqlQuery query(workspace.database());
    if (!query.exec(u"SELECT revision, created_at, author, comment FROM rules_revisions ORDER BY revision"_s))
        return revisions;
    while (query.next()) {
        RulesRevision revision;
        revision.revision = query.value(0).toInt();
        revision.createdAt = query.value(1).toLongLong();
        revision.author = query.value(2).toString();
        revision.comment = query.value(3).toString();
        revisions.append(revision);
    }
    return revisions;
}

} // namespace ClearSignal::RulesHistory
