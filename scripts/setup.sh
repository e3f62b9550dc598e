#!/usr/bin/env bash
# setup.sh installs the Debian packages AgentLink needs, group by group.
#
#   scripts/setup.sh build   # what `make demo` needs: cgo toolchain and Fyne's X11/GL headers
#   scripts/setup.sh all     # what `make test` needs: build + display, keychain, XMPP, browser
#   scripts/setup.sh windows # what `make windows`/`make test-windows` need: mingw, msitools, Wine
#
# It is idempotent: it asks dpkg-query what is missing, runs `apt-get update`
# only when something is, and prints nothing when everything is installed.
set -euo pipefail

# Fyne's cgo build (go-gl/glfw): compiler plus X11, GL and Wayland headers.
build_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev xz-utils)
# A real display and screenshots for the UI smoke test, and a D-Bus session
# with gnome-keyring for the keychain tests (scripts/test-env.sh); dunst is a
# real freedesktop notification server for the ringing-call notification's
# tests (ui/internal/desknotify); mesa-utils gives glxinfo, with which
# `make bench` names the GL renderer its UI figures ran on.
display_pkgs=(xvfb xauth imagemagick x11-apps xdotool dbus-daemon dbus-x11
	gnome-keyring libsecret-tools dunst mesa-utils)
# Interop: a real XMPP server, an independent XMPP client, a real browser.
interop_pkgs=(prosody python3-slixmpp chromium)
# Test certificates and TLS trust.
tls_pkgs=(openssl ca-certificates)
# The bridge's same-user tests (as root in CI): throwaway users, setpriv,
# a network namespace; lsof for the macOS peer lookup's tests.
root_pkgs=(passwd util-linux iproute2 lsof)
# Windows: the mingw C compiler for Fyne's cgo parts, wixl (msitools) for the
# MSI, and Wine (64-bit) with Xvfb to install and run it in tests.
windows_pkgs=(gcc-mingw-w64-x86-64 msitools wixl wine wine64 xvfb xauth x11-utils imagemagick curl python3)

usage() {
	echo "usage: $0 build|all|windows" >&2
	exit 2
}

# missing prints the packages of "$@" that dpkg does not report as installed.
missing() {
	local p
	for p in "$@"; do
		if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
			echo "$p"
		fi
	done
}

# as_root runs "$@" as root, through sudo when we are not root already.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		echo "setup: need root to install packages, and sudo is not available" >&2
		return 1
	fi
}

main() {
	[ $# -eq 1 ] || usage
	local want=()
	case "$1" in
	build) want=("${build_pkgs[@]}") ;;
	all) want=("${build_pkgs[@]}" "${display_pkgs[@]}" "${interop_pkgs[@]}" "${tls_pkgs[@]}" "${root_pkgs[@]}") ;;
	windows) want=("${windows_pkgs[@]}") ;;
	*) usage ;;
	esac

	if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
		echo "setup: not a Debian system; install these yourself if tests need them: ${want[*]}" >&2
		return 0
	fi

	local todo
	mapfile -t todo < <(missing "${want[@]}")
	[ ${#todo[@]} -eq 0 ] && return 0

	echo "setup: installing ${todo[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null
	mapfile -t todo < <(missing "${want[@]}")
	if [ ${#todo[@]} -ne 0 ]; then
		echo "setup: still missing after apt-get install: ${todo[*]}" >&2
		return 1
	fi
}

main "$@"
