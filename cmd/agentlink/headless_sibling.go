package main

import (
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
)

// The full binary links Fyne (38 MB on disk). A headless run of it never
// opens a window, yet idles at about 34 MB RSS against 19 MB for the nogui
// build: the kernel maps whole page-cache folios and fault-around windows
// of the binary around every page that Go's start-up and the package
// init functions touch, so the resident part follows the binary's size
// (README, "Targets missed, and why"). So `agentlink --headless` replaces
// itself (execve, same PID, arguments and environment) with the nogui build
// installed beside it, when there is one from the same source, and runs in
// this process otherwise.
const (
	// headlessSiblingName is the nogui build's file name beside agentlink.
	headlessSiblingName = "agentlink-headless"
	// envNoSibling set to 1 makes --headless run in the full binary.
	envNoSibling = "AGENTLINK_NO_HEADLESS_SIBLING"
	// envExecedFrom is set by the full binary for the sibling it runs:
	// the sibling says so in its log, and it stops any second exec.
	envExecedFrom = "AGENTLINK_EXECED_FROM"
)

// headlessSibling is what `agentlink --headless` would run.
type headlessSibling struct {
	path   string // the sibling's path; "" when there is none to look for
	usable bool   // path exists, is a nogui build and comes from the same build
	why    string // why the full binary runs headless itself (when !usable)
}

// findHeadlessSibling looks for the nogui build beside this executable and
// checks it is one: a nogui build from the same module version, VCS
// revision, Go version and linker flags. A stale or foreign file is never run.
func findHeadlessSibling(getenv func(string) string) headlessSibling {
	switch {
	case !builtWithUI:
		return headlessSibling{why: "this is the nogui build itself"}
	case runtime.GOOS == "windows":
		return headlessSibling{why: "Windows cannot replace a running process; run agentlink-cli.exe --headless instead"}
	case getenv(envNoSibling) == "1":
		return headlessSibling{why: envNoSibling + "=1"}
	case getenv(envExecedFrom) != "":
		return headlessSibling{why: envExecedFrom + " is set: started by another agentlink already"}
	}
	self, err := os.Executable()
	if err != nil {
		return headlessSibling{why: fmt.Sprintf("cannot find this executable: %v", err)}
	}
	s := headlessSibling{path: filepath.Join(filepath.Dir(self), headlessSiblingName)}
	sib, err := buildinfo.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		s.why = s.path + " does not exist"
		return s
	}
	if err != nil {
		s.why = fmt.Sprintf("%s is not a Go executable AgentLink can read: %v", s.path, err)
		return s
	}
	own, ok := debug.ReadBuildInfo()
	if !ok {
		s.why = "this executable has no build information"
		return s
	}
	if err := sameBuild(own, sib); err != nil {
		s.why = fmt.Sprintf("%s does not match this build (%v): rebuild both with make build", s.path, err)
		return s
	}
	s.usable = true
	return s
}

// buildSettingsIgnored differ legitimately between the two builds.
var buildSettingsIgnored = []string{"-tags", "CGO_ENABLED", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS"}

// sameBuild says whether sib is the nogui build of the same source as own.
func sameBuild(own, sib *debug.BuildInfo) error {
	if !slices.Contains(strings.Split(buildSetting(sib, "-tags"), ","), "nogui") {
		return errors.New("not built with -tags nogui")
	}
	if own.GoVersion != sib.GoVersion {
		return fmt.Errorf("built with %s, this with %s", sib.GoVersion, own.GoVersion)
	}
	if own.Main.Path != sib.Main.Path || own.Main.Version != sib.Main.Version || own.Main.Sum != sib.Main.Sum {
		return fmt.Errorf("module %s %s, this is %s %s", sib.Main.Path, sib.Main.Version, own.Main.Path, own.Main.Version)
	}
	keys := map[string]bool{}
	for _, b := range [][]debug.BuildSetting{own.Settings, sib.Settings} {
		for _, s := range b {
			keys[s.Key] = !slices.Contains(buildSettingsIgnored, s.Key)
		}
	}
	for k, compare := range keys {
		if compare && buildSetting(own, k) != buildSetting(sib, k) {
			return fmt.Errorf("build setting %s is %q, this is %q", k, buildSetting(sib, k), buildSetting(own, k))
		}
	}
	return nil
}

func buildSetting(bi *debug.BuildInfo, key string) string {
	for _, s := range bi.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// describe is the doctor's line about which binary runs headless.
func (s headlessSibling) describe() string {
	if s.usable {
		return fmt.Sprintf("--headless runs %s (the nogui build, about 19 MB idle instead of 34 MB)", s.path)
	}
	return "--headless runs in this binary: " + s.why
}

// checkHeadless is the doctor's check: which binary `--headless` runs. A
// sibling that is there but not from this build is a warning (a stale
// install); no sibling is fine, only heavier.
func (d *doctor) checkHeadless(context.Context) checkResult {
	s := findHeadlessSibling(d.getenv)
	r := checkResult{Status: statusOK, Detail: s.describe()}
	if !s.usable && s.path != "" {
		if _, err := os.Stat(s.path); err == nil {
			r.Status = statusWarn
			r.Fix = "install agentlink and agentlink-headless from the same package (or run make build), or remove " + s.path
		}
	}
	return r
}
