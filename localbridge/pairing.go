package localbridge

import (
	"context"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Pairing (docs/bridge-protocol.md, "Pairing and proof"): a CRM origin and
// this AgentLink agree on a key once, by ECDH P-256 with a commitment, and
// the agent checks on both sides that they talk to each other: AgentLink
// shows a six-digit code derived from the whole exchange, the agent types it
// in the toolbar (so the toolbar knows it reached the agent's own
// AgentLink) and allows the pairing in AgentLink (so AgentLink knows the
// agent wants this origin). The commitment keeps a man in the middle from
// choosing its key after seeing the other's, so it cannot steer both codes
// to the same value; it would have to be lucky, one chance in a million.

const (
	pairWait       = 2 * time.Minute // how long a pairing waits for the agent
	maxPairPending = 8               // pairing requests shown to the agent at once
	codeDigits     = 1_000_000       // six-digit code
)

// PairingRequest is a pairing the agent is asked to confirm in AgentLink.
type PairingRequest struct {
	ID     string
	Origin string
	Code   string // six digits; the toolbar asks the agent to type them
	Since  time.Time
	// Scopes are the most the pairing can give the origin (events first):
	// what the admin or the agent allowed it. The agent may tick fewer.
	Scopes []Scope
	// ScopesLocked: the admin set them (bridge.origin_scopes), so the
	// prompt shows them without a choice.
	ScopesLocked bool
}

// pairRun is one connection's pairing in progress.
type pairRun struct {
	commit    string
	priv      *ecdh.PrivateKey
	bridgeKey string // base64 raw public key
	nonce     string // the bridge's, base64
	key       []byte // derived after PairReveal
	script    string // the transcript, after PairReveal
	req       *pendingPair
}

// pendingPair is a request waiting for the agent's decision.
type pendingPair struct {
	PairingRequest
	decided chan decision // buffered 1: how the request ended
	chosen  []Scope       // the agent's choice; written before decided is sent
}

// decision is how a pairing request ended.
type decision int

const (
	decisionDeny       decision = iota
	decisionAllow               // the agent allowed it
	decisionSuperseded          // another tab of the origin paired first
)

// pairing is the server's pairing state: the stored keys and the requests
// waiting for the agent.
type pairing struct {
	store   *pairStore    // non-nil
	changes chan struct{} // cap 1: coalesced PairingRequests change signal
	mu      sync.Mutex    // guards pend
	pend    map[string]*pendingPair
}

func newPairing(path string) (*pairing, error) {
	st, err := newPairStore(path)
	if err != nil {
		return nil, err
	}
	return &pairing{store: st, changes: make(chan struct{}, 1), pend: map[string]*pendingPair{}}, nil
}

// PairingChanges signals (coalesced) that PairingRequests changed. It is a
// channel of its own so the app's pairing prompt does not compete with the
// window for [Server.Changes].
func (s *Server) PairingChanges() <-chan struct{} { return s.pairing.changes }

func (s *Server) pairingChanged() {
	select {
	case s.pairing.changes <- struct{}{}:
	default:
	}
	s.notifyChanged()
}

type pairBeginArgs struct {
	Commit string `json:"commit"`
}

type pairRevealArgs struct {
	ToolbarKey string `json:"toolbarKey"`
	Nonce      string `json:"nonce"`
}

type pairConfirmArgs struct {
	MAC string `json:"mac"`
}

// cmdPairBegin takes the toolbar's commitment and answers with the
// bridge's ephemeral public key and nonce.
func cmdPairBegin(_ context.Context, c *client, raw json.RawMessage) (any, error) {
	var a pairBeginArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if c.origin == "" || c.srv.selfOrigin(c.origin) {
		return nil, badRequest("pairing is for browser origins (CRM pages); this client needs none")
	}
	if b, err := base64.StdEncoding.DecodeString(a.Commit); err != nil || len(b) != sha256.Size {
		return nil, badRequest("args.commit must be base64 of a SHA-256 hash")
	}
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	run := &pairRun{commit: a.Commit, priv: priv, bridgeKey: b64(priv.PublicKey().Bytes()), nonce: newNonce()}
	c.srv.dropPairRun(c, run)
	return map[string]string{"bridgeKey": run.bridgeKey, "nonce": run.nonce}, nil
}

// cmdPairReveal checks the toolbar's key against its commitment, derives
// the key and the code, and asks the agent.
func cmdPairReveal(_ context.Context, c *client, raw json.RawMessage) (any, error) {
	var a pairRevealArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	c.auth.mu.Lock()
	run := c.auth.pair
	c.auth.mu.Unlock()
	if run == nil || run.script != "" {
		return nil, badRequest("send PairBegin first")
	}
	if err := checkNonce("args.nonce", a.Nonce); err != nil {
		return nil, err
	}
	raw65, err := base64.StdEncoding.DecodeString(a.ToolbarKey)
	if err != nil {
		return nil, badRequest("args.toolbarKey must be base64 of a raw P-256 public key")
	}
	pub, err := ecdh.P256().NewPublicKey(raw65)
	if err != nil {
		return nil, badRequest("args.toolbarKey is not a P-256 public key: %v", err)
	}
	commit := sha256.Sum256([]byte(labelCommit + "\n" + a.ToolbarKey + "\n" + a.Nonce))
	if !equalB64(commit[:], run.commit) {
		c.srv.proofFailed(c, "pairing key does not match its commitment")
		c.srv.dropPairRun(c, nil)
		return nil, &RequestError{Code: CodeProofFailed, Message: "toolbarKey and nonce do not match the commitment of PairBegin"}
	}
	z, err := run.priv.ECDH(pub)
	if err != nil {
		return nil, badRequest("args.toolbarKey: %v", err)
	}
	script := transcript(c.origin, a.ToolbarKey, run.bridgeKey, a.Nonce, run.nonce)
	key, err := pairingKey(z, script)
	if err != nil {
		return nil, err
	}
	req, rerr := c.srv.askAgent(c.origin, pairingCode(script))
	if rerr != nil {
		return nil, rerr
	}
	c.auth.mu.Lock()
	run.key, run.script, run.req = key, script, req
	c.auth.mu.Unlock()
	return map[string]any{"expiresIn": int(pairWait / time.Second)}, nil
}

// cmdPairConfirm checks the toolbar's key confirmation (sent once the agent
// typed the right code), waits for the agent's decision in AgentLink and
// stores the key. It answers with the bridge's key confirmation.
func cmdPairConfirm(_ context.Context, c *client, raw json.RawMessage) (any, error) {
	var a pairConfirmArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	c.auth.mu.Lock()
	run := c.auth.pair
	c.auth.mu.Unlock()
	if run == nil || run.script == "" {
		return nil, badRequest("send PairBegin and PairReveal first")
	}
	if !equalB64(macOf(run.key, labelConfirmToolbar, run.script), a.MAC) {
		c.srv.proofFailed(c, "wrong pairing confirmation")
		c.srv.dropPairRun(c, nil)
		return nil, &RequestError{Code: CodeProofFailed, Message: "the pairing confirmation does not match: start pairing again"}
	}
	// Not the command's context: the agent may take longer than a command
	// may; the wait ends with the connection, the server, or pairWait.
	timer := time.NewTimer(time.Until(run.req.Since.Add(pairWait)))
	defer timer.Stop()
	select {
	case d := <-run.req.decided:
		switch d {
		case decisionSuperseded:
			c.srv.dropPairRun(c, nil)
			return nil, &RequestError{Code: CodeTimeout, Message: c.origin + " was just paired from another tab: reconnect to use that pairing"}
		case decisionDeny:
			c.srv.dropPairRun(c, nil)
			return nil, &RequestError{Code: CodePairingDenied, Message: "the agent refused to pair " + c.origin + " in AgentLink"}
		}
	case <-timer.C:
		c.srv.dropPairRun(c, nil)
		return nil, &RequestError{Code: CodeTimeout, Message: "nobody allowed the pairing in AgentLink in time: start again"}
	case <-c.closing:
		return nil, &RequestError{Code: CodeTimeout, Message: "connection closing"}
	case <-c.srv.baseContext().Done():
		return nil, &RequestError{Code: CodeTimeout, Message: "AgentLink is shutting down"}
	}
	scopes := intersectScopes(c.srv.scopesFor(c.origin), run.req.chosenOr(AllScopes))
	if err := c.srv.pairing.store.put(c.origin, pairedOrigin{Key: run.key, Scopes: scopes, Paired: c.srv.cfg.Now()}); err != nil {
		c.srv.log.Error("bridge cannot save pairing", "origin", c.origin, "err", err)
		return nil, &RequestError{Code: CodeInternal, Message: "AgentLink could not save the pairing; see its log"}
	}
	c.auth.mu.Lock()
	c.auth.proven, c.auth.pair = true, nil
	c.auth.mu.Unlock()
	scopes = c.narrowScopes(scopes)
	c.srv.supersedePairings(c.origin)
	c.srv.log.Info("bridge origin paired", "origin", c.origin, "client", c.id)
	c.srv.events.add(levelInfo, "origin paired", c.origin)
	c.srv.notifyChanged()
	return map[string]any{"mac": b64(macOf(run.key, labelConfirmBridge, run.script)), "scopes": scopes}, nil
}

// transcript is everything both sides saw of a pairing, in one string.
func transcript(origin, toolbarKey, bridgeKey, toolbarNonce, bridgeNonce string) string {
	return labelTranscript + "\n" + origin + "\n" + toolbarKey + "\n" + bridgeKey + "\n" + toolbarNonce + "\n" + bridgeNonce
}

// pairingKey derives the pairing key from the ECDH secret, bound to the
// transcript (HKDF-SHA-256, salt = SHA-256 of the transcript).
func pairingKey(z []byte, script string) ([]byte, error) {
	salt := sha256.Sum256([]byte(script))
	return hkdf.Key(sha256.New, z, salt[:], labelKey, pairingKeyLen)
}

// pairingCode is the six-digit code of a transcript.
func pairingCode(script string) string {
	h := sha256.Sum256([]byte(labelSAS + "\n" + script))
	return fmt.Sprintf("%06d", binary.BigEndian.Uint32(h[:4])%codeDigits)
}

// askAgent puts a pairing request before the agent.
func (s *Server) askAgent(origin, code string) (*pendingPair, *RequestError) {
	p := s.pairing
	p.mu.Lock()
	s.expirePairingsLocked()
	if len(p.pend) >= maxPairPending {
		p.mu.Unlock()
		return nil, &RequestError{Code: CodeRateLimited, Message: "too many pairings waiting for the agent; try again later"}
	}
	req := &pendingPair{PairingRequest: PairingRequest{ID: newClientID()[2:], Origin: origin, Code: code, Since: s.cfg.Now(),
		Scopes: s.scopesFor(origin), ScopesLocked: s.ScopesLocked(origin)},
		decided: make(chan decision, 1)}
	p.pend[req.ID] = req
	p.mu.Unlock()
	s.log.Info("bridge pairing requested", "origin", origin, "request", req.ID)
	s.events.add(levelInfo, "pairing requested", origin)
	s.pairingChanged()
	return req, nil
}

func (s *Server) expirePairingsLocked() {
	for id, r := range s.pairing.pend {
		if s.cfg.Now().Sub(r.Since) > pairWait {
			delete(s.pairing.pend, id)
		}
	}
}

// dropPairRun ends a client's pairing in progress (withdrawing its request
// from the agent) and starts next, if any.
func (s *Server) dropPairRun(c *client, next *pairRun) {
	c.auth.mu.Lock()
	old := c.auth.pair
	c.auth.pair = next
	c.auth.mu.Unlock()
	if old == nil || old.req == nil {
		return
	}
	s.pairing.mu.Lock()
	_, was := s.pairing.pend[old.req.ID]
	delete(s.pairing.pend, old.req.ID)
	s.pairing.mu.Unlock()
	if was {
		s.pairingChanged()
	}
}

// PairingRequests lists the pairings waiting for the agent, oldest first.
func (s *Server) PairingRequests() []PairingRequest {
	s.pairing.mu.Lock()
	s.expirePairingsLocked()
	out := make([]PairingRequest, 0, len(s.pairing.pend))
	for _, r := range s.pairing.pend {
		out = append(out, r.PairingRequest)
	}
	s.pairing.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out
}

// chosenOr is the agent's choice of scopes, or def when it made none.
func (r *pendingPair) chosenOr(def []Scope) []Scope {
	if r.chosen == nil {
		return def
	}
	return r.chosen
}

// DecidePairing is the agent's answer to a pairing request: allow stores
// the key once the toolbar confirmed the code; deny ends the pairing. With
// scopes, the pairing gives the origin only those (events always) of the
// request's Scopes; without, all of them. Scopes the admin locked are kept
// whatever the agent ticks.
func (s *Server) DecidePairing(id string, allow bool, scopes ...Scope) error {
	s.pairing.mu.Lock()
	r, ok := s.pairing.pend[id]
	delete(s.pairing.pend, id)
	s.pairing.mu.Unlock()
	if !ok {
		return fmt.Errorf("no pairing request %q (it expired or the toolbar went away)", id)
	}
	d := decisionDeny
	if allow {
		d = decisionAllow
		if scopes != nil && !r.ScopesLocked {
			r.chosen = append([]Scope{ScopeEvents}, scopes...)
		}
	}
	r.decided <- d // buffered, and each request leaves pend once
	s.events.add(levelInfo, map[bool]string{true: "pairing allowed", false: "pairing denied"}[allow], r.Origin)
	s.pairingChanged()
	return nil
}

// supersedePairings ends the other pairing requests of an origin that just
// paired: the other tabs of that origin share its browser storage, so they
// reconnect with the new key instead of asking the agent again.
func (s *Server) supersedePairings(origin string) {
	s.pairing.mu.Lock()
	var gone bool
	for id, r := range s.pairing.pend {
		if r.Origin == origin {
			delete(s.pairing.pend, id)
			r.decided <- decisionSuperseded
			gone = true
		}
	}
	s.pairing.mu.Unlock()
	if gone {
		s.pairingChanged()
	}
}

// PairedOrigins lists the origins paired with this AgentLink.
func (s *Server) PairedOrigins() []string {
	out := s.pairing.store.origins()
	sort.Strings(out)
	return out
}

// Unpair forgets an origin's pairing key; its toolbars must pair again.
func (s *Server) Unpair(origin string) error {
	n, err := normalizeOrigin(origin)
	if err != nil {
		return err
	}
	removed, err := s.pairing.store.remove(n)
	if removed {
		s.disconnect(func(c *client) bool { return c.origin == n }, "pairing removed by the agent")
		s.events.add(levelInfo, "pairing removed", n)
		s.notifyChanged()
	}
	return err
}

// endPairing withdraws the pairing request of a client that went away.
func (s *Server) endPairing(c *client) { s.dropPairRun(c, nil) }
