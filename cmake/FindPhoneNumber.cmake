# SPDX-License-Identifier: GPL-3.0-or-later
# Finds Google's libphonenumber (Debian: libphonenumber-dev), which ships no CMake package.
# Provides the imported target PhoneNumber::PhoneNumber.

find_path(PhoneNumber_INCLUDE_DIR NAMES phonenumbers/phonenumberutil.h)
find_library(PhoneNumber_LIBRARY NAMES phonenumber)
# Its headers include protobuf-generated classes whose inline code calls into libprotobuf.
find_library(PhoneNumber_PROTOBUF_LIBRARY NAMES protobuf)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(PhoneNumber
    REQUIRED_VARS PhoneNumber_LIBRARY PhoneNumber_PROTOBUF_LIBRARY PhoneNumber_INCLUDE_DIR
    REASON_FAILURE_MESSAGE "install libphonenumber-dev (packaging/install-deps.sh does)")

if(PhoneNumber_FOUND AND NOT TARGET PhoneNumber::PhoneNumber)
    add_library(PhoneNumber::PhoneNumber UNKNOWN IMPORTED)
    set_target_properties(PhoneNumber::PhoneNumber PROPERTIES
        IMPORTED_LOCATION "${PhoneNumber_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${PhoneNumber_INCLUDE_DIR}"
        INTERFACE_LINK_LIBRARIES "${PhoneNumber_PROTOBUF_LIBRARY}")
endif()
mark_as_advanced(PhoneNumber_INCLUDE_DIR PhoneNumber_LIBRARY PhoneNumber_PROTOBUF_LIBRARY)
