// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConsentReader.h"

#include "storage/Workspace.h"

#include <QVariant>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

ConsentReader::ConsentReader(const Workspace& workspace, const KeyedHasher& hasher)
    : m_hasher(hasher), m_query(workspace.database())
{
    m_query.setForwardOnly(true);
    m_query.prepare(u"SELECT ads, source, recorded_at FROM consent WHERE visitor = ?"_s);
}

std::optional<ConsentRecord> ConsentReader::consentFor(const QString& visitorId) const
{
    if (visitorId.isEmpty())
        return std::nullopt;
    return consentForKey(m_hasher.hash(visitorId));
}

std::optional<ConsentRecord> ConsentReader::consentForKey(const QString& visitorKey) const
{
    if (visitorKey.isEmpty())
        return std::nullopt;
    m_query.addBindValue(visitorKey);
    std::optional<ConsentRecord> record;
    if (m_query.exec() && m_query.next())
        record = ConsentRecord{m_query.value(0).toBool(), m_query.value(1).toString(), m_query.value(2).toLongLong()};
    m_query.finish();
    return record;
}

} // namespace ClearSignal
