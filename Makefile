# AgentLink. `make demo` and `make test` are all a fresh Debian 12 machine
# with Go needs: both install the Debian packages they use (scripts/setup.sh).

GO         ?= go
PKGS       ?= ./...
TEST_FLAGS ?= -race -timeout 20m
BENCH_PKGS ?= ./core/ ./finesse/ ./localbridge/

.PHONY: all build demo test check fmt-check vet staticcheck tidy-check bench setup setup-build clean package windows test-windows screenshots

all: build

# setup-build installs what a cgo build of the Fyne UI needs; setup installs
# everything the tests use as well (display, keychain, XMPP server, browser).
setup-build:
	@scripts/setup.sh build
setup:
	@scripts/setup.sh all

# bin/agentlink-hotkeys is the global hotkeys helper (ui.global_hotkeys);
# agentlink looks for it beside itself, then on PATH. bin/agentlink-headless
# is the nogui build: `agentlink --headless` runs it in its own place when it
# is beside it and from the same source (README, "Headless").
build: setup-build
	$(GO) build -o bin/agentlink ./cmd/agentlink
	$(GO) build -tags nogui -o bin/agentlink-headless ./cmd/agentlink
	$(GO) build -o bin/agentlink-hotkeys ./cmd/agentlink-hotkeys

# demo runs AgentLink against the built-in Finesse simulator: with the
# softphone and tray when there is a display, headless otherwise.
demo: setup-build
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "$(GO) run ./cmd/agentlink --demo"; \
		$(GO) run ./cmd/agentlink --demo; \
	else \
		echo "no DISPLAY or WAYLAND_DISPLAY: running headless"; \
		echo "$(GO) run ./cmd/agentlink --demo --headless"; \
		$(GO) run ./cmd/agentlink --demo --headless; \
	fi

# test runs every test under a virtual display, a private D-Bus session and
# an unlocked throwaway keyring (scripts/test-env.sh).
test: setup
	@# Build the app first: the binary tests run it, and a cold cgo build of
	@# Fyne (minutes on two cores) is best done once, before tests compete.
	$(GO) build -o /dev/null ./cmd/agentlink
	scripts/test-env.sh $(GO) test $(TEST_FLAGS) $(PKGS)

# screenshots retakes the pictures in README and docs/images of the
# softphone, the reference toolbar and the Connector Monitor
# (cmd/agentlink-shots): the real app with --demo under a private Xvfb
# display, Chromium headless, calls rung through the simulator's control
# API. It writes into docs/images, so it is not part of `make test`.
screenshots: setup build
	scripts/test-env.sh $(GO) run ./cmd/agentlink-shots -bin bin/agentlink -out docs/images

# check runs every gate even when one fails, then lists the ones that failed.
CHECKS := fmt-check vet staticcheck test tidy-check
check: setup
	@failed=; for c in $(CHECKS); do \
		echo "== make $$c"; $(MAKE) --no-print-directory $$c || failed="$$failed $$c"; \
	done; \
	if [ -n "$$failed" ]; then echo "make check: FAILED:$$failed"; exit 1; fi; \
	echo "make check: all passed"

fmt-check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then \
		echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$out"; exit 1; fi

vet: setup-build
	$(GO) vet $(PKGS)

staticcheck: setup-build
	$(GO) tool staticcheck $(PKGS)

# tidy-check fails when `go mod tidy` would change go.mod or go.sum. The
# -diff mode prints the change without writing, so the tree is never touched.
tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

# bench needs the display, D-Bus and Chromium of the full setup (figures 7, 8).
bench: setup
	@if [ -d cmd/agentlink-bench ]; then \
		$(GO) run ./cmd/agentlink-bench; \
	else \
		echo "bench: cmd/agentlink-bench does not exist yet; running go benchmarks only"; \
	fi
	$(GO) test -run '^$$' -bench . -benchmem $(BENCH_PKGS)

# package builds dist/agentlink-<version>-linux-<arch>.tar.xz with
# `fyne package -os linux` (scripts/package.sh); RELEASE=1 for a release build.
package: setup-build
	GO=$(GO) RELEASE=$(RELEASE) scripts/package.sh

clean:
	rm -rf bin artifacts dist

# windows cross-compiles the Windows builds and the MSI into dist/windows/
# (scripts/windows-build.sh; docs/windows.md): the Fyne app with mingw, the
# nogui amd64 and arm64 builds, Windows resources, and wixl for the MSI.
windows:
	@scripts/setup.sh windows
	GO=$(GO) scripts/windows-build.sh

# test-windows installs the MSI under Wine in a throwaway prefix and runs
# the installed app against the simulator (scripts/windows-test.sh).
test-windows: windows
	GO=$(GO) timeout 1200 scripts/windows-test.sh
