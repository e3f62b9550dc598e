package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/agentlink/agentlink/localbridge/peercred"
)

// agentlink doctor checks everything between a CRM toolbar and Finesse
// (config, bridge, token file, origins, both Finesse sides, keychain,
// password, proxy) and says for each problem what is wrong and how to fix
// it. It never prints the password, the bridge token or an Authorization
// header. The checks are small functions returning a [checkResult]; this
// file runs them with time limits and prints the results.

// Time limits. A check gets doctorCheckTimeout in all; one network step
// (a dial, a TLS handshake, an HTTP exchange) gets at most doctorStepTimeout
// of it, so a black-holed REST port still leaves time to try XMPP. Checks
// run concurrently in two phases (the password check needs the Finesse
// results), so a run takes at most about 2 × (doctorCheckTimeout+grace).
const (
	doctorCheckTimeout = 6 * time.Second
	doctorStepTimeout  = 3 * time.Second
	doctorGrace        = time.Second // for a check that ignores its context
)

// checkStatus is the outcome of one check.
type checkStatus string

const (
	statusOK   checkStatus = "ok"
	statusWarn checkStatus = "warn"
	statusFail checkStatus = "FAIL"
	statusSkip checkStatus = "skip"
)

// rank orders statuses from best to worst, for combining findings.
func (s checkStatus) rank() int {
	switch s {
	case statusFail:
		return 3
	case statusWarn:
		return 2
	case statusOK:
		return 1
	}
	return 0
}

// checkResult is one line of the doctor's report; its JSON form is what
// --json prints.
type checkResult struct {
	Check  string      `json:"check"`
	Status checkStatus `json:"status"`
	Detail string      `json:"detail"`
	Fix    string      `json:"fix"` // "" when there is nothing to do

	fixes []string   // Fix in parts, one fix: line each, when combined from findings
	probe *sideProbe // Finesse side checks: what the password check needs
}

// doctorOptions are the doctor's own flags.
type doctorOptions struct {
	json          bool
	checkPassword bool
	sendLog       bool // post the report and the log's end to Finesse's ClientLog (doctor_sendlog.go)
}

// addDoctorFlags declares the doctor's flags on the common flag set.
func addDoctorFlags(fs *flag.FlagSet, o *doctorOptions) {
	fs.BoolVar(&o.json, "json", false, "doctor: print the results as a JSON array")
	fs.BoolVar(&o.checkPassword, "check-password", false,
		"doctor: sign in to Finesse once to test the stored password (a wrong one counts towards the lock-out)")
	fs.BoolVar(&o.sendLog, "send-log", false,
		"doctor: also send this report and the end of log.file (redacted, at most 256 KiB) to Finesse's ClientLog for TAC")
}

// doctorFlagSet returns the name of a doctor-only flag given on the
// command line, or "".
func doctorFlagSet(fs *flag.FlagSet) string {
	var name string
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "json" || f.Name == "check-password" || f.Name == "send-log" {
			name = f.Name
		}
	})
	return name
}

// doctor holds what the checks need.
type doctor struct {
	cfg           Config
	dir           string // AgentLink's config directory (token, origins.json); "" when unknown
	keys          keychain
	checkPassword bool
	checkTimeout  time.Duration
	stepTimeout   time.Duration
	getenv        func(string) string
	// rememberedFrom is the preferences file the Finesse sides came from
	// when the config names none (the sign-in form's); "" otherwise.
	rememberedFrom string
	// portOwner finds who holds a listening port; default
	// peercred.ListenerOwner. Tests fake another user with it.
	portOwner func(*net.TCPAddr) (peercred.Peer, error)
}

// errDoctorFailed is returned when at least one check failed (exit 1).
type errDoctorFailed struct{ failed, total int }

func (e *errDoctorFailed) Error() string {
	return fmt.Sprintf("doctor: %d of %d checks failed (see the fix: lines above)", e.failed, e.total)
}

// runDoctor runs every check and prints the report.
func runDoctor(ctx context.Context, cfg Config, opts doctorOptions, sio stdio, getenv func(string) string) error {
	dir, _ := configDir() // "" when there is no user config dir: the file checks say so
	cfg, remembered := withRememberedServers(cfg)
	kc := newKeychain()
	kc.timeout = doctorStepTimeout
	d := &doctor{cfg: cfg, dir: dir, keys: kc, checkPassword: opts.checkPassword,
		checkTimeout: doctorCheckTimeout, stepTimeout: doctorStepTimeout, getenv: getenv, rememberedFrom: remembered}
	results := d.run(ctx)
	var err error
	if opts.json {
		err = writeJSONReport(sio.out, results)
	} else {
		err = writeTextReport(sio.out, results)
	}
	if err != nil {
		return fmt.Errorf("writing the doctor report: %w", err)
	}
	if opts.sendLog {
		var report strings.Builder
		_ = writeTextReport(&report, results)
		if err := d.sendLog(ctx, report.String(), sio.err); err != nil {
			return err
		}
	}
	failed := 0
	for _, r := range results {
		if r.Status == statusFail {
			failed++
		}
	}
	if failed > 0 {
		return &errDoctorFailed{failed: failed, total: len(results)}
	}
	return nil
}

// run runs the checks that stand alone concurrently, then the password
// check, which needs to know which Finesse side answered.
func (d *doctor) run(ctx context.Context) []checkResult {
	checks := []func(context.Context) checkResult{
		d.checkConfig, d.checkTokenFile, d.checkBridge, d.checkOrigins,
		d.sideCheck("A", d.sideAddr("A")), d.sideCheck("B", d.sideAddr("B")),
		d.checkKeychain, d.checkProxy, d.checkSSO, d.checkHeadless,
	}
	titles := []string{"config", "token file", "bridge", "origins",
		"finesse side A", "finesse side B", "keychain", "proxy", "sso", "headless"}
	more, moreTitles := d.platformChecks()
	checks, titles = append(checks, more...), append(titles, moreTitles...)
	results := make([]checkResult, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { results[i] = d.runOne(ctx, titles[i], c) })
	}
	wg.Wait()
	var probes []*sideProbe
	for _, r := range results {
		if r.probe != nil {
			probes = append(probes, r.probe)
		}
	}
	pw := d.runOne(ctx, "password", func(ctx context.Context) checkResult { return d.checkStoredPassword(ctx, probes) })
	return append(results, pw)
}

// runOne runs one check with its time limit. A check that does not return
// in time (a keychain call that hangs in D-Bus) is left behind and reported
// as failed, so the doctor itself never hangs.
func (d *doctor) runOne(ctx context.Context, title string, check func(context.Context) checkResult) checkResult {
	ctx, cancel := context.WithTimeout(ctx, d.checkTimeout)
	defer cancel()
	done := make(chan checkResult, 1)
	go func() { done <- check(ctx) }()
	t := time.NewTimer(d.checkTimeout + doctorGrace)
	defer t.Stop()
	select {
	case r := <-done:
		r.Check = title
		return r
	case <-t.C:
		return checkResult{Check: title, Status: statusFail,
			Detail: fmt.Sprintf("the check did not finish within %v", d.checkTimeout+doctorGrace),
			Fix:    "run agentlink doctor again; if it keeps happening, run it with --log-level debug and report the output"}
	}
}

// stepContext bounds one network step by the step timeout.
func (d *doctor) stepContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d.stepTimeout)
}

// configFile returns a file in AgentLink's config directory, or "".
func (d *doctor) configFile(name string) string {
	if d.dir == "" {
		return ""
	}
	return filepath.Join(d.dir, name)
}

// writeTextReport prints one line per check, a fix: line under each
// warning and failure, and a summary.
func writeTextReport(w io.Writer, results []checkResult) error {
	counts := map[checkStatus]int{}
	for _, r := range results {
		counts[r.Status]++
		if _, err := fmt.Fprintf(w, "%-4s  %-14s  %s\n", r.Status, r.Check, r.Detail); err != nil {
			return err
		}
		if r.Status != statusWarn && r.Status != statusFail {
			continue
		}
		fixes := r.fixes
		if len(fixes) == 0 && r.Fix != "" {
			fixes = []string{r.Fix}
		}
		for _, f := range fixes {
			if _, err := fmt.Fprintf(w, "      fix: %s\n", f); err != nil {
				return err
			}
		}
	}
	_, err := fmt.Fprintf(w, "\n%d checks: %d ok, %d warn, %d FAIL, %d skip\n", len(results),
		counts[statusOK], counts[statusWarn], counts[statusFail], counts[statusSkip])
	return err
}

// writeJSONReport prints the results as a JSON array of
// {check, status, detail, fix}.
func writeJSONReport(w io.Writer, results []checkResult) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

// finding is one observation inside a check; a check with several steps
// (a Finesse side) combines them into one result.
type finding struct {
	status checkStatus
	text   string
	fix    string
}

// combine makes one result from findings: the worst status, the texts
// joined, and the fixes of the warnings and failures.
func combine(fs []finding) checkResult {
	r := checkResult{Status: statusSkip}
	var texts, fixes []string
	for _, f := range fs {
		if f.status.rank() > r.Status.rank() {
			r.Status = f.status
		}
		texts = append(texts, f.text)
		if f.fix != "" && (f.status == statusWarn || f.status == statusFail) {
			fixes = append(fixes, f.fix)
		}
	}
	r.Detail = joinNonEmpty(texts, "; ")
	r.Fix = joinNonEmpty(fixes, "; ")
	r.fixes = fixes
	return r
}

func joinNonEmpty(ss []string, sep string) string {
	out := ""
	for _, s := range ss {
		if s == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += s
	}
	return out
}
