// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyedHasher.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace ClearSignal {

KeyedHasher::KeyedHasher(const QByteArray& key)
{
    constexpr qsizetype blockSize = 64; // SHA-256
    QByteArray block = key.size() > blockSize ? QCryptographicHash::hash(key, QCryptographicHash::Sha256) : key;
    block.resize(blockSize, '\0');
    m_innerPad.resize(blockSize);
    m_outerPad.resize(blockSize);
    for (qsizetype i = 0; i < blockSize; ++i) {
        m_innerPad[i] = char(block.at(i) ^ 0x36);
        m_outerPad[i] = char(block.at(i) ^ 0x5c);
    }
}

QString KeyedHasher::hash(QStringView value) const
{
    // HMAC-SHA-256 (RFC 2104), equal to QMessageAuthenticationCode's, without redoing the key schedule per call.
    QCryptographicHash inner(QCryptographicHash::Sha256);
    inner.addData(m_innerPad);
    inner.addData(value.toUtf8());
    QCryptographicHash outer(QCryptographicHash::Sha256);
    outer.addData(m_outerPad);
    outer.addData(inner.resultView());
    return QString::fromLatin1(outer.resultView().first(16).toByteArray().toHex());
}

QString KeyedHasher::newKeyHex()
{
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()), key.size() / 4);
    return QString::fromLatin1(key.toHex());
}

} // namespace ClearSignal
