// SPDX-License-Identifier: GPL-3.0-or-later
// clearsignal: the desktop application. Wiring only; the window lives in ui/, the engine in core/.

#include "MainWindow.h"
#include "common/Version.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ClearSignal"));
    QApplication::setOrganizationName(QStringLiteral("ClearSignal"));
    QApplication::setApplicationVersion(QStringLiteral(CLEARSIGNAL_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("clearsignal"));

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("clearsignal"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    ClearSignal::MainWindow window;
    window.show();
    return QApplication::exec();
}
