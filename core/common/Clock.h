// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace ClearSignal {

/// The time source of the core, so tests and reproducible replays can fix "now".
class Clock
{
public:
    virtual ~Clock() = default;
    /// Seconds since the Unix epoch.
    virtual qint64 nowSeconds() const = 0;
};

/// The wall clock.
class SystemClock final : public Clock
{
public:
    qint64 nowSeconds() const override;
    static const SystemClock& instance();
};

/// A clock that always answers the same time.
class FixedClock final : public Clock
{
public:
    explicit FixedClock(qint64 seconds) : m_seconds(seconds) {}
    qint64 nowSeconds() const override { return m_seconds; }
    void setNowSeconds(qint64 seconds) { m_seconds = seconds; }

private:
    qint64 m_seconds;
};

} // namespace ClearSignal
