// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace ClearSignal {

/// Direct questions to the Secret Service on the session bus, for what QtKeychain cannot tell: whether a failure
/// means there is no keychain at all, and whether "not found" really means a locked keyring. Never reads a secret.
/// Blocking; used on KeychainSecretStore's keychain thread only.
class SecretServiceBus final
{
public:
    /// How many keychain items QtKeychain stored under (service, key), by state.
    struct Items
    {
        qsizetype unlocked = 0;
        qsizetype locked = 0;
    };

    /// Whether the session bus answers and a Secret Service runs on it or can be started by it.
    static bool reachable();
    /// The items of QtKeychain's libsecret schema for (service, key); nullopt when the Secret Service did not answer.
    static std::optional<Items> findItems(const QString& service, const QString& key);
};

} // namespace ClearSignal
