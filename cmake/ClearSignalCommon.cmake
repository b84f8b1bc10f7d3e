# SPDX-License-Identifier: GPL-3.0-or-later
# One INTERFACE target carries the warnings and Qt definitions every ClearSignal target shares.

add_library(clearsignal_common INTERFACE)
target_compile_features(clearsignal_common INTERFACE cxx_std_20)
target_compile_definitions(clearsignal_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_USE_QSTRINGBUILDER
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_FOREACH)
target_compile_options(clearsignal_common INTERFACE
    -Wall -Wextra -Wpedantic -Woverloaded-virtual -Wnon-virtual-dtor)

if(CLEARSIGNAL_ENABLE_ASAN)
    target_compile_options(clearsignal_common INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(clearsignal_common INTERFACE -fsanitize=address,undefined)
endif()

if(CLEARSIGNAL_BUILD_FUZZERS)
    # Coverage instrumentation for everything the fuzz targets link; the targets add the libFuzzer driver.
    target_compile_options(clearsignal_common INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    target_link_options(clearsignal_common INTERFACE -fsanitize=address,undefined)
endif()

# Adds a Qt Test suite: one test class per file, registered with CTest under its class name.
# Usage: clearsignal_add_test(TestName SOURCES ... LIBRARIES ... [GUI] [ENVIRONMENT ...])
function(clearsignal_add_test name)
    cmake_parse_arguments(arg "GUI" "" "SOURCES;LIBRARIES;ENVIRONMENT" ${ARGN})
    qt_add_executable(${name} ${arg_SOURCES})
    target_link_libraries(${name} PRIVATE clearsignal_common Qt6::Test ${arg_LIBRARIES})
    target_compile_definitions(${name} PRIVATE
        CLEARSIGNAL_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
        CLEARSIGNAL_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        CLEARSIGNAL_BINARY_DIR="${PROJECT_BINARY_DIR}")
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/tests")
    add_test(NAME ${name} COMMAND ${name})
    set(env ${arg_ENVIRONMENT})
    if(arg_GUI)
        list(APPEND env QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1)
    endif()
    if(env)
        set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}")
    endif()
endfunction()
