// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "common/Version.h"
#include "pages/OverviewPage.h"
#include "pages/RelayPage.h"
#include "pages/TemplatesPage.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QFileInfo>
#include <QKeySequence>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

namespace ClearSignal {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ClearSignal"));
    resize(1100, 720);

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_navigation = new QListWidget(central);
    m_navigation->setObjectName(QStringLiteral("navigationList"));
    m_navigation->setFixedWidth(200);
    m_navigation->setAccessibleName(tr("Pages"));
    m_pages = new QStackedWidget(central);
    m_pages->setObjectName(QStringLiteral("pageStack"));
    layout->addWidget(m_navigation);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    addPage(new OverviewPage(m_pages), tr("Overview"), QStringLiteral("Ctrl+1"));
    addPage(new TemplatesPage(m_pages), tr("Rule templates"), QStringLiteral("Ctrl+2"));
    m_relayPage = new RelayPage({}, m_pages);
    addPage(m_relayPage, tr("Relay"), QStringLiteral("Ctrl+3"));
    // The last workspace opens again (its path only: a workspace file holds no personal data in clear).
    const QString lastWorkspace = QSettings().value(QStringLiteral("workspace/last")).toString();
    if (!lastWorkspace.isEmpty() && QFileInfo::exists(lastWorkspace))
        m_relayPage->openWorkspace(lastWorkspace);
    connect(m_relayPage, &RelayPage::workspaceOpened, this,
            [](const QString& path) { QSettings().setValue(QStringLiteral("workspace/last"), path); });
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_navigation->setCurrentRow(0);

    createMenus();
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::addPage(QWidget* page, const QString& title, const QString& shortcut)
{
    const int index = m_pages->addWidget(page);
    auto* item = new QListWidgetItem(title, m_navigation);
    item->setToolTip(tr("%1 (%2)").arg(title, QKeySequence(shortcut).toString(QKeySequence::NativeText)));
    auto* action = new QAction(this);
    action->setShortcut(QKeySequence(shortcut));
    connect(action, &QAction::triggered, this, [this, index] { m_navigation->setCurrentRow(index); });
    addAction(action);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* create = file->addAction(tr("&New Workspace…"), this, [this] {
        m_navigation->setCurrentRow(m_pages->indexOf(m_relayPage));
        m_relayPage->createWorkspace();
    });
    create->setObjectName(QStringLiteral("newWorkspaceAction"));
    create->setShortcut(QKeySequence::New);
    connect(m_relayPage, &RelayPage::canOpenWorkspaceChanged, create, &QAction::setEnabled);
    QAction* open = file->addAction(tr("&Open Workspace…"), this, [this] {
        m_navigation->setCurrentRow(m_pages->indexOf(m_relayPage));
        m_relayPage->chooseWorkspace();
    });
    open->setObjectName(QStringLiteral("openWorkspaceAction"));
    open->setShortcut(QKeySequence::Open);
    connect(m_relayPage, &RelayPage::canOpenWorkspaceChanged, open, &QAction::setEnabled);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About ClearSignal"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("aboutAction"));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About ClearSignal"),
                       tr("<h3>ClearSignal %1</h3>"
                          "<p>Keeps protected health information off TikTok while your practice still measures "
                          "its ads.</p>"
                          "<p>Hashing is not de-identification: ClearSignal sends no identifier of a person unless "
                          "someone at your practice approved it.</p>")
                           .arg(QStringLiteral(CLEARSIGNAL_VERSION)));
}

} // namespace ClearSignal
