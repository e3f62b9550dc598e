//go:build !nogui

package main

import (
	"context"
	"fmt"

	"github.com/agentlink/agentlink/finesse"
	"github.com/agentlink/agentlink/ui"
)

// endpointSetter is the part of *finesse.Link the login form's hosts need.
type endpointSetter interface {
	SetEndpoints(a, b finesse.Endpoint) error
}

// reconnectFunc applies the Finesse servers typed in the login form: the
// same rules as finesse.side_a/side_b ("host" or "host:port", REST port
// 8445 by default, plain_http only to loopback), the XMPP port and TLS
// mode from the configuration. Errors name the side, for the form to show
// next to the field.
func reconnectFunc(cfg Config, link endpointSetter) func(ctx context.Context, sideA, sideB string) error {
	return func(_ context.Context, sideA, sideB string) error {
		a, err := typedEndpoint(cfg, "A", sideA)
		if err != nil {
			return err
		}
		var b finesse.Endpoint
		if sideB != "" {
			if b, err = typedEndpoint(cfg, "B", sideB); err != nil {
				return err
			}
		}
		// The hosts are checked above; a link error is shown as is.
		return link.SetEndpoints(a, b)
	}
}

// typedEndpoint parses one typed host into a link endpoint.
func typedEndpoint(cfg Config, side, v string) (finesse.Endpoint, error) {
	if ep, ok, err := typedVPNLess(v); ok {
		if err != nil {
			return finesse.Endpoint{}, &ui.HostError{Side: side, Err: fmt.Errorf("side %s %q %v", side, v, err)}
		}
		ep.XMPPPort = cfg.Finesse.XMPPPort
		return ep, nil
	}
	hostPort, err := parseHostPort(v, defaultRESTPort)
	if err != nil {
		return finesse.Endpoint{}, &ui.HostError{Side: side,
			Err: fmt.Errorf("side %s %q is not a host or host:port: it %v", side, v, err)}
	}
	if cfg.Finesse.PlainHTTP && !isLoopbackHostPort(hostPort) {
		return finesse.Endpoint{}, &ui.HostError{Side: side,
			Err: fmt.Errorf("side %s %q is not a loopback address, and plain_http is for the local simulator only", side, v)}
	}
	ep, err := endpoint(hostPort, cfg.Finesse.XMPPPort)
	if err != nil {
		return finesse.Endpoint{}, &ui.HostError{Side: side, Err: fmt.Errorf("side %s: %w", side, err)}
	}
	return ep, nil
}
