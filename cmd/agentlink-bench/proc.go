package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat. It
// is 100 on every Linux architecture Go supports (sysconf would need cgo).
const clockTicks = 100

// ErrProcFormat is wrapped by every error about an unexpected /proc file.
var ErrProcFormat = errors.New("unexpected /proc format")

// Machine describes where the figures were measured.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpuModel"`
	Memory    string `json:"memory"`
	Kernel    string `json:"kernel"`
	GoVersion string `json:"goVersion"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	// LoadStart and LoadEnd are /proc/loadavg's 1-minute load when the run
	// began and ended: other work on the machine skews every figure.
	LoadStart string `json:"loadStart"`
	LoadEnd   string `json:"loadEnd"`
}

// LoadAvg returns the 1-minute load average, or "unknown".
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// ReadMachine collects the machine description; parts it cannot read are
// "unknown".
func ReadMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), CPUModel: "unknown", Memory: "unknown", Kernel: "unknown",
		GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, LoadStart: LoadAvg()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if v := procField(b, "model name", ':'); v != "" {
			m.CPUModel = v
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if kb, err := parseKB(procField(b, "MemTotal", ':')); err == nil {
			m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	return m
}

// procField returns the value of the first "key<sep> value" line of b.
func procField(b []byte, key string, sep byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), string(sep))
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// parseKB parses "12345 kB".
func parseKB(s string) (int64, error) {
	num, unit, _ := strings.Cut(strings.TrimSpace(s), " ")
	if unit != "kB" {
		return 0, fmt.Errorf("%w: %q is not a kB value", ErrProcFormat, s)
	}
	return strconv.ParseInt(num, 10, 64)
}

// ProcSample is one reading of a process's memory and CPU time.
type ProcSample struct {
	At    time.Time
	RSS   int64         // bytes
	Anon  int64         // bytes of RSS that are heap/stack (RssAnon)
	File  int64         // bytes of RSS that are mapped files: binary, shared libraries (RssFile)
	CPU   time.Duration // user + system
	Procs int           // threads
}

// SampleProc reads /proc/PID/status and /proc/PID/stat.
func SampleProc(pid int) (ProcSample, error) {
	s := ProcSample{At: time.Now()}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, fmt.Errorf("read process status: %w", err)
	}
	kb, err := parseKB(procField(status, "VmRSS", ':'))
	if err != nil {
		return s, fmt.Errorf("VmRSS of %d: %w", pid, err)
	}
	s.RSS = kb * 1024
	// RssAnon and RssFile exist since Linux 4.5; zero when missing.
	if kb, err := parseKB(procField(status, "RssAnon", ':')); err == nil {
		s.Anon = kb * 1024
	}
	if kb, err := parseKB(procField(status, "RssFile", ':')); err == nil {
		s.File = kb * 1024
	}
	s.Procs, _ = strconv.Atoi(procField(status, "Threads", ':'))
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, fmt.Errorf("read process stat: %w", err)
	}
	if s.CPU, err = parseStatCPU(stat); err != nil {
		return s, fmt.Errorf("stat of %d: %w", pid, err)
	}
	return s, nil
}

// parseStatCPU returns utime+stime from a /proc/PID/stat line. The command
// name (field 2) is in parentheses and may itself hold spaces and
// parentheses, so fields are counted from the last ')'.
func parseStatCPU(stat []byte) (time.Duration, error) {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, fmt.Errorf("%w: no command name in stat", ErrProcFormat)
	}
	// After ")": field 3 (state) is rest[0]; utime is field 14, stime 15.
	rest := strings.Fields(string(stat[end+1:]))
	if len(rest) < 13 {
		return 0, fmt.Errorf("%w: stat has %d fields after the name, want at least 13", ErrProcFormat, len(rest))
	}
	var ticks int64
	for _, f := range rest[11:13] {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: cpu time %q: %v", ErrProcFormat, f, err)
		}
		ticks += v
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// CPUPercent is the share of one core used between two samples.
func CPUPercent(a, b ProcSample) float64 {
	wall := b.At.Sub(a.At)
	if wall <= 0 {
		return 0
	}
	return 100 * float64(b.CPU-a.CPU) / float64(wall)
}

// MiB converts bytes to MiB.
func MiB(b int64) float64 { return float64(b) / (1 << 20) }
