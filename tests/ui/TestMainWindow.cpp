// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QTableView>
#include <QWidget>
#include <QTest>

using namespace ClearSignal;
using namespace Qt::Literals::StringLiterals;

namespace {

/// With CLEARSIGNAL_SCREENSHOTS=<dir>, saves what the test sees, for people reviewing the UI.
void saveScreenshot(QWidget& window, const QString& name)
{
    const QString directory = qEnvironmentVariable("CLEARSIGNAL_SCREENSHOTS");
    if (!directory.isEmpty())
        window.grab().save(directory + u'/' + name + u".png"_s);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void opensOnTheOverview();
    void navigatesByClickAndShortcut();
};

void TestMainWindow::opensOnTheOverview()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* pages = window.findChild<QStackedWidget*>(u"pageStack"_s);
    QVERIFY(pages);
    QCOMPARE(pages->currentWidget()->objectName(), u"overviewPage"_s);
    auto* lexicon = window.findChild<QLabel*>(u"lexiconStatusLabel"_s);
    QVERIFY(lexicon);
    QVERIFY2(lexicon->text().startsWith(u"Health lexicon "_s), qPrintable(lexicon->text()));
    QVERIFY(window.findChild<QAction*>(u"quitAction"_s));
    QVERIFY(window.findChild<QAction*>(u"aboutAction"_s));
    saveScreenshot(window, u"overview"_s);
}

void TestMainWindow::navigatesByClickAndShortcut()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* navigation = window.findChild<QListWidget*>(u"navigationList"_s);
    auto* pages = window.findChild<QStackedWidget*>(u"pageStack"_s);

    const QRect second = navigation->visualItemRect(navigation->item(1));
    QTest::mouseClick(navigation->viewport(), Qt::LeftButton, {}, second.center());
    QCOMPARE(pages->currentWidget()->objectName(), u"templatesPage"_s);
    auto* table = window.findChild<QTableView*>(u"templateTable"_s);
    QVERIFY(table && table->isVisible());
    QCOMPARE(table->model()->rowCount(), 6);
    saveScreenshot(window, u"templates"_s);

    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(pages->currentWidget()->objectName(), u"overviewPage"_s);
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(pages->currentWidget()->objectName(), u"templatesPage"_s);
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(pages->currentWidget()->objectName(), u"relayPage"_s);
    QCOMPARE(navigation->currentItem()->text(), u"Relay"_s);
    saveScreenshot(window, u"relay"_s);
    auto* open = window.findChild<QAction*>(u"openWorkspaceAction"_s);
    QVERIFY(open);
    QCOMPARE(open->shortcut(), QKeySequence(QKeySequence::Open));
    auto* create = window.findChild<QAction*>(u"newWorkspaceAction"_s);
    QVERIFY(create && create->isEnabled());
    QCOMPARE(create->shortcut(), QKeySequence(QKeySequence::New));
}

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
