package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"net/url"
	"os"
	"runtime"
	"strings"
)

// checkConfig says which file was loaded and lists the insecure settings.
func (d *doctor) checkConfig(context.Context) checkResult {
	var fs []finding
	if d.cfg.File != "" {
		fs = append(fs, finding{status: statusOK, text: "loaded " + d.cfg.File})
	} else {
		fs = append(fs, finding{status: statusOK,
			text: fmt.Sprintf("no config file (%s does not exist): defaults and flags only", d.cfg.fileHint())})
	}
	if d.rememberedFrom != "" {
		fs = append(fs, finding{status: statusOK, text: fmt.Sprintf("Finesse servers from the sign-in form (%s): side A %s%s",
			d.rememberedFrom, d.cfg.Finesse.SideA, map[bool]string{true: ", side B " + d.cfg.Finesse.SideB, false: ""}[d.cfg.Finesse.SideB != ""])})
	}
	for _, w := range d.cfg.warnings() {
		fs = append(fs, finding{status: statusWarn, text: w, fix: "change the setting in " + d.cfg.fileHint()})
	}
	if d.cfg.Finesse.AgentID == "" {
		fs = append(fs, finding{status: statusWarn, text: "no agent configured (the login form asks for it)",
			fix: fmt.Sprintf("set finesse.agent_id and finesse.extension in %s, or pass --agent and --extension", d.cfg.fileHint())})
	}
	return combine(fs)
}

// checkTokenFile checks that the bridge token file exists, is a private
// regular file and holds a well-formed token. It never prints the token.
func (d *doctor) checkTokenFile(context.Context) checkResult {
	path := d.configFile(tokenFileName)
	if path == "" {
		return checkResult{Status: statusFail, Detail: "no user config directory (is $HOME set?)",
			Fix: "run agentlink as a user with a home directory"}
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return checkResult{Status: statusWarn, Detail: path + " does not exist yet; AgentLink creates it when it starts",
			Fix: "start AgentLink, or run: agentlink token"}
	case err != nil:
		return checkResult{Status: statusFail, Detail: fmt.Sprintf("cannot read %s: %v", path, err),
			Fix: "check the permissions of " + d.dir}
	case !fi.Mode().IsRegular():
		return checkResult{Status: statusFail, Detail: fmt.Sprintf("%s is not a regular file (%v)", path, fi.Mode().Type()),
			Fix: fmt.Sprintf("remove %s and run: agentlink token", path)}
	case runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0:
		return checkResult{Status: statusFail,
			Detail: fmt.Sprintf("%s has mode %04o: other users can read the token and drive this agent's phone", path, fi.Mode().Perm()),
			Fix:    "chmod 600 " + path}
	}
	if _, err := readToken(path); err != nil {
		return checkResult{Status: statusFail, Detail: fmt.Sprintf("%s is damaged (not a token AgentLink wrote)", path),
			Fix: fmt.Sprintf("delete %s and run agentlink token (local programs must then be paired again)", path)}
	}
	r := checkResult{Status: statusOK, Detail: fmt.Sprintf("%s exists, mode %04o (content not shown)", path, fi.Mode().Perm())}
	if di, err := os.Stat(d.dir); err == nil && runtime.GOOS != "windows" && di.Mode().Perm()&0o077 != 0 {
		r.Status = statusWarn
		r.Detail += fmt.Sprintf("; but %s has mode %04o, so other users could replace the token", d.dir, di.Mode().Perm())
		r.Fix = "chmod 700 " + d.dir
	}
	return r
}

// checkProxy looks for proxy settings that catch loopback traffic. The
// sharp one is go-xmpp's: it reads HTTP_PROXY itself and skips the proxy
// only when a NO_PROXY entry is a substring of the address, so the link's
// connection to its own loopback relay (finesse/xmpp.go) goes to the proxy
// unless NO_PROXY lists 127.0.0.1 literally ("*" and 127.0.0.0/8 do not
// count there). Other local clients (scripts using the bridge token) use
// the usual NO_PROXY rules.
func (d *doctor) checkProxy(context.Context) checkResult {
	var set []string
	for _, name := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		if v := d.getenv(name); v != "" {
			set = append(set, name+"="+redactProxy(v))
		}
	}
	if len(set) == 0 {
		return checkResult{Status: statusOK, Detail: "no HTTP(S)_PROXY set"}
	}
	noProxy := firstNonEmpty(d.getenv("NO_PROXY"), d.getenv("no_proxy"))
	fs := []finding{{status: statusOK, text: strings.Join(set, ", ")}}
	if xmppProxyTrap(d.getenv("HTTP_PROXY"), d.getenv("http_proxy"), noProxy) {
		fs = append(fs, finding{status: statusWarn,
			text: "NO_PROXY has no literal 127.0.0.1 entry, so the Finesse notification client (go-xmpp) sends its loopback " +
				"connection through HTTP_PROXY and notifications fail unless the proxy can reach this PC's 127.0.0.1",
			fix: "add 127.0.0.1 literally to NO_PROXY (and no_proxy) in the agent's session: " +
				"go-xmpp matches entries as substrings, so * or 127.0.0.0/8 do not count"})
	}
	var missing []string
	for _, host := range []string{"127.0.0.1", "localhost"} {
		if !noProxyCovers(noProxy, host) {
			missing = append(missing, host)
		}
	}
	if len(missing) > 0 {
		fs = append(fs, finding{status: statusWarn,
			text: fmt.Sprintf("NO_PROXY does not cover %s: local programs that call the bridge may go to the proxy", strings.Join(missing, " and ")),
			fix:  "add 127.0.0.1,localhost,::1 to NO_PROXY (and no_proxy), or to the system proxy exceptions on Windows"})
	} else {
		fs = append(fs, finding{status: statusOK, text: "NO_PROXY covers 127.0.0.1 and localhost"})
	}
	return combine(fs)
}

// xmppProxyTrap applies go-xmpp v0.3.7's proxy rule to its loopback relay
// address: HTTP_PROXY (else http_proxy) set, and no NO_PROXY entry, taken
// as is, that is a substring of "127.0.0.1:<port>".
func xmppProxyTrap(httpProxy, httpProxyLower, noProxy string) bool {
	if firstNonEmpty(httpProxy, httpProxyLower) == "" {
		return false
	}
	if noProxy == "" {
		return true
	}
	for _, e := range strings.Split(noProxy, ",") {
		if strings.Contains("127.0.0.1:", strings.ToLower(e)) {
			return false
		}
	}
	return true
}

// redactProxy shows a proxy URL without its user and password.
func redactProxy(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		if i := strings.LastIndex(v, "@"); i >= 0 {
			return "<redacted>@" + v[i+1:]
		}
		return v
	}
	if u.User != nil {
		u.User = url.User("redacted")
	}
	return u.Redacted()
}

// noProxyCovers reports whether a NO_PROXY list exempts host: "*", the
// host itself, or (for an IP) a CIDR that contains it.
func noProxyCovers(list, host string) bool {
	ip, ipErr := netip.ParseAddr(host)
	for _, e := range strings.Split(list, ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		if h, _, err := net.SplitHostPort(e); err == nil {
			e = h
		}
		switch {
		case e == "":
		case e == "*", e == host, strings.TrimPrefix(e, ".") == host:
			return true
		case ipErr == nil:
			if p, err := netip.ParsePrefix(e); err == nil && p.Contains(ip) {
				return true
			}
		}
	}
	return false
}

// checkKeychain reports whether the OS keychain answers and whether it
// holds a password for the configured agent; the password is not shown.
func (d *doctor) checkKeychain(context.Context) checkResult {
	if err := d.keys.Available(); err != nil {
		return checkResult{Status: statusWarn, Detail: err.Error(),
			Fix: "on Linux, start a Secret Service (gnome-keyring-daemon or KeePassXC) in the agent's session and unlock it"}
	}
	agent := d.cfg.Finesse.AgentID
	if agent == "" {
		return checkResult{Status: statusOK, Detail: "the OS keychain answers; no agent configured, so no password looked up"}
	}
	_, err := d.keys.Password(agent)
	switch {
	case errors.Is(err, errNoPassword):
		return checkResult{Status: statusWarn,
			Detail: fmt.Sprintf("the OS keychain answers but holds no password for agent %s: AgentLink asks at each sign-in", agent),
			Fix:    "agentlink login --agent " + agent}
	case err != nil:
		return checkResult{Status: statusWarn, Detail: err.Error(), Fix: "unlock the OS keychain, then run agentlink doctor again"}
	}
	return checkResult{Status: statusOK, Detail: fmt.Sprintf("a password is stored for agent %s (not shown)", agent)}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
