// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Expected.h"

#include <QJsonObject>
#include <QString>

#include <chrono>

namespace ClearSignal::Fakes {

/// One scripted misbehaviour of the fake Events API, consumed by the next request to the track endpoint
/// before anything else is looked at (token, schema).
struct Fault
{
    enum class Kind {
        HttpStatus, ///< answer with this HTTP status: 5xx with nginx's HTML page, 4xx with the JSON envelope
        Code,       ///< HTTP 200 with this non-zero envelope code (40100, 50000, 40001, ...)
        Timeout,    ///< accept the request and never answer; the connection stays open
        Drop,       ///< close the connection without answering
        Slow,       ///< answer normally, after a delay
    };

    Kind kind = Kind::Code;
    int status = 0;  ///< HttpStatus: the HTTP status
    qint64 code = 0; ///< Code: the envelope code; HttpStatus 4xx: the body's code (default 40100 for 429, else 40002)
    QString message; ///< Code: overrides TikTok's message for the code
    std::chrono::milliseconds delay{0}; ///< Slow

    static Fault http(int status, qint64 code = 0);
    static Fault apiCode(qint64 code, const QString& message = {});
    static Fault timeout();
    static Fault drop();
    static Fault slow(std::chrono::milliseconds delay);

    /// "http_status", "code", "timeout", "drop" or "slow": the names the control API and the record file use.
    QString kindName() const;
    /// The control API's form: {"kind":"http_status","status":502}, {"kind":"code","code":40100},
    /// {"kind":"timeout"}, {"kind":"drop"}, {"kind":"slow","ms":1500}; unknown keys are refused.
    static Expected<Fault> fromJson(const QJsonObject& json);
    QJsonObject toJson() const;

    /// TikTok's message for an envelope code (research/tiktok-api.md 1.5); pixelCode fills 40001's text.
    static QString defaultMessage(qint64 code, const QString& pixelCode = {});
};

} // namespace ClearSignal::Fakes
