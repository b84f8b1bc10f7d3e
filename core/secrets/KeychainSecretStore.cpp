// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeychainSecretStore.h"

#include "SecretServiceBus.h"

#include <QCoreApplication>
#include <QMutex>
#include <QSemaphore>
#include <QThread>

#include <qt6keychain/keychain.h>

#include <memory>

namespace ClearSignal {

using namespace Qt::Literals::StringLiterals;

namespace {

enum class Operation { Read, Write, Remove };

// What a QtKeychain job reported, copied out before the job deletes itself.
struct JobOutcome
{
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text;
    bool secretServiceReachable = true;
};

// Shared by the caller and the keychain thread: a job may finish long after its caller gave up waiting.
struct PendingJob
{
    QSemaphore done;
    JobOutcome outcome;
};

// QtKeychain's single job executor lives in the thread that first used it and is not thread-safe. Running every job
// on one thread of our own keeps it alive and consistent whichever threads (GUI, relay, CLI) call the store.
// The thread and its context object are never deleted: abandoned jobs may still refer to them until exit.
QMutex keychainThreadMutex;
QThread* keychainThread = nullptr;
QObject* keychainContext = nullptr;

void stopKeychainThread()
{
    QMutexLocker lock(&keychainThreadMutex);
    if (keychainThread == nullptr)
        return;
    keychainThread->quit();
    keychainThread->wait(2000);
}

QObject* runningKeychainContext()
{
    QMutexLocker lock(&keychainThreadMutex);
    if (keychainThread == nullptr) {
        keychainThread = new QThread;
        keychainThread->setObjectName(u"ClearSignal keychain"_s);
        keychainContext = new QObject;
        keychainContext->moveToThread(keychainThread);
    }
    if (!keychainThread->isRunning()) {
        keychainThread->start();
        // Stopped with the application: a running QThread must not outlive QCoreApplication.
        qAddPostRoutine(stopKeychainThread);
    }
    return keychainContext;
}

// libsecret skips items in a locked keyring when the unlock prompt fails or is dismissed: a read answers "not found"
// and a delete "done" while the secret is still there. Ask the Secret Service whether anything is left behind.
void checkNothingLeft(Operation operation, const QString& service, const QString& key, JobOutcome& outcome)
{
    const std::optional<SecretServiceBus::Items> items = SecretServiceBus::findItems(service, key);
    if (!items)
        return;
    if (items->locked > 0) {
        outcome.error = QKeychain::AccessDenied;
        outcome.errorString = operation == Operation::Remove ? u"it is in a locked keyring and was not deleted"_s
                                                             : u"it is in a locked keyring"_s;
    } else if (operation == Operation::Remove && items->unlocked > 0) {
        outcome.error = QKeychain::CouldNotDeleteEntry;
        outcome.errorString = u"it was still there after deleting it"_s;
    }
}

// Runs on the keychain thread.
void startJob(const std::shared_ptr<PendingJob>& pending, Operation operation, const QString& service,
              const QString& key, const QString& value)
{
    QKeychain::Job* job = nullptr;
    switch (operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(service);
        break;
    case Operation::Write: {
        auto* write = new QKeychain::WritePasswordJob(service);
        write->setTextData(value);
        job = write;
        break;
    }
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(service);
        break;
    }
    // Never QtKeychain's QSettings fallback: secrets stay in the keychain or nowhere.
    job->setInsecureFallback(false);
    // The job deletes itself after finishing, also when its caller has timed out and gone.
    job->setAutoDelete(true);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [pending, operation, service, key](QKeychain::Job* done) {
        JobOutcome& outcome = pending->outcome;
        outcome.error = done->error();
        outcome.errorString = done->errorString();
        if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(done); read && outcome.error == QKeychain::NoError)
            outcome.text = read->textData();
        if (outcome.error == QKeychain::OtherError || outcome.error == QKeychain::CouldNotDeleteEntry)
            outcome.secretServiceReachable = SecretServiceBus::reachable();
        else if (outcome.error == QKeychain::EntryNotFound || operation == Operation::Remove)
            checkNothingLeft(operation, service, key, outcome);
        pending->done.release();
    });
    job->start();
}

QString doing(Operation operation)
{
    switch (operation) {
    case Operation::Read:
        return u"reading"_s;
    case Operation::Write:
        return u"storing"_s;
    case Operation::Remove:
        return u"deleting"_s;
    }
    return {};
}

QString headlessHint()
{
    return u"or on a headless server set CLEARSIGNAL_TIKTOK_TOKEN in the relay's environment."_s;
}

QString seconds(std::chrono::milliseconds timeout)
{
    const double value = double(timeout.count()) / 1000.0;
    return QString::number(value, 'g', 3) + (value == 1.0 ? u" second"_s : u" seconds"_s);
}

QString detail(const JobOutcome& outcome)
{
    return outcome.errorString.isEmpty() ? u"no details given"_s : outcome.errorString;
}

Error failure(Operation operation, const QString& key, const JobOutcome& outcome)
{
    switch (outcome.error) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error{KeychainSecretStore::noKeychainMessage()};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Error{u"The system keychain refused access while "_s % doing(operation) % u" the secret \""_s % key %
                     u"\": the keyring is locked or access was denied ("_s % detail(outcome) %
                     u"). Unlock your keyring (for example by logging in to the desktop, or with Passwords and "
                     u"Keys) and try again, "_s %
                     headlessHint()};
    case QKeychain::NoError:
    case QKeychain::EntryNotFound:
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    if (!outcome.secretServiceReachable)
        return Error{KeychainSecretStore::noKeychainMessage()};
    return Error{u"The system keychain failed while "_s % doing(operation) % u" the secret \""_s % key % u"\": "_s %
                 detail(outcome) %
                 u". Check that your keyring (for example gnome-keyring) is running and unlocked, then try again, "_s %
                 headlessHint()};
}

Expected<JobOutcome> run(Operation operation, const QString& service, const QString& key, const QString& value,
                         std::chrono::milliseconds timeout)
{
    if (key.isEmpty())
        return Error{u"ClearSignal asked the system keychain for a secret without a name. This is a bug in "
                     u"ClearSignal; please report it."_s};
    if (QCoreApplication::instance() == nullptr)
        return Error{u"The system keychain was used before the application started. This is a bug in ClearSignal; "
                     u"please report it."_s};

    auto pending = std::make_shared<PendingJob>();
    QMetaObject::invokeMethod(
        runningKeychainContext(),
        [pending, operation, service, key, value] { startJob(pending, operation, service, key, value); },
        Qt::QueuedConnection);
    if (!pending->done.tryAcquire(1, int(timeout.count())))
        return Error{u"The system keychain did not answer within "_s % seconds(timeout) % u" while "_s %
                     doing(operation) % u" the secret \""_s % key %
                     u"\". A keyring unlock prompt may be waiting, or the Secret Service is stuck. Answer the "
                     u"prompt or restart your keyring (for example gnome-keyring), then try again, "_s %
                     headlessHint()};
    return pending->outcome;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString& service, std::chrono::milliseconds timeout)
    : m_service(service), m_timeout(timeout)
{}

QString KeychainSecretStore::defaultService()
{
    return u"ClearSignal"_s;
}

QString KeychainSecretStore::noKeychainMessage()
{
    return u"No keychain is available: ClearSignal keeps the TikTok access token in the system keychain (Secret "
           u"Service over D-Bus), and none answered. Start your desktop's keyring (for example gnome-keyring), or on a "
           u"headless server set CLEARSIGNAL_TIKTOK_TOKEN in the relay's environment."_s;
}

Expected<std::optional<QString>> KeychainSecretStore::read(const QString& key)
{
    Expected<JobOutcome> outcome = run(Operation::Read, m_service, key, QString(), m_timeout);
    if (!outcome)
        return outcome.error();
    if (outcome->error == QKeychain::NoError)
        return std::optional<QString>(outcome->text);
    if (outcome->error == QKeychain::EntryNotFound)
        return std::optional<QString>();
    return failure(Operation::Read, key, *outcome);
}

Status KeychainSecretStore::write(const QString& key, const QString& value)
{
    Expected<JobOutcome> outcome = run(Operation::Write, m_service, key, value, m_timeout);
    if (!outcome)
        return outcome.error();
    if (outcome->error == QKeychain::NoError)
        return Ok;
    return failure(Operation::Write, key, *outcome);
}

Status KeychainSecretStore::remove(const QString& key)
{
    Expected<JobOutcome> outcome = run(Operation::Remove, m_service, key, QString(), m_timeout);
    if (!outcome)
        return outcome.error();
    if (outcome->error == QKeychain::NoError || outcome->error == QKeychain::EntryNotFound)
        return Ok;
    return failure(Operation::Remove, key, *outcome);
}

} // namespace ClearSignal
