// Package localbridge is AgentLink's localhost bridge: the HTTP and WebSocket
// server that CRM toolbars, scripts and the Connector Monitor use to reach the
// agent's live Finesse session (a [core.Session]).
//
// # Protocol
//
// Toolbars speak protocol v1 over a WebSocket at /v1/bridge: JSON requests
// {"id","cmd","args"}, responses {"id","ok","result"|"error"} and numbered
// events {"event","seq","data"}. docs/bridge-protocol.md documents every
// message. Each WebSocket client gets its own [core.Watcher] (started by
// Connect) and its own bounded send queue, so a slow tab is cut off and
// reconnects with "since" instead of slowing anyone else. The session lives
// in the app: a tab that closes or refreshes changes nothing at Finesse.
//
// # Security
//
// The bridge listens on loopback only and denies by default, in this order
// (see [Server.handler]): the Host header must name loopback (DNS
// rebinding), an Origin header must exactly match an allowed origin
// (configured, agent-approved, or the bridge's own pages), requests without
// an Origin must carry the bearer token unless they fetch public static
// files, and the Connector Monitor additionally needs a one-time ticket
// exchanged for a session cookie. Unknown origins are recorded so the agent
// can approve them ([Server.AllowOrigin]); the choice persists.
//
// # Concurrency
//
// [Server.Run] owns the listeners and every client goroutine; it returns
// after all of them have stopped. The other methods are safe for concurrent
// use.
package localbridge
