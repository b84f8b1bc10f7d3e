// SPDX-License-Identifier: GPL-3.0-or-later
#include "SecretServiceBus.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QMap>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int callTimeoutMs = 2000;

QString secretsService()
{
    return u"org.freedesktop.secrets"_s;
}

// A private connection, closed after each question: the shared session bus keeps the first address it saw, and
// a keychain that was missing a minute ago may be there now.
class PrivateSessionBus final
{
public:
    PrivateSessionBus() : m_bus(open()) {}
    ~PrivateSessionBus() { QDBusConnection::disconnectFromBus(name()); }
    Q_DISABLE_COPY_MOVE(PrivateSessionBus)

    bool isConnected() const { return m_bus.isConnected(); }
    QDBusMessage call(QDBusMessage message) { return m_bus.call(message, QDBus::Block, callTimeoutMs); }

private:
    static QString name() { return u"clearsignal-secret-service-check"_s; }
    static QDBusConnection open()
    {
        const QString address = qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS");
        return address.isEmpty() ? QDBusConnection::connectToBus(QDBusConnection::SessionBus, name())
                                 : QDBusConnection::connectToBus(address, name());
    }

    QDBusConnection m_bus;
};

QDBusMessage busMethod(const QString& method)
{
    return QDBusMessage::createMethodCall(u"org.freedesktop.DBus"_s, u"/org/freedesktop/DBus"_s,
                                          u"org.freedesktop.DBus"_s, method);
}

bool isReplyWith(const QDBusMessage& reply, int arguments)
{
    return reply.type() == QDBusMessage::ReplyMessage && reply.arguments().size() >= arguments;
}

} // namespace

bool SecretServiceBus::reachable()
{
    PrivateSessionBus bus;
    if (!bus.isConnected())
        return false;
    QDBusMessage hasOwner = busMethod(u"NameHasOwner"_s);
    hasOwner << secretsService();
    const QDBusMessage owner = bus.call(hasOwner);
    if (isReplyWith(owner, 1) && owner.arguments().constFirst().toBool())
        return true;
    const QDBusMessage names = bus.call(busMethod(u"ListActivatableNames"_s));
    return isReplyWith(names, 1) && names.arguments().constFirst().toStringList().contains(secretsService());
}

std::optional<SecretServiceBus::Items> SecretServiceBus::findItems(const QString& service, const QString& key)
{
    using Attributes = QMap<QString, QString>;
    qDBusRegisterMetaType<Attributes>();

    PrivateSessionBus bus;
    if (!bus.isConnected())
        return std::nullopt;
    QDBusMessage search = QDBusMessage::createMethodCall(secretsService(), u"/org/freedesktop/secrets"_s,
                                                         u"org.freedesktop.Secret.Service"_s, u"SearchItems"_s);
    // Only asks a running Secret Service: starting one here would only find an empty, locked keyring.
    search.setAutoStartService(false);
    // The attributes of QtKeychain's libsecret schema ("org.qt.keychain"): user is the key, server the service.
    const Attributes attributes{{u"user"_s, key}, {u"server"_s, service}};
    search << QVariant::fromValue(attributes);
    const QDBusMessage reply = bus.call(search);
    if (!isReplyWith(reply, 2))
        return std::nullopt;
    const auto unlocked = qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().at(0));
    const auto locked = qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().at(1));
    return Items{unlocked.size(), locked.size()};
}

} // namespace ClearSignal
