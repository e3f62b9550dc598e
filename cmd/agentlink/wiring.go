package main

import (
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"

	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/localbridge"
)

// finesseConfig turns the [finesse] settings into the link's configuration;
// in demo mode the simulator's addresses replace them.
func finesseConfig(cfg Config, demo *demoEnv, log *slog.Logger) (finesse.Config, error) {
	if demo != nil {
		return demo.finesseConfig(log), nil
	}
	mode := finesse.DirectTLS
	if cfg.Finesse.XMPPTLS == "starttls" {
		mode = finesse.StartTLS
	}
	ports := finesse.PortsFromSystemInfo
	if cfg.Finesse.XMPPPortsFrom == "config" {
		ports = finesse.PortsFromConfig
	}
	// Without side_a (first run with the UI) the link waits for the
	// servers the agent types in the login form (reconnectFunc).
	a, err := sideEndpoint(cfg.Finesse.SideA, cfg.Finesse.VPNLessA, cfg.Finesse.XMPPPort)
	if err != nil {
		return finesse.Config{}, fmt.Errorf("finesse.side_a: %w", err)
	}
	b, err := sideEndpoint(cfg.Finesse.SideB, cfg.Finesse.VPNLessB, cfg.Finesse.XMPPPort)
	if err != nil {
		return finesse.Config{}, fmt.Errorf("finesse.side_b: %w", err)
	}
	return finesse.Config{
		SideA:              a,
		SideB:              b,
		PlainHTTP:          cfg.Finesse.PlainHTTP,
		XMPPTLS:            mode,
		XMPPTransport:      xmppTransport(cfg.Finesse.XMPPTransport),
		XMPPPorts:          ports,
		CAFile:             cfg.Finesse.CAFile,
		InsecureSkipVerify: cfg.Finesse.InsecureSkipVerify,
		AgentID:            cfg.Finesse.AgentID,
		Resource:           cfg.Finesse.Resource,
		Phone:              cfg.Finesse.Phone.linkDefaults(),
		Logger:             log.With("component", "finesse"),
	}, nil
}

// endpoint splits a "host:port" setting into a link endpoint.
func endpoint(hostPort string, xmppPort int) (finesse.Endpoint, error) {
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil {
		return finesse.Endpoint{}, fmt.Errorf("%q is not host:port: %w", hostPort, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return finesse.Endpoint{}, fmt.Errorf("%q has a bad port: %w", hostPort, err)
	}
	return finesse.Endpoint{Host: host, RESTPort: n, XMPPPort: xmppPort}, nil
}

// bridgeConfig builds the bridge's configuration: the token and the
// agent's origin choices live in the AgentLink config directory.
func bridgeConfig(cfg Config, p *parts, log *slog.Logger) (localbridge.Config, error) {
	dir, err := configDir()
	if err != nil {
		return localbridge.Config{}, err
	}
	token, remember, err := storedBridgeToken(dir, p.keys, log)
	if err != nil {
		return localbridge.Config{}, fmt.Errorf("bridge token: %w", err)
	}
	go remember() // the keychain copy must not hold up the start
	lookup := p.keys.Password
	if p.demo != nil {
		lookup = p.demo.passwordLookup(lookup)
	}
	return localbridge.Config{
		Addr:              cfg.Bridge.Addr,
		PortFallback:      cfg.Bridge.Addr == defaultBridgeAddr, // another user's squat: next port of the range
		Session:           p.session,
		AllowedOrigins:    cfg.Bridge.AllowedOrigins,
		OriginScopes:      cfg.Bridge.OriginScopes,
		ConsentFile:       filepath.Join(dir, "origins.json"),
		Token:             token,
		SecurePasswordKey: cfg.Bridge.SecurePasswordKey,
		PasswordLookup:    lookup,
		PairingFile:       filepath.Join(dir, "pairings.json"),
		RequirePairing:    cfg.Bridge.RequirePairing,
		SignInPrompt:      p.askSignIn,
		DialPlan:          cfg.DialPlan,
		CallLog:           p.calls,
		Version:           version,
		Logger:            log.With("component", "bridge"),
	}, nil
}
