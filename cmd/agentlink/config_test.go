package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/localbridge"
)

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeCA writes a self-signed PEM certificate to dir/name.
func writeCA(t *testing.T, dir, name string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
}

func TestLoadConfigExample(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "config.example.toml")
	got, err := loadConfig(path, true, nil)
	if err != nil {
		t.Fatalf("loadConfig(%s) error: %v", path, err)
	}
	want := Config{
		File: path,
		Finesse: FinesseConfig{SideA: "finesse-a.example.com:8445", SideB: "finesse-b.example.com:8445",
			XMPPPort: 5223, XMPPTLS: "direct", XMPPTransport: "tcp", XMPPPortsFrom: "systeminfo", AgentID: "1001001", Extension: "1001001", Resource: "agentlink"},
		Bridge:  BridgeConfig{Addr: "127.0.0.1:28445", AllowedOrigins: []string{"https://crm.example.com"}},
		UI:      UIConfig{RaiseOnRing: true, Hotkeys: defaultHotkeys()},
		Log:     LogConfig{Level: slog.LevelInfo, MaxSizeMB: 10, MaxFiles: 5},
		CallLog: CallLogConfig{RetentionDays: 14},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Config{})); diff != "" {
		t.Errorf("loadConfig(%s) mismatch (-want +got):\n%s", path, diff)
	}
}

func TestLoadConfigEveryKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeCA(t, dir, "ca.pem")
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdefghijklmn"))
	path := writeFile(t, dir, "config.toml", `
[finesse]
side_a = "127.0.0.1:9445"
side_b = "[::1]"
xmpp_port = 15222
xmpp_tls = "STARTTLS"
xmpp_ports_from = "Config"
ca_file = "ca.pem"
insecure_skip_verify = true
plain_http = true
agent_id = " 1001001 "
extension = "2001"
resource = "crm"
[bridge]
addr = "localhost:0"
allowed_origins = ["https://CRM.example.com/", "http://127.0.0.1:8080"]
secure_password_key = "`+key+`"
[bridge.origin_scopes]
"https://KB.example.com" = ["state", "Calls"]
"https://wall.example.com" = []
[dialplan]
country_code = "44"
outside_prefix = "9"
extension_lengths = [4, 5]
trunk_prefix = "0"
international_prefix = "00"
[ui]
start_hidden = true
raise_on_ring = false
caller_name_variable = " user.customer.name "
global_hotkeys = true
hotkey_answer = "CTRL+Alt+F1"
hotkey_hold = "super+1"
hotkey_end = "ctrl+shift+e"
hotkey_ready = ""
hotkey_not_ready = "control+alt+n"
[call_log]
retention_days = 30
[log]
level = "debug"
file = "logs/agentlink.log"
max_size_mb = 20
max_files = 3
`)
	got, err := loadConfig(path, true, nil)
	if err != nil {
		t.Fatalf("loadConfig error: %v", err)
	}
	want := Config{
		File: path,
		Finesse: FinesseConfig{SideA: "127.0.0.1:9445", SideB: "[::1]:8445", XMPPPort: 15222, XMPPTLS: "starttls", XMPPTransport: "tcp", XMPPPortsFrom: "config",
			CAFile: filepath.Join(dir, "ca.pem"), InsecureSkipVerify: true, PlainHTTP: true,
			AgentID: "1001001", Extension: "2001", Resource: "crm"},
		Bridge: BridgeConfig{Addr: "localhost:0", AllowedOrigins: []string{"https://crm.example.com", "http://127.0.0.1:8080"},
			SecurePasswordKey: []byte("0123456789abcdefghijklmn"),
			OriginScopes: map[string][]localbridge.Scope{"https://kb.example.com": {localbridge.ScopeState, localbridge.ScopeCalls},
				"https://wall.example.com": {}}},
		DialPlan: core.DialPlan{CountryCode: "44", OutsidePrefix: "9", ExtensionLengths: []int{4, 5},
			TrunkPrefix: "0", InternationalPrefix: "00"},
		UI: UIConfig{StartHidden: true, RaiseOnRing: false, CallerNameVariable: "user.customer.name", GlobalHotkeys: true, Hotkeys: map[string]string{
			"answer": "ctrl+alt+f1", "hold": "super+1", "end": "ctrl+shift+e", "ready": "", "notready": "ctrl+alt+n"}},
		Log:     LogConfig{Level: slog.LevelDebug, File: filepath.Join(dir, "logs/agentlink.log"), MaxSizeMB: 20, MaxFiles: 3},
		CallLog: CallLogConfig{RetentionDays: 30},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Config{})); diff != "" {
		t.Errorf("loadConfig mismatch (-want +got):\n%s", diff)
	}
	if got, want := len(got.warnings()), 2; got != want {
		t.Errorf("warnings() = %d entries, want %d (insecure_skip_verify and plain_http)", got, want)
	}
	if runtime.GOOS == "windows" {
		return
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	loose, err := loadConfig(path, true, nil)
	if err != nil {
		t.Fatalf("loadConfig error: %v", err)
	}
	if w := loose.warnings(); len(w) != 3 || !strings.Contains(w[1], "has mode 0644, so other users can read the key: run chmod 600") {
		t.Errorf("config file with a key and mode 0644: warnings() = %q, want a chmod 600 warning among 3", w)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		want       []string // substrings of the error, in order
	}{
		{"unknown key", "[finesse]\nsidea = \"x\"\n",
			[]string{"config.toml: unknown key finesse.sidea (known keys: finesse.side_a, finesse.side_b,"}},
		{"unknown section", "[server]\nhost = \"x\"\n",
			[]string{"unknown key server", "sections [bridge], [call_log], [dialplan], [finesse], [log], [sso], [ui]"}},
		{"retention out of range", "[call_log]\nretention_days = 0\n",
			[]string{"call_log.retention_days", "must be a number of days from 1 to 3650, not 0"}},
		{"bad addr", "[bridge]\naddr = \"0.0.0.0:28445\"\n",
			[]string{`config.toml: bridge.addr "0.0.0.0:28445" must be a loopback address such as 127.0.0.1:28445`}},
		{"bad key length", "[bridge]\nsecure_password_key = \"" + base64.StdEncoding.EncodeToString(make([]byte, 16)) + "\"\n",
			[]string{"config.toml: bridge.secure_password_key decodes to 16 bytes; a 3DES key is 24 bytes"}},
		{"bad key base64", "[bridge]\nsecure_password_key = \"s3cr3t!!\"\n",
			[]string{"bridge.secure_password_key is not valid base64"}},
		{"password refused", "[finesse]\nagent_id = \"1001\"\npassword = \"hunter2\"\n",
			[]string{"config.toml: finesse.password: the password is never stored in the config file", "agentlink login"}},
		{"top-level password", "password = \"hunter2\"\n", []string{"password: the password is never stored"}},
		{"wrong type", "[finesse]\nxmpp_port = \"5223\"\n",
			[]string{"config.toml line 2: finesse.xmpp_port must be a number without quotes, for example xmpp_port = 5223"}},
		{"unquoted agent id", "[finesse]\nside_a = \"fa.example.com\"\nagent_id = 1001\n",
			[]string{`config.toml line 3: finesse.agent_id must be text in double quotes, for example agent_id = "1001"`}},
		{"quoted bool", "[ui]\nstart_hidden = \"yes\"\n", []string{"ui.start_hidden must be true or false without quotes"}},
		{"syntax", "[finesse\n", []string{"config.toml: toml: line 2"}},
		{"desktop resource", "[finesse]\nresource = \"Desktop\"\n", []string{`finesse.resource "Desktop" is reserved for the Finesse desktop`}},
		{"plain http to a real server", "[finesse]\nside_a = \"finesse.example.com\"\nplain_http = true\n",
			[]string{`plain_http is for the local simulator only, but finesse.side_a "finesse.example.com:8445"`}},
		{"missing CA file", "[finesse]\nca_file = \"nope.pem\"\n", []string{"finesse.ca_file", "nope.pem", "cannot be read"}},
		{"two bad values", "[finesse]\nxmpp_tls = \"ssl\"\n[log]\nlevel = \"loud\"\n",
			[]string{`finesse.xmpp_tls "ssl" must be "direct"`, `log.level "loud" must be`}},
		{"wildcard origin", "[bridge]\nallowed_origins = [\"https://ok.example.com\", \"https://*.example.com\"]\n",
			[]string{`bridge.allowed_origins "https://*.example.com" must be an exact origin`}},
		{"unknown scope", "[bridge.origin_scopes]\n\"https://kb.example.com\" = [\"admin\"]\n",
			[]string{`bridge.origin_scopes "https://kb.example.com" unknown scope "admin" (scopes: events, state, calls, dial)`}},
		{"bad country code", "[dialplan]\ncountry_code = \"+44\"\n", []string{`dialplan.country_code "+44" must be digits only`}},
		{"bad extension length", "[dialplan]\nextension_lengths = [0]\n", []string{`dialplan.extension_lengths "[0]" must be between 1 and 9`}},
		{"scope for a non-origin", "[bridge.origin_scopes]\n\"kb.example.com\" = [\"state\"]\n",
			[]string{`bridge.origin_scopes "kb.example.com" must be an origin`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, t.TempDir(), "config.toml", tt.file)
			_, err := loadConfig(path, true, nil)
			if err == nil {
				t.Fatalf("loadConfig(%q) = nil error, want one containing %q", tt.file, tt.want)
			}
			assertContainsInOrder(t, err.Error(), tt.want)
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error %q repeats a secret", err)
			}
		})
	}
}

func assertContainsInOrder(t *testing.T, got string, want []string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("error = %q, want it to contain %q (in order)", got, w)
			return
		}
		rest = rest[i+len(w):]
	}
}

func TestLoadConfigFlagsOverrideFile(t *testing.T) {
	t.Parallel()
	path := writeFile(t, t.TempDir(), "config.toml", `
[finesse]
side_a = "a.example.com"
agent_id = "1001"
[bridge]
addr = "127.0.0.1:1111"
allowed_origins = ["https://old.example.com"]
`)
	cl, err := parseCommandLine([]string{"--config", path, "--side-a", "b.example.com:9000",
		"--allow-origin", "https://new.example.com", "--allow-origin", "https://two.example.com", "--headless"}, io.Discard)
	if err != nil {
		t.Fatalf("parseCommandLine error: %v", err)
	}
	got, err := loadConfig(cl.configPath, cl.explicitConfig, cl.flags)
	if err != nil {
		t.Fatalf("loadConfig error: %v", err)
	}
	want := defaultConfig()
	want.File = path
	want.Finesse.SideA, want.Finesse.AgentID = "b.example.com:9000", "1001"
	want.Bridge.Addr = "127.0.0.1:1111"
	want.Bridge.AllowedOrigins = []string{"https://new.example.com", "https://two.example.com"}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Config{})); diff != "" {
		t.Errorf("config mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.toml")
	flags := []assignment{{key: "finesse.side_a", value: "a.example.com"}}
	got, err := loadConfig(path, false, flags)
	if err != nil {
		t.Fatalf("missing default file: loadConfig error: %v, want none", err)
	}
	if got.File != "" || got.Finesse.SideA != "a.example.com:8445" {
		t.Errorf("got File %q, SideA %q; want \"\", \"a.example.com:8445\"", got.File, got.Finesse.SideA)
	}
	_, err = loadConfig(path, true, flags)
	if err == nil || !strings.Contains(err.Error(), "does not exist (given by --config)") {
		t.Errorf("missing --config file: error = %v, want \"does not exist (given by --config)\"", err)
	}
}

func TestConfigErrorFromFlag(t *testing.T) {
	t.Parallel()
	_, err := loadConfig("", false, []assignment{{key: "bridge.addr", value: "192.168.1.5:28445"}})
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want a *ConfigError", err)
	}
	want := &ConfigError{Key: "bridge.addr", Flag: "bridge-addr", Value: "192.168.1.5:28445",
		Problem: "must be a loopback address such as 127.0.0.1:28445"}
	if diff := cmp.Diff(want, ce); diff != "" {
		t.Errorf("ConfigError mismatch (-want +got):\n%s", diff)
	}
	if got, want := ce.Error(), `--bridge-addr "192.168.1.5:28445" must be a loopback address such as 127.0.0.1:28445`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestRequire(t *testing.T) {
	t.Parallel()
	c := defaultConfig()
	c.File = "/etc/agentlink.toml"
	if err := c.requireFinesse(); err == nil || !strings.Contains(err.Error(), "set finesse.side_a in /etc/agentlink.toml or pass --side-a") {
		t.Errorf("requireFinesse() = %v, want the side_a hint", err)
	}
	c.Finesse.AgentID = "1001"
	if err := c.requireAgent(); err == nil || !strings.Contains(err.Error(), "--extension") {
		t.Errorf("requireAgent() = %v, want the extension hint", err)
	}
	c.Finesse.SideA, c.Finesse.Extension = "a:8445", "2001"
	if err := errors.Join(c.requireFinesse(), c.requireAgent()); err != nil {
		t.Errorf("complete config: %v, want nil", err)
	}
}
