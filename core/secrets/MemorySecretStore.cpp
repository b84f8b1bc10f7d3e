// SPDX-License-Identifier: GPL-3.0-or-later
#include "MemorySecretStore.h"

namespace ClearSignal {

Expected<std::optional<QString>> MemorySecretStore::read(const QString& key)
{
    const auto found = m_secrets.constFind(key);
    if (found == m_secrets.cend())
        return std::optional<QString>();
    return std::optional<QString>(*found);
}

Status MemorySecretStore::write(const QString& key, const QString& value)
{
    m_secrets.insert(key, value);
    return Ok;
}

Status MemorySecretStore::remove(const QString& key)
{
    m_secrets.remove(key);
    return Ok;
}

QStringList MemorySecretStore::keys() const
{
    QStringList keys = m_secrets.keys();
    keys.sort();
    return keys;
}

} // namespace ClearSignal
