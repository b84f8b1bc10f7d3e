#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command against a real Secret Service that belongs to it alone: a private D-Bus session
# (dbus-run-session) with gnome-keyring-daemon and a fresh login keyring, unlocked with a throwaway password.
# Works as root in a container without a desktop. The keyring files live in a scratch directory that is removed
# afterwards, so the keyring of whoever runs the tests is never touched.
#
# Usage: run-with-keyring.sh COMMAND [ARG...]     exits with the command's status
# The command sees CLEARSIGNAL_TEST_KEYRING=1, which the keychain tests insist on.
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is missing; install dbus and gnome-keyring (packaging/install-deps.sh lists them)" >&2
        exit 1
    fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/clearsignal-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
mkdir -m 700 "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
# gnome-keyring keeps its keyrings in XDG_DATA_HOME and its control socket in XDG_RUNTIME_DIR.
export HOME="$scratch" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
    XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime" CLEARSIGNAL_TEST_KEYRING=1
# No display: an unlock prompt must fail at once instead of opening on a developer's desktop.
unset DISPLAY WAYLAND_DISPLAY

status=0
dbus-run-session -- sh -c '
    # --unlock reads the password from standard input; a keyring that does not exist yet is created with it.
    printf "clearsignal-test\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
    # The daemon forks and may claim its bus name after --unlock returns. Wait for the name, so the command never
    # makes D-Bus start a second daemon that does not know the unlocked keyring.
    tries=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 200 ]; then
            echo "run-with-keyring.sh: gnome-keyring-daemon did not claim org.freedesktop.secrets within 10 s" >&2
            exit 1
        fi
        sleep 0.05
    done
    exec "$@"
' sh "$@" || status=$?
exit "$status"
