package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	xmpp "github.com/xmppo/go-xmpp"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// directClient talks to the simulator the way a bare Finesse client would:
// REST requests with Basic auth, and its own XMPP session for notifications.
// It is the baseline of figure 2 and the event source of figure 3.
type directClient struct {
	base  string // REST base URL of side A
	agent finessesim.AgentConfig
	http  *http.Client
	notes chan time.Time // arrival of each notification on the User node; nil when no XMPP session
}

func newDirectClient(sim *finessesim.Sim, agent finessesim.AgentConfig, workers int) *directClient {
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: sim.CAPool(), MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers, ForceAttemptHTTP2: false}
	return &directClient{base: sim.Node(finessesim.NodeA).RESTURL(), agent: agent,
		http: &http.Client{Transport: tr, Timeout: requestTimeout}}
}

// connectXMPP opens the client's XMPP session on side A; every notification
// on the agent's User node is timed into notes. The session ends when the
// simulator closes.
func (d *directClient) connectXMPP(sim *finessesim.Sim) error {
	n := sim.Node(finessesim.NodeA)
	opts := xmpp.Options{
		Host:      net.JoinHostPort(n.Host(), strconv.Itoa(n.XMPPTLSPort())),
		User:      d.agent.ID + "@" + n.XMPPDomain(),
		Password:  d.agent.Password,
		Resource:  "bench",
		TLSConfig: &tls.Config{RootCAs: sim.CAPool(), ServerName: n.Host(), MinVersion: tls.VersionTLS12},
	}
	type result struct {
		c   *xmpp.Client
		err error
	}
	done := make(chan result, 1)
	// NewClient has no handshake deadline of its own.
	go func() { c, err := opts.NewClient(); done <- result{c, err} }()
	var r result
	select {
	case r = <-done:
	case <-time.After(requestTimeout):
		return fmt.Errorf("xmpp handshake with %s took over %v", opts.Host, requestTimeout)
	}
	if r.err != nil {
		return fmt.Errorf("xmpp connect %s: %w", opts.Host, r.err)
	}
	d.notes = make(chan time.Time, 64)
	node := userNode(d.agent.ID)
	go func() {
		for {
			st, err := r.c.Recv()
			if err != nil {
				return
			}
			if ev, ok := st.(xmpp.PubsubEvent); ok && ev.Node == node {
				select {
				case d.notes <- time.Now():
				default: // nobody is waiting: the figure is over
				}
			}
		}
	}()
	return nil
}

// put sends a PUT with an XML body and expects 202 Accepted.
func (d *directClient) put(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, d.base+"/finesse/api/"+path, bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	req.SetBasicAuth(d.agent.ID, d.agent.Password)
	req.Header.Set("Content-Type", "application/xml")
	req.Header.Set("requestId", newRequestID())
	resp, err := d.http.Do(req)
	if err != nil {
		return fmt.Errorf("PUT %s: %w", path, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("PUT %s: %s: %s", path, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

// setState PUTs the agent's state (LOGIN carries the extension).
func (d *directClient) setState(ctx context.Context, state string) error {
	ext := ""
	if state == "LOGIN" {
		ext = "<extension>" + d.agent.Extension + "</extension>"
	}
	return d.put(ctx, "User/"+d.agent.ID, "<User><state>"+state+"</state>"+ext+"</User>")
}

// updateCallData sets callVariable1 of a dialog (one Dialog PUT event).
func (d *directClient) updateCallData(ctx context.Context, dialogID, value string) error {
	return d.put(ctx, "Dialog/"+dialogID, "<Dialog><requestedAction>UPDATE_CALL_DATA</requestedAction>"+
		"<mediaProperties><callvariables><CallVariable><name>callVariable1</name><value>"+value+
		"</value></CallVariable></callvariables></mediaProperties></Dialog>")
}

// stateRoundTrip PUTs a state and waits for the User notification.
func (d *directClient) stateRoundTrip(ctx context.Context, state string) (time.Duration, error) {
	drain(d.notes)
	start := time.Now()
	if err := d.setState(ctx, state); err != nil {
		return 0, err
	}
	select {
	case at := <-d.notes:
		return at.Sub(start), nil
	case <-time.After(requestTimeout):
		return 0, fmt.Errorf("no User notification within %v after PUT %s", requestTimeout, state)
	}
}

func drain(ch <-chan time.Time) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
