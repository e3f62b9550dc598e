package finesse

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
)

func TestNoServerErrors(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("NewLink without side A: %v", err)
	}
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
	}{
		{"Send Ready", func() error { return l.Send(ctx, core.Command{Kind: core.CmdReady}) }},
		{"FetchAgent", func() error { _, err := l.FetchAgent(ctx); return err }},
		{"FetchDialogs", func() error { _, err := l.FetchDialogs(ctx); return err }},
	}
	for _, c := range calls {
		err := c.call()
		if !errors.Is(err, core.ErrUnreachable) || !strings.Contains(err.Error(), "no Finesse server configured") {
			t.Errorf("%s without a server: err = %v, want ErrUnreachable saying no Finesse server configured", c.name, err)
		}
	}
}

func TestSetEndpointsValidation(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	a := Endpoint{Host: "fin-a.example.com"}
	tests := []struct {
		name  string
		a, b  Endpoint
		field string
	}{
		{"no side A", Endpoint{}, Endpoint{}, "SideA.Host"},
		{"no side A but side B", Endpoint{}, Endpoint{Host: "b"}, "SideA.Host"},
		{"space in side A", Endpoint{Host: "finesse a"}, Endpoint{}, "SideA.Host"},
		{"path in side B", a, Endpoint{Host: "b/x"}, "SideB.Host"},
		{"side A port out of range", Endpoint{Host: "a", RESTPort: 70000}, Endpoint{}, "SideA.RESTPort"},
		{"side B ports without host", a, Endpoint{XMPPPort: 5223}, "SideB.Host"},
	}
	for _, tt := range tests {
		err := l.SetEndpoints(tt.a, tt.b)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tt.field {
			t.Errorf("%s: err = %v, want ConfigError on %s", tt.name, err, tt.field)
		}
	}
	if n := len(l.sides); n != 0 {
		t.Errorf("after refused endpoints the link has %d sides, want 0", n)
	}
}

// TestSetEndpointsWithoutRun: with no supervisor running the sides change
// at once, defaults filled in and learned ports forgotten.
func TestSetEndpointsWithoutRun(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{SideA: Endpoint{Host: "old-a"}, SideB: Endpoint{Host: "old-b"}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	l.learned[1].own = nodePorts{rest: 1, xmpp: 2}
	l.cur = 1
	if err := l.SetEndpoints(Endpoint{Host: "new-a", RESTPort: 9445}, Endpoint{Host: "new-b"}); err != nil {
		t.Fatal(err)
	}
	want := []Endpoint{{Host: "new-a", RESTPort: 9445, XMPPPort: 5223}, {Host: "new-b", RESTPort: 8445, XMPPPort: 5223}}
	var got []Endpoint
	for i := range l.sides {
		got = append(got, l.endpoint(i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sides after SetEndpoints (-want +got):\n%s", diff)
	}
	if l.cur != 0 || !cmp.Equal(l.learned, make([]learnedPorts, 2), cmp.AllowUnexported(learnedPorts{}, nodePorts{})) {
		t.Errorf("cur = %d learned = %+v, want side 0 and nothing learned", l.cur, l.learned)
	}
}

// TestLoginWithoutServer: a Login on a running link with no server fails
// at once with the no-server error instead of waiting for its deadline.
func TestLoginWithoutServer(t *testing.T) {
	t.Parallel()
	l, err := NewLink(Config{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	e := runLinkWith(t, nil, l)
	defer e.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = l.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "p", Extension: "5001"})
	if !errors.Is(err, core.ErrUnreachable) || !strings.Contains(err.Error(), "no Finesse server configured") {
		t.Errorf("Login without a server: err = %v, want the no-server error", err)
	}
}
