// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

namespace ClearSignal {

/// Creates a workspace for one site (as `clearsignal-cli workspace create` does): its file, the practice's
/// website, the TikTok pixel and a bundled rules template. The dialog stays open and says what is wrong until
/// the file is made.
class NewWorkspaceDialog final : public QDialog
{
    Q_OBJECT

public:
    /// `directory` is where the file goes unless the user picks another place.
    explicit NewWorkspaceDialog(const QString& directory, QWidget* parent = nullptr);

    /// The file made, once the dialog was accepted.
    QString createdPath() const { return m_createdPath; }

    void accept() override;

private:
    void chooseFile();
    void suggestFileName();
    void showError(const QString& message);

    QString m_directory;
    QString m_createdPath;
    bool m_fileChosen = false; ///< the user picked or typed the file: no more suggestions
    QLineEdit* m_site = nullptr;
    QLineEdit* m_pixel = nullptr;
    QComboBox* m_template = nullptr;
    QLineEdit* m_file = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace ClearSignal
