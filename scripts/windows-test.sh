#!/usr/bin/env bash
# windows-test.sh (make test-windows) installs the MSI under Wine in a
# throwaway prefix and checks it end to end against the Finesse simulator
# running natively on Linux. Every step is bounded by a timeout.
#
# Wine 8 (Debian 12) lacks bcryptprimitives.dll, which every Go program
# since Go 1.22 loads at start-up; the test builds a stand-in with mingw
# (packaging/windows/winetest) into the throwaway prefix only. Wine's icacls
# is a stub, so a small setdacl.exe loosens the token's DACL for the test.
# Wine 8 keeps no DACLs on files: it derives them from the Unix mode (group
# and other bits become an Everyone entry) and does not narrow the mode when
# a program sets a protected DACL. So the test runs Wine with umask 077, and
# files it creates read back as owner-only, as the protected DACL AgentLink
# sets makes them on Windows; the refusal of a loose DACL is tested for real.
set -euo pipefail
umask 077
cd "$(dirname "$0")/.."
GO=${GO:-go}
OUT=${OUT:-dist/windows}
VERSION=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -n1)
MSI=$OUT/agentlink-$VERSION-x64.msi
[ -f "$MSI" ] || { echo "windows-test: $MSI missing: run make windows" >&2; exit 1; }

work=$(mktemp -d /tmp/agentlink-winetest.XXXXXX)
export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	timeout 30 wineserver -k 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "windows-test: FAIL: $*" >&2; exit 1; }
ok() { echo "windows-test: ok: $*" >&2; }
w() { timeout "${T:-120}" wine "$@"; }

# wait_for FILE PATTERN SECONDS: until FILE holds PATTERN.
wait_for() {
	local end=$((SECONDS + $3))
	until grep -q -- "$2" "$1" 2>/dev/null; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.5
	done
}

echo "windows-test: Wine prefix $WINEPREFIX" >&2
T=300 xvfb-run -a wine wineboot -i >"$work/wineboot.log" 2>&1 || fail "wineboot: $(tail -3 "$work/wineboot.log")"
sys32=$WINEPREFIX/drive_c/windows/system32
x86_64-w64-mingw32-gcc -shared -O2 -o "$sys32/bcryptprimitives.dll" \
	packaging/windows/winetest/bcryptprimitives.c packaging/windows/winetest/bcryptprimitives.def -ladvapi32
x86_64-w64-mingw32-gcc -municode -O2 -o "$work/setdacl.exe" packaging/windows/winetest/setdacl.c -ladvapi32

# The simulator, natively, on random ports.
$GO build -o "$work/finesse-sim" ./cmd/finesse-sim
"$work/finesse-sim" --random-ports --ca-dir "$work/sim" >"$work/sim.log" 2>&1 &
pids+=($!)
wait_for "$work/sim.log" "Control API" 60 || fail "simulator did not start: $(cat "$work/sim.log")"
sideA=$(sed -n 's|^Node A  REST https://\([^/]*\)/finesse.*|\1|p' "$work/sim.log")
sideB=$(sed -n 's|^Node B  REST https://\([^/]*\)/finesse.*|\1|p' "$work/sim.log")
control=$(sed -n 's|^Control API \([^ ]*\) .*|\1|p' "$work/sim.log")
bport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ca_win="Z:$(echo "$work/sim/ca.pem" | tr / '\\')"

# 1. Silent per-machine install with properties.
w msiexec /i "$MSI" /qn /l*v "$(winepath -w "$work/install.log" 2>/dev/null)" \
	SIDE_A="$sideA" SIDE_B="$sideB" CA_FILE="$ca_win" BRIDGE_ADDR="127.0.0.1:$bport" \
	ALLOWED_ORIGINS="https://x.my.salesforce.com https://y.crm.ondemand.com" AUTOSTART=1 START_HIDDEN=1 ||
	fail "msiexec /i: $(grep -a -i 'error\|return value 3' "$work/install.log" | head -5)"
pf="$WINEPREFIX/drive_c/Program Files/AgentLink"
[ -f "$pf/agentlink.exe" ] && [ -f "$pf/agentlink-cli.exe" ] || fail "program files missing: $(ls "$pf" 2>&1)"
ok "installed under Program Files"
mc=$WINEPREFIX/drive_c/ProgramData/AgentLink/config.toml
[ -f "$mc" ] || fail "machine config not written: $(grep -a -i 'WriteMachineConfig' "$work/install.log" | tail -3)"
grep -q "side_a = \"$sideA\"" "$mc" && grep -q "127.0.0.1:$bport" "$mc" && grep -q 'https://y.crm.ondemand.com' "$mc" ||
	fail "machine config lacks the properties: $(cat "$mc")"
ok "machine config written from the MSI properties"
w reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Run' /v AgentLink 2>/dev/null | grep -qi 'agentlink.exe' ||
	fail "AUTOSTART=1 did not add the Run value"
w reg query 'HKLM\Software\AgentLink' /v Version 2>/dev/null | grep -q "$VERSION" || fail "Version registry value missing"
find "$WINEPREFIX/drive_c" -iname "AgentLink.lnk" >"$work/lnk"; [ -s "$work/lnk" ] || fail "no Start-menu shortcut"
w reg query 'HKLM\Software\Classes\agentlink' /v 'URL Protocol' >/dev/null 2>&1 ||
	fail "the agentlink: URL protocol is not registered (no URL Protocol value)"
w reg query 'HKLM\Software\Classes\agentlink\shell\open\command' /ve 2>/dev/null | grep -qi 'agentlink.exe" "%1"' ||
	fail "the agentlink: URL protocol does not open agentlink.exe \"%1\""
ok "registry (Run, Software\\AgentLink, the agentlink: URL protocol) and Start-menu shortcut"

cli="C:\\Program Files\\AgentLink\\agentlink-cli.exe"
# 2. Credential Manager round trip: login stores the password, doctor
#    --check-password reads it back (wincred under Wine).
printf 'secret1\n' | w "$cli" login --agent 1001 >"$work/login.log" 2>&1 || fail "login: $(cat "$work/login.log")"
ok "password stored in Credential Manager"
# The doctor's Windows checks run (system proxy from the registry, the
# firewall profile from netsh) and its keychain check reads the password
# back from Credential Manager.
w "$cli" doctor --json --agent 1001 >"$work/doctor.json" 2>"$work/doctor.err" || true
python3 - "$work/doctor.json" >"$work/doctor.txt" <<'PY' || fail "doctor on Windows: $(cat "$work/doctor.json" "$work/doctor.err")"
import json, sys
r = {c["check"]: c for c in json.load(open(sys.argv[1]))}
for name in ("system proxy", "firewall", "keychain"):
    assert name in r, "no %s check in %s" % (name, sorted(r))
assert r["keychain"]["status"] == "ok", r["keychain"]
assert r["system proxy"]["status"] in ("ok", "skip"), r["system proxy"]
print("; ".join("%s %s: %s" % (n, r[n]["status"], r[n]["detail"][:90]) for n in ("system proxy", "firewall", "keychain")))
PY
ok "doctor on Windows: $(cat "$work/doctor.txt")"

# 3. The installed app, headless, signs in through the simulator; the
#    bridge answers a program holding the token.
tok=$(w "$cli" token 2>"$work/token.err" | tr -d '\r') || fail "token: $(cat "$work/token.err")"
w "$cli" --headless --agent 1001 --extension 5001 >"$work/app.log" 2>&1 &
pids+=($!)
end=$((SECONDS + 90))
until curl -fsS -H "Authorization: Bearer $tok" "http://127.0.0.1:$bport/v1/status" >"$work/status.json" 2>/dev/null &&
	grep -q '"loggedIn":true' "$work/status.json"; do
	[ $SECONDS -lt $end ] || fail "no signed-in status from the bridge: $(cat "$work/status.json" 2>/dev/null) $(tail -5 "$work/app.log")"
	sleep 1
done
ok "bridge handshake with the token; agent 1001 signed in (password from Credential Manager): $(cat "$work/status.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' "http://127.0.0.1:$bport/v1/status")
[ "$code" = 401 ] || fail "a wrong token got HTTP $code"
ok "a wrong token is refused (401)"
timeout 120 python3 packaging/windows/winetest/bridge_call.py "$bport" "$tok" "$control" >"$work/call.log" 2>&1 ||
	fail "answering a call through the bridge: $(cat "$work/call.log") $(tail -5 "$work/app.log")"
ok "$(cat "$work/call.log") (Hello, Connect, SetState READY, injected call, Answer)"
kill "${pids[-1]}" 2>/dev/null || true
timeout 30 wineserver -k 2>/dev/null || true

# 3b. The GUI build (Fyne on OpenGL) opens its window under Wine + Xvfb
#     (Wine's opengl32 on Mesa's llvmpipe), here in demo mode. The machine
#     config says START_HIDDEN=1; the user's own config turns that
#     preference off, which it may.
printf '[ui]\nstart_hidden = false\n' >"$work/user.toml"
cat >"$work/gui.sh" <<'GUI'
timeout 100 wine "C:\Program Files\AgentLink\agentlink.exe" --demo --config "$2" >"$1/gui.log" 2>&1 &
end=$((SECONDS + 90))
until xwininfo -root -tree 2>/dev/null | grep -q '"AgentLink": ("agentlink.exe"'; do
	[ $SECONDS -lt $end ] || exit 1
	sleep 1
done
import -window root "$1/gui.png" 2>/dev/null || true
# A second launch in the same session brings the running window forward
# (named mutex Local\AgentLink-…, "show" over the instance socket) and
# exits 0 instead of failing on the bridge port.
timeout 60 wine "C:\Program Files\AgentLink\agentlink.exe" --demo --config "$2" >"$1/gui2.log" 2>&1 || exit 2
grep -q "already running" "$1/gui2.log" || exit 3
# A click in a toast's Answer launches agentlink.exe "agentlink:answer?dialog=ID"
# (the URL protocol above): it hands the click to the running one (loopback
# and the secret) and exits 0; a forged URL is refused with status 2.
timeout 60 wine "C:\Program Files\AgentLink\agentlink.exe" 'agentlink:answer?dialog=4711' >"$1/proto.log" 2>&1 || exit 4
grep -q "Handed the Answer" "$1/proto.log" || exit 5
timeout 60 wine "C:\Program Files\AgentLink\agentlink.exe" 'agentlink:answer?dialog=$(calc)' >"$1/proto2.log" 2>&1
[ $? = 2 ] || exit 6
GUI
T=150 timeout 150 xvfb-run -a -s '-screen 0 1280x800x24' bash "$work/gui.sh" "$work" "Z:$(echo "$work/user.toml" | tr / '\\')" ||
	fail "the GUI agentlink.exe showed no window under Wine + Xvfb, or a second launch or a protocol launch did not hand over to it: $(tail -5 "$work/gui.log") / $(tail -5 "$work/gui2.log" 2>/dev/null) / $(cat "$work/proto.log" "$work/proto2.log" 2>/dev/null)"
timeout 30 wineserver -k 2>/dev/null || true
ok "GUI agentlink.exe opened its AgentLink window under Wine + Xvfb; a second launch and an agentlink:answer protocol launch handed over to it and exited 0"

# 4. A loosened token DACL is refused, with the fix printed.
tokfile='C:\users\'"$(whoami)"'\AppData\Roaming\agentlink\bridge-token'
w "$work/setdacl.exe" "$tokfile" 'D:(A;;FA;;;WD)' || fail "setdacl"
if w "$cli" token >"$work/loose.out" 2>&1; then fail "a token readable by Everyone was accepted"; fi
grep -q 'lets Everyone read or change it' "$work/loose.out" && grep -q 'icacls' "$work/loose.out" ||
	fail "refusal without the fix: $(cat "$work/loose.out")"
ok "loosened token DACL refused with the fix printed"

# 5. A major upgrade without properties keeps the machine config and user data.
before=$(cat "$mc")
next=$(echo "$VERSION" | awk -F. '{print $1"."$2"."$3+1}')
wixl -a x64 -D Version="$next" -D BinDir="$OUT" -D IconFile=packaging/windows/agentlink.ico \
	-o "$work/agentlink-$next-x64.msi" packaging/windows/agentlink.wxs
w msiexec /i "$work/agentlink-$next-x64.msi" /qn /l*v "$(winepath -w "$work/upgrade.log" 2>/dev/null)" || fail "major upgrade"
w reg query 'HKLM\Software\AgentLink' /v Version 2>/dev/null | grep -q "$next" || fail "upgrade did not install $next"
[ "$(cat "$mc")" = "$before" ] || fail "upgrade changed the machine config"
w reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Run' /v AgentLink 2>/dev/null | grep -qi 'agentlink.exe' ||
	fail "upgrade without AUTOSTART dropped start at sign-in"
[ -f "$WINEPREFIX/drive_c/users/$(whoami)/AppData/Roaming/agentlink/bridge-token" ] || fail "upgrade lost user data"
ok "major upgrade to $next kept the machine config, start at sign-in and user data"

# 6. Uninstall removes the program, keeps user data and the machine config.
# Wine's msiexec /x failed once in a few runs with nothing of ours running
# (a wineserver still settling from the upgrade); a second try after
# wineserver -w has always passed. The log of each try is kept.
uninstall() { w msiexec /x "$work/agentlink-$next-x64.msi" /qn /l*v "Z:$(echo "$work/uninstall-$1.log" | tr / '\\')"; }
uninstall 1 || { timeout 30 wineserver -w 2>/dev/null || true; uninstall 2; } ||
	fail "uninstall (logs: $work/uninstall-1.log, $work/uninstall-2.log)"
[ ! -e "$pf/agentlink.exe" ] || fail "uninstall left $pf/agentlink.exe"
if w reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Run' /v AgentLink >/dev/null 2>&1; then
	fail "uninstall left the Run value"
fi
[ -f "$WINEPREFIX/drive_c/users/$(whoami)/AppData/Roaming/agentlink/bridge-token" ] || fail "uninstall removed user data"
if w reg query 'HKLM\Software\Classes\agentlink\shell\open\command' /ve >/dev/null 2>&1; then
	fail "uninstall left the agentlink: URL protocol"
fi
ok "uninstall removed the program, autostart and the URL protocol, kept user data"
echo "windows-test: all passed" >&2
