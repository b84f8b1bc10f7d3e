// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConsentReader.h"

#include "storage/Workspace.h"

#include <QSqlError>
#include <QVariant>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

ConsentReader::ConsentReader(const Workspace& workspace, const KeyedHasher& hasher)
    : m_hasher(hasher), m_query(workspace.database())
{
    m_query.setForwardOnly(true);
    m_query.prepare(u"SELECT ads, source, recorded_at FROM consent WHERE visitor = ?"_s);
}

Expected<std::optional<ConsentRecord>> ConsentReader::consentFor(const QString& visitorId) const
{
    if (visitorId.isEmpty())
        return std::optional<ConsentRecord>();
    return consentForKey(m_hasher.hash(visitorId));
}

Expected<std::optional<ConsentRecord>> ConsentReader::consentForKey(const QString& visitorKey) const
{
    if (visitorKey.isEmpty())
        return std::optional<ConsentRecord>();
    m_query.addBindValue(visitorKey);
    if (!m_query.exec())
        return Error{u"the consent records could not be read: %1"_s.arg(m_query.lastError().text())};
    std::optional<ConsentRecord> record;
    if (m_query.next())
        record = ConsentRecord{m_query.value(0).toBool(), m_query.value(1).toString(), m_query.value(2).toLongLong()};
    m_query.finish();
    return record;
}

} // namespace ClearSignal
