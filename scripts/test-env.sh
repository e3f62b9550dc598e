#!/usr/bin/env bash
# test-env.sh runs a command with what AgentLink's tests need from a desktop:
# a real X display (Xvfb), a private D-Bus session bus, and an unlocked
# gnome-keyring serving the Secret Service on it.
#
#   scripts/test-env.sh go test -race ./...
#
# HOME and XDG_RUNTIME_DIR point at fresh temporary directories, so the
# keyring, config and bridge-token files of the tests never touch the user's
# own. The Go build and module caches stay where they are, so nothing is
# rebuilt. Screenshots go to $AGENTLINK_ARTIFACTS (default ./artifacts).
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "usage: $0 command [args...]" >&2
	exit 2
fi
for tool in xvfb-run dbus-run-session gnome-keyring-daemon; do
	if ! command -v "$tool" >/dev/null; then
		echo "test-env: $tool not found: run scripts/setup.sh all (or make test)" >&2
		exit 1
	fi
done

# Pin the Go caches and settings before HOME changes: their defaults live under HOME.
if command -v go >/dev/null; then
	GOCACHE="$(go env GOCACHE)"
	GOMODCACHE="$(go env GOMODCACHE)"
	GOPATH="$(go env GOPATH)"
	GOENV="$(go env GOENV)"
	export GOCACHE GOMODCACHE GOPATH GOENV
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
export AGENTLINK_ARTIFACTS="${AGENTLINK_ARTIFACTS:-$repo/artifacts}"
mkdir -p "$AGENTLINK_ARTIFACTS"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/agentlink-test-env.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -m 0700 "$tmp/home" "$tmp/run"
export HOME="$tmp/home"
export XDG_RUNTIME_DIR="$tmp/run"
# Derive every XDG directory from the fresh HOME.
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME
# The outer session's bus and display must not leak in.
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
# Tests treat a missing keychain or display as a failure under CI, a skip otherwise.
if [ -n "${CI:-}" ]; then
	export CI
fi

# The inner shell unlocks a throwaway keyring (password "ci"), runs the
# command, and then stops the keyring daemon it started and any notification
# server the bus started: both outlive their bus otherwise. Their pids come
# from the bus, never from a name.
inner='
stop_owner() {
	pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
		/org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
		string:"$1" 2>/dev/null | awk "{print \$2}")
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
}
# The bus starts a notification server (dunst) by itself when a test app
# sends a notification; like the keyring daemon it would outlive the bus.
trap "stop_owner org.freedesktop.secrets; stop_owner org.freedesktop.Notifications" EXIT
echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
'
set +e
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh -c "$inner" test-env "$@"
rc=$?
set -e
exit "$rc"
