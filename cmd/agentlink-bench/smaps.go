package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Mapping is one entry of /proc/PID/smaps: what is mapped and how much of
// it is resident (RSS), proportionally ours (PSS: each shared page divided
// by the processes mapping it) and anonymous. Sizes are bytes.
type Mapping struct {
	Path string // "" for an anonymous mapping; "[heap]", "[stack]" etc. for the kernel's names
	RSS  int64
	PSS  int64
	Anon int64
}

// ParseSmaps reads /proc/PID/smaps. A mapping's header line is
// "start-end perms offset dev inode [path]" (the path may hold spaces);
// the lines after it, up to the next header, are "Key: N kB" fields.
func ParseSmaps(r io.Reader) ([]Mapping, error) {
	var out []Mapping
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if path, ok := smapsHeader(text); ok {
			out = append(out, Mapping{Path: path})
			continue
		}
		key, val, ok := strings.Cut(text, ":")
		if !ok {
			return nil, fmt.Errorf("%w: smaps line %d: %q", ErrProcFormat, line, text)
		}
		var dst *int64
		if len(out) > 0 {
			switch key {
			case "Rss":
				dst = &out[len(out)-1].RSS
			case "Pss":
				dst = &out[len(out)-1].PSS
			case "Anonymous":
				dst = &out[len(out)-1].Anon
			}
		}
		if dst == nil {
			continue // VmFlags, THPeligible, Swap, ...: not used
		}
		kb, err := parseKB(val)
		if err != nil {
			return nil, fmt.Errorf("smaps line %d: %w", line, err)
		}
		*dst = kb * 1024
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: smaps has no mappings", ErrProcFormat)
	}
	return out, nil
}

// smapsHeader reports whether text is a mapping's header line and returns
// its path ("" when anonymous).
func smapsHeader(text string) (string, bool) {
	f := strings.Fields(text)
	if len(f) < 5 || !strings.Contains(f[0], "-") || strings.HasSuffix(f[0], ":") || len(f[1]) != 4 {
		return "", false
	}
	for _, c := range strings.ReplaceAll(f[0], "-", "") {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return "", false
		}
	}
	// The path starts after the inode field; keep its own spacing.
	rest := text
	for range 5 {
		rest = strings.TrimLeft(rest, " \t")
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			return "", true
		}
		rest = rest[i:]
	}
	return strings.TrimSpace(rest), true
}

// Rollup is /proc/PID/smaps_rollup: the process's whole RSS and PSS.
type Rollup struct {
	RSS, PSS, PSSAnon, PSSFile int64 // bytes
}

// ParseRollup reads /proc/PID/smaps_rollup (Linux 4.14+).
func ParseRollup(b []byte) (Rollup, error) {
	var r Rollup
	for key, dst := range map[string]*int64{"Rss": &r.RSS, "Pss": &r.PSS, "Pss_Anon": &r.PSSAnon, "Pss_File": &r.PSSFile} {
		v := procField(b, key, ':')
		if v == "" {
			if key == "Rss" || key == "Pss" {
				return r, fmt.Errorf("%w: smaps_rollup has no %s", ErrProcFormat, key)
			}
			continue // Pss_Anon and Pss_File exist since Linux 5.9
		}
		kb, err := parseKB(v)
		if err != nil {
			return r, fmt.Errorf("smaps_rollup %s: %w", key, err)
		}
		*dst = kb * 1024
	}
	return r, nil
}

// Add sums two rollups (the processes of one browser tab).
func (r Rollup) Add(o Rollup) Rollup {
	return Rollup{RSS: r.RSS + o.RSS, PSS: r.PSS + o.PSS, PSSAnon: r.PSSAnon + o.PSSAnon, PSSFile: r.PSSFile + o.PSSFile}
}

// Memory groups of a UI process's breakdown, in the order they are printed.
const (
	groupCHeap  = "C heap (malloc: Mesa, LLVM, X11, fontconfig)"
	groupAnon   = "other anonymous (Go heap, stacks, large malloc blocks)"
	groupBinary = "the agentlink binary"
	groupGL     = "GL driver (Mesa, libLLVM and what only they load)"
	groupX11    = "X11, xcb, Wayland client libraries"
	groupFonts  = "fonts and font caches"
	groupShm    = "shared memory (SysV, memfd: MIT-SHM images)"
	groupOther  = "other libraries and files (libc, locale, shader cache)"
)

var groupOrder = []string{groupCHeap, groupAnon, groupBinary, groupGL, groupX11, groupFonts, groupShm, groupOther}

// glLibs are name prefixes of the GL stack and of libraries that, in a Go
// binary linking Fyne, only Mesa and LLVM bring in.
var glLibs = []string{"libLLVM", "libgallium", "libGL", "libEGL", "libGLX", "libglapi", "libGLdispatch", "libOpenGL",
	"libdrm", "libgbm", "libvulkan", "libvk_swiftshader", "libz3", "libxml2", "libicu", "libedit", "libtinfo",
	"libsensors", "libelf", "libpciaccess", "libstdc++", "libxshmfence", "libclang"}

// x11Libs are name prefixes of the X11 and Wayland client libraries.
var x11Libs = []string{"libX", "libxcb", "libxkbcommon", "libwayland", "libdecor"}

// classifyMapping puts a mapping's path into one of groupOrder; exe is the
// process's own binary.
func classifyMapping(path, exe string) string {
	path = strings.TrimSuffix(path, " (deleted)")
	base := filepath.Base(path)
	switch {
	case path == "[heap]":
		return groupCHeap
	case path == "" || strings.HasPrefix(path, "[anon") || strings.HasPrefix(path, "[stack"):
		return groupAnon
	case exe != "" && path == exe:
		return groupBinary
	case strings.HasPrefix(path, "/SYSV") || strings.HasPrefix(path, "/memfd:") || strings.HasPrefix(path, "/dev/shm/"):
		return groupShm
	case strings.HasPrefix(path, "/dev/dri/") || strings.Contains(base, "_dri.so") || hasPrefixAny(base, glLibs):
		return groupGL
	case hasPrefixAny(base, x11Libs):
		return groupX11
	case strings.Contains(path, "/fonts/") || strings.Contains(path, "fontconfig") ||
		hasSuffixAny(base, ".ttf", ".otf", ".ttc", ".pcf", ".pcf.gz", ".pfb", ".woff", ".woff2"):
		return groupFonts
	}
	return groupOther
}

func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasSuffixAny(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// MemGroup is the sum of one group's mappings.
type MemGroup struct {
	Name       string
	RSS, PSS   int64
	Mappings   int
	Largest    string // the path with the most RSS in the group ("anonymous" for "")
	LargestRSS int64
}

// GroupMappings sums mappings by classifyMapping, in groupOrder; groups
// with nothing resident are left out. Mappings of one path count together
// when picking the largest.
func GroupMappings(ms []Mapping, exe string) []MemGroup {
	byGroup := map[string]*MemGroup{}
	perPath := map[string]map[string]int64{}
	for _, m := range ms {
		g := classifyMapping(m.Path, exe)
		mg := byGroup[g]
		if mg == nil {
			mg = &MemGroup{Name: g}
			byGroup[g], perPath[g] = mg, map[string]int64{}
		}
		mg.RSS += m.RSS
		mg.PSS += m.PSS
		mg.Mappings++
		perPath[g][m.Path] += m.RSS
	}
	var out []MemGroup
	for _, name := range groupOrder {
		mg := byGroup[name]
		if mg == nil || mg.RSS == 0 {
			continue
		}
		for p, rss := range perPath[name] {
			if rss > mg.LargestRSS || rss == mg.LargestRSS && p < mg.Largest {
				mg.Largest, mg.LargestRSS = p, rss
			}
		}
		if mg.Largest == "" {
			mg.Largest = "anonymous"
		}
		out = append(out, *mg)
	}
	return out
}

// mappedAny reports which of names (substrings) appear in the mappings'
// paths, in the order given: the GL driver a process actually loaded.
func mappedAny(ms []Mapping, names ...string) []string {
	var found []string
	for _, n := range names {
		for _, m := range ms {
			if strings.Contains(filepath.Base(m.Path), n) {
				found = append(found, filepath.Base(m.Path))
				break
			}
		}
	}
	return found
}

// glLibNames are the GL driver libraries whose presence says which GL a
// process runs: Mesa's software rasterisers need libLLVM (llvmpipe) or not
// (softpipe), a GPU driver maps its own *_dri.so, Chromium may bring
// SwiftShader.
var glLibNames = []string{"libLLVM", "libgallium", "swrast_dri", "kms_swrast", "iris_dri", "radeonsi_dri", "nouveau_dri",
	"libvulkan", "libvk_swiftshader", "libGLX_mesa", "libGLX_nvidia", "libEGL_mesa", "libGLESv2"}

// mappedPaths lists the paths in a /proc/PID/maps file (same header lines
// as smaps).
func mappedPaths(maps []byte) []Mapping {
	var out []Mapping
	for line := range strings.SplitSeq(string(maps), "\n") {
		if p, ok := smapsHeader(line); ok && p != "" {
			out = append(out, Mapping{Path: p})
		}
	}
	return out
}

// readSmaps parses a process's smaps file contents.
func readSmaps(b []byte) ([]Mapping, error) { return ParseSmaps(bytes.NewReader(b)) }
