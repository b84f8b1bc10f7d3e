// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace ClearSignal {

/// HMAC-SHA-256 under the workspace's own random key, for values the workspace must recognise but never hold:
/// visitor ids, event ids in the audit trail. Unlike a plain hash, the result cannot be matched against
/// another data set hashed the usual way (TikTok's own hashed emails, a rainbow table).
class KeyedHasher final
{
public:
    explicit KeyedHasher(const QByteArray& key);

    /// 32 lowercase hex digits (128 bits): enough to tell values apart, short enough for an index.
    QString hash(QStringView value) const;

    /// A fresh random key, as hex, for a new workspace.
    static QString newKeyHex();

private:
    // The key XORed with HMAC's inner and outer pads, computed once: the relay hashes two values per event.
    QByteArray m_innerPad;
    QByteArray m_outerPad;
};

} // namespace ClearSignal
