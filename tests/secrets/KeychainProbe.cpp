// SPDX-License-Identifier: GPL-3.0-or-later
// One KeychainSecretStore call in a child process, for TestKeychainSecretStoreFailures: each scenario (no bus, a bus
// without a keyring, a bus that never answers, a locked keyring) needs its own process, because D-Bus connections
// and QtKeychain's job queue are process-wide.
//
// Usage: KeychainProbe read|write|remove KEY TIMEOUT_MS   (write stores "probe-value")
// Prints "ok", "missing" or "found" on standard output and exits 0, or prints the error on standard error and
// exits 1. Exit 2 means bad usage.

#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QTextStream>

#include <chrono>
#include <cstdio>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    bool validTimeout = false;
    const int timeoutMs = args.size() == 4 ? args.at(3).toInt(&validTimeout) : 0;
    if (!validTimeout || timeoutMs <= 0) {
        QTextStream(stderr) << "usage: KeychainProbe read|write|remove KEY TIMEOUT_MS\n";
        return 2;
    }
    const QString& operation = args.at(1);
    const QString& key = args.at(2);
    KeychainSecretStore store(KeychainSecretStore::defaultService(), std::chrono::milliseconds(timeoutMs));

    QString error;
    QString answer = u"ok"_s;
    if (operation == "read"_L1) {
        const Expected<std::optional<QString>> value = store.read(key);
        if (value)
            answer = value->has_value() ? u"found"_s : u"missing"_s;
        error = value.errorMessage();
    } else if (operation == "write"_L1) {
        error = store.write(key, u"probe-value"_s).errorMessage();
    } else if (operation == "remove"_L1) {
        error = store.remove(key).errorMessage();
    } else {
        QTextStream(stderr) << "unknown operation " << operation << '\n';
        return 2;
    }
    if (!error.isEmpty()) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    QTextStream(stdout) << answer << '\n';
    return 0;
}
