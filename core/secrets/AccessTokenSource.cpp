// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessTokenSource.h"

#include <optional>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

// What is wrong with a token, phrased to follow "The token ...", or nullopt when it is fine. Only positions and
// kinds of characters, never the characters themselves: a message may end up in a log or a bug report.
std::optional<QString> tokenProblem(const QString& token)
{
    if (token.isEmpty())
        return u"is empty"_s;
    const auto at = [&token](qsizetype i) -> QString { // a QString, not a QStringBuilder of dead temporaries
        return u" (character "_s % QString::number(i + 1) % u" of "_s % QString::number(token.size()) % u')';
    };
    for (qsizetype i = 0; i < token.size(); ++i) {
        const char16_t c = token.at(i).unicode();
        if (c == u'\n' || c == u'\r')
            return u"spans more than one line: it contains a line break"_s % at(i);
        if (c == u' ' || c == u'\t')
            return u"contains white space"_s % at(i);
        if (c < 0x21 || c > 0x7e)
            return u"contains a character that is not printable ASCII"_s % at(i);
    }
    return std::nullopt;
}

QString setTokenHint()
{
    return u"Store the token with `clearsignal-cli workspace set-token FILE` (FILE is the workspace; the token is read "
           u"from standard input)"_s;
}

} // namespace

QString accessTokenKey(const QString& workspaceId)
{
    return u"tiktok-access-token/"_s % workspaceId;
}

Status validateAccessToken(const QString& token)
{
    if (const std::optional<QString> problem = tokenProblem(token))
        return Error{u"The TikTok access token "_s % *problem %
                     u". Copy it again from TikTok Events Manager: it is a single line of letters, digits and "
                     u"punctuation."_s};
    return Ok;
}

Expected<QString> resolveAccessToken(SecretStore& store, const QString& workspaceId)
{
    const QString variable = QString::fromLatin1(accessTokenVariable);
    if (qEnvironmentVariableIsSet(accessTokenVariable)) {
        const QString token = qEnvironmentVariable(accessTokenVariable);
        if (const std::optional<QString> problem = tokenProblem(token))
            return Error{variable % u" is set, but the TikTok access token in it "_s % *problem % u". Set "_s %
                         variable %
                         u" to the token exactly as TikTok Events Manager shows it, or unset it to use the token "
                         u"in the keychain."_s};
        return token;
    }

    if (workspaceId.isEmpty())
        return Error{u"No workspace was named when looking up the TikTok access token. This is a bug in ClearSignal; "
                     u"please report it."_s};
    const Expected<std::optional<QString>> stored = store.read(accessTokenKey(workspaceId));
    if (!stored)
        return stored.error();
    if (!stored->has_value())
        return Error{u"No TikTok access token for workspace \""_s % workspaceId % u"\": "_s % variable %
                     u" is not set and the keychain holds none. "_s % setTokenHint() %
                     u", or on a headless server set "_s % variable % u" in the relay's environment."_s};
    const QString& token = **stored;
    if (const std::optional<QString> problem = tokenProblem(token))
        return Error{u"The TikTok access token stored in the keychain for workspace \""_s % workspaceId % u"\" "_s %
                     *problem % u". "_s % setTokenHint() % u" to replace it."_s};
    return token;
}

} // namespace ClearSignal
