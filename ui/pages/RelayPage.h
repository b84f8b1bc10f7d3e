// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "relay/RelayRunner.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace ClearSignal {

/// The relay of one workspace: where it listens (with a warning when that is beyond this computer), start and
/// stop, live delivery counts, and the snippet for the site. The relay itself runs on its own thread.
class RelayPage final : public QWidget
{
    Q_OBJECT

public:
    /// `secrets` makes the store for access tokens (default: the system keychain).
    explicit RelayPage(RelayRunner::SecretStoreFactory secrets = {}, QWidget* parent = nullptr);

    /// Shows the relay settings of the workspace at `path`; false, with the reason on the page, when it cannot
    /// be read. Ignored while a relay runs.
    bool openWorkspace(const QString& path);
    QString workspacePath() const { return m_workspacePath; }
    RelayRunner& runner() { return m_runner; }

public slots:
    /// Asks for a workspace file (.csdb) and opens it.
    void chooseWorkspace();
    /// Makes a workspace for a site (NewWorkspaceDialog) and opens it.
    void createWorkspace();
    /// Asks for the workspace's TikTok access token and keeps it in the secret store.
    void askForAccessToken();

signals:
    void workspaceOpened(const QString& path);
    /// A workspace can be opened now (the relay is stopped), or not.
    void canOpenWorkspaceChanged(bool canOpen);

private:
    void checkListen();
    void updateControls();
    void startOrStop();
    bool saveListenSetting(const QString& listen);
    void onStateChanged(RelayRunner::State state);
    void showHealth(const QJsonObject& health);
    void showError(const QString& message);
    void showSnippet(const QString& url, bool exposed);

    RelayRunner m_runner;
    QString m_workspacePath;
    QString m_savedListen;
    QString m_startedListen; ///< the address the relay is starting on
    QString m_ingestKey;
    bool m_listenValid = false;
    QLineEdit* m_workspaceEdit = nullptr;
    QPushButton* m_newButton = nullptr;
    QPushButton* m_openButton = nullptr;
    QPushButton* m_tokenButton = nullptr;
    QLineEdit* m_listenEdit = nullptr;
    QLabel* m_listenError = nullptr;
    QLabel* m_exposureWarning = nullptr;
    QPushButton* m_startButton = nullptr;
    QLabel* m_status = nullptr;
    QHash<QString, QLabel*> m_health; ///< by /v1/health field
    QPlainTextEdit* m_snippet = nullptr;
    QPushButton* m_copyButton = nullptr;
};

} // namespace ClearSignal
