package finesse

import (
	"context"
	"crypto/tls"
	"sync"
	"sync/atomic"

	"github.com/agentlink/agentlink/core"
)

// Link is one agent's connection to Finesse. It implements [core.Port];
// [Link.Run] supervises it and feeds a [core.Sink].
type Link struct {
	cfg  Config      // read-only after NewLink
	tls  *tls.Config // read-only after NewLink; cloned per XMPP dial
	rest *restClient // safe for concurrent use
	// sides are A, then B when configured; empty until a side A is known.
	// Only Run's goroutine replaces them, under mu (endpoints.go), so it
	// reads them without the lock; everyone else takes mu.
	sides []side

	credC   chan struct{} // cap 1: wakes Run when the credentials change
	running atomic.Bool   // one Run at a time
	media   mediaTracker  // non-voice MRDs (media.go); its own lock

	mu        sync.Mutex     // guards the fields below
	cred      creds          // zero until Login or SetCredentials
	credGen   uint64         // bumped on every change of cred
	extension string         // the agent's extension (Login or GET User)
	phone     phoneChoice    // the last Login's mobile agent and device (phone.go)
	loggedIn  bool           // the last agent state seen was signed in
	team      string         // the agent's teamId from GET User (phonebook.go, queue.go)
	cur       int            // index in sides of the side in use
	learned   []learnedPorts // per side: ports read from SystemInfo
	status    core.System
	ready     readyState    // outcome of the latest connect for credGen
	readyC    chan struct{} // closed and replaced whenever ready changes
	want      [2]Endpoint   // the sides last given (NewLink or SetEndpoints)
	pending   bool          // want is not yet applied to sides (Run does it)
	epoch     uint64        // bumped by every SetEndpoints that changes want
	// stopAttempt cancels the supervisor's current connect-and-serve
	// cycle, so that new endpoints take effect at once; nil between cycles.
	stopAttempt context.CancelFunc
}

// side is one Finesse node.
type side struct {
	name core.Node
	ep   Endpoint // as configured, defaults filled in
	// explicitREST and explicitXMPP say the port was given in Config, not
	// defaulted: only then may it outrank an advertised one (ports.go).
	explicitREST, explicitXMPP bool
}

func newSide(name core.Node, given, ep Endpoint) side {
	return side{name: name, ep: ep, explicitREST: given.RESTPort != 0 || given.VPNLess, explicitXMPP: given.XMPPPort != 0}
}

// readyState is what a Login waits on: whether the supervisor connected
// (or failed to) with the credentials of generation gen.
type readyState struct {
	gen uint64
	ok  bool
	err error // set when the latest attempt failed
}

var _ core.Port = (*Link)(nil)

// NewLink validates cfg (errors name the field, see [ConfigError]) and
// returns an idle link; call [Link.Run]. Without cfg.SideA the link waits
// for [Link.SetEndpoints].
func NewLink(cfg Config) (*Link, error) {
	given := cfg
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	tc, err := cfg.tlsConfig()
	if err != nil {
		return nil, err
	}
	l := &Link{
		cfg: cfg, tls: tc, rest: newREST(cfg, tc),
		credC:  make(chan struct{}, 1),
		readyC: make(chan struct{}),
		want:   [2]Endpoint{given.SideA, given.SideB},
	}
	l.applyLocked()
	return l, nil
}

// SetCredentials gives the link the agent's credentials, for apps that know
// the password at start (keychain). Run then connects XMPP and keeps
// presence up; it does not sign the agent in to the phone (Login does).
func (l *Link) SetCredentials(agentID, password string) {
	l.setCreds(creds{user: agentID, pass: password})
}

// setCreds stores c and wakes Run if they changed; it returns the
// generation a Login must wait for.
func (l *Link) setCreds(c creds) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c == l.cred {
		return l.credGen
	}
	if old := l.cred.sso; old != nil && old != c.sso {
		old.close() // its refresher would otherwise outlive it
	}
	l.cred = c
	l.credGen++
	l.setReadyLocked(readyState{gen: l.credGen})
	select {
	case l.credC <- struct{}{}:
	default:
	}
	return l.credGen
}

// credsChanged reports whether the credentials are no longer those of
// generation gen. A wake-up on credC may be stale: Run can pick up new
// credentials before it drains the signal.
func (l *Link) credsChanged(gen uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.credGen != gen
}

// credentials returns the current credentials and their generation.
func (l *Link) credentials() (creds, uint64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cred, l.credGen, l.cred.usable()
}

// dropCredentials forgets the password after Finesse refused it, so the
// supervisor never retries it (five wrong passwords lock the account).
func (l *Link) dropCredentials(gen uint64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if gen != l.credGen {
		return
	}
	l.cred.pass = ""
	if l.cred.sso != nil {
		l.cred.sso.close()
		l.cred.sso = nil
	}
	l.setReadyLocked(readyState{gen: gen, err: err})
}

// setReady records the outcome of a connect made with the endpoints of
// generation epoch; it is dropped when the credentials or the endpoints
// have changed since (the Login waits for the new ones' outcome).
func (l *Link) setReady(st readyState, epoch uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if st.gen == l.credGen && epoch == l.epoch {
		l.setReadyLocked(st)
	}
}

func (l *Link) setReadyLocked(st readyState) {
	l.ready = st
	close(l.readyC)
	l.readyC = make(chan struct{})
}

// waitReady waits until the supervisor connected with generation gen, or
// reports why it could not.
func (l *Link) waitReady(ctx context.Context, gen uint64) error {
	for {
		l.mu.Lock()
		st, ch, cur := l.ready, l.readyC, l.credGen
		l.mu.Unlock()
		switch {
		case cur != gen:
			return errCredsReplaced
		case st.gen == gen && st.ok:
			return nil
		case st.gen == gen && st.err != nil:
			return st.err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// target returns the side in use and the credentials for a REST call.
func (l *Link) target() (Endpoint, creds, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.sides) == 0 {
		return Endpoint{}, creds{}, errNoServer
	}
	if !l.cred.usable() {
		return Endpoint{}, creds{}, errNoCredentials
	}
	return l.endpointLocked(l.cur), l.cred, nil
}

// observe tracks what the link itself needs from the agent: the extension
// (targetMediaAddress, re-LOGIN) and whether the agent is signed in.
func (l *Link) observe(a *core.Agent) {
	if a == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if a.Extension != "" {
		l.extension = a.Extension
	}
	if a.State != "" {
		l.loggedIn = a.LoggedIn()
	}
}

// Status returns the link status as last published.
func (l *Link) Status() core.System {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status
}

// publish records s and hands it to the sink. Only Run's goroutine calls it.
func (l *Link) publish(sink core.Sink, s core.System) {
	l.mu.Lock()
	changed := l.status != s
	l.status = s
	l.mu.Unlock()
	if changed {
		sink.Apply(core.Update{Kind: core.UpdateSystem, System: &s})
	}
}
