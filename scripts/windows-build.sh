#!/usr/bin/env bash
# windows-build.sh cross-compiles AgentLink for Windows on Debian and builds
# the MSI (make windows). Outputs in dist/windows/:
#
#   agentlink.exe                 full app (Fyne, cgo with mingw), GUI subsystem: no console window
#   agentlink-cli.exe             nogui build, amd64, console: doctor, token, login, headless, install-config
#   agentlink-hotkeys.exe         global hotkeys helper (ui.global_hotkeys), GUI subsystem, no cgo
#   agentlink-nogui-arm64.exe     nogui build for Windows on Arm (not in the MSI)
#   agentlink-<version>-x64.msi   per-machine installer (packaging/windows/agentlink.wxs)
#
# VERSION (default from FyneApp.toml) must be numeric a.b.c for the MSI.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
# go-winres writes the icon, manifest and version information as .syso
# resources that the Go linker embeds. Pinned here, run with `go run`, so it
# adds nothing to go.mod.
WINRES=github.com/tc-hib/go-winres@v0.3.3
app_version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -n1)
VERSION=${VERSION:-$app_version}
OUT=dist/windows
mkdir -p "$OUT"

if ! [[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
	echo "windows-build: VERSION $VERSION must be a.b.c (an MSI ProductVersion)" >&2
	exit 2
fi

# Resources for amd64 and arm64; removed again so native builds stay clean.
# go-winres names them <out>_windows_<arch>.syso.
res=cmd/agentlink/rsrc
trap 'rm -f ${res}_windows_amd64.syso ${res}_windows_arm64.syso' EXIT
$GO run $WINRES simply --arch amd64,arm64 --out "$res" \
	--icon assets/icons/Icon.png --manifest gui \
	--product-name AgentLink --file-description "AgentLink for Cisco Finesse" \
	--product-version "$VERSION.0" --file-version "$VERSION.0" \
	--copyright "AgentLink contributors" --original-filename agentlink.exe

ldflags="-s -w -X main.version=v$VERSION"
echo "windows-build: agentlink.exe (GUI, cgo + mingw)" >&2
GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
	$GO build -trimpath -ldflags "$ldflags -H windowsgui" -o "$OUT/agentlink.exe" ./cmd/agentlink
echo "windows-build: agentlink-cli.exe (nogui, amd64)" >&2
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 \
	$GO build -trimpath -tags nogui -ldflags "$ldflags" -o "$OUT/agentlink-cli.exe" ./cmd/agentlink
echo "windows-build: agentlink-hotkeys.exe (global hotkeys helper, amd64)" >&2
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 \
	$GO build -trimpath -ldflags "-s -w -H windowsgui" -o "$OUT/agentlink-hotkeys.exe" ./cmd/agentlink-hotkeys
echo "windows-build: agentlink-nogui-arm64.exe" >&2
GOOS=windows GOARCH=arm64 CGO_ENABLED=0 \
	$GO build -trimpath -tags nogui -ldflags "$ldflags" -o "$OUT/agentlink-nogui-arm64.exe" ./cmd/agentlink

echo "windows-build: agentlink-$VERSION-x64.msi (wixl)" >&2
wixl -a x64 -D Version="$VERSION" -D BinDir="$OUT" -D IconFile=packaging/windows/agentlink.ico \
	-o "$OUT/agentlink-$VERSION-x64.msi" packaging/windows/agentlink.wxs
ls -l "$OUT" >&2
