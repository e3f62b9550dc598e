package main

import (
	"errors"
	"strings"
	"testing"
)

func TestWinProxyFindings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   winProxySettings
		want checkStatus
		says string
	}{
		{"none", winProxySettings{}, statusOK, "no system proxy"},
		{"pac only", winProxySettings{PAC: "http://wpad.corp/proxy.pac"}, statusOK, "never ask a PAC file about loopback"},
		{"manual proxy", winProxySettings{Enabled: true, Server: "proxy.corp:8080", Override: "<local>;*.corp"}, statusOK, "AgentLink does not use it"},
		{"loopback subtracted", winProxySettings{Enabled: true, Server: "proxy.corp:8080", Override: "<local>;<-loopback>"}, statusFail, "remove <-loopback>"},
		{"subtracted but listed", winProxySettings{Enabled: true, Server: "proxy.corp:8080", Override: "<-loopback>;127.0.0.1"}, statusOK, "system proxy"},
		{"credentials hidden", winProxySettings{Enabled: true, Server: "http://bob:hunter2@proxy.corp:8080"}, statusOK, "proxy.corp:8080"},
	}
	for _, tt := range tests {
		r := combine(winProxyFindings(tt.in))
		text := r.Detail + " " + r.Fix
		if r.Status != tt.want || !strings.Contains(text, tt.says) || strings.Contains(text, "hunter2") {
			t.Errorf("%s: %s %q, want %s saying %q (and no password)", tt.name, r.Status, text, tt.want, tt.says)
		}
	}
}

// netshProfile is what `netsh advfirewall show currentprofile` prints on
// Windows 10/11 (English), with the policy line varied.
func netshProfile(state, policy string) string {
	return "\r\nDomain Profile Settings: \r\n----------------------------------------------------------------------\r\n" +
		"State                                 " + state + "\r\n" +
		"Firewall Policy                       " + policy + "\r\n" +
		"LocalFirewallRules                    N/A (GPO-store only)\r\nOk.\r\n"
}

func TestFirewallFindings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		out  string
		err  error
		want checkStatus
		says string
	}{
		{"default", netshProfile("ON", "BlockInbound,AllowOutbound"), nil, statusOK, "outbound allowed"},
		{"blocks outbound", netshProfile("ON", "BlockInbound,BlockOutbound"), nil, statusWarn, "netsh advfirewall firewall add rule"},
		{"off", netshProfile("OFF", "BlockInbound,AllowOutbound"), nil, statusOK, "is off"},
		{"no netsh", "", errors.New(`exec: "netsh": executable file not found`), statusSkip, "cannot read"},
		{"other product", "The following command was not found: advfirewall show currentprofile.", nil, statusSkip, "no firewall profile"},
	}
	for _, tt := range tests {
		r := combine(firewallFindings(tt.out, tt.err))
		if r.Status != tt.want || !strings.Contains(r.Detail+" "+r.Fix, tt.says) {
			t.Errorf("%s: %s %q %q, want %s saying %q", tt.name, r.Status, r.Detail, r.Fix, tt.want, tt.says)
		}
	}
}
