// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace ClearSignal {

/// A failure a user can act on: what happened and, where possible, what to do about it.
struct Error
{
    QString message;
};

/// Either a value or an Error. Core calls that can fail return this instead of throwing,
/// so failures cross thread and signal boundaries as plain values.
template<typename T>
class [[nodiscard]] Expected final
{
public:
    Expected(T value) : m_state(std::move(value)) {}
    Expected(Error error) : m_state(std::move(error)) {}

    bool hasValue() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return hasValue(); }

    T& value() & { return std::get<T>(m_state); }
    const T& value() const& { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<Error>(m_state); }
    QString errorMessage() const { return hasValue() ? QString() : error().message; }

private:
    std::variant<T, Error> m_state;
};

/// Success or an Error, for calls that have nothing to return: `return Ok;` or `return Error{...};`.
using Status = Expected<std::monostate>;
inline constexpr std::monostate Ok{};

} // namespace ClearSignal
