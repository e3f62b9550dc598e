package localbridge

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Proof of possession (docs/bridge-protocol.md, "Pairing and proof"). After
// an origin is paired, both ends of every connection prove they hold the
// pairing key: the toolbar sends a fresh challenge with Hello and the
// bridge answers it in the Hello result, with a fresh challenge of its own
// that the toolbar answers with Prove. So a program squatting on the
// bridge's port cannot pass as AgentLink (the SDK checks the bridge's proof
// before it sends anything that matters), and a page or program that only
// knows an allowed Origin cannot pass as the paired toolbar.

// Labels keep every MAC and hash of the protocol apart: a bridge proof can
// never be replayed as a toolbar proof, nor a pairing confirmation as a
// proof.
const (
	labelProofBridge    = "agentlink-proof-bridge-v1"
	labelProofToolbar   = "agentlink-proof-toolbar-v1"
	labelCommit         = "agentlink-pair-commit-v1"
	labelTranscript     = "agentlink-pair-v1"
	labelSAS            = "agentlink-pair-sas-v1"
	labelKey            = "agentlink-pairing-key-v1"
	labelConfirmToolbar = "agentlink-pair-confirm-toolbar-v1"
	labelConfirmBridge  = "agentlink-pair-confirm-bridge-v1"
)

// Nonces: the bridge's are 32 random bytes; a toolbar's must have at least
// 16 (and at most 64, so nobody makes us hash megabytes).
const (
	nonceLen    = 32
	minNonceLen = 16
	maxNonceLen = 64
)

// Error codes of pairing and proof.
const (
	CodePairingRequired = "pairing_required" // this origin must pair before Connect
	CodeProofRequired   = "proof_required"   // this origin is paired: send Prove before Connect
	CodeProofFailed     = "proof_failed"     // a proof or pairing confirmation was wrong
	CodePairingDenied   = "pairing_denied"   // the agent refused the pairing in AgentLink
)

// macOf is HMAC-SHA-256 under key over the parts joined by newlines (the
// parts are labels, origins and base64 strings, which contain none).
func macOf(key []byte, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.Join(parts, "\n")))
	return m.Sum(nil)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// newNonce returns nonceLen random bytes in base64.
func newNonce() string {
	b := make([]byte, nonceLen)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return b64(b)
}

// checkNonce checks a toolbar's nonce: base64 of 16 to 64 bytes.
func checkNonce(field, s string) error {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) < minNonceLen || len(b) > maxNonceLen {
		return badRequest("%s must be base64 of %d to %d random bytes", field, minNonceLen, maxNonceLen)
	}
	return nil
}

// equalB64 compares a MAC with the base64 one a client sent, in constant
// time.
func equalB64(want []byte, got string) bool {
	b, err := base64.StdEncoding.DecodeString(got)
	return err == nil && hmac.Equal(want, b)
}

// clientAuth is one connection's state of pairing and proof.
type clientAuth struct {
	mu        sync.Mutex // guards the fields below
	challenge string     // the toolbar's nonce from Hello
	nonce     string     // the bridge's nonce for Prove; "" once used
	proven    bool       // proved the pairing key, or just paired
	pair      *pairRun   // a pairing in progress (pairing.go)
}

// pairingInfo is the pairing part of the Hello result, for browser origins
// other than the bridge's own.
type pairingInfo struct {
	Required bool   `json:"required"`        // must prove (or pair) before Connect
	Paired   bool   `json:"paired"`          // the bridge holds a key for this origin
	Nonce    string `json:"nonce,omitempty"` // the bridge's challenge, answered with Prove
	Proof    string `json:"proof,omitempty"` // the answer to the toolbar's challenge
}

// needsProof reports whether this client must prove (or pair) before it may
// Connect: browser origins other than the bridge's own that are paired, or
// all of them with Config.RequirePairing. Local programs prove themselves
// with the token; the bridge's own pages come from the port itself, so a
// proof would tell them nothing (see the threat model).
func (c *client) needsProof() bool {
	if c.origin == "" || c.srv.selfOrigin(c.origin) {
		return false
	}
	_, paired := c.srv.pairing.store.get(c.origin)
	return paired || c.srv.cfg.RequirePairing
}

// helloPairing answers the pairing part of Hello: a new challenge for the
// toolbar and, when the origin is paired and the toolbar sent a challenge,
// the bridge's proof. Read goroutine (Hello is sync).
func (c *client) helloPairing(challenge string) (*pairingInfo, *RequestError) {
	if c.origin == "" || c.srv.selfOrigin(c.origin) {
		return nil, nil
	}
	if challenge != "" {
		if err := checkNonce("args.challenge", challenge); err != nil {
			return nil, toRequestError(err)
		}
	}
	p, paired := c.srv.pairing.store.get(c.origin)
	info := &pairingInfo{Required: c.needsProof(), Paired: paired, Nonce: newNonce()}
	c.auth.mu.Lock()
	c.auth.challenge, c.auth.nonce = challenge, info.Nonce
	proven := c.auth.proven
	c.auth.mu.Unlock()
	if proven {
		info.Required = false
	}
	if paired && challenge != "" {
		info.Proof = b64(macOf(p.Key, labelProofBridge, c.origin, challenge, info.Nonce))
	}
	return info, nil
}

type proveArgs struct {
	Proof string `json:"proof"`
}

// cmdProve checks the toolbar's answer to the bridge's challenge. The
// challenge is used once, and is new on every Hello: an answer recorded on
// an old connection (or to an old Hello) is worth nothing now.
func cmdProve(_ context.Context, c *client, raw json.RawMessage) (any, error) {
	var a proveArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if c.origin == "" || c.srv.selfOrigin(c.origin) {
		return nil, badRequest("Prove is for paired browser origins; this client needs no proof")
	}
	p, paired := c.srv.pairing.store.get(c.origin)
	if !paired {
		return nil, &RequestError{Code: CodePairingRequired, Message: fmt.Sprintf(
			"%s is not paired with this AgentLink: pair first (the agent confirms it in AgentLink)", c.origin)}
	}
	c.auth.mu.Lock()
	challenge, nonce := c.auth.challenge, c.auth.nonce
	c.auth.nonce = ""
	c.auth.mu.Unlock()
	if nonce == "" {
		return nil, badRequest("send Hello (with a challenge) before Prove; each Hello allows one Prove")
	}
	if a.Proof == "" || !equalB64(macOf(p.Key, labelProofToolbar, c.origin, challenge, nonce), a.Proof) {
		c.srv.proofFailed(c, "wrong proof")
		return nil, &RequestError{Code: CodeProofFailed, Message: "the proof does not match this origin's pairing key; pair again"}
	}
	c.auth.mu.Lock()
	c.auth.proven = true
	c.auth.mu.Unlock()
	return map[string]any{"proven": true, "scopes": c.narrowScopes(p.Scopes)}, nil
}

// proofFailed records a failed proof for the log and the monitor. The
// connection stays (its challenge is spent; guessing a 256-bit MAC is
// hopeless anyway) and can do nothing but pair.
func (s *Server) proofFailed(c *client, why string) {
	s.log.Warn("bridge proof failed", "client", c.id, "origin", c.origin, "why", why)
	s.events.add(levelWarn, "toolbar failed its proof", c.id+" "+c.origin+": "+why)
}

// checkProof refuses commands other than the handshake's until a client
// that must prove has proved (or paired).
func (c *client) checkProof(cmd string) *RequestError {
	switch cmd {
	case "Hello", "Ping", "Prove", "PairBegin", "PairReveal", "PairConfirm":
		return nil
	}
	if !c.needsProof() {
		return nil
	}
	c.auth.mu.Lock()
	proven := c.auth.proven
	c.auth.mu.Unlock()
	if proven {
		return nil
	}
	if _, paired := c.srv.pairing.store.get(c.origin); paired {
		return &RequestError{Code: CodeProofRequired, Message: fmt.Sprintf(
			"%s is paired with AgentLink: answer the bridge's challenge with Prove first", c.origin)}
	}
	return &RequestError{Code: CodePairingRequired, Message: fmt.Sprintf(
		"%s must pair with AgentLink first (the agent confirms it in AgentLink)", c.origin)}
}

// intersectScopes keeps the scopes in both sets (events always).
func intersectScopes(have scopeSet, approved []Scope) scopeSet {
	out := scopeSet{ScopeEvents}
	for _, sc := range have {
		if sc != ScopeEvents && slices.Contains(approved, sc) {
			out = append(out, sc)
		}
	}
	return out
}
