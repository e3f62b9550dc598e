package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// smapsFixture is a trimmed /proc/PID/smaps of the UI app: the kernel's
// field set (Linux 6.x), a path with a space, a deleted SysV segment.
const smapsFixture = `00400000-00c00000 r-xp 00000000 08:01 1234                               /opt/agent link/agentlink
Size:               8192 kB
KernelPageSize:        4 kB
Rss:                6000 kB
Pss:                6000 kB
Shared_Clean:          0 kB
Anonymous:             0 kB
VmFlags: rd ex mr mw me
01c00000-02000000 rw-p 00000000 00:00 0                                  [heap]
Rss:                3000 kB
Pss:                3000 kB
Anonymous:          3000 kB
c000000000-c004000000 rw-p 00000000 00:00 0 
Rss:                2048 kB
Pss:                2048 kB
Anonymous:          2048 kB
7f0000000000-7f0003000000 r-xp 00000000 08:01 99   /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Rss:               50000 kB
Pss:               25000 kB
Anonymous:             0 kB
7f0003000000-7f0003100000 r-xp 00000000 08:01 98   /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so
Rss:                8000 kB
Pss:                4000 kB
7f0004000000-7f0004100000 r-xp 00000000 08:01 97   /usr/lib/x86_64-linux-gnu/libX11.so.6.4.0
Rss:                 900 kB
Pss:                 300 kB
7f0005000000-7f0005100000 r--p 00000000 08:01 96   /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
Rss:                 400 kB
Pss:                 400 kB
7f0006000000-7f0006100000 rw-s 00000000 00:01 0    /SYSV00000000 (deleted)
Rss:                1200 kB
Pss:                 600 kB
7f0007000000-7f0007100000 r-xp 00000000 08:01 95   /usr/lib/x86_64-linux-gnu/libc.so.6
Rss:                1600 kB
Pss:                 100 kB
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
Rss:                 100 kB
Pss:                 100 kB
Anonymous:           100 kB
`

func TestParseSmaps(t *testing.T) {
	ms, err := ParseSmaps(strings.NewReader(smapsFixture))
	if err != nil {
		t.Fatal(err)
	}
	want := []Mapping{
		{Path: "/opt/agent link/agentlink", RSS: 6000 << 10, PSS: 6000 << 10},
		{Path: "[heap]", RSS: 3000 << 10, PSS: 3000 << 10, Anon: 3000 << 10},
		{Path: "", RSS: 2048 << 10, PSS: 2048 << 10, Anon: 2048 << 10},
		{Path: "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1", RSS: 50000 << 10, PSS: 25000 << 10},
		{Path: "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so", RSS: 8000 << 10, PSS: 4000 << 10},
		{Path: "/usr/lib/x86_64-linux-gnu/libX11.so.6.4.0", RSS: 900 << 10, PSS: 300 << 10},
		{Path: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", RSS: 400 << 10, PSS: 400 << 10},
		{Path: "/SYSV00000000 (deleted)", RSS: 1200 << 10, PSS: 600 << 10},
		{Path: "/usr/lib/x86_64-linux-gnu/libc.so.6", RSS: 1600 << 10, PSS: 100 << 10},
		{Path: "[stack]", RSS: 100 << 10, PSS: 100 << 10, Anon: 100 << 10},
	}
	if diff := cmp.Diff(want, ms); diff != "" {
		t.Errorf("ParseSmaps mismatch (-want +got):\n%s", diff)
	}
}

func TestParseSmapsErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":        "",
		"not kB":       "00400000-00c00000 r-xp 00000000 08:01 1 /bin/x\nRss: 12 MB\n",
		"garbage line": "00400000-00c00000 r-xp 00000000 08:01 1 /bin/x\nthis is not smaps\n",
	} {
		if _, err := ParseSmaps(strings.NewReader(in)); !errors.Is(err, ErrProcFormat) {
			t.Errorf("%s: got %v, want an ErrProcFormat error", name, err)
		}
	}
}

func TestGroupMappings(t *testing.T) {
	ms, err := ParseSmaps(strings.NewReader(smapsFixture))
	if err != nil {
		t.Fatal(err)
	}
	got := GroupMappings(ms, "/opt/agent link/agentlink")
	want := []MemGroup{
		{Name: groupCHeap, RSS: 3000 << 10, PSS: 3000 << 10, Mappings: 1, Largest: "[heap]", LargestRSS: 3000 << 10},
		{Name: groupAnon, RSS: 2148 << 10, PSS: 2148 << 10, Mappings: 2, Largest: "anonymous", LargestRSS: 2048 << 10},
		{Name: groupBinary, RSS: 6000 << 10, PSS: 6000 << 10, Mappings: 1, Largest: "/opt/agent link/agentlink", LargestRSS: 6000 << 10},
		{Name: groupGL, RSS: 58000 << 10, PSS: 29000 << 10, Mappings: 2, Largest: "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1", LargestRSS: 50000 << 10},
		{Name: groupX11, RSS: 900 << 10, PSS: 300 << 10, Mappings: 1, Largest: "/usr/lib/x86_64-linux-gnu/libX11.so.6.4.0", LargestRSS: 900 << 10},
		{Name: groupFonts, RSS: 400 << 10, PSS: 400 << 10, Mappings: 1, Largest: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", LargestRSS: 400 << 10},
		{Name: groupShm, RSS: 1200 << 10, PSS: 600 << 10, Mappings: 1, Largest: "/SYSV00000000 (deleted)", LargestRSS: 1200 << 10},
		{Name: groupOther, RSS: 1600 << 10, PSS: 100 << 10, Mappings: 1, Largest: "/usr/lib/x86_64-linux-gnu/libc.so.6", LargestRSS: 1600 << 10},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GroupMappings mismatch (-want +got):\n%s", diff)
	}
	var rss int64
	for _, g := range got {
		rss += g.RSS
	}
	var all int64
	for _, m := range ms {
		all += m.RSS
	}
	if rss != all {
		t.Errorf("groups hold %d bytes of RSS, the mappings %d: every mapping must land in one group", rss, all)
	}
	if libs := mappedAny(ms, "libLLVM", "libgallium", "swrast_dri"); !cmp.Equal(libs, []string{"libLLVM-15.so.1", "swrast_dri.so"}) {
		t.Errorf("mappedAny = %v", libs)
	}
}

func TestClassifyMapping(t *testing.T) {
	for path, want := range map[string]string{
		"/usr/lib/x86_64-linux-gnu/libgallium-24.2.8.so":      groupGL,
		"/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0":          groupGL,
		"/dev/dri/renderD128":                                 groupGL,
		"/usr/lib/x86_64-linux-gnu/libxcb-glx.so.0.0.0":       groupX11,
		"/usr/lib/x86_64-linux-gnu/libwayland-client.so.0":    groupX11,
		"/var/cache/fontconfig/abc-le64.cache-9":              groupFonts,
		"/memfd:wayland-shm (deleted)":                        groupShm,
		"[anon:glibc malloc]":                                 groupAnon,
		"/tmp/agentlink-bench-bin-1/agentlink (deleted)":      groupBinary,
		"/usr/lib/locale/C.utf8/LC_CTYPE":                     groupOther,
		"/usr/lib/x86_64-linux-gnu/libpthread.so.0":           groupOther,
		"/root/.cache/mesa_shader_cache/index":                groupOther,
		"/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30":       groupGL,
		"/usr/share/fonts/X11/misc/6x13-ISO8859-1.pcf.gz":     groupFonts,
		"/usr/lib/x86_64-linux-gnu/libXcursor.so.1.0.2":       groupX11,
		"/usr/lib/x86_64-linux-gnu/libvk_swiftshader.so":      groupGL,
		"/usr/lib/x86_64-linux-gnu/libGLdispatch.so.0.0.0":    groupGL,
		"/usr/lib/x86_64-linux-gnu/libxkbcommon.so.0.0.0":     groupX11,
		"/usr/lib/x86_64-linux-gnu/libdrm_amdgpu.so.1.0.0":    groupGL,
		"/usr/lib/x86_64-linux-gnu/libicudata.so.72.1":        groupGL,
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc": groupFonts,
	} {
		if got := classifyMapping(path, "/tmp/agentlink-bench-bin-1/agentlink"); got != want {
			t.Errorf("classifyMapping(%q) = %q, want %q", path, got, want)
		}
	}
}

const rollupFixture = `55d0c0a00000-7ffd1a3f1000 ---p 00000000 00:00 0                          [rollup]
Rss:              178012 kB
Pss:              125978 kB
Pss_Dirty:        112788 kB
Pss_Anon:          82452 kB
Pss_File:          42962 kB
Pss_Shmem:           564 kB
Shared_Clean:      50000 kB
`

func TestParseRollupAndSum(t *testing.T) {
	r, err := ParseRollup([]byte(rollupFixture))
	if err != nil {
		t.Fatal(err)
	}
	want := Rollup{RSS: 178012 << 10, PSS: 125978 << 10, PSSAnon: 82452 << 10, PSSFile: 42962 << 10}
	if r != want {
		t.Errorf("ParseRollup = %+v, want %+v", r, want)
	}
	// An older kernel: no Pss_Anon/Pss_File, still a PSS.
	old, err := ParseRollup([]byte("Rss: 100 kB\nPss: 60 kB\n"))
	if err != nil || old != (Rollup{RSS: 100 << 10, PSS: 60 << 10}) {
		t.Errorf("old kernel rollup = %+v, %v", old, err)
	}
	sum := r.Add(old).Add(Rollup{})
	if sum.PSS != (125978+60)<<10 || sum.RSS != (178012+100)<<10 || sum.PSSAnon != 82452<<10 {
		t.Errorf("sum = %+v", sum)
	}
	if _, err := ParseRollup([]byte("Rss: 100 kB\n")); !errors.Is(err, ErrProcFormat) {
		t.Errorf("rollup without Pss: got %v, want ErrProcFormat", err)
	}
}

func TestProcTree(t *testing.T) {
	// 100 is Chromium's browser (its own group), 101/102 zygotes, 103 a
	// renderer under a zygote, 104 a crashpad handler reparented to init but
	// still in the group, 200 an unrelated process whose parent is 1.
	procs := map[int]procInfo{
		1:   {ppid: 0, pgid: 1},
		100: {ppid: 1, pgid: 100},
		101: {ppid: 100, pgid: 100},
		102: {ppid: 100, pgid: 100},
		103: {ppid: 102, pgid: 100},
		104: {ppid: 1, pgid: 100},
		105: {ppid: 103, pgid: 105}, // a child that made its own group
		200: {ppid: 1, pgid: 200},
	}
	if got, want := procTree(100, procs), []int{100, 101, 102, 103, 104, 105}; !cmp.Equal(got, want) {
		t.Errorf("procTree(100) = %v, want %v", got, want)
	}
	if got := procTree(999, procs); len(got) != 0 {
		t.Errorf("procTree of a gone process = %v, want none", got)
	}
}

func TestParseStatInfo(t *testing.T) {
	stat := "4242 (chromium (x) y) S 4200 4201 4201 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 10 0 1000 0 0\n"
	pi, err := parseStatInfo([]byte(stat))
	if err != nil {
		t.Fatal(err)
	}
	if pi.ppid != 4200 || pi.pgid != 4201 || pi.cpu != 3*time.Second {
		t.Errorf("parseStatInfo = %+v, want ppid 4200, pgid 4201, cpu 3s", pi)
	}
	if _, err := parseStatInfo([]byte("4242 (x) S 1 2")); !errors.Is(err, ErrProcFormat) {
		t.Errorf("short stat: got %v, want ErrProcFormat", err)
	}
}

func TestTreeCPUPercent(t *testing.T) {
	t0 := time.Unix(1000, 0)
	a := TreeSample{At: t0, CPU: map[int]time.Duration{1: time.Second, 2: 500 * time.Millisecond, 3: time.Second}}
	// 1 used 100 ms, 2 used 50 ms, 3 ended (not counted), 4 started and used 50 ms.
	b := TreeSample{At: t0.Add(2 * time.Second), CPU: map[int]time.Duration{1: 1100 * time.Millisecond, 2: 550 * time.Millisecond, 4: 50 * time.Millisecond}}
	if got := treeCPUPercent(a, b); got < 9.99 || got > 10.01 {
		t.Errorf("treeCPUPercent = %.3f, want 10 (200 ms over 2 s)", got)
	}
	if got := treeCPUPercent(b, a); got != 0 {
		t.Errorf("a reversed window = %v, want 0", got)
	}
}

func TestChromiumKind(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/lib/chromium/chromium\x00--user-data-dir=/tmp/p\x00http://x/": "browser",
		"/usr/lib/chromium/chromium --type=renderer --lang=en-US":           "renderer",
		"/usr/lib/chromium/chromium\x00--type=gpu-process\x00--no-sandbox":  "gpu-process",
		"--type=":                           "browser",
		"":                                  "browser",
		"--type=zygote --no-zygote-sandbox": "zygote",
	} {
		if got := chromiumKind([]byte(in)); got != want {
			t.Errorf("chromiumKind(%q) = %q, want %q", in, got, want)
		}
	}
	if got := kindsNote(map[string]int{"renderer": 3, "browser": 1}); got != "browser 1, renderer 3" {
		t.Errorf("kindsNote = %q", got)
	}
}

func TestGLXRenderer(t *testing.T) {
	out := `name of display: :0
display: :0  screen: 0
direct rendering: Yes
Extended renderer info (GLX_MESA_query_renderer):
    Vendor: Mesa (0xffffffff)
    Device: llvmpipe (LLVM 15.0.6, 256 bits) (0xffffffff)
OpenGL vendor string: Mesa
OpenGL renderer string: llvmpipe (LLVM 15.0.6, 256 bits)
OpenGL version string: 4.5 (Compatibility Profile) Mesa 22.3.6
`
	if got, want := glxRenderer(out), "llvmpipe (LLVM 15.0.6, 256 bits); OpenGL 4.5 (Compatibility Profile) Mesa 22.3.6"; got != want {
		t.Errorf("glxRenderer = %q, want %q", got, want)
	}
	if got := glxRenderer("Error: unable to open display"); got != "" {
		t.Errorf("glxRenderer of an error = %q, want empty", got)
	}
}
