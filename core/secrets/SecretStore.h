// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QString>

#include <optional>

namespace ClearSignal {

/// Where ClearSignal keeps its secrets (today: the TikTok Events API access token of each workspace).
///
/// The core only sees this interface, so tests and headless setups can swap the system keychain for a fake.
/// Naming: in the system keychain the service is "ClearSignal", and a workspace's access token lives under the key
/// "tiktok-access-token/<workspace id>" (accessTokenKey() in secrets/AccessTokenSource.h builds it).
///
/// Calls are synchronous because the CLI and the relay need the token before they start. Implementations never
/// write a secret anywhere but their store, and never put a secret value in an error message or a log.
class SecretStore
{
public:
    virtual ~SecretStore() = default;

    /// The secret stored under key; std::nullopt when the store holds none; an Error when the store could not answer.
    virtual Expected<std::optional<QString>> read(const QString& key) = 0;
    /// Stores value under key, replacing whatever was there.
    virtual Status write(const QString& key, const QString& value) = 0;
    /// Deletes the secret under key. Deleting a key that holds nothing succeeds.
    virtual Status remove(const QString& key) = 0;
};

} // namespace ClearSignal
