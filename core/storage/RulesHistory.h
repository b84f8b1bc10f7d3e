// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"
#include "rules/RuleSet.h"

#include <QList>
#include <QString>

namespace ClearSignal {

class Workspace;

/// One saved version of a workspace's rules. The document is the complete clearsignal.rules/1 file, so a
/// revision can be copied to another relay on its own.
struct RulesRevision
{
    int revision = 0;
    qint64 createdAt = 0;
    QString author;
    QString comment;
    QByteArray document;
};

/// Every rules document a workspace has used, oldest first; the newest is the one in force. Revisions are
/// only ever added: going back to an old one adds it again, so the history shows the rollback.
namespace RulesHistory {

/// Ok when the rules can be stored: they serialize to a document that loads without errors. add() checks it too.
Status check(const RuleSet& rules);
/// Adds a revision after checking the document; returns its number.
Expected<int> add(Workspace& workspace, const RuleSet& rules, const QString& author, const QString& comment,
                  qint64 now);
/// The rules in force, checked again on the way out (a file edited by hand must not slip past validation).
Expected<std::pair<RulesRevision, RuleSet>> current(const Workspace& workspace);
/// All revisions, without their documents.
QList<RulesRevision> list(const Workspace& workspace);

} // namespace RulesHistory

} // namespace ClearSignal
