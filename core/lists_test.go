package core_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/core/coretest"
)

func listFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, nil)
	f.port.ReasonCodesFunc = func(_ context.Context, c core.ReasonCategory) ([]core.ReasonCode, error) {
		return []core.ReasonCode{{ID: "1", Category: c, Code: "10", Label: "Break"}}, nil
	}
	f.port.WrapUpReasonsFunc = func(context.Context) ([]core.WrapUpReason, error) {
		return []core.WrapUpReason{{ID: "1", Label: "Sale"}}, nil
	}
	f.port.PhoneBookFunc = func(context.Context) ([]core.Contact, error) {
		return []core.Contact{{FirstName: "Ann", Number: "5002"}}, nil
	}
	f.login()
	return f
}

func TestListsCached(t *testing.T) {
	t.Parallel()
	f := listFixture(t)
	ctx := t.Context()
	for range 3 {
		codes, err := f.s.ReasonCodes(ctx, core.CategoryNotReady)
		if err != nil || len(codes) != 1 || codes[0].Category != core.CategoryNotReady {
			t.Fatalf("ReasonCodes(NOT_READY) = %v, %v", codes, err)
		}
		codes[0].Label = "changed by caller" // must not reach the cache
		if _, err := f.s.ReasonCodes(ctx, core.CategoryLogout); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.WrapUpReasons(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.PhoneBook(ctx); err != nil {
			t.Fatal(err)
		}
	}
	codes, _ := f.s.ReasonCodes(ctx, core.CategoryNotReady)
	if codes[0].Label != "Break" {
		t.Errorf("cached label = %q, want Break", codes[0].Label)
	}
	want := map[string]int{"ReasonCodes": 2, "WrapUpReasons": 1, "PhoneBook": 3}
	for m, n := range want {
		if got := f.port.Calls(m); got != n {
			t.Errorf("port.%s called %d times, want %d", m, got, n)
		}
	}
}

func TestListsInvalidated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		do   func(t *testing.T, f *fixture)
	}{
		{"logout", func(_ *testing.T, f *fixture) {
			f.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, "", core.StateLogout)))
			f.login()
		}},
		{"resync", func(_ *testing.T, f *fixture) { f.s.Apply(core.Update{Kind: core.UpdateResync}) }},
		{"login", func(t *testing.T, f *fixture) {
			err := f.s.Login(t.Context(), core.LoginRequest{AgentID: agentID, Password: "pw", Extension: ext})
			if err != nil {
				t.Fatalf("Login() = %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := listFixture(t)
			if _, err := f.s.WrapUpReasons(t.Context()); err != nil {
				t.Fatal(err)
			}
			tt.do(t, f)
			if _, err := f.s.WrapUpReasons(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := f.port.Calls("WrapUpReasons"); got != 2 {
				t.Errorf("port.WrapUpReasons called %d times, want 2", got)
			}
		})
	}
}

func TestListsErrors(t *testing.T) {
	t.Parallel()
	f := listFixture(t)
	if _, err := f.s.ReasonCodes(t.Context(), "BREAK"); !errors.Is(err, core.ErrInvalidCommand) {
		t.Errorf("ReasonCodes(BREAK) = %v, want ErrInvalidCommand", err)
	}
	f.port.WrapUpReasonsFunc = func(context.Context) ([]core.WrapUpReason, error) {
		return nil, core.ErrOutOfService
	}
	for range 2 {
		if _, err := f.s.WrapUpReasons(t.Context()); !errors.Is(err, core.ErrOutOfService) {
			t.Errorf("WrapUpReasons() = %v, want ErrOutOfService", err)
		}
	}
	if got := f.port.Calls("WrapUpReasons"); got != 2 {
		t.Errorf("failures were cached: port called %d times, want 2", got)
	}
	// Not cached while signed out: the next login may be someone else.
	g := listFixture(t)
	g.s.Apply(coretest.AgentUpdate(coretest.Agent(agentID, "", core.StateLogout)))
	for range 2 {
		got, err := g.s.WrapUpReasons(t.Context())
		if diff := cmp.Diff([]core.WrapUpReason{{ID: "1", Label: "Sale"}}, got); err != nil || diff != "" {
			t.Errorf("WrapUpReasons() = %v (%v)", got, err)
		}
	}
	if got := g.port.Calls("WrapUpReasons"); got != 2 {
		t.Errorf("signed out: port called %d times, want 2", got)
	}
}
