package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// procInfo is what figure 7 needs of one process from /proc/PID/stat.
type procInfo struct {
	ppid, pgid int
	cpu        time.Duration // utime + stime
}

// parseStatInfo reads ppid (field 4), pgrp (field 5) and utime+stime
// (fields 14, 15) from a /proc/PID/stat line; fields are counted from the
// last ')' because the command name may hold spaces and parentheses.
func parseStatInfo(stat []byte) (procInfo, error) {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return procInfo{}, fmt.Errorf("%w: no command name in stat", ErrProcFormat)
	}
	rest := strings.Fields(string(stat[end+1:]))
	if len(rest) < 13 {
		return procInfo{}, fmt.Errorf("%w: stat has %d fields after the name, want at least 13", ErrProcFormat, len(rest))
	}
	ppid, err1 := strconv.Atoi(rest[1])
	pgid, err2 := strconv.Atoi(rest[2])
	if err1 != nil || err2 != nil {
		return procInfo{}, fmt.Errorf("%w: ppid %q or pgrp %q", ErrProcFormat, rest[1], rest[2])
	}
	cpu, err := parseStatCPU(stat)
	if err != nil {
		return procInfo{}, err
	}
	return procInfo{ppid: ppid, pgid: pgid, cpu: cpu}, nil
}

// readProcs reads every process's procInfo; processes that end while it
// reads are skipped.
func readProcs() (map[int]procInfo, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	out := map[int]procInfo{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		if pi, err := parseStatInfo(b); err == nil {
			out[pid] = pi
		}
	}
	return out, nil
}

// procTree is root, every descendant of it, and every process in root's
// process group (a helper that double-forked away from its parent but kept
// the group), sorted.
func procTree(root int, procs map[int]procInfo) []int {
	in := map[int]bool{}
	if _, ok := procs[root]; ok {
		in[root] = true
	}
	for changed := true; changed; {
		changed = false
		for pid, pi := range procs {
			if !in[pid] && (in[pi.ppid] || pi.pgid == root) {
				in[pid], changed = true, true
			}
		}
	}
	out := make([]int, 0, len(in))
	for pid := range in {
		out = append(out, pid)
	}
	slices.Sort(out)
	return out
}

// TreeSample is one reading of a process tree: the summed smaps_rollup of
// its processes and each one's CPU time.
type TreeSample struct {
	At     time.Time
	Mem    Rollup
	CPU    map[int]time.Duration
	Kinds  map[string]int // "renderer": 1, "gpu-process": 1, ... (Chromium's --type=)
	Failed int            // processes that ended before their smaps_rollup was read
}

// sampleTree reads root's process tree.
func sampleTree(root int) (TreeSample, error) {
	procs, err := readProcs()
	if err != nil {
		return TreeSample{}, err
	}
	s := TreeSample{At: time.Now(), CPU: map[int]time.Duration{}, Kinds: map[string]int{}}
	for _, pid := range procTree(root, procs) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
		if err != nil {
			s.Failed++
			continue
		}
		r, err := ParseRollup(b)
		if err != nil {
			return s, fmt.Errorf("process %d: %w", pid, err)
		}
		s.Mem = s.Mem.Add(r)
		s.CPU[pid] = procs[pid].cpu
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		s.Kinds[chromiumKind(cmdline)]++
	}
	if len(s.CPU) == 0 {
		return s, fmt.Errorf("process %d and its children are gone", root)
	}
	return s, nil
}

// chromiumKind is a Chromium process's --type= ("renderer", "gpu-process",
// "utility", "zygote", ...), "browser" when it has none. Chromium rewrites
// its helpers' command lines into one space-separated string, so the flag
// is looked for anywhere, not only as a whole NUL-separated argument.
func chromiumKind(cmdline []byte) string {
	for _, arg := range bytes.FieldsFunc(cmdline, func(r rune) bool { return r == 0 || r == ' ' }) {
		if t, ok := bytes.CutPrefix(arg, []byte("--type=")); ok && len(t) > 0 {
			return string(t)
		}
	}
	return "browser"
}

// treeCPUPercent is the share of one core the tree used between a and b:
// each process's CPU time in b less that in a (zero for one started in
// between). A process gone by b is not counted.
func treeCPUPercent(a, b TreeSample) float64 {
	wall := b.At.Sub(a.At)
	if wall <= 0 {
		return 0
	}
	var used time.Duration
	for pid, cpu := range b.CPU {
		used += cpu - a.CPU[pid]
	}
	return 100 * float64(used) / float64(wall)
}

// kindsNote lists process kinds and counts, sorted: "browser 1, gpu-process 1, ...".
func kindsNote(k map[string]int) string {
	names := make([]string, 0, len(k))
	for n := range k {
		names = append(names, n)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, k[n])
	}
	return strings.Join(parts, ", ")
}
