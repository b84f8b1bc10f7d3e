// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/SecretStore.h"

#include <chrono>

namespace ClearSignal {

/// A SecretStore in the system keychain through QtKeychain (on Linux: the Secret Service over D-Bus, for example
/// gnome-keyring or KWallet). There is no plaintext fallback: when no keychain answers, calls fail with a message
/// that points headless servers to CLEARSIGNAL_TIKTOK_TOKEN.
///
/// Each call blocks the calling thread until the keychain answers or the timeout passes, so a keyring prompt or a
/// dead D-Bus cannot hang the relay. Callable from any thread (a QCoreApplication must exist): the QtKeychain jobs
/// all run on one internal thread, because QtKeychain queues its jobs on a single executor that is not thread-safe.
/// After a timeout the abandoned job still holds that queue, so later calls time out too until the keychain answers.
class KeychainSecretStore final : public SecretStore
{
public:
    static constexpr std::chrono::milliseconds defaultTimeout{10'000};

    /// service is the keychain's service name for every key; ClearSignal uses defaultService().
    explicit KeychainSecretStore(const QString& service = defaultService(),
                                 std::chrono::milliseconds timeout = defaultTimeout);

    Expected<std::optional<QString>> read(const QString& key) override;
    Status write(const QString& key, const QString& value) override;
    Status remove(const QString& key) override;

    /// "ClearSignal".
    static QString defaultService();
    /// The error every call returns when there is no keychain to talk to (no D-Bus session, no Secret Service).
    static QString noKeychainMessage();

private:
    QString m_service;
    std::chrono::milliseconds m_timeout;
};

} // namespace ClearSignal
