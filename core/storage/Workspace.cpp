// SPDX-License-Identifier: GPL-3.0-or-later
#include "Workspace.h"

#include "Migrations.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

// SQLite's extended result codes, as the driver reports them in nativeErrorCode().
constexpr int sqliteFull = 13;
constexpr int sqliteBusy = 5;
constexpr int sqliteReadOnly = 8;
constexpr int sqliteCorrupt = 11;
constexpr int sqliteNotADatabase = 26;

int primaryCode(const QSqlError& error)
{
    return error.nativeErrorCode().toInt() & 0xff;
}

} // namespace

Workspace::Workspace(QString path)
    : m_path(std::move(path)), m_connectionName(u"workspace-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

Workspace::~Workspace()
{
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Expected<std::unique_ptr<Workspace>> Workspace::create(const QString& path)
{
    if (QFileInfo::exists(path))
        return Error{u"%1 exists already; open it, or choose another file name for a new workspace"_s.arg(path)};
    {
        // Created empty and private first, so the database never exists with wider permissions.
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return Error{u"cannot create %1: %2"_s.arg(path, file.errorString())};
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    std::unique_ptr<Workspace> workspace(new Workspace(path));
    if (Status connected = workspace->connect(); !connected) {
        workspace.reset();
        QFile::remove(path);
        return connected.error();
    }
    if (Status migrated = workspace->migrate(); !migrated) {
        workspace.reset();
        QFile::remove(path);
        return migrated.error();
    }
    if (Status id = workspace->setSetting(u"workspace_id"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)); !id)
        return id.error();
    return workspace;
}

Expected<std::unique_ptr<Workspace>> Workspace::open(const QString& path)
{
    if (!QFileInfo::exists(path))
        return Error{u"%1 does not exist; create a workspace first with: clearsignal-cli workspace create %1 --site URL "
                     "--pixel-id ID"_s.arg(path)};
    std::unique_ptr<Workspace> workspace(new Workspace(path));
    if (Status connected = workspace->connect(); !connected)
        return connected.error();
    if (Status migrated = workspace->migrate(); !migrated)
        return migrated.error();
    return workspace;
}

Status Workspace::connect()
{
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!m_db.open())
        return Error{u"cannot open the workspace %1: %2"_s.arg(m_path, m_db.lastError().text())};
    QSqlQuery query(m_db);
    // WAL lets readers (the GUI, `workspace show`) look while the relay writes; FULL makes a commit survive a
    // power cut, which is what "202 means stored" promises.
    for (const QString& pragma : {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s,
                                  u"PRAGMA foreign_keys=ON"_s, u"PRAGMA secure_delete=ON"_s}) {
        if (!query.exec(pragma))
            return Error{describeError(query, u"preparing the workspace"_s)};
    }
    if (!query.exec(u"PRAGMA quick_check"_s) || !query.next() || query.value(0).toString() != "ok"_L1)
        return Error{u"%1 is not a ClearSignal workspace or is damaged (%2); restore it from a backup"_s.arg(
            m_path, query.lastError().isValid() ? query.lastError().text() : query.value(0).toString())};
    return Ok;
}

int Workspace::schemaVersion() const
{
    QSqlQuery query(m_db);
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return 0;
    return query.value(0).toInt();
}

Status Workspace::migrate()
{
    const int current = schemaVersion();
    const QList<Migration>& migrations = Migrations::all();
    if (current > migrations.size())
        return Error{u"%1 was written by a newer ClearSignal (schema %2, this version knows %3); update ClearSignal"_s
                         .arg(m_path)
                         .arg(current)
                         .arg(migrations.size())};
    for (int version = current; version < migrations.size(); ++version) {
        const Migration& migration = migrations.at(version);
        Status applied = transaction([&]() -> Status {
            QSqlQuery query(m_db);
            for (const QString& statement : migration.statements) {
                if (!query.exec(statement))
                    return Error{describeError(query, u"upgrading the workspace (%1)"_s.arg(migration.name))};
            }
            if (!query.exec(u"PRAGMA user_version = %1"_s.arg(version + 1)))
                return Error{describeError(query, u"upgrading the workspace"_s)};
            return Ok;
        });
        if (!applied)
            return applied;
    }
    return Ok;
}

QString Workspace::setting(const QString& key) const
{
    QSqlQuery query(m_db);
    query.prepare(u"SELECT value FROM settings WHERE key = ?"_s);
    query.addBindValue(key);
    if (!query.exec() || !query.next())
        return {};
    return query.value(0).toString();
}

Status Workspace::setSetting(const QString& key, const QString& value)
{
    QSqlQuery query(m_db);
    query.prepare(u"INSERT INTO settings (key, value) VALUES (?, COALESCE(?, '')) ON CONFLICT(key) DO UPDATE SET value = excluded.value"_s);
    query.addBindValue(key);
    query.addBindValue(value);
    if (!query.exec())
        return Error{describeError(query, u"saving the setting %1"_s.arg(key))};
    return Ok;
}

Status Workspace::transaction(const std::function<Status()>& work)
{
    if (m_transactionDepth > 0) {
        // Nested: part of the caller's transaction, which commits or rolls back everything.
        ++m_transactionDepth;
        Status result = work();
        --m_transactionDepth;
        return result;
    }
    struct Depth
    {
        int& depth;
        explicit Depth(int& d) : depth(d) { ++depth; }
        ~Depth() { --depth; }
    };
    if (!m_db.transaction())
        return Error{u"cannot start a transaction on %1: %2"_s.arg(m_path, m_db.lastError().text())};
    Status result = [&] {
        Depth depth(m_transactionDepth);
        return work();
    }();
    if (!result) {
        m_db.rollback();
        return result;
    }
    if (!m_db.commit()) {
        const QString message = m_db.lastError().text();
        m_db.rollback();
        return Error{u"cannot save to %1: %2; check free disk space"_s.arg(m_path, message)};
    }
    return Ok;
}

QString Workspace::describeError(const QSqlQuery& query, const QString& doing) const
{
    const QSqlError error = query.lastError();
    switch (primaryCode(error)) {
    case sqliteFull:
        return u"the disk is full while %1 (%2); free some space, nothing accepted so far is lost"_s.arg(doing, m_path);
    case sqliteBusy:
        return u"the workspace %1 is busy (another ClearSignal is writing to it) while %2; try again"_s.arg(m_path,
                                                                                                           doing);
    case sqliteReadOnly:
        return u"the workspace %1 is read-only while %2; check the file's permissions"_s.arg(m_path, doing);
    case sqliteCorrupt:
    case sqliteNotADatabase:
        return u"the workspace %1 is damaged (%2); restore it from a backup"_s.arg(m_path, error.text());
    default:
        return u"error while %1 in %2: %3"_s.arg(doing, m_path, error.text());
    }
}

} // namespace ClearSignal
