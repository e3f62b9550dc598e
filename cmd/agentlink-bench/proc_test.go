package main

import (
	"errors"
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name    string
		stat    string
		want    time.Duration
		wantErr bool
	}{
		{"plain", "1234 (agentlink) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 100 0 0",
			3 * time.Second, false},
		{"name with spaces and parens", "77 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 5 0 0",
			100 * time.Millisecond, false},
		{"no name", "1234 agentlink S 1", 0, true},
		{"truncated", "1 (x) S 1 2 3", 0, true},
		{"not a number", "1 (x) S 1 1 1 0 -1 0 0 0 0 0 abc 3 0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatCPU([]byte(tt.stat))
			if tt.wantErr {
				if !errors.Is(err, ErrProcFormat) {
					t.Fatalf("parseStatCPU() error = %v, want ErrProcFormat", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("parseStatCPU() = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestParseKB(t *testing.T) {
	if got, err := parseKB(" 20480 kB"); err != nil || got != 20480 {
		t.Errorf("parseKB = %d, %v; want 20480, nil", got, err)
	}
	if _, err := parseKB("20 MB"); !errors.Is(err, ErrProcFormat) {
		t.Errorf("parseKB(20 MB) error = %v, want ErrProcFormat", err)
	}
}

func TestCPUPercent(t *testing.T) {
	t0 := time.Unix(100, 0)
	a := ProcSample{At: t0, CPU: time.Second}
	tests := []struct {
		b    ProcSample
		want float64
	}{
		{ProcSample{At: t0.Add(10 * time.Second), CPU: 1050 * time.Millisecond}, 0.5},
		{ProcSample{At: t0.Add(2 * time.Second), CPU: 3 * time.Second}, 100},
		{ProcSample{At: t0, CPU: 2 * time.Second}, 0},
	}
	for _, tt := range tests {
		if got := CPUPercent(a, tt.b); got != tt.want {
			t.Errorf("CPUPercent(%v, %v) = %v, want %v", a, tt.b, got, tt.want)
		}
	}
}

// TestSampleProcSelf reads this test process: RSS and CPU must be positive
// and CPU time must not go backwards.
func TestSampleProcSelf(t *testing.T) {
	a, err := SampleProc(os.Getpid())
	if err != nil {
		t.Fatalf("SampleProc(self) = %v", err)
	}
	x := 0
	for i := range 5_000_000 {
		x += i
	}
	b, err := SampleProc(os.Getpid())
	if err != nil {
		t.Fatalf("SampleProc(self) = %v", err)
	}
	if a.RSS <= 0 || b.CPU < a.CPU || a.Procs < 1 {
		t.Errorf("samples %+v then %+v (x=%d): want RSS > 0, threads >= 1, CPU not decreasing", a, b, x)
	}
}
