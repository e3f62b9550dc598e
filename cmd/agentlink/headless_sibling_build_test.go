package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestSameBuild: the full binary runs a sibling only when it is the nogui
// build of the very same source and toolchain.
func TestSameBuild(t *testing.T) {
	info := func(tags, rev string) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/agentlink/agentlink", Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "-tags", Value: tags}, {Key: "CGO_ENABLED", Value: "1"},
				{Key: "-ldflags", Value: "-X main.version=v1.2.0"}, {Key: "vcs.revision", Value: rev}}}
	}
	own := info("migrated_fynedo", "abc")
	cases := []struct {
		name string
		sib  *debug.BuildInfo
		want string // "" for a match, else part of the error
	}{
		{"nogui build of the same source", info("migrated_fynedo,nogui", "abc"), ""},
		{"not nogui", info("migrated_fynedo", "abc"), "not built with -tags nogui"},
		{"other revision", info("nogui", "def"), "vcs.revision"},
		{"other Go", func() *debug.BuildInfo { b := info("nogui", "abc"); b.GoVersion = "go1.25.0"; return b }(), "built with go1.25.0"},
		{"other version", func() *debug.BuildInfo { b := info("nogui", "abc"); b.Main.Version = "v1.1.0"; return b }(), "module"},
		{"other ldflags", func() *debug.BuildInfo {
			b := info("nogui", "abc")
			b.Settings[2].Value = "-X main.version=v1.1.0"
			return b
		}(), "-ldflags"},
		{"setting only one has", func() *debug.BuildInfo {
			b := info("nogui", "abc")
			b.Settings = append(b.Settings, debug.BuildSetting{Key: "-trimpath", Value: "true"})
			return b
		}(), "-trimpath"},
		{"CGO differs, fine", func() *debug.BuildInfo { b := info("nogui", "abc"); b.Settings[1].Value = "0"; return b }(), ""},
	}
	for _, c := range cases {
		err := sameBuild(own, c.sib)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v, want a match", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want an error naming %q", c.name, err, c.want)
		}
	}
}

// TestHeadlessSiblingOptOut: the environment turns the exec off, and a
// process started by the full binary never execs again.
func TestHeadlessSiblingOptOut(t *testing.T) {
	for _, env := range []map[string]string{{envNoSibling: "1"}, {envExecedFrom: "/opt/agentlink/agentlink"}} {
		s := findHeadlessSibling(func(k string) string { return env[k] })
		if s.usable || s.why == "" {
			t.Errorf("env %v: %+v, want not usable with a reason", env, s)
		}
	}
}
