// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace ClearSignal {

class RelayPage;

/// The application window: a page list on the left, the selected page on the right.
/// Each page is its own widget class in ui/pages/.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

private:
    void createMenus();
    void addPage(QWidget* page, const QString& title, const QString& shortcut);
    void showAbout();

    QListWidget* m_navigation = nullptr;
    QStackedWidget* m_pages = nullptr;
    RelayPage* m_relayPage = nullptr;
};

} // namespace ClearSignal
