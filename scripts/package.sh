#!/usr/bin/env bash
# package.sh builds AgentLink's Linux package with `fyne package -os linux`:
# a tar.xz holding usr/local/bin/agentlink, usr/local/bin/agentlink-hotkeys
# (the global hotkeys helper, which agentlink looks for beside itself),
# usr/local/bin/agentlink-headless (the nogui build `agentlink --headless`
# runs in its place), the .desktop entry, the 512x512 icon and an install
# Makefile (`sudo make install` or `make user-install`), which installs all three.
#
#   scripts/package.sh            # -> dist/agentlink-<version>-linux-<arch>.tar.xz
#   RELEASE=1 scripts/package.sh  # release build: -tags release, -trimpath, -s -w
#
# Environment: GO (default go), VERSION (default Details.Version of
# FyneApp.toml), BUILD (default Details.Build), RELEASE (1 = release build),
# FYNE (a fyne CLI to use instead of building fyne.io/tools@$FYNE_TOOLS_VERSION).
#
# Why not plain `fyne package` at the root: the main package lives in
# cmd/agentlink but FyneApp.toml at the root, and fyne reads FyneApp.toml
# only from --source-dir, which is also the directory it runs `go build` in.
# It then rewrites that FyneApp.toml (Build+1, comments dropped). So we build
# the binary ourselves with the flags `fyne build` would use, and run fyne
# in a throwaway staging directory holding a copy of FyneApp.toml.
set -euo pipefail

GO="${GO:-go}"
FYNE_TOOLS_VERSION=v1.7.0
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# stage is the throwaway directory fyne package runs in.
stage=""
trap '[ -z "$stage" ] || rm -rf "$stage"' EXIT

die() {
	echo "package: $*" >&2
	exit 1
}

# toml_value prints the first `key = "value"` (or bare value) of FyneApp.toml.
toml_value() {
	sed -n -E "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"?([^\"#]*[^\"#[:space:]])\"?.*$/\1/p" FyneApp.toml | head -1
}

# fyne_cli prints the path of a fyne CLI, building it once into a module of
# its own: fyne.io/tools must not enter AgentLink's go.mod, and
# `go install fyne.io/tools/cmd/fyne@v1.7.0` fails (the proxy refuses the
# version list) where a tool dependency works.
fyne_cli() {
	if [ -n "${FYNE:-}" ]; then
		echo "$FYNE"
		return
	fi
	local dir
	dir="$(dirname "$("$GO" env GOCACHE)")/agentlink-tools"
	local bin="$dir/fyne-$FYNE_TOOLS_VERSION"
	if [ ! -x "$bin" ]; then
		echo "package: building fyne CLI $FYNE_TOOLS_VERSION in $dir" >&2
		mkdir -p "$dir"
		(
			cd "$dir"
			[ -f go.mod ] || printf 'module tools\n\ngo 1.26\n' >go.mod
			GOFLAGS=-mod=mod "$GO" get -tool "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION"
			GOFLAGS=-mod=mod "$GO" build -o "$bin" fyne.io/tools/cmd/fyne
		) >&2 || die "could not build the fyne CLI in $dir"
	fi
	echo "$bin"
}

# add_beside writes fyne's package $1 to $2 with each program named after
# them (built into $stage) added as usr/local/bin/<name> beside agentlink;
# its Makefile installs and uninstalls each (every line naming
# bin/$(Exec) is repeated for the program).
add_beside() {
	local pkg="$1" out="$2"
	shift 2
	local tree="$stage/tree"
	mkdir -p "$tree"
	tar -xJf "$pkg" -C "$tree"
	local bindir
	bindir="$(dirname "$(cd "$tree" && find . -path '*/bin/agentlink' -type f | head -1)")"
	[ "$bindir" != . ] || die "fyne's package has no bin/agentlink"
	local name suffix
	for name in "$@"; do
		suffix="${name#agentlink}"
		install -m 0755 "$stage/$name" "$tree/$bindir/$name"
		sed -i -e '/bin\/$(Exec)$/{p;s/$(Exec)/$(Exec)'"$suffix"'/g}' "$tree/Makefile"
		grep -q 'bin/$(Exec)'"$suffix"'$' "$tree/Makefile" || die "could not add $name to fyne's Makefile"
	done
	(cd "$tree" && tar --owner=0 --group=0 -cJf "$root/$out" -- *)
}

main() {
	[ "$("$GO" env GOOS)" = linux ] || die "builds the Linux package only, on Linux (GOOS=$("$GO" env GOOS))"
	command -v xz >/dev/null || die "xz not found (fyne package writes a tar.xz): apt-get install xz-utils"

	local version build icon arch
	version="${VERSION:-$(toml_value Version)}"
	version="${version#v}"
	build="${BUILD:-$(toml_value Build)}"
	icon="$(toml_value Icon)"
	arch="$("$GO" env GOARCH)"
	# Check what fyne accepts now, not after a build of several minutes.
	[[ "$version" =~ ^[0-9]+(\.[0-9]+){0,2}$ ]] ||
		die "version \"$version\" (VERSION or Details.Version) must be x, x.y or x.y.z with integers"
	[[ -z "$build" || "$build" =~ ^[1-9][0-9]*$ ]] ||
		die "build \"$build\" (BUILD or Details.Build) must be an integer > 0"
	[ -f "$icon" ] || die "icon $icon (Details.Icon in FyneApp.toml) not found"

	local fyne
	fyne="$(fyne_cli)"

	stage="$(mktemp -d "${TMPDIR:-/tmp}/agentlink-package.XXXXXX")"

	# The tags and flags `fyne build` adds: migrated_fynedo because
	# FyneApp.toml declares the fyneDo migration, release ones on request.
	local tags=() ldflags=(-X "main.version=v$version") flags=()
	if grep -Eq '^[[:space:]]*fyneDo[[:space:]]*=[[:space:]]*true' FyneApp.toml; then
		tags+=(migrated_fynedo)
	fi
	if [ "${RELEASE:-}" = 1 ]; then
		tags+=(release)
		ldflags+=(-s -w)
		flags+=(-trimpath)
	fi
	local tagcsv
	tagcsv="$(
		IFS=,
		echo "${tags[*]}"
	)"
	echo "$GO build ${flags[*]} -tags '$tagcsv' -ldflags '${ldflags[*]}' -o <stage>/agentlink ./cmd/agentlink"
	CGO_ENABLED=1 "$GO" build "${flags[@]}" -tags "$tagcsv" -ldflags "${ldflags[*]}" \
		-o "$stage/agentlink" ./cmd/agentlink
	# The global hotkeys helper (ui.global_hotkeys): cgo for Xlib.
	echo "$GO build ${flags[*]} -ldflags '${ldflags[*]}' -o <stage>/agentlink-hotkeys ./cmd/agentlink-hotkeys"
	CGO_ENABLED=1 "$GO" build "${flags[@]}" -ldflags "${ldflags[*]}" \
		-o "$stage/agentlink-hotkeys" ./cmd/agentlink-hotkeys
	# The same flags with nogui: agentlink --headless runs this build only
	# when its build information matches (cmd/agentlink/headless_sibling.go).
	echo "$GO build ${flags[*]} -tags '${tagcsv:+$tagcsv,}nogui' -ldflags '${ldflags[*]}' -o <stage>/agentlink-headless ./cmd/agentlink"
	CGO_ENABLED=1 "$GO" build "${flags[@]}" -tags "${tagcsv:+$tagcsv,}nogui" -ldflags "${ldflags[*]}" \
		-o "$stage/agentlink-headless" ./cmd/agentlink

	# fyne only checks that --source-dir holds Go code; --exe means it builds nothing.
	cp FyneApp.toml "$stage/"
	printf '// Placeholder: fyne package wants Go code in --source-dir.\npackage main\n' >"$stage/placeholder.go"
	local fargs=(package -os linux --exe agentlink --icon "$root/$icon"
		--app-version "$version")
	[ -z "$build" ] || fargs+=(--app-build "$build")
	[ "${RELEASE:-}" != 1 ] || fargs+=(--release)
	echo "fyne ${fargs[*]}   (in the staging directory)"
	(cd "$stage" && "$fyne" "${fargs[@]}")

	local name out
	name="$(toml_value Name)"
	out="dist/agentlink-$version-linux-$arch.tar.xz"
	mkdir -p dist
	add_beside "$stage/$name.tar.xz" "$out" agentlink-hotkeys agentlink-headless
	echo "package: wrote $out"
	tar -tvJf "$out"
}

main "$@"
exit
