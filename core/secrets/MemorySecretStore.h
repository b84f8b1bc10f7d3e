// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/SecretStore.h"

#include <QHash>
#include <QStringList>

namespace ClearSignal {

/// A SecretStore that keeps its secrets in memory for the life of the object: for tests, and for wiring that
/// must hand the core a store without touching the system keychain. Not thread-safe.
class MemorySecretStore final : public SecretStore
{
public:
    Expected<std::optional<QString>> read(const QString& key) override;
    Status write(const QString& key, const QString& value) override;
    Status remove(const QString& key) override;

    /// The keys that hold a secret, sorted.
    QStringList keys() const;

private:
    QHash<QString, QString> m_secrets;
};

} // namespace ClearSignal
