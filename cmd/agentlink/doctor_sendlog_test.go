package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// sendLogConfig starts a simulator and writes a config for it with
// log.file; it returns the simulator, the config path and the log path.
func sendLogConfig(t *testing.T) (*finessesim.Sim, string, string) {
	t.Helper()
	sim := startDoctorSim(t)
	cfg := doctorConfig(t, sim, nil)
	logPath := filepath.Join(t.TempDir(), "agentlink.log")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "[log]\nfile = %s\n", strconv.Quote(logPath))
	f.Close()
	return sim, cfg, logPath
}

// TestDoctorSendLog: --send-log posts the report and the end of log.file
// to the simulator's ClientLog: secrets redacted in every form they take
// (JSON and text keys, Basic/Bearer, the literal password and bridge
// token), at most 256 KiB, newest lines kept.
func TestDoctorSendLog(t *testing.T) {
	dir := isolateConfig(t)
	kc := useMemKeychain(t, nil)
	if err := kc.Set(keychainService, "1001", "secret1"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	const token = "tok3nVALUEabcdef0123456789"
	if err := os.WriteFile(filepath.Join(dir, tokenFileName), []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sim, cfg, logPath := sendLogConfig(t)
	var b strings.Builder
	filler := strings.Repeat("x", 200)
	for i := 0; b.Len() < 2*sendLogMax; i++ {
		fmt.Fprintf(&b, `{"time":"t","level":"INFO","msg":"old line %d","pad":"%s"}`+"\n", i, filler)
	}
	secrets := []string{
		`{"level":"WARN","msg":"login","password":"hunter22","agent":"1001"}`,
		`{"level":"WARN","msg":"rest","Authorization":"Basic QWxhZGRpbjpvcGVu","err":"got Bearer eyJhbGciOiJIUzI1NiJ9.abc"}`,
		`time=t level=WARN msg=odd bridge_token=` + token + ` other=kept`,
		`time=t level=INFO msg="the agent typed secret1 into the number field"`,
		`{"level":"INFO","msg":"newest line"}`,
	}
	b.WriteString(strings.Join(secrets, "\n") + "\n")
	if err := os.WriteFile(logPath, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	out, errOut, err := runCapture(t, t.Context(), nil, "doctor", "--send-log", "--config", cfg)
	// The hand-made token file fails the token check; the log goes anyway.
	wantFailed(t, err, true)
	if !strings.Contains(out, "FAIL  token file") {
		t.Errorf("report = %s", out)
	}
	if !strings.Contains(errOut, "to Finesse side A as agent 1001's client log") || !strings.Contains(errOut, "older ones left out") {
		t.Errorf("stderr = %q", errOut)
	}
	logs := sim.ClientLogs("1001")
	if len(logs) != 1 {
		t.Fatalf("client logs = %d, want 1", len(logs))
	}
	got := logs[0]
	if len(got) > sendLogMax+8<<10 {
		t.Errorf("sent %d bytes, cap %d plus a header", len(got), sendLogMax)
	}
	for _, leak := range []string{"hunter22", "QWxhZGRpbjpvcGVu", "eyJhbGciOiJIUzI1NiJ9", token, "secret1"} {
		if strings.Contains(got, leak) {
			t.Errorf("sent log contains the secret %q", leak)
		}
	}
	for _, want := range []string{"== agentlink doctor ==", "finesse side A", "[older lines left out",
		`"password":"[REDACTED]"`, `"Authorization":"[REDACTED]"`, "Bearer [REDACTED]", "bridge_token=[REDACTED] other=kept",
		"the agent typed [REDACTED] into", `"msg":"newest line"`} {
		if !strings.Contains(got, want) {
			t.Errorf("sent log lacks %q", want)
		}
	}
	if strings.Contains(got, `"msg":"old line 0"`) {
		t.Error("the oldest line was sent although the log is over the cap")
	}
}

// Without a stored password or a log file, nothing is sent and the error
// says what to do.
func TestDoctorSendLogRefusals(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim, cfg, logPath := sendLogConfig(t)
	if err := os.WriteFile(logPath, []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCapture(t, t.Context(), nil, "doctor", "--send-log", "--config", cfg)
	if err == nil || !strings.Contains(err.Error(), "agentlink login") {
		t.Errorf("without a password: err = %v", err)
	}
	if n := len(sim.ClientLogs("1001")); n != 0 {
		t.Errorf("%d logs sent without a password", n)
	}
	noLog := doctorConfig(t, startDoctorSim(t), nil)
	_, _, err = runCapture(t, t.Context(), nil, "doctor", "--send-log", "--config", noLog)
	if err == nil || !strings.Contains(err.Error(), "set log.file") {
		t.Errorf("without log.file: err = %v", err)
	}
}
