package localbridge

import (
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
)

// The toolbar's side of pairing and proof, in Go, for protocol tests. The
// SDK does the same with WebCrypto (tested in Chromium in e2e_pair_test.go).

func requirePairing(c *Config, _ *core.Config) { c.RequirePairing = true }

type helloReply struct {
	Scopes  []Scope      `json:"scopes"`
	Pairing *pairingInfo `json:"pairing"`
}

func (c *wsClient) hello(challenge string) helloReply {
	c.t.Helper()
	args := map[string]any{}
	if challenge != "" {
		args["challenge"] = challenge
	}
	var r helloReply
	if err := json.Unmarshal(c.mustOK("Hello", args).Result, &r); err != nil {
		c.t.Fatal(err)
	}
	return r
}

// pairAs runs a whole pairing from the CRM origin, the agent allowing it,
// and returns the key and the (still open) connection.
func (h *harness) pairAs(t *testing.T) ([]byte, *wsClient) {
	t.Helper()
	c := h.connect(t)
	c.hello("")
	key, script := c.pairExchange(h)
	h.allowPairing(t)
	f := c.mustOK("PairConfirm", map[string]any{"mac": b64(macOf(key, labelConfirmToolbar, script))})
	var r struct{ MAC string }
	if err := json.Unmarshal(f.Result, &r); err != nil {
		t.Fatal(err)
	}
	if !equalB64(macOf(key, labelConfirmBridge, script), r.MAC) {
		t.Fatalf("the bridge's pairing confirmation does not match the key")
	}
	return key, c
}

// pairExchange does PairBegin and PairReveal and checks the code AgentLink
// shows the agent against the toolbar's own.
func (c *wsClient) pairExchange(h *harness) (key []byte, script string) {
	c.t.Helper()
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		c.t.Fatal(err)
	}
	pub, nonce := b64(priv.PublicKey().Bytes()), newNonce()
	commit := sha256.Sum256([]byte(labelCommit + "\n" + pub + "\n" + nonce))
	var begin struct{ BridgeKey, Nonce string }
	if err := json.Unmarshal(c.mustOK("PairBegin", map[string]any{"commit": b64(commit[:])}).Result, &begin); err != nil {
		c.t.Fatal(err)
	}
	c.mustOK("PairReveal", map[string]any{"toolbarKey": pub, "nonce": nonce})
	bpub, err := ecdh.P256().NewPublicKey(mustB64(c.t, begin.BridgeKey))
	if err != nil {
		c.t.Fatal(err)
	}
	z, err := priv.ECDH(bpub)
	if err != nil {
		c.t.Fatal(err)
	}
	script = transcript(crmOrigin, pub, begin.BridgeKey, nonce, begin.Nonce)
	key, err = pairingKey(z, script)
	if err != nil {
		c.t.Fatal(err)
	}
	reqs := h.srv.PairingRequests()
	if len(reqs) != 1 || reqs[0].Origin != crmOrigin || reqs[0].Code != pairingCode(script) {
		c.t.Fatalf("AgentLink shows %+v, want one request from %s with code %s", reqs, crmOrigin, pairingCode(script))
	}
	return key, script
}

func (h *harness) allowPairing(t *testing.T) {
	t.Helper()
	reqs := h.srv.PairingRequests()
	if len(reqs) != 1 {
		t.Fatalf("pairing requests = %+v, want 1", reqs)
	}
	if err := h.srv.DecidePairing(reqs[0].ID, true); err != nil {
		t.Fatal(err)
	}
}

func mustB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// proveWith answers a new connection's challenge with key and returns the
// Prove response; it fails the test if the bridge's own proof is wrong.
func (h *harness) proveWith(t *testing.T, key []byte) (*wsClient, frame) {
	t.Helper()
	c := h.connect(t)
	challenge := newNonce()
	hr := c.hello(challenge)
	if hr.Pairing == nil || !hr.Pairing.Paired || hr.Pairing.Nonce == "" {
		t.Fatalf("Hello pairing = %+v, want paired with a nonce", hr.Pairing)
	}
	if !equalB64(macOf(key, labelProofBridge, crmOrigin, challenge, hr.Pairing.Nonce), hr.Pairing.Proof) {
		t.Fatalf("the bridge's proof does not verify with the pairing key")
	}
	proof := b64(macOf(key, labelProofToolbar, crmOrigin, challenge, hr.Pairing.Nonce))
	return c, c.call("Prove", map[string]any{"proof": proof})
}

func TestPairingThenProofOnEveryConnection(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing)
	key, c := h.pairAs(t)
	c.mustOK("Connect", nil) // pairing proved this connection
	c2, f := h.proveWith(t, key)
	if !f.OK {
		t.Fatalf("Prove with the pairing key: %+v", f.Error)
	}
	c2.mustOK("Connect", nil)
	if got := h.srv.PairedOrigins(); len(got) != 1 || got[0] != crmOrigin {
		t.Errorf("PairedOrigins = %v", got)
	}
	if got := h.srv.monitorState().PairedOrigins; len(got) != 1 || got[0] != crmOrigin {
		t.Errorf("the Connector Monitor shows paired origins %v", got)
	}
}

func TestUnknownOriginMustPairFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing)
	c := h.connect(t)
	hr := c.hello(newNonce())
	if hr.Pairing == nil || hr.Pairing.Paired || !hr.Pairing.Required || hr.Pairing.Proof != "" {
		t.Fatalf("Hello pairing = %+v, want required, not paired, no proof", hr.Pairing)
	}
	if f := c.call("Connect", nil); f.OK || f.Error.Code != CodePairingRequired {
		t.Errorf("Connect before pairing: %+v, want pairing_required", f.Error)
	}
	if f := c.call("Prove", map[string]any{"proof": b64(make([]byte, 32))}); f.OK || f.Error.Code != CodePairingRequired {
		t.Errorf("Prove before pairing: %+v, want pairing_required", f.Error)
	}
	if f := c.call("GetState", nil); f.OK {
		t.Errorf("GetState before pairing answered ok")
	}
	if len(c.events) != 0 {
		t.Errorf("events before pairing: %+v", c.events)
	}
}

func TestPairingInOneTabEndsTheOthers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing)
	c1, c2 := h.connect(t), h.connect(t)
	c1.hello("")
	c2.hello("")
	key1, script1 := c1.pairExchange(h)
	key2, script2 := pairExchangeAmong(c2, h)
	var first PairingRequest
	for _, r := range h.srv.PairingRequests() {
		if r.Code == pairingCode(script1) {
			first = r
		}
	}
	if err := h.srv.DecidePairing(first.ID, true); err != nil {
		t.Fatal(err)
	}
	c1.mustOK("PairConfirm", map[string]any{"mac": b64(macOf(key1, labelConfirmToolbar, script1))})
	if n := len(h.srv.PairingRequests()); n != 0 {
		t.Errorf("%d pairing requests still shown after the origin paired", n)
	}
	f := c2.call("PairConfirm", map[string]any{"mac": b64(macOf(key2, labelConfirmToolbar, script2))})
	if f.OK || f.Error.Code != CodeTimeout || !strings.Contains(f.Error.Message, "another tab") {
		t.Fatalf("the other tab's PairConfirm: %+v, want timeout naming the other tab", f.Error)
	}
	if _, f := h.proveWith(t, key1); !f.OK {
		t.Fatalf("the first tab's key does not prove: %+v", f.Error)
	}
}

// pairExchangeAmong is pairExchange when other requests wait too.
func pairExchangeAmong(c *wsClient, h *harness) ([]byte, string) {
	c.t.Helper()
	priv, _ := ecdh.P256().GenerateKey(rand.Reader)
	pub, nonce := b64(priv.PublicKey().Bytes()), newNonce()
	commit := sha256.Sum256([]byte(labelCommit + "\n" + pub + "\n" + nonce))
	var begin struct{ BridgeKey, Nonce string }
	if err := json.Unmarshal(c.mustOK("PairBegin", map[string]any{"commit": b64(commit[:])}).Result, &begin); err != nil {
		c.t.Fatal(err)
	}
	c.mustOK("PairReveal", map[string]any{"toolbarKey": pub, "nonce": nonce})
	bpub, _ := ecdh.P256().NewPublicKey(mustB64(c.t, begin.BridgeKey))
	z, _ := priv.ECDH(bpub)
	script := transcript(crmOrigin, pub, begin.BridgeKey, nonce, begin.Nonce)
	key, _ := pairingKey(z, script)
	return key, script
}

func TestReplayedProofFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing)
	key, _ := h.pairAs(t)
	// A proof recorded on one connection, replayed on the next.
	c1 := h.connect(t)
	challenge := newNonce()
	hr := c1.hello(challenge)
	old := b64(macOf(key, labelProofToolbar, crmOrigin, challenge, hr.Pairing.Nonce))
	c1.mustOK("Prove", map[string]any{"proof": old})
	if f := c1.call("Prove", map[string]any{"proof": old}); f.OK {
		t.Errorf("the same Prove twice on one Hello answered ok")
	}
	c2 := h.connect(t)
	c2.hello(challenge) // even with the same challenge, the bridge's nonce is new
	if f := c2.call("Prove", map[string]any{"proof": old}); f.OK || f.Error.Code != CodeProofFailed {
		t.Fatalf("replayed proof: %+v, want proof_failed", f.Error)
	}
	if f := c2.call("Connect", nil); f.OK || f.Error.Code != CodeProofRequired {
		t.Errorf("Connect after a failed proof: %+v, want proof_required", f.Error)
	}
}

func TestWrongKeyFailsBothWays(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // no RequirePairing: a paired origin must prove anyway
	key, _ := h.pairAs(t)
	wrong := make([]byte, pairingKeyLen)
	_, _ = rand.Read(wrong)
	c := h.connect(t)
	challenge := newNonce()
	hr := c.hello(challenge)
	if equalB64(macOf(wrong, labelProofBridge, crmOrigin, challenge, hr.Pairing.Nonce), hr.Pairing.Proof) {
		t.Fatal("the bridge's proof verifies with a wrong key")
	}
	if !equalB64(macOf(key, labelProofBridge, crmOrigin, challenge, hr.Pairing.Nonce), hr.Pairing.Proof) {
		t.Fatal("the bridge's proof does not verify with the right key")
	}
	f := c.call("Prove", map[string]any{"proof": b64(macOf(wrong, labelProofToolbar, crmOrigin, challenge, hr.Pairing.Nonce))})
	if f.OK || f.Error.Code != CodeProofFailed {
		t.Fatalf("Prove with a wrong key: %+v, want proof_failed", f.Error)
	}
	// A bridge proof is not a toolbar proof (labels differ).
	c3 := h.connect(t)
	hr3 := c3.hello(challenge)
	if f := c3.call("Prove", map[string]any{"proof": hr3.Pairing.Proof}); f.OK {
		t.Error("the bridge's own proof was accepted as the toolbar's")
	}
	if f := c.call("Connect", nil); f.OK || f.Error.Code != CodeProofRequired {
		t.Errorf("Connect without proof from a paired origin: %+v, want proof_required", f.Error)
	}
}

func TestPairingCommitmentAndDenial(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing)
	c := h.connect(t)
	c.hello("")
	priv, _ := ecdh.P256().GenerateKey(rand.Reader)
	commit := sha256.Sum256([]byte(labelCommit + "\nsomething else\n" + newNonce()))
	c.mustOK("PairBegin", map[string]any{"commit": b64(commit[:])})
	f := c.call("PairReveal", map[string]any{"toolbarKey": b64(priv.PublicKey().Bytes()), "nonce": newNonce()})
	if f.OK || f.Error.Code != CodeProofFailed {
		t.Fatalf("reveal not matching the commitment: %+v, want proof_failed", f.Error)
	}
	if n := len(h.srv.PairingRequests()); n != 0 {
		t.Fatalf("%d pairing requests shown to the agent, want none", n)
	}
	key, script := c.pairExchange(h)
	reqs := h.srv.PairingRequests()
	if err := h.srv.DecidePairing(reqs[0].ID, false); err != nil {
		t.Fatal(err)
	}
	if f := c.call("PairConfirm", map[string]any{"mac": b64(macOf(key, labelConfirmToolbar, script))}); f.OK || f.Error.Code != CodePairingDenied {
		t.Fatalf("PairConfirm after the agent denied: %+v, want pairing_denied", f.Error)
	}
	if got := h.srv.PairedOrigins(); len(got) != 0 {
		t.Errorf("paired after a denial: %v", got)
	}
}

func TestPairingPersistsUserOnly(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "pairings.json")
	h := newHarness(t, requirePairing, func(c *Config, _ *core.Config) { c.PairingFile = path })
	key, _ := h.pairAs(t)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("pairing file mode = %v, want 0600", st.Mode().Perm())
	}
	h2 := newHarness(t, requirePairing, func(c *Config, _ *core.Config) { c.PairingFile = path })
	if _, f := h2.proveWith(t, key); !f.OK {
		t.Fatalf("Prove after a restart: %+v", f.Error)
	}
}

func TestPairedScopesApply(t *testing.T) {
	t.Parallel()
	h := newHarness(t, requirePairing, func(c *Config, _ *core.Config) {
		c.OriginScopes = map[string][]Scope{crmOrigin: {ScopeCalls}}
	})
	key, _ := h.pairAs(t)
	c, f := h.proveWith(t, key)
	if !f.OK {
		t.Fatal(f.Error)
	}
	c.mustOK("Connect", nil)
	if f := c.call("MakeCall", map[string]any{"number": "1"}); f.OK || f.Error.Code != CodeForbiddenScope {
		t.Errorf("MakeCall outside the approved scopes: %+v, want forbidden_scope", f.Error)
	}
}

func TestPasswordsDoNotCrossTheBridge(t *testing.T) {
	t.Parallel()
	prompted := make(chan [2]string, 1)
	h := newHarness(t, func(c *Config, _ *core.Config) {
		c.PasswordLookup = func(string) (string, error) { return "", os.ErrNotExist }
		c.SignInPrompt = func(agent, ext string) bool { prompted <- [2]string{agent, ext}; return true }
	})
	c := h.connect(t)
	c.handshake(nil)
	if f := c.call("Login", map[string]any{"agentId": "1001", "extension": "5001", "password": "secret1"}); f.OK || f.Error.Code != CodePasswordNotAccepted {
		t.Errorf("plain password from a page: %+v, want password_not_accepted", f.Error)
	}
	if f := c.call("Login", map[string]any{"agentId": "1001", "extension": "5001"}); f.OK || f.Error.Code != CodeSignInInApp {
		t.Errorf("no saved password: %+v, want sign_in_in_app", f.Error)
	}
	select {
	case got := <-prompted:
		if got != [2]string{"1001", "5001"} {
			t.Errorf("app asked to sign in %v, want 1001/5001", got)
		}
	case <-time.After(waitFor):
		t.Fatal("the app was not asked to show its sign-in form")
	}
	if n := len(h.port.Sent()); n != 0 {
		t.Errorf("%d commands reached Finesse, want none", n)
	}
}
