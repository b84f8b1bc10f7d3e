// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ClearSignal {

/// One step of the workspace schema. Steps are applied in order, each in its own transaction, and the file's
/// `PRAGMA user_version` counts how many were applied. Never edit a released step: add a new one.
struct Migration
{
    QString name;
    QStringList statements;
};

namespace Migrations {
const QList<Migration>& all();
} // namespace Migrations

} // namespace ClearSignal
