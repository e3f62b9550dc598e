package main

import (
	"fmt"
	"strings"
)

// Windows-only doctor checks of what stands between the CRM page, AgentLink
// and Finesse on an agent's PC: the system proxy (WinINET settings, which
// Chrome and Edge use) and Windows Defender Firewall. The findings are
// worked out here, on every platform, so they are unit-tested; reading the
// registry and running netsh is in doctor_platform_windows.go.

// winProxySettings are the agent's WinINET proxy settings
// (HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings).
type winProxySettings struct {
	Enabled  bool   // ProxyEnable
	Server   string // ProxyServer: "host:port" or "http=host:port;https=host:port"
	Override string // ProxyOverride: exceptions, ";"-separated; "<local>", "<-loopback>"
	PAC      string // AutoConfigURL
}

// winProxyFindings says what the system proxy means for AgentLink.
// Chrome and Edge never send loopback requests to a proxy (their implicit
// bypass rules), whatever a PAC file says, unless the manual exceptions
// hold "<-loopback>", which subtracts that rule: then the toolbar's
// ws://127.0.0.1 connection goes to the proxy and never reaches AgentLink.
// AgentLink itself ignores the system proxy (only HTTPS_PROXY counts), so
// Finesse must be reachable directly, which the side checks probe.
func winProxyFindings(s winProxySettings) []finding {
	var fs []finding
	if !s.Enabled && s.PAC == "" {
		return []finding{{status: statusOK, text: "no system proxy or PAC file: browsers reach AgentLink directly"}}
	}
	if s.PAC != "" {
		fs = append(fs, finding{status: statusOK, text: fmt.Sprintf("PAC file %s: browsers still connect to 127.0.0.1 "+
			"directly (Chrome and Edge never ask a PAC file about loopback)", redactProxy(s.PAC))})
	}
	if s.Enabled && s.Server != "" {
		fs = append(fs, finding{status: statusOK, text: fmt.Sprintf("system proxy %s; AgentLink does not use it "+
			"(it reaches Finesse directly, or through HTTPS_PROXY when set)", redactProxy(s.Server))})
		if hasLoopbackSubtraction(s.Override) {
			fs = append(fs, finding{status: statusFail,
				text: "the proxy exceptions hold <-loopback>, so Chrome and Edge send the toolbar's connection to " +
					"127.0.0.1 through the proxy and it never reaches AgentLink",
				fix: "remove <-loopback> from the proxy exceptions (Settings > Network > Proxy, or the Group Policy/Intune " +
					"setting that writes ProxyOverride), or add 127.0.0.1 and localhost before it"})
		}
	}
	return fs
}

// hasLoopbackSubtraction reports whether the exceptions list "<-loopback>"
// and not also 127.0.0.1 itself (an explicit entry still bypasses).
func hasLoopbackSubtraction(override string) bool {
	sub, direct := false, false
	for _, e := range strings.Split(override, ";") {
		switch strings.ToLower(strings.TrimSpace(e)) {
		case "<-loopback>":
			sub = true
		case "127.0.0.1", "127.*", "127.0.0.*":
			direct = true
		}
	}
	return sub && !direct
}

// firewallFindings reads `netsh advfirewall show currentprofile`. The
// toolbar's loopback connection is never filtered by Windows Defender
// Firewall; what it can stop is AgentLink's own connections to Finesse
// when the profile blocks outbound traffic by default.
func firewallFindings(netshOut string, err error) []finding {
	if err != nil {
		return []finding{{status: statusSkip, text: "cannot read Windows Defender Firewall's profile: " + err.Error()}}
	}
	state, policy := "", ""
	for _, line := range strings.Split(netshOut, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 2 && strings.EqualFold(f[0], "State"):
			state = strings.ToUpper(f[1])
		case len(f) >= 3 && strings.EqualFold(f[0], "Firewall") && strings.EqualFold(f[1], "Policy"):
			policy = f[2]
		}
	}
	switch {
	case state == "" && policy == "":
		return []finding{{status: statusSkip, text: "netsh printed no firewall profile (another firewall product, or not Windows)"}}
	case state == "OFF":
		return []finding{{status: statusOK, text: "Windows Defender Firewall is off for the current profile"}}
	case strings.Contains(strings.ToLower(policy), "blockoutbound"):
		return []finding{{status: statusWarn,
			text: "Windows Defender Firewall blocks outbound connections by default (" + policy + "): AgentLink reaches " +
				"Finesse only if an outbound rule allows it (the finesse side checks show whether it does)",
			fix: `allow agentlink.exe out to Finesse, e.g. netsh advfirewall firewall add rule name="AgentLink to Finesse" ` +
				`dir=out action=allow program="%ProgramFiles%\AgentLink\agentlink.exe" protocol=TCP remoteport=8445,5222,5223,443; ` +
				`loopback (the CRM toolbar) needs no rule`}}
	default:
		return []finding{{status: statusOK, text: fmt.Sprintf("Windows Defender Firewall %s, policy %s: outbound allowed "+
			"by default; loopback (the CRM toolbar) is never filtered", strings.ToLower(state), policy)}}
	}
}
