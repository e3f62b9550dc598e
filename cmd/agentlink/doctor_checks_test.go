package main

import (
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Table tests of single checks, called directly; doctor_test.go runs the
// whole command through run.

func TestDoctorTokenFile(t *testing.T) {
	tests := []struct {
		name   string
		mode   os.FileMode
		damage bool
		status checkStatus
		detail []string
		fix    string
	}{
		{"private", 0o600, false, statusOK, []string{"mode 0600", "content not shown"}, ""},
		{"world-readable", 0o644, false, statusFail, []string{"mode 0644", "other users"}, "chmod 600 "},
		{"group-readable", 0o640, false, statusFail, []string{"mode 0640"}, "chmod 600 "},
		{"damaged", 0o600, true, statusFail, []string{"damaged"}, "agentlink token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolateConfig(t)
			if _, err := loadOrCreateToken(dir); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tokenFileName)
			if tt.damage {
				if err := os.WriteFile(path, []byte("not a token\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			d := &doctor{dir: dir}
			r := d.checkTokenFile(t.Context())
			wantResult(t, []checkResult{r}, "", tt.status, tt.detail, nil)
			if tt.fix != "" && !strings.Contains(r.Fix, tt.fix+path) && !strings.Contains(r.Fix, tt.fix) {
				t.Errorf("fix = %q, want it to contain %q", r.Fix, tt.fix)
			}
			if tt.mode&0o077 != 0 && r.Fix != "chmod 600 "+path {
				t.Errorf("fix = %q, want %q", r.Fix, "chmod 600 "+path)
			}
		})
	}
}

func TestDoctorProxy(t *testing.T) {
	const xmppTrap, loopback = "go-xmpp", "local programs that call the bridge"
	tests := []struct {
		env    map[string]string
		status checkStatus
		want   []string
		notIn  []string
	}{
		{map[string]string{}, statusOK, []string{"no HTTP(S)_PROXY set"}, nil},
		{map[string]string{"HTTP_PROXY": "http://proxy:3128"}, statusWarn, []string{xmppTrap, "does not cover 127.0.0.1 and localhost"}, nil},
		{map[string]string{"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "localhost"}, statusWarn, []string{xmppTrap, "does not cover 127.0.0.1:"}, nil},
		{map[string]string{"http_proxy": "http://proxy:3128", "no_proxy": "127.0.0.1,localhost"}, statusOK, []string{"NO_PROXY covers"}, []string{xmppTrap}},
		{map[string]string{"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "127.0.0.0/8,localhost"}, statusWarn, []string{xmppTrap}, []string{loopback}},
		{map[string]string{"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "*"}, statusWarn, []string{xmppTrap}, []string{loopback}},
		{map[string]string{"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "127.0.0.0/8, .localhost"}, statusOK, []string{"NO_PROXY covers"}, []string{xmppTrap}},
		{map[string]string{"HTTPS_PROXY": "http://proxy:3128"}, statusWarn, []string{loopback}, []string{xmppTrap}},
		{map[string]string{"HTTP_PROXY": "http://u:hunter2@proxy:3128"}, statusWarn, []string{"HTTP_PROXY=http://redacted@proxy:3128"}, []string{"hunter2"}},
	}
	for _, tt := range tests {
		d := &doctor{getenv: func(k string) string { return tt.env[k] }}
		r := d.checkProxy(t.Context())
		if r.Status != tt.status {
			t.Errorf("env %v: status = %s, want %s (%q)", tt.env, r.Status, tt.status, r.Detail)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Detail, w) {
				t.Errorf("env %v: detail = %q, want it to contain %q", tt.env, r.Detail, w)
			}
		}
		for _, w := range tt.notIn {
			if strings.Contains(r.Detail, w) {
				t.Errorf("env %v: detail = %q, want it without %q", tt.env, r.Detail, w)
			}
		}
	}
}

func TestDoctorOrigins(t *testing.T) {
	for _, tt := range []struct{ origin, want string }{
		{"https://crm.example.com", ""},
		{"https://CRM.example.com/", ""},
		{"http://localhost:8080", ""},
		{"crm.example.com", "no scheme"},
		{"https://crm.example.com/app", "path"},
		{"https://*.example.com", "wildcard"},
		{"http://crm.example.com", "plain http"},
		{"ftp://crm.example.com", "not an http(s) origin"},
	} {
		if got := originProblem(tt.origin); (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("originProblem(%q) = %q, want %q", tt.origin, got, tt.want)
		}
	}
	dir := t.TempDir()
	tests := []struct {
		consent string
		status  checkStatus
		detail  string
	}{
		{`{"allowed":["https://a.example.com"],"denied":["https://b.example.com"]}`, statusOK,
			"approved by the agent: https://a.example.com; denied by the agent: https://b.example.com"},
		{`{"allowed":["a.example.com/x"]}`, statusWarn, `approved origin "a.example.com/x" has no scheme`},
		{`{"allowed":`, statusFail, "is not valid JSON"},
		{"", statusWarn, "no CRM origin is allowed yet"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, "origins.json")
		os.Remove(path)
		if tt.consent != "" {
			if err := os.WriteFile(path, []byte(tt.consent), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		r := (&doctor{dir: dir}).checkOrigins(t.Context())
		if r.Status != tt.status || !strings.Contains(r.Detail, tt.detail) {
			t.Errorf("origins.json %s: origins = %s %q, want %s containing %q", tt.consent, r.Status, r.Detail, tt.status, tt.detail)
		}
	}
}

// TestDoctorSystemInfo covers a Finesse that answers SystemInfo without
// sign-in (the simulator requires it): status, advertised XMPP port and
// clock skew from the Date header.
func TestDoctorSystemInfo(t *testing.T) {
	closed := freeAddr(t)
	_, closedPort, _ := net.SplitHostPort(closed)
	tests := []struct {
		status, reason string
		skew           time.Duration
		want           checkStatus
		detail         []string
	}{
		{"IN_SERVICE", "", 0, statusFail, []string{"Finesse IN_SERVICE, xmppDomain 127.0.0.1, UCCE",
			"XMPP " + closed + " (direct TLS, port from SystemInfo): connection refused"}},
		{"OUT_OF_SERVICE", "CTI down", 0, statusFail, []string{"Finesse OUT_OF_SERVICE", "(CTI down)"}},
		{"IN_SERVICE", "", -5 * time.Minute, statusFail, []string{"this PC's clock is 5m"}},
	}
	for _, tt := range tests {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/finesse/api/SystemInfo" || r.Header.Get("Authorization") != "" {
				http.Error(w, "unexpected request", http.StatusBadRequest)
				return
			}
			w.Header().Set("Date", time.Now().Add(tt.skew).UTC().Format(http.TimeFormat))
			fmt.Fprintf(w, `<SystemInfo><deploymentType>UCCE</deploymentType><status>%s</status><statusReason>%s</statusReason>`+
				`<xmppDomain>127.0.0.1</xmppDomain><primaryNode><host>127.0.0.1</host><xmppSecurePort>%s</xmppSecurePort></primaryNode>`+
				`<secondaryNode><host>other</host><xmppSecurePort>1</xmppSecurePort></secondaryNode></SystemInfo>`,
				tt.status, tt.reason, closedPort)
		}))
		defer srv.Close()
		ca := filepath.Join(t.TempDir(), "ca.pem")
		if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
			t.Fatal(err)
		}
		d := &doctor{cfg: defaultConfig(), checkTimeout: doctorCheckTimeout, stepTimeout: doctorStepTimeout}
		d.cfg.Finesse.CAFile = ca
		r := d.checkSide(t.Context(), "A", srv.Listener.Addr().String())
		wantResult(t, []checkResult{r}, "", tt.want, tt.detail, []string{"TCP " + closedPort})
		if r.probe == nil || r.probe.status != tt.status || !r.probe.trusted {
			t.Errorf("%s: probe = %+v, want status %s, trusted", tt.status, r.probe, tt.status)
		}
	}
}

// blackHole accepts connections and never answers.
func blackHole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func TestDoctorBlackHole(t *testing.T) {
	isolateConfig(t)
	useMemKeychain(t, nil)
	sim := startDoctorSim(t)
	hole := blackHole(t)
	_, port, _ := net.SplitHostPort(hole)
	cfg := doctorConfig(t, sim, map[string]string{"finesse.side_a": strconv.Quote(hole), "finesse.side_b": "",
		"finesse.xmpp_port": port, "finesse.xmpp_ports_from": `"config"`})
	start := time.Now()
	rs, _, err := runDoctorJSON(t, "--config", cfg, "--check-password")
	elapsed := time.Since(start)
	wantFailed(t, err, true)
	wantResult(t, rs, "finesse side A", statusFail,
		[]string{"REST " + hole + " accepts connections but gives no TLS answer within", "XMPP " + hole}, []string{"port"})
	if limit := doctorCheckTimeout + doctorGrace; elapsed > limit {
		t.Errorf("doctor took %v against a black hole, want at most %v", elapsed, limit)
	}
}

func TestDoctorTextReport(t *testing.T) {
	rs := []checkResult{
		{Check: "proxy", Status: statusOK, Detail: "no HTTP(S)_PROXY set", Fix: "never shown for ok"},
		combine([]finding{
			{status: statusOK, text: "REST ok"},
			{status: statusFail, text: "XMPP refused", fix: "open 5223"},
			{status: statusWarn, text: "clock off", fix: "sync the clock"},
		}),
		{Check: "password", Status: statusSkip, Detail: "not checked"},
	}
	rs[1].Check = "finesse side A"
	var b strings.Builder
	if err := writeTextReport(&b, rs); err != nil {
		t.Fatal(err)
	}
	want := "ok    proxy           no HTTP(S)_PROXY set\n" +
		"FAIL  finesse side A  REST ok; XMPP refused; clock off\n" +
		"      fix: open 5223\n" +
		"      fix: sync the clock\n" +
		"skip  password        not checked\n" +
		"\n3 checks: 1 ok, 0 warn, 1 FAIL, 1 skip\n"
	if got := b.String(); got != want {
		t.Errorf("text report:\n%s\nwant:\n%s", got, want)
	}
	if rs[1].Fix != "open 5223; sync the clock" {
		t.Errorf("combined Fix = %q, want both fixes joined", rs[1].Fix)
	}
}
