// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>

class QSqlQuery;

namespace ClearSignal {

/// One site's workspace: a single SQLite file (WAL, synchronous=FULL) holding its settings, rules revisions,
/// consent records, the delivery queue, dead letters, the audit trail and statistics. Never raw PHI.
///
/// The connection belongs to the thread that opened the workspace; other threads open their own.
class Workspace final
{
public:
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    /// Creates a new workspace file; fails when the file exists already.
    static Expected<std::unique_ptr<Workspace>> create(const QString& path);
    /// Opens an existing workspace and brings its schema up to date.
    static Expected<std::unique_ptr<Workspace>> open(const QString& path);

    QString path() const { return m_path; }
    QSqlDatabase database() const { return m_db; } ///< a handle to the connection of this thread
    /// The schema version the file is at (the number of migrations applied).
    int schemaVersion() const;

    /// One value of the settings table, or an empty string.
    QString setting(const QString& key) const;
    Status setSetting(const QString& key, const QString& value);

    /// Runs `work` inside one transaction: committed when it returns Ok, rolled back otherwise. A call made from
    /// inside `work` joins the running transaction.
    Status transaction(const std::function<Status()>& work);

    /// The message for a failed statement, saying what to do (a full disk, a locked or damaged file).
    QString describeError(const QSqlQuery& query, const QString& doing) const;

private:
    explicit Workspace(QString path);
    Status connect();
    Status migrate();

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    int m_transactionDepth = 0;
};

} // namespace ClearSignal
