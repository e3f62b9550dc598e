package finessesim

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Sim is a running two-node Finesse simulator. Both nodes serve one shared
// call model.
type Sim struct {
	cfg    Config // read-only after Start
	log    *slog.Logger
	pki    *pki
	caFile string
	caTemp bool
	nodes  map[NodeID]*Node // read-only after Start

	ctlSrv *http.Server
	ctlLn  net.Listener
	ids    *idsServer // emulated Cisco IdS (ids.go); nil without SSO

	mu          sync.Mutex // guards everything below: the call model and sessions
	agents      map[string]*agent
	order       []string // agent ids in configuration order
	dialogs     map[string]*dialog
	nextDialog  int64
	seq         int64 // item ids and generated resources
	rng         *rand.Rand
	sessions    map[*xsession]struct{}
	onPublish   func(node string, at time.Time)
	board       boardState // queue statistics set by control and team messages (queue_board.go)
	timers      map[*time.Timer]struct{}
	wg          sync.WaitGroup // every goroutine the Sim starts; Close waits for it
	closed      bool
	closeOnce   sync.Once
	clientLogs  map[string][]string // POSTed ClientLog data by agent (clientlog.go)
	teamLayouts map[string][]Layout // set by control (layout_team.go); nil: from the config
}

// Start generates the PKI, starts both nodes and the control API. ctx bounds
// the start only; the simulator runs until [Sim.Close].
func Start(ctx context.Context, cfg Config) (*Sim, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("finessesim: start: %w", err)
	}
	cfg = cfg.withDefaults()
	if cfg.Deployment != UCCE && cfg.Deployment != UCCX {
		return nil, fmt.Errorf("finessesim: deployment %q: want UCCE or UCCX", cfg.Deployment)
	}
	if err := cfg.SSO.validate(); err != nil {
		return nil, err
	}
	s := &Sim{
		cfg: cfg, log: cfg.Logger,
		agents: map[string]*agent{}, dialogs: map[string]*dialog{},
		nextDialog: 16777216 + int64(uint64(cfg.Seed)%1000)*1000,
		rng:        rand.New(rand.NewPCG(uint64(cfg.Seed), 0x5eed)),
		sessions:   map[*xsession]struct{}{}, timers: map[*time.Timer]struct{}{},
		nodes: map[NodeID]*Node{},
	}
	if err := s.initAgents(); err != nil {
		return nil, err
	}
	p, err := newPKI()
	if err != nil {
		return nil, err
	}
	s.pki = p
	if s.caFile, s.caTemp, err = p.writeCA(cfg.CADir); err != nil {
		return nil, err
	}
	for i, id := range []NodeID{NodeA, NodeB} {
		ports := cfg.NodeA
		if id == NodeB {
			ports = cfg.NodeB
		}
		n, err := newNode(s, id, ports, int64(i+2))
		if err != nil {
			s.Close()
			return nil, err
		}
		s.nodes[id] = n
	}
	if cfg.SSO.ssoOn() {
		if err := s.startIDS(); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.startProxies(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.startControl(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Sim) initAgents() error {
	for _, ac := range s.cfg.Agents {
		if ac.ID == "" || ac.Extension == "" {
			return fmt.Errorf("finessesim: agent %q: id and extension are required", ac.ID)
		}
		if _, dup := s.agents[ac.ID]; dup {
			return fmt.Errorf("finessesim: duplicate agent id %q", ac.ID)
		}
		for _, other := range s.agents {
			if other.cfg.Extension == ac.Extension {
				return fmt.Errorf("finessesim: agents %q and %q share extension %q", other.cfg.ID, ac.ID, ac.Extension)
			}
		}
		s.agents[ac.ID] = &agent{cfg: ac, state: stLogout, reasonCodeID: reasonNone}
		s.order = append(s.order, ac.ID)
	}
	return nil
}

// Close stops every listener, session and timer. It is safe to call twice.
func (s *Sim) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		for t := range s.timers {
			t.Stop()
		}
		s.mu.Unlock()
		if s.ctlSrv != nil {
			s.ctlSrv.Close()
		}
		if s.ids != nil {
			s.ids.srv.Close()
		}
		s.stopProxies()
		for _, n := range s.nodes {
			n.stop()
		}
		s.wg.Wait()
		if s.caTemp {
			os.RemoveAll(filepath.Dir(s.caFile))
		}
	})
	return nil
}

// Node returns node A or B, or nil for any other id.
func (s *Sim) Node(id NodeID) *Node { return s.nodes[NodeID(strings.ToUpper(string(id)))] }

// CAFile is the path of the PEM CA certificate that signed both nodes' certificates.
func (s *Sim) CAFile() string { return s.caFile }

// CAPool is a pool holding the simulator's CA.
func (s *Sim) CAPool() *x509.CertPool { return s.pki.pool.Clone() }

// ControlURL is the base URL of the control API, e.g. http://127.0.0.1:18400.
func (s *Sim) ControlURL() string { return "http://" + s.ctlLn.Addr().String() }

// OnPublish sets a hook called for every notification published (once per
// event, with its pubsub node). It runs with the model locked: it must be
// quick and must not call back into the Sim.
func (s *Sim) OnPublish(f func(node string, at time.Time)) {
	s.mu.Lock()
	s.onPublish = f
	s.mu.Unlock()
}

func (s *Sim) nextSeq() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return s.seq
}

// afterLocked runs f with the model locked after d, unless the Sim closed.
func (s *Sim) afterLocked(d time.Duration, f func()) {
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.timers, t)
		if !s.closed {
			f()
		}
	})
	s.timers[t] = struct{}{}
}

// node looks a node up by id, with a typed error.
func (s *Sim) node(id NodeID) (*Node, error) {
	n := s.Node(id)
	if n == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownNode, id)
	}
	return n, nil
}

// Errors returned by the control methods.
var (
	ErrUnknownNode   = errors.New("finessesim: unknown node")
	ErrUnknownAgent  = errors.New("finessesim: unknown agent")
	ErrUnknownDialog = errors.New("finessesim: unknown dialog")
	ErrNoReadyAgent  = errors.New("finessesim: no READY agent")
	ErrAgentNotReady = errors.New("finessesim: agent is not READY")
)
