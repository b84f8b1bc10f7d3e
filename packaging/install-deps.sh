#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs every Debian 12 package that building, running and testing ClearSignal needs.
# Idempotent: safe to run again; apt-get skips what is already installed.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build clang lld git pkg-config
    # Qt 6.4 and friends
    qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins qt6-webengine-dev qt6-httpserver-dev qt6-websockets-dev
    qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    qtkeychain-qt6-dev libqt6sql6-sqlite libgl-dev
    # core libraries
    libphonenumber-dev libicu-dev libprotobuf-dev
    # tests, benchmarks, fuzzing
    libbenchmark-dev libclang-rt-14-dev xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
    wrk nginx-light sqlite3 curl python3 fonts-dejavu-core
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${packages[@]}"
