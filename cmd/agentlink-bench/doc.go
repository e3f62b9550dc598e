// Command agentlink-bench measures AgentLink against the figures of issues 6
// and 14 and prints each next to its target, as a table or (--json) as JSON.
//
// Figures 1-4 and 6 run the whole chain in this process, wired like the app:
// the Finesse simulator (finesse/finessesim) -> finesse.Link ->
// core.Session -> localbridge.Server on 127.0.0.1:0, with N WebSocket
// toolbar clients (coder/websocket, bearer token, no Origin). Figure 5
// builds the real agentlink binary and measures it headless as a child
// process. Figures 7 and 8 start their own Xvfb and session bus: figure 7
// runs the softphone and then the reference toolbar page in headful
// Chromium through the same agent shift and compares their memory (PSS)
// and CPU; figure 8 times the UI's cold start to a mapped window and
// measures it shown and hidden in the tray, with a breakdown of its
// mappings (/proc/PID/smaps).
//
// Everything listens on loopback only, and every loop is bounded in count
// and in time, so a broken chain makes a figure fail with a reason instead
// of hanging the run.
//
// The README's Benchmarks section says how each figure is measured, gives
// the results table, and says why a target was missed.
//
// Usage:
//
//	go run ./cmd/agentlink-bench [--json | --markdown] [--json-out FILE]
//	    [--only 1,2,...] [--soak-calls N] [--fanout-events N]
//	    [--agentlink-bin PATH] [--cpuprofile FILE]
//	go run ./cmd/agentlink-bench --from-json FILE [--markdown]
package main
