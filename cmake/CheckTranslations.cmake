# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a .ts file is missing strings the sources contain (run `cmake --build <dir> --target
# update_translations` and translate them). Run with -DLUPDATE=<lupdate> -DTS_FILE=<file.ts>
# -DSOURCES=<a|b|c> -DWORK_DIR=<scratch directory>.

string(REPLACE "|" ";" source_list "${SOURCES}")
get_filename_component(ts_name "${TS_FILE}" NAME)
file(MAKE_DIRECTORY "${WORK_DIR}")
set(scratch "${WORK_DIR}/${ts_name}")
file(COPY_FILE "${TS_FILE}" "${scratch}")
execute_process(
    COMMAND "${LUPDATE}" -no-obsolete -locations none ${source_list} -ts "${scratch}"
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lupdate failed:\n${output}")
endif()
file(READ "${TS_FILE}" committed)
file(READ "${scratch}" refreshed)
if(NOT committed STREQUAL refreshed)
    message(FATAL_ERROR "${ts_name} is out of date with the sources. Run "
        "`cmake --build <build dir> --target update_translations`, translate the new strings and commit.\n${output}")
endif()
message(STATUS "${ts_name} is up to date")
