package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// options is everything the command line selects.
type options struct {
	cfg        finessesim.Config
	agentsFile string
	scenario   scenario
	logLevel   slog.Level
}

// Friendly fixed default ports (flags change each; --random-ports uses 0).
var defaultPorts = struct{ a, b finessesim.NodePorts }{
	a: finessesim.NodePorts{REST: 18445, XMPPTLS: 15223, XMPPStartTLS: 15222},
	b: finessesim.NodePorts{REST: 18446, XMPPTLS: 15233, XMPPStartTLS: 15232},
}

func parseFlags(args []string) (options, error) {
	var o options
	c := &o.cfg
	fs := flag.NewFlagSet("finesse-sim", flag.ContinueOnError)
	fs.StringVar(&c.Host, "host", "127.0.0.1", "listen address of both nodes")
	portFlags(fs, "a", &c.NodeA, defaultPorts.a)
	portFlags(fs, "b", &c.NodeB, defaultPorts.b)
	fs.StringVar(&c.ControlAddr, "control", "127.0.0.1:18400", "control API listen address (loopback)")
	randomPorts := fs.Bool("random-ports", false, "listen on random free ports instead of the defaults")
	fs.BoolVar(&c.PlainHTTP, "plain-http", false, "serve REST over plain HTTP instead of HTTPS")
	fs.BoolVar(&c.NoWebSocket, "no-websocket", false, "do not serve XMPP over WebSocket at /ws on the REST port (a Finesse before 12.6)")
	fs.BoolVar(&c.VPNLess, "vpnless", false, "also run a VPN-less reverse proxy per node: REST and /ws on one HTTPS port")
	fs.StringVar(&c.ProxyPrefix, "proxy-prefix", "", `path the VPN-less proxies publish Finesse under, e.g. "/finesse" (default: none)`)
	fs.StringVar(&c.CADir, "ca-dir", "", "directory for ca.pem (default: a temp dir removed on exit)")
	fs.StringVar(&o.agentsFile, "agents", "", "TOML file with [[agent]] entries (default: 1001-1003)")
	fs.StringVar(&c.Deployment, "deployment", "UCCE", "UCCE or UCCX")
	fs.Int64Var(&c.Seed, "seed", 1, "seed for every random choice")
	fs.DurationVar(&c.ForcedLogoutGrace, "forced-logout-grace", 60*time.Second, "presence-loss grace before forced logout (reason 255)")
	fs.DurationVar(&c.RingNoAnswer, "ring-no-answer", 0, "withdraw unanswered routed calls after this long (0 = off)")
	fs.DurationVar(&c.WrapUpTimer, "wrap-up-timer", 0, "end wrap-up after this long (0 = until the agent leaves it)")
	fs.DurationVar(&c.PingInterval, "ping-interval", 10*time.Second, "XMPP server ping interval")
	fs.DurationVar(&c.ExternalAnswerDelay, "answer-delay", 2*time.Second, "base delay before external numbers answer")
	fs.BoolVar(&c.RequireReasonCode, "require-reason-code", false, "NOT_READY/LOGOUT need a reasonCodeId")
	fs.BoolVar(&c.OpenSystemInfo, "open-systeminfo", false, "answer GET SystemInfo without credentials (unverified on a real Finesse)")
	fs.BoolVar(&c.KeepDialogInWrapUp, "keep-dialog-in-wrapup", false, "keep finished calls in Dialogs (agent WRAP_UP) until wrap-up ends")
	fs.StringVar(&c.ConsultCallType, "consult-call-type", "CONSULT", "callType of consult dialogs (what the consulted agent sees is unverified)")
	fs.BoolVar(&c.WrapUpAfterTransferIn, "wrap-up-after-transfer-in", false, "an agent a routed call was transferred to goes into wrap-up after it (unverified)")
	mrds := fs.String("mrds", "", `non-voice MRDs every agent belongs to, e.g. "5000=Chat,5001=Email" (UCCE)`)
	devices := fs.String("devices", "", `phone devices per extension (multiline), e.g. "5001=SEP0019305D8EC1,5001=CSFJP5550016"`)
	fs.IntVar(&c.PhoneBooks.LargeTeamBook, "large-phonebook", 2500, "contacts in the generated \"Large Team Book\" (0 = none); read in Range pages")
	fs.BoolVar(&c.PhoneBooks.RangeRequired, "phonebook-range-required", false, "TeamResource PhoneBooks without a Range header gets 400 (before 12.6(2); unverified)")
	fs.BoolVar(&c.PhoneBooks.NoContentRange, "no-content-range", false, "leave Content-Range off 206 answers (undocumented either way)")
	fs.StringVar(&c.Queues.TeamMessageNode, "team-message-node", "", "pub-sub node of team messages, {teamId} replaced (default /finesse/api/Team/{teamId}/TeamMessages; unverified)")
	order := fs.String("event-order", "reference", "User vs Dialog event order: reference, user-first, dialog-first, random")
	scen := fs.String("scenario", "", `traffic generator, e.g. "calls=3/min" (inbound calls to READY agents)`)
	fs.DurationVar(&o.scenario.talk, "talk-time", 45*time.Second, "mean talk time of scenario calls (seeded +/-50%)")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	ssoFlags(fs, &c.SSO) // flags_sso.go
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *randomPorts {
		c.NodeA, c.NodeB, c.ControlAddr = finessesim.NodePorts{}, finessesim.NodePorts{}, "127.0.0.1:0"
	}
	var err error
	if c.EventOrder, err = parseOrder(*order); err != nil {
		return o, err
	}
	if o.scenario.rate, err = parseScenario(*scen); err != nil {
		return o, err
	}
	if err := o.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return o, fmt.Errorf("--log-level: %w", err)
	}
	c.Deployment = strings.ToUpper(c.Deployment)
	if c.MRDs, err = parseMRDs(*mrds); err != nil {
		return o, err
	}
	if c.Devices, err = parseDevices(*devices); err != nil {
		return o, err
	}
	return o, checkSSOFlags(&c.SSO)
}

// parseMRDs reads --mrds: "id=description" pairs separated by commas.
func parseMRDs(s string) ([]finessesim.MRDConfig, error) {
	var out []finessesim.MRDConfig
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		id, desc, ok := strings.Cut(p, "=")
		if id, desc = strings.TrimSpace(id), strings.TrimSpace(desc); !ok || id == "" || desc == "" {
			return nil, fmt.Errorf("--mrds %q: want id=description pairs, e.g. 5000=Chat,5001=Email", s)
		}
		out = append(out, finessesim.MRDConfig{ID: id, Name: "Cisco_" + desc + "_MRD", Description: desc})
	}
	return out, nil
}

func parseOrder(s string) (finessesim.EventOrder, error) {
	switch s {
	case "reference":
		return finessesim.OrderReference, nil
	case "user-first":
		return finessesim.UserFirst, nil
	case "dialog-first":
		return finessesim.DialogFirst, nil
	case "random":
		return finessesim.Random, nil
	}
	return 0, fmt.Errorf("--event-order %q: want reference, user-first, dialog-first or random", s)
}

// portFlags registers --X-rest, --X-xmpp-tls and --X-xmpp-starttls for a node.
func portFlags(fs *flag.FlagSet, node string, p *finessesim.NodePorts, def finessesim.NodePorts) {
	up := strings.ToUpper(node)
	fs.IntVar(&p.REST, node+"-rest", def.REST, "node "+up+" REST (HTTPS) port")
	fs.IntVar(&p.XMPPTLS, node+"-xmpp-tls", def.XMPPTLS, "node "+up+" XMPP direct-TLS port (Finesse 5223)")
	fs.IntVar(&p.XMPPStartTLS, node+"-xmpp-starttls", def.XMPPStartTLS, "node "+up+" XMPP STARTTLS port (Finesse 5222)")
}

// parseDevices reads --devices: "extension=deviceId" pairs separated by
// commas; an extension may have several.
func parseDevices(s string) (map[string][]finessesim.DeviceConfig, error) {
	var out map[string][]finessesim.DeviceConfig
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		ext, id, ok := strings.Cut(p, "=")
		if ext, id = strings.TrimSpace(ext), strings.TrimSpace(id); !ok || ext == "" || id == "" {
			return nil, fmt.Errorf("--devices %q: want extension=deviceId pairs, e.g. 5001=SEP0019305D8EC1,5001=CSFJP5550016", s)
		}
		if out == nil {
			out = map[string][]finessesim.DeviceConfig{}
		}
		out[ext] = append(out[ext], finessesim.DeviceConfig{ID: id, Type: "0", TypeName: "Simulated device"})
	}
	return out, nil
}
