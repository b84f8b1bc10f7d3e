// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayPage.h"

#include "dialogs/NewWorkspaceDialog.h"
#include "storage/Workspace.h"
#include "storage/WorkspaceSettings.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace ClearSignal {

namespace {

QLabel* wrappingLabel(QWidget* parent, const QString& objectName)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

RelayPage::RelayPage(RelayRunner::SecretStoreFactory secrets, QWidget* parent)
    : QWidget(parent), m_runner(std::move(secrets))
{
    setObjectName(QStringLiteral("relayPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);

    auto* title = new QLabel(tr("<h2>Relay</h2>"), this);
    auto* intro = new QLabel(tr("The relay takes your site's events on an address of your own, checks consent, "
                                "removes health information and delivers only what your rules allow to the TikTok "
                                "Events API. Events are kept on disk until TikTok has them."),
                             this);
    intro->setWordWrap(true);

    auto* settings = new QGroupBox(tr("Workspace"), this);
    auto* settingsLayout = new QVBoxLayout(settings);
    auto* form = new QFormLayout;
    settingsLayout->addLayout(form);
    auto* workspaceRow = new QHBoxLayout;
    m_workspaceEdit = new QLineEdit(settings);
    m_workspaceEdit->setObjectName(QStringLiteral("workspacePathEdit"));
    m_workspaceEdit->setReadOnly(true);
    m_workspaceEdit->setPlaceholderText(tr("No workspace open: make one for your site with New…"));
    m_newButton = new QPushButton(tr("&New…"), settings);
    m_newButton->setObjectName(QStringLiteral("newWorkspaceButton"));
    connect(m_newButton, &QPushButton::clicked, this, &RelayPage::createWorkspace);
    m_openButton = new QPushButton(tr("&Open…"), settings);
    m_openButton->setObjectName(QStringLiteral("openWorkspaceButton"));
    connect(m_openButton, &QPushButton::clicked, this, &RelayPage::chooseWorkspace);
    workspaceRow->addWidget(m_workspaceEdit, 1);
    workspaceRow->addWidget(m_newButton);
    workspaceRow->addWidget(m_openButton);
    form->addRow(tr("File:"), workspaceRow);

    auto* tokenRow = new QHBoxLayout;
    m_tokenButton = new QPushButton(tr("Set &Access Token…"), settings);
    m_tokenButton->setObjectName(QStringLiteral("setTokenButton"));
    m_tokenButton->setEnabled(false);
    m_tokenButton->setToolTip(tr("The TikTok Events API access token, kept in the system keychain"));
    connect(m_tokenButton, &QPushButton::clicked, this, &RelayPage::askForAccessToken);
    auto* tokenNote = new QLabel(tr("Kept in the system keychain, never in the workspace file."), settings);
    tokenNote->setWordWrap(true);
    tokenRow->addWidget(m_tokenButton);
    tokenRow->addWidget(tokenNote, 1);
    form->addRow(tr("TikTok:"), tokenRow);

    m_listenEdit = new QLineEdit(settings);
    m_listenEdit->setObjectName(QStringLiteral("listenEdit"));
    m_listenEdit->setPlaceholderText(QStringLiteral("127.0.0.1:8787"));
    m_listenEdit->setToolTip(tr("Address and port the relay listens on. 127.0.0.1 keeps it on this computer."));
    connect(m_listenEdit, &QLineEdit::textChanged, this, &RelayPage::checkListen);
    form->addRow(tr("&Listen on:"), m_listenEdit);
    m_listenError = wrappingLabel(settings, QStringLiteral("listenErrorLabel"));
    m_listenError->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_listenError->hide();
    settingsLayout->addWidget(m_listenError);
    m_exposureWarning = wrappingLabel(settings, QStringLiteral("exposureWarningLabel"));
    m_exposureWarning->setStyleSheet(
        QStringLiteral("background: #fff4ce; color: #5c4400; border: 1px solid #e0b800; padding: 6px;"));
    m_exposureWarning->hide();
    settingsLayout->addWidget(m_exposureWarning);

    auto* controls = new QHBoxLayout;
    m_startButton = new QPushButton(tr("&Start relay"), this);
    m_startButton->setObjectName(QStringLiteral("startRelayButton"));
    m_startButton->setEnabled(false);
    connect(m_startButton, &QPushButton::clicked, this, &RelayPage::startOrStop);
    m_status = wrappingLabel(this, QStringLiteral("relayStatusLabel"));
    m_status->setText(tr("Stopped."));
    controls->addWidget(m_startButton);
    controls->addWidget(m_status, 1);

    auto* healthBox = new QGroupBox(tr("Delivery"), this);
    auto* healthForm = new QFormLayout(healthBox);
    const QList<std::pair<QString, QString>> fields{
        {QStringLiteral("received"), tr("Events received:")},
        {QStringLiteral("queue_depth"), tr("Waiting to be sent:")},
        {QStringLiteral("delivered"), tr("Delivered to TikTok:")},
        {QStringLiteral("dead_lettered"), tr("Refused by TikTok (kept aside):")},
        {QStringLiteral("delivery"), tr("Delivery:")},
        {QStringLiteral("last_tiktok_error"), tr("Last TikTok error:")},
    };
    for (const auto& [field, label] : fields) {
        QLabel* value = wrappingLabel(healthBox, QStringLiteral("health_") + field);
        value->setText(tr("–"));
        healthForm->addRow(label, value);
        m_health.insert(field, value);
    }

    auto* snippetBox = new QGroupBox(tr("Snippet for your site"), this);
    auto* snippetLayout = new QVBoxLayout(snippetBox);
    auto* snippetIntro = new QLabel(tr("Put this on every page instead of the TikTok Pixel, with the address of "
                                       "your TLS proxy in front of the relay, then call clearsignal.track(\"Lead\") "
                                       "where a conversion happens."),
                                    snippetBox);
    snippetIntro->setWordWrap(true);
    m_snippet = new QPlainTextEdit(snippetBox);
    m_snippet->setObjectName(QStringLiteral("snippetEdit"));
    m_snippet->setReadOnly(true);
    m_snippet->setMaximumHeight(70);
    m_snippet->setPlaceholderText(tr("Start the relay to see the snippet."));
    m_copyButton = new QPushButton(tr("&Copy snippet"), snippetBox);
    m_copyButton->setObjectName(QStringLiteral("copySnippetButton"));
    m_copyButton->setEnabled(false);
    connect(m_copyButton, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_snippet->toPlainText()); });
    snippetLayout->addWidget(snippetIntro);
    snippetLayout->addWidget(m_snippet);
    snippetLayout->addWidget(m_copyButton, 0, Qt::AlignLeft);

    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(settings);
    layout->addLayout(controls);
    layout->addWidget(healthBox);
    layout->addWidget(snippetBox);
    layout->addStretch();

    connect(&m_runner, &RelayRunner::stateChanged, this, &RelayPage::onStateChanged);
    connect(&m_runner, &RelayRunner::started, this, [this](const QString& url, bool exposed) {
        m_status->setStyleSheet(QString());
        m_status->setText(exposed ? tr("Listening on %1, reachable from other computers.").arg(url)
                                  : tr("Listening on %1 (this computer only).").arg(url));
        showSnippet(url, exposed);
        if (m_startedListen != m_savedListen)
            saveListenSetting(m_startedListen); // a failure shows instead of the address
    });
    connect(&m_runner, &RelayRunner::failed, this, &RelayPage::showError);
    connect(&m_runner, &RelayRunner::stopped, this, [this] { m_status->setText(tr("Stopped.")); });
    connect(&m_runner, &RelayRunner::healthChanged, this, &RelayPage::showHealth);
    connect(&m_runner, &RelayRunner::accessTokenStored, this, [this] {
        updateControls();
        m_status->setStyleSheet(QString());
        m_status->setText(tr("The access token is in the system keychain."));
    });
    connect(&m_runner, &RelayRunner::accessTokenFailed, this, [this](const QString& message) {
        updateControls();
        showError(message);
    });
    connect(&m_runner, &RelayRunner::storageFailed, this, [this](const QString& message) {
        showError(tr("The workspace file refused a write: %1").arg(message));
    });
}

bool RelayPage::openWorkspace(const QString& path)
{
    if (m_runner.state() != RelayRunner::State::Stopped)
        return false;
    Expected<std::unique_ptr<Workspace>> workspace = Workspace::open(path);
    Expected<WorkspaceSettings> settings =
        workspace ? WorkspaceSettings::load(**workspace) : Expected<WorkspaceSettings>(workspace.error());
    if (!settings) {
        showError(tr("Cannot open %1: %2").arg(QDir::toNativeSeparators(path), settings.errorMessage()));
        return false;
    }
    m_workspacePath = path;
    m_savedListen = settings->listen;
    m_ingestKey = settings->ingestKey;
    m_workspaceEdit->setText(QDir::toNativeSeparators(path));
    m_listenEdit->setText(settings->listen);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Stopped."));
    m_snippet->clear();
    m_copyButton->setEnabled(false);
    for (QLabel* value : std::as_const(m_health))
        value->setText(tr("–")); // counts are the running relay's; another workspace has none yet
    checkListen();
    emit workspaceOpened(path);
    return true;
}

void RelayPage::chooseWorkspace()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Workspace"), QFileInfo(m_workspacePath).path(),
                                                      tr("ClearSignal workspaces (*.csdb);;All files (*)"));
    if (!path.isEmpty())
        openWorkspace(path);
}

void RelayPage::createWorkspace()
{
    if (m_runner.state() != RelayRunner::State::Stopped)
        return;
    const QString directory =
        m_workspacePath.isEmpty()
            ? QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(QStringLiteral("ClearSignal"))
            : QFileInfo(m_workspacePath).path();
    NewWorkspaceDialog dialog(directory, this);
    if (dialog.exec() == QDialog::Accepted && openWorkspace(dialog.createdPath()))
        m_status->setText(tr("Workspace created. Set the TikTok access token, then start the relay."));
}

void RelayPage::askForAccessToken()
{
    bool ok = false;
    const QString token = QInputDialog::getText(
        this, tr("TikTok Access Token"),
        tr("Paste the access token from TikTok Events Manager (your pixel, Settings, Events API, Generate Access "
           "Token). ClearSignal keeps it in the system keychain."),
        QLineEdit::Password, QString(), &ok);
    if (!ok || m_workspacePath.isEmpty())
        return;
    m_tokenButton->setEnabled(false); // until the keychain has answered
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Storing the access token…"));
    m_runner.storeAccessToken(m_workspacePath, token.trimmed());
}

void RelayPage::checkListen()
{
    const QString text = m_listenEdit->text().trimmed();
    const Expected<std::pair<QHostAddress, quint16>> listen = WorkspaceSettings::parseListen(text);
    m_listenValid = bool(listen);
    m_listenError->setVisible(!listen);
    if (!listen)
        m_listenError->setText(listen.errorMessage());
    // Binding beyond loopback is allowed, but never silently: the relay then belongs behind a TLS proxy.
    const bool exposed = listen && !listen->first.isLoopback();
    m_exposureWarning->setVisible(exposed);
    if (exposed)
        m_exposureWarning->setText(
            tr("Other computers can reach the relay on %1. Only do this behind a reverse proxy with TLS (see "
               "docs/relay.md): browsers on an https site will not send events to plain http, and the relay should "
               "never face the internet directly.")
                .arg(listen->first.toString()));
    updateControls();
}

void RelayPage::updateControls()
{
    const RelayRunner::State state = m_runner.state();
    const bool stopped = state == RelayRunner::State::Stopped;
    const bool running = state == RelayRunner::State::Running;
    m_startButton->setText(running || state == RelayRunner::State::Stopping ? tr("&Stop relay") : tr("&Start relay"));
    m_startButton->setEnabled(running || (stopped && !m_workspacePath.isEmpty() && m_listenValid));
    m_openButton->setEnabled(stopped);
    m_newButton->setEnabled(stopped);
    m_tokenButton->setEnabled(stopped && !m_workspacePath.isEmpty());
    m_listenEdit->setReadOnly(!stopped);
}

void RelayPage::startOrStop()
{
    if (m_runner.state() == RelayRunner::State::Running) {
        m_runner.stop();
        return;
    }
    // The address becomes the workspace's setting once a relay started on it: not when another relay holds the
    // workspace, or the address cannot be used.
    RelayOptions options;
    options.listen = m_listenEdit->text().trimmed();
    m_startedListen = options.listen;
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Starting…"));
    m_runner.start(m_workspacePath, options);
}

bool RelayPage::saveListenSetting(const QString& listen)
{
    // The address is a workspace setting: the CLI's relay and the next start here use it too.
    Expected<std::unique_ptr<Workspace>> workspace = Workspace::open(m_workspacePath);
    Expected<WorkspaceSettings> settings =
        workspace ? WorkspaceSettings::load(**workspace) : Expected<WorkspaceSettings>(workspace.error());
    Status saved = settings ? settings->set(QStringLiteral("listen"), listen) : Status(settings.error());
    if (saved)
        saved = settings->save(**workspace);
    if (!saved) {
        showError(tr("Cannot save the address: %1").arg(saved.errorMessage()));
        return false;
    }
    m_savedListen = listen;
    return true;
}

void RelayPage::onStateChanged(RelayRunner::State state)
{
    updateControls();
    emit canOpenWorkspaceChanged(state == RelayRunner::State::Stopped);
    if (state == RelayRunner::State::Stopping)
        m_status->setText(tr("Stopping: storing what was received…"));
    if (state == RelayRunner::State::Stopped) {
        m_snippet->clear();
        m_copyButton->setEnabled(false);
    }
}

void RelayPage::showHealth(const QJsonObject& health)
{
    const QLocale locale;
    for (const QString& field : {QStringLiteral("received"), QStringLiteral("queue_depth"),
                                 QStringLiteral("delivered"), QStringLiteral("dead_lettered")})
        m_health.value(field)->setText(locale.toString(health.value(field).toInteger()));
    const QJsonObject delivery = health.value(QStringLiteral("delivery")).toObject();
    if (delivery.value(QStringLiteral("state")).toString() == QStringLiteral("paused"))
        m_health.value(QStringLiteral("delivery"))
            ->setText(tr("Paused for %1 s: %2")
                          .arg(delivery.value(QStringLiteral("paused_for_seconds")).toInteger())
                          .arg(delivery.value(QStringLiteral("pause_reason")).toString()));
    else
        m_health.value(QStringLiteral("delivery"))->setText(tr("Running"));
    const QString lastError = health.value(QStringLiteral("last_tiktok_error")).toString();
    m_health.value(QStringLiteral("last_tiktok_error"))->setText(lastError.isEmpty() ? tr("None") : lastError);
}

void RelayPage::showError(const QString& message)
{
    m_status->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_status->setText(message);
}

void RelayPage::showSnippet(const QString& url, bool exposed)
{
    // Listening on every interface names no address a browser could use: the proxy's goes there.
    const QString where = exposed ? QStringLiteral("https://YOUR-RELAY-HOST/") : url;
    m_snippet->setPlainText(QStringLiteral("<script src=\"%1cs.js\" data-key=\"%2\" async></script>")
                                .arg(where, m_ingestKey));
    m_copyButton->setEnabled(true);
}

} // namespace ClearSignal
