//go:build windows

package main

import (
	"context"
	"os/exec"

	"golang.org/x/sys/windows/registry"
)

// platformChecks are the doctor's Windows checks: the system proxy and the
// firewall (doctor_checks_winnet.go). The Credential Manager is the
// keychain check, and who holds the bridge port the bridge check.
func (d *doctor) platformChecks() ([]func(context.Context) checkResult, []string) {
	return []func(context.Context) checkResult{d.checkWindowsProxy, d.checkWindowsFirewall},
		[]string{"system proxy", "firewall"}
}

func (d *doctor) checkWindowsProxy(context.Context) checkResult {
	s, err := readWinProxy()
	if err != nil {
		return checkResult{Status: statusSkip, Detail: "cannot read the proxy settings: " + err.Error()}
	}
	return combine(winProxyFindings(s))
}

// readWinProxy reads the agent's WinINET proxy settings; missing values
// are unset.
func readWinProxy() (winProxySettings, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Internet Settings`, registry.QUERY_VALUE)
	if err != nil {
		return winProxySettings{}, err
	}
	defer k.Close()
	var s winProxySettings
	if v, _, err := k.GetIntegerValue("ProxyEnable"); err == nil {
		s.Enabled = v != 0
	}
	s.Server, _, _ = k.GetStringValue("ProxyServer")
	s.Override, _, _ = k.GetStringValue("ProxyOverride")
	s.PAC, _, _ = k.GetStringValue("AutoConfigURL")
	return s, nil
}

func (d *doctor) checkWindowsFirewall(ctx context.Context) checkResult {
	ctx, cancel := context.WithTimeout(ctx, d.stepTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "netsh", "advfirewall", "show", "currentprofile").Output()
	return combine(firewallFindings(string(out), err))
}
