# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a file under core/ (outside core/scan) includes a widget or WebEngine header,
# or when core/scan includes a widget header. Run with: cmake -DSOURCE_DIR=<repo> -P CheckCoreIncludes.cmake
# The build runs it on every change to core/ and CTest runs it too.

if(NOT SOURCE_DIR)
    message(FATAL_ERROR "CheckCoreIncludes: pass -DSOURCE_DIR=<repository root>")
endif()

set(widget_pattern "#[ \t]*include[ \t]*[<\"](QtWidgets|QWidget|QMainWindow|QDialog|QApplication|QWebEngineView)[>/\"]")
set(webengine_pattern "#[ \t]*include[ \t]*[<\"](QtWebEngine[A-Za-z]*|QWebEngine[A-Za-z]*)[>/\"]")

file(GLOB_RECURSE core_files "${SOURCE_DIR}/core/*.h" "${SOURCE_DIR}/core/*.cpp")
set(violations "")
foreach(file IN LISTS core_files)
    file(STRINGS "${file}" lines REGEX "#[ \t]*include")
    file(RELATIVE_PATH relative "${SOURCE_DIR}" "${file}")
    foreach(line IN LISTS lines)
        if(line MATCHES "${widget_pattern}")
            list(APPEND violations "${relative}: ${line}")
        elseif(line MATCHES "${webengine_pattern}" AND NOT relative MATCHES "^core/scan/")
            list(APPEND violations "${relative}: ${line}")
        endif()
    endforeach()
endforeach()

if(violations)
    list(JOIN violations "\n  " report)
    message(FATAL_ERROR "core/ must not include widget headers, and only core/scan may use QtWebEngineCore:\n  ${report}\n"
        "Move this code to ui/ (widgets) or core/scan/ (QtWebEngineCore), or talk to it through an interface in core/.")
endif()
