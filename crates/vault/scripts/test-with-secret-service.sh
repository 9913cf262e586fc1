#!/usr/bin/env bash
# Runs the vault tests against a real Secret Service: a private D-Bus session with an unlocked
# gnome-keyring (Debian: apt-get install --no-install-recommends gnome-keyring). Without it the
# keyring test skips itself and only the encrypted-file backend is exercised.
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v gnome-keyring-daemon >/dev/null || { echo "gnome-keyring-daemon is not installed" >&2; exit 1; }
bin=$(cargo test -p akashone-vault --test vault --no-run --message-format=json \
    | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
exec dbus-run-session -- bash -c '
    export XDG_DATA_HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
    printf "test-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$0" --test-threads=1 "${@}"
' "$bin" "$@"
