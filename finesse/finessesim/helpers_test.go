package finessesim

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	goxmpp "github.com/xmppo/go-xmpp"
)

const waitFor = 5 * time.Second

// startSim starts a simulator for one test with fast timers.
func startSim(t *testing.T, cfg Config) *Sim {
	t.Helper()
	if cfg.ExternalAnswerDelay == 0 {
		cfg.ExternalAnswerDelay = 20 * time.Millisecond
	}
	s, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// restClient talks to one node as one agent.
type restClient struct {
	t        *testing.T
	base     string
	user, pw string
	hc       *http.Client
}

func newREST(t *testing.T, s *Sim, node NodeID, user, pw string) *restClient {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: s.CAPool()}}}
	t.Cleanup(hc.CloseIdleConnections)
	return &restClient{t: t, base: s.Node(node).RESTURL(), user: user, pw: pw, hc: hc}
}

// do sends a request and returns the status and body.
func (c *restClient) do(method, path, body, rid string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatalf("new request: %v", err)
	}
	req.SetBasicAuth(c.user, c.pw)
	if body != "" {
		req.Header.Set("Content-Type", "application/xml")
	}
	if rid != "" {
		req.Header.Set("requestId", rid)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// must sends a request and fails the test unless the status is want.
func (c *restClient) must(want int, method, path, body, rid string) string {
	c.t.Helper()
	got, b := c.do(method, path, body, rid)
	if got != want {
		c.t.Fatalf("%s %s: got status %d, want %d; body %s", method, path, got, want, b)
	}
	return b
}

func (c *restClient) setState(state, extra, rid string) {
	c.t.Helper()
	c.must(202, "PUT", "/finesse/api/User/"+c.user, "<User><state>"+state+"</state>"+extra+"</User>", rid)
}

func (c *restClient) action(did, action, extra, rid string) {
	c.t.Helper()
	c.must(202, "PUT", "/finesse/api/Dialog/"+did, "<Dialog><requestedAction>"+action+
		"</requestedAction>"+extra+"</Dialog>", rid)
}

// update is one decoded notification.
type update struct {
	Node, Event, RequestID, Source string
	Data                           *xnode // the data root (user, dialog, dialogs, ...)
}

func (u update) String() string {
	root := ""
	if u.Data != nil {
		root = u.Data.Name
	}
	return fmt.Sprintf("%s %s %s(%s) rid=%q", u.Node, u.Event, root, u.summary(), u.RequestID)
}

// summary is a short state description used in sequence assertions.
func (u update) summary() string {
	if u.Data == nil {
		return ""
	}
	switch u.Data.Name {
	case "user":
		s := u.Data.text("state")
		if p := u.Data.text("pendingState"); p != "" {
			s += "/pending=" + p
		}
		return s
	case "dialog":
		return dialogSummary(u.Data)
	case "dialogs":
		return dialogSummary(u.Data.child("Dialog"))
	case "apiErrors":
		return u.Data.text("apiError", "errorType")
	case "systemInfo":
		return u.Data.text("status")
	}
	return ""
}

// dialogSummary renders "STATE[party:STATE,...]".
func dialogSummary(d *xnode) string {
	if d == nil {
		return "?"
	}
	var parts []string
	for _, p := range d.child("participants").children("Participant") {
		parts = append(parts, p.text("mediaAddress")+":"+p.text("state"))
	}
	return d.text("state") + "[" + strings.Join(parts, ",") + "]"
}

// kind is "user PUT READY"-style shorthand: root, event, summary.
func (u update) kind() string {
	root := ""
	if u.Data != nil {
		root = u.Data.Name
	}
	return root + " " + u.Event + " " + u.summary()
}

// xclient is a go-xmpp client collecting notifications.
type xclient struct {
	t       *testing.T
	c       *goxmpp.Client
	updates chan update
	other   chan any
}

func dialXMPP(t *testing.T, s *Sim, node NodeID, user, pw string, startTLS bool) *xclient {
	t.Helper()
	c, err := newGoXMPP(s, node, user, pw, startTLS)
	if err != nil {
		t.Fatalf("go-xmpp connect: %v", err)
	}
	x := &xclient{t: t, c: c, updates: make(chan update, 256), other: make(chan any, 64)}
	go x.recv()
	// go-xmpp's Close races with a running Recv (a known library race), so
	// the server side ends the session and we wait for Recv to return.
	t.Cleanup(func() {
		s.mu.Lock()
		for xs := range s.sessions {
			if xs.node.id == node && xs.agentID == user {
				xs.kill()
			}
		}
		s.mu.Unlock()
		timeout := time.After(waitFor)
		for {
			select {
			case _, ok := <-x.updates:
				if !ok {
					return
				}
			case <-timeout:
				t.Errorf("go-xmpp Recv did not return after the session ended")
				return
			}
		}
	})
	return x
}

func newGoXMPP(s *Sim, node NodeID, user, pw string, startTLS bool) (*goxmpp.Client, error) {
	n := s.Node(node)
	port := n.XMPPTLSPort()
	if startTLS {
		port = n.XMPPStartTLSPort()
	}
	opts := goxmpp.Options{
		Host: "127.0.0.1:" + strconv.Itoa(port), User: user + "@" + n.XMPPDomain(), Password: pw,
		Resource: "agentlink", NoTLS: startTLS, StartTLS: startTLS, Mechanism: "PLAIN",
		TLSConfig:   &tls.Config{RootCAs: s.CAPool(), ServerName: n.XMPPDomain()},
		DialTimeout: 5 * time.Second,
	}
	return opts.NewClient()
}

func (x *xclient) recv() {
	for {
		v, err := x.c.Recv()
		if err != nil {
			close(x.updates)
			return
		}
		ev, ok := v.(goxmpp.PubsubEvent)
		if !ok {
			select {
			case x.other <- v:
			default:
			}
			continue
		}
		for _, it := range ev.Items {
			u, err := decodeItem(ev.Node, it.InnerXML)
			if err != nil {
				x.t.Errorf("decode notification: %v", err)
				continue
			}
			x.updates <- u
		}
	}
}

// decodeItem unwraps <notification> (escaped text) and parses the Update.
func decodeItem(node string, inner []byte) (update, error) {
	var n struct {
		XMLName xml.Name
		Text    string `xml:",chardata"`
	}
	if err := xml.Unmarshal(inner, &n); err != nil {
		return update{}, err
	}
	if n.XMLName.Local != "notification" || n.XMLName.Space != nsPubSub {
		return update{}, fmt.Errorf("unexpected item payload %v", n.XMLName)
	}
	root, err := parseTree([]byte(n.Text))
	if err != nil {
		return update{}, err
	}
	if root.Name != "Update" {
		return update{}, fmt.Errorf("root %q, want Update", root.Name)
	}
	u := update{Node: node, Event: root.text("event"), RequestID: root.text("requestId"), Source: root.text("source")}
	if d := root.child("data"); d != nil && len(d.Kids) > 0 {
		u.Data = d.Kids[0]
	}
	return u, nil
}

// next returns the next notification or fails after waitFor.
func (x *xclient) next() update {
	x.t.Helper()
	select {
	case u, ok := <-x.updates:
		if !ok {
			x.t.Fatalf("xmpp connection closed while waiting for a notification")
		}
		return u
	case <-time.After(waitFor):
		x.t.Fatalf("no notification within %v", waitFor)
	}
	return update{}
}

// expect reads len(want) notifications and compares their kinds in order.
func (x *xclient) expect(want ...string) []update {
	x.t.Helper()
	var got []update
	for range want {
		got = append(got, x.next())
	}
	for i := range want {
		if got[i].kind() != want[i] {
			var all []string
			for _, u := range got {
				all = append(all, u.kind())
			}
			x.t.Fatalf("notification %d: got %q, want %q\nall got:\n  %s", i, got[i].kind(), want[i], strings.Join(all, "\n  "))
		}
	}
	return got
}

// quiet asserts that nothing arrives within d.
func (x *xclient) quiet(d time.Duration) {
	x.t.Helper()
	select {
	case u := <-x.updates:
		x.t.Fatalf("unexpected notification %v", u)
	case <-time.After(d):
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
