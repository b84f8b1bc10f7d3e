// SPDX-License-Identifier: GPL-3.0-or-later
#include "NewWorkspaceDialog.h"

#include "rules/RuleTemplates.h"
#include "storage/RulesHistory.h"
#include "storage/WorkspaceSetup.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace ClearSignal {

NewWorkspaceDialog::NewWorkspaceDialog(const QString& directory, QWidget* parent)
    : QDialog(parent), m_directory(directory)
{
    setObjectName(QStringLiteral("newWorkspaceDialog"));
    setWindowTitle(tr("New Workspace"));
    setMinimumWidth(560);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("A workspace holds one site's rules, consent records and the relay's queue. No "
                                "visitor's data is kept in it in clear."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_site = new QLineEdit(this);
    m_site->setObjectName(QStringLiteral("siteUrlEdit"));
    m_site->setPlaceholderText(QStringLiteral("https://clinic.example"));
    connect(m_site, &QLineEdit::textEdited, this, &NewWorkspaceDialog::suggestFileName);
    form->addRow(tr("&Website:"), m_site);
    m_pixel = new QLineEdit(this);
    m_pixel->setObjectName(QStringLiteral("pixelIdEdit"));
    m_pixel->setPlaceholderText(tr("From TikTok Events Manager, such as C3LTV833G487IS978FKG"));
    form->addRow(tr("TikTok &pixel ID:"), m_pixel);
    m_template = new QComboBox(this);
    m_template->setObjectName(QStringLiteral("templateCombo"));
    for (const RuleTemplate& rules : RuleTemplates::all())
        m_template->addItem(rules.name, rules.id);
    m_template->setCurrentIndex(std::max(0, m_template->findData(QStringLiteral("med-spa"))));
    form->addRow(tr("&Rules template:"), m_template);
    auto* fileRow = new QHBoxLayout;
    m_file = new QLineEdit(this);
    m_file->setObjectName(QStringLiteral("workspaceFileEdit"));
    connect(m_file, &QLineEdit::textEdited, this, [this] { m_fileChosen = true; });
    auto* browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(QStringLiteral("browseFileButton"));
    connect(browse, &QPushButton::clicked, this, &NewWorkspaceDialog::chooseFile);
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    auto* fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileRow);
    layout->addLayout(form);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("newWorkspaceErrorLabel"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    layout->addWidget(m_error);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    connect(buttons, &QDialogButtonBox::accepted, this, &NewWorkspaceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewWorkspaceDialog::reject);
    layout->addWidget(buttons);
    suggestFileName();
}

void NewWorkspaceDialog::suggestFileName()
{
    if (m_fileChosen)
        return;
    // Named after the site, so several practices' workspaces stay apart.
    const QString host = QUrl::fromUserInput(m_site->text().trimmed()).host().remove(QStringLiteral("www."));
    const QString name = (host.isEmpty() ? QStringLiteral("clinic") : host) + QStringLiteral(".csdb");
    m_file->setText(QDir::toNativeSeparators(QDir(m_directory).filePath(name)));
}

void NewWorkspaceDialog::chooseFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("New Workspace"), m_file->text(),
                                                      tr("ClearSignal workspaces (*.csdb)"));
    if (path.isEmpty())
        return;
    m_fileChosen = true;
    m_file->setText(QDir::toNativeSeparators(path.endsWith(QStringLiteral(".csdb")) ? path
                                                                                    : path + QStringLiteral(".csdb")));
}

void NewWorkspaceDialog::showError(const QString& message)
{
    m_error->setText(message);
    m_error->show();
}

void NewWorkspaceDialog::accept()
{
    WorkspaceSettings settings;
    if (Status site = settings.set(QStringLiteral("site_url"), m_site->text().trimmed()); !site)
        return showError(site.errorMessage());
    const RuleSetLoad load = RuleTemplates::load(m_template->currentData().toString());
    if (load.hasErrors() || !load.rules)
        return showError(load.report());
    RuleSet rules = *load.rules;
    rules.pixelId = m_pixel->text().trimmed();
    if (rules.pixelId.isEmpty())
        return showError(tr("Enter the TikTok pixel ID the events are for (TikTok Events Manager, your pixel)."));
    // Events may come from the site itself: its origin, without path.
    rules.siteOrigins = {QUrl(settings.siteUrl).adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
                             .toString()};
    if (Status storable = RulesHistory::check(rules); !storable)
        return showError(storable.errorMessage());
    const QString path = QDir::fromNativeSeparators(m_file->text().trimmed());
    if (path.isEmpty())
        return showError(tr("Choose where the workspace file goes."));
    if (QFileInfo::exists(path))
        return showError(tr("%1 exists already; choose another file, or open it with File > Open Workspace.")
                             .arg(QDir::toNativeSeparators(path)));
    QDir().mkpath(QFileInfo(path).absolutePath());
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    const WorkspaceOrigin origin{user.isEmpty() ? QStringLiteral("ClearSignal") : user + QStringLiteral(" (ClearSignal)"),
                                 QStringLiteral("workspace created"), QDateTime::currentSecsSinceEpoch()};
    const Expected<WorkspaceSettings> created = createSiteWorkspace(path, settings, rules, origin);
    if (!created)
        return showError(created.errorMessage());
    m_createdPath = path;
    QDialog::accept();
}

} // namespace ClearSignal
