// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/SecretStore.h"

#include <QString>

namespace ClearSignal {

/// The environment variable that carries the TikTok access token on headless servers. When set, it wins over the
/// keychain. The token is never taken from a command-line argument, where other users could read it.
inline constexpr char accessTokenVariable[] = "CLEARSIGNAL_TIKTOK_TOKEN";

/// The SecretStore key of a workspace's TikTok access token: "tiktok-access-token/<workspace id>".
QString accessTokenKey(const QString& workspaceId);

/// Ok when token can be sent as an access token: not empty, one line, only visible ASCII (no spaces, tabs or
/// control characters). The error says what is wrong and where, never the token itself.
Status validateAccessToken(const QString& token);

/// The TikTok access token of a workspace: CLEARSIGNAL_TIKTOK_TOKEN when it is set, otherwise the token in store
/// under accessTokenKey(workspaceId) (the store is not asked when the variable is set). Fails with a message saying
/// how to provide one when neither holds a token, when the token is invalid, or when the store cannot answer.
Expected<QString> resolveAccessToken(SecretStore& store, const QString& workspaceId);

} // namespace ClearSignal
