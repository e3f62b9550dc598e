#!/usr/bin/env bash
# ui-memory.sh: where the softphone's memory goes (README, "Where the UI's
# memory goes"). Runs `agentlink --demo` under its own Xvfb (24-bit, Mesa's
# software GL, as on a fresh machine) and a private D-Bus session, with a
# throwaway home, and prints VmRSS, RssAnon, RssFile and threads, then the
# resident memory grouped by mapping (from /proc/PID/smaps):
#   1. shown: SETTLE seconds after start, the window up;
#   2. hidden: after Ctrl+W hid it to the tray and HIDE_WAIT seconds passed
#      (the release comes after 10 s).
# Usage: scripts/ui-memory.sh [path/to/agentlink]   (default: builds ./cmd/agentlink)
# Env: SETTLE (15), HIDE_WAIT (15), SCREEN ("1280x1024x24").
set -euo pipefail
bin=${1:-}
work=$(mktemp -d)
app_pid="" group=""
cleanup() {
	[ -n "$group" ] && kill -- "-$group" 2>/dev/null || true
	# gnome-keyring-daemon leaves the session on its own: stop ours by PID.
	for p in $(pgrep -f gnome-keyring-daemon || true); do
		if tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qx "XDG_RUNTIME_DIR=$work/runtime"; then kill "$p" || true; fi
	done
	rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$bin" ]; then
	bin=$work/agentlink
	go build -o "$bin" ./cmd/agentlink
fi
for tool in xvfb-run dbus-run-session xdotool; do
	command -v "$tool" >/dev/null || { echo "ui-memory.sh: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
mkdir -p "$work/home" "$work/config" "$work/runtime"
chmod 700 "$work/runtime"
envs=(PATH="$PATH" HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/runtime")
port=$(( 20000 + RANDOM % 20000 ))
env -i "${envs[@]}" "$bin" token >/dev/null 2>&1
setsid env -i "${envs[@]}" xvfb-run -a -s "-screen 0 ${SCREEN:-1280x1024x24}" dbus-run-session -- \
	"$bin" --demo --bridge-addr "127.0.0.1:$port" --log-level warn >"$work/out" 2>&1 &
group=$!

# report LABEL: the process's figures and its smaps grouped by mapping.
report() {
	echo "== $1 (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	grep -E '^(VmRSS|RssAnon|RssFile|Threads)' "/proc/$app_pid/status" | tr -s ' \t' ' ' | paste -sd' ' -
	awk '
	/^[0-9a-f]+-[0-9a-f]+ / {
		path = $6
		for (i = 7; i <= NF; i++) path = path " " $i
		if (path == "") g = "anonymous: Go heap and stacks, thread malloc arenas, GL buffers"
		else if (path ~ /libLLVM/) g = "libLLVM (Mesa llvmpipe JIT)"
		else if (path ~ /dri\/|gallium|swrast/) g = "Mesa DRI driver"
		else if (path ~ /libGL|libGLX|libglapi|libEGL|libgbm|libdrm/) g = "libGL, GLX, EGL, drm"
		else if (path ~ /libX|libxcb|libxshm/) g = "X11, xcb"
		else if (path ~ /\[heap\]/) g = "[heap]: C malloc main arena (Mesa, GLFW)"
		else if (path ~ /\[stack/) g = "[stack]"
		else if (path ~ /SYSV|memfd|\/dev\/shm/) g = "shared memory (X11 MIT-SHM image)"
		else if (path ~ /agentlink/) g = "the agentlink binary"
		else if (path ~ /\.so/) g = "other shared libraries"
		else g = "other: " path
		next
	}
	/^Rss:/ { rss[g] += $2 }
	END { for (g in rss) if (rss[g] >= 100) printf "%8.1f MB  %s\n", rss[g] / 1024, g }
	' "/proc/$app_pid/smaps" | sort -rn
}

sleep "${SETTLE:-15}"
for p in $(pgrep -g "$group" || true); do
	if [ "$(readlink "/proc/$p/exe" || true)" = "$(readlink -f "$bin")" ]; then app_pid=$p; fi
done
[ -n "$app_pid" ] || { echo "ui-memory.sh: agentlink did not start:" >&2; cat "$work/out" >&2; exit 1; }
report "shown, ${SETTLE:-15} s after start"

xvfb=$(pgrep -g "$group" -x Xvfb | head -1)
read -r -a xargs_ < <(tr '\0' ' ' <"/proc/$xvfb/cmdline") || true # no newline at the end
export DISPLAY=${xargs_[1]} XAUTHORITY=${xargs_[-1]}
wid=""
for _ in $(seq 100); do
	wid=$(xdotool search --onlyvisible --name '^AgentLink$' 2>/dev/null | head -1 || true)
	[ -n "$wid" ] && break
	sleep 0.3
done
[ -n "$wid" ] || { echo "ui-memory.sh: the AgentLink window never showed" >&2; exit 1; }
xdotool mousemove --window "$wid" 200 300 key ctrl+w
sleep "${HIDE_WAIT:-15}"
report "hidden to the tray with Ctrl+W, ${HIDE_WAIT:-15} s later"
