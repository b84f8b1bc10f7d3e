// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyedHasher.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace ClearSignal {

QString KeyedHasher::hash(QStringView value) const
{
    const QByteArray mac =
        QMessageAuthenticationCode::hash(value.toUtf8(), m_key, QCryptographicHash::Sha256).left(16);
    return QString::fromLatin1(mac.toHex());
}

QString KeyedHasher::newKeyHex()
{
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()), key.size() / 4);
    return QString::fromLatin1(key.toHex());
}

} // namespace ClearSignal
