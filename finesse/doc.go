// Package finesse connects AgentLink to Cisco Finesse: REST over HTTPS for
// commands and snapshots, XMPP pub-sub for notifications, and a supervisor
// that keeps both alive and fails over between side A and side B.
//
// [Link] implements [core.Port] and feeds a [core.Sink] (the core.Session).
// Wire types (XML structs) live here and never leave the package; convert.go
// is the one place that maps them to core types.
//
// # Lifecycle
//
// [NewLink] validates a [Config]. [Link.Run] is the supervisor: it idles until
// credentials arrive (a Login command or [Link.SetCredentials]), then for the
// current side it reads SystemInfo, connects XMPP as
// agent@xmppDomain/resource, sends presence (priority 0), re-reads User and
// Dialogs and hands them to the sink as one core.UpdateResync before any
// notification is applied. From then on notifications flow to the sink in
// arrival order. Run returns when its context ends.
//
// A Login with other credentials than those in use never disturbs the live
// connection on a guess: a Login as another agent while one is signed in
// fails with core.ErrOtherAgent, and a new password is tried with one GET of
// the User first, so a mistyped one fails as a sign-in error and leaves the
// connection, presence and password in use as they were.
//
// A Config without SideA is valid (first run: the agent types the servers
// in the UI); the link then idles and commands fail with an error wrapping
// core.ErrUnreachable until [Link.SetEndpoints] names the servers.
// SetEndpoints may be called at any time: the supervisor drops its current
// connection or probe, forgets the ports learned from the old servers'
// SystemInfo and starts over on the new side A with the credentials it has,
// re-LOGINing an agent who was signed in, as after a failover.
//
// # Failover
//
// When the XMPP connection dies (read error or missed pings), a node becomes
// unreachable, or SystemInfo goes OUT_OF_SERVICE, the link publishes an
// OUT_OF_SERVICE core.System with a human reason, probes SystemInfo on the
// current side and then the other (sequentially, so a wrong password costs
// one strike; each probe is bounded to 3 s and never retried), moves to the
// side that is IN_SERVICE (re-reading SystemInfo there: xmppDomain is per
// node), reconnects XMPP, resyncs and, if the agent was signed in and the
// side changed, PUTs LOGIN again (Finesse's LOGIN is idempotent and keeps the
// state). Against the simulator, killing side A during a call gives
// IN_SERVICE on B with the call intact in about 30 ms; a silently
// black-holed node is noticed by the ping watchdog after about 2.5 ping
// intervals instead. OUT_OF_SERVICE over a live XMPP
// connection keeps the connection and waits for IN_SERVICE, switching sides
// only if the other side is IN_SERVICE and this one stays out for
// Config.OutOfServiceGrace. Reconnects use capped, jittered backoff.
//
// Wrong credentials are never retried: a 401 or SASL failure clears the
// password, because Finesse locks an account after five wrong passwords.
// Under single sign-on (sso.go) a refused access token is first refreshed
// and tried again (a bounded number of times); a refresh IdS refuses ends
// the session with core.ErrSignInExpired.
//
// # Ports from SystemInfo
//
// SystemInfo's primaryNode and secondaryNode carry each node's host,
// httpsPort, xmppPort and xmppSecurePort (reference §1.3, 12.6). The link
// finds the node it is talking to by matching host against xmppDomain
// (case-insensitive, as finesse.js does) and then, per side:
//
//   - XMPP: the port the side advertises for itself (xmppSecurePort with
//     DirectTLS, xmppPort with StartTLS), else the one the other side
//     advertised for it, wins over Endpoint.XMPPPort under the default
//     Config.XMPPPorts = PortsFromSystemInfo. With PortsFromConfig an
//     explicit XMPPPort wins and advertised ports only replace the default.
//   - REST: an explicit RESTPort always wins; when it was left at zero, the
//     httpsPort the other side advertised replaces the 8445 default.
//
// Hosts are never taken from SystemInfo: it advertises FQDNs that the
// desktop may not resolve (the simulator's finesse-a.sim.test, or a server
// reached through an IP or a different DNS view), so the configured host is
// kept for both connecting and certificate checks. The chosen ports and
// where each came from are logged at debug level before every XMPP connect.
//
// # Transports
//
// Config.XMPPTransport carries XMPP over TCP (go-xmpp, xmpp.go), over
// WebSocket (RFC 7395 at wss://host:RESTPort/ws: coder/websocket framing,
// mellium negotiation, xmppws*.go) or auto (WebSocket first, the other
// transport per side when one fails, never after a refused password:
// transport.go). Both feed serve the same pubsubItem channel. A VPN-less
// side (Endpoint.VPNLess) is a reverse proxy publishing HTTPS only: REST
// and WebSocket under its Endpoint.PathPrefix, its port fixed.
//
// # Resync
//
// Notifications that arrive before the resync GETs are older than them and
// are dropped; if some arrive while the GETs run, the snapshot is read again
// (at most three times, then the late ones are applied on top). So the sink
// never sees a stale event after a fresher snapshot, and a dialog that
// ended during a gap disappears with the resync (no phantom dialogs).
//
// # Threading
//
// Run's goroutine is the only caller of Sink.Apply. A sink that is also a
// core.QueueSink gets queue statistics and team messages (queue.go) from
// Run's goroutine and from the one that loads them after each session
// comes up; core.Session locks for them. Send and the Fetch
// methods may be called from any goroutine. Each XMPP connection has one
// reading goroutine (go-xmpp's Recv loop) and serialises every write of ours
// through one mutex; the only write we do not control is go-xmpp answering a
// server ping from inside Recv, which goes to a tls.Conn (safe for concurrent
// writers).
//
// # go-xmpp workarounds
//
// go-xmpp v0.3.7 gives no access to its net.Conn, has no handshake deadline,
// and its Close races Recv and can block for ten seconds. We therefore hand it
// a loopback relay connection that we own (xmpp.go): closing the relay ends a
// stalled handshake or a blocked Recv at once, and we never call
// (*xmpp.Client).Close. PeriodicServerPings is not used (it writes without a
// lock); our own pinger and watchdog run instead.
package finesse
