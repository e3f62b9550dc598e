package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// printWebSocket prints a node's XMPP-over-WebSocket address and, in
// VPN-less mode, its reverse proxy's.
func printWebSocket(w io.Writer, cfg finessesim.Config, n *finessesim.Node) {
	if !cfg.NoWebSocket {
		ws := strings.Replace(strings.Replace(n.RESTURL(), "https://", "wss://", 1), "http://", "ws://", 1)
		fmt.Fprintf(w, "        XMPP over WebSocket %s/ws (subprotocol xmpp)\n", ws)
	}
	if u := n.ProxyURL(); u != "" {
		fmt.Fprintf(w, "        VPN-less proxy %s  (REST %s/finesse/api, WebSocket %s/ws; set finesse.vpnless_%s = %q)\n",
			u, u, strings.Replace(u, "https://", "wss://", 1), strings.ToLower(string(n.ID())), u)
	}
}
