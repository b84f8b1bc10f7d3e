// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rules/RuleSet.h"

#include <QString>
#include <QStringView>

#include <optional>

namespace ClearSignal {

/// Applies a URL field policy (origin, path, category, keep) to a page URL or referrer.
class UrlReducer final
{
public:
    struct Result
    {
        std::optional<QString> url; ///< nullopt: nothing may be sent
        QString action;             ///< trace action
        QString reason;             ///< for people
    };

    /// Query parameters that identify a person or a click on another platform. They never leave,
    /// whatever the policy: ttclid moves to user.ttclid; the others are dropped.
    static const QStringList& clickIdParameters();

    /// The ttclid query parameter of a URL (decoded), or an empty string.
    static QString extractTtclid(QStringView url);

    static Result reduce(QStringView url, FieldPolicy policy, const QList<UrlCategory>& categories);

private:
    static Result reduceUnchecked(QStringView url, FieldPolicy policy, const QList<UrlCategory>& categories);
};

} // namespace ClearSignal
