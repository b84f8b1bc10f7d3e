// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConsentPolicy.h"
#include "common/Expected.h"
#include "storage/KeyedHasher.h"

#include <QSqlQuery>

#include <memory>
#include <optional>

namespace ClearSignal {

class Workspace;

/// Looks up a visitor's latest consent record, on the connection of the thread that decides about events.
/// Records are written by RelayStore on the relay's writer thread; this reader sees what it committed.
class ConsentReader final
{
public:
    ConsentReader(const Workspace& workspace, const KeyedHasher& hasher);

    /// The latest record, none, or an error when the file could not be read: then nobody may decide that there
    /// is no record (under unless_opted_out that would forward a visitor who withdrew).
    Expected<std::optional<ConsentRecord>> consentFor(const QString& visitorId) const;
    /// The same, by the visitor's keyed hash when the caller has it already.
    Expected<std::optional<ConsentRecord>> consentForKey(const QString& visitorKey) const;
    const KeyedHasher& hasher() const { return m_hasher; }

private:
    KeyedHasher m_hasher;
    mutable QSqlQuery m_query;
};

} // namespace ClearSignal
