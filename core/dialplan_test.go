package core_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/quick"

	"github.com/agentlink/agentlink/core"
)

// vectors is core/testdata/dialplan.json, which the SDK's dialplan.js is
// tested against too (localbridge/e2e_dialplan_test.go).
type vectors struct {
	Plans map[string]struct {
		CountryCode, OutsidePrefix, TrunkPrefix, InternationalPrefix string
		ExtensionLengths                                             []int
	}
	Cases []struct {
		Plan, In, Out string
		Error         bool
	}
}

func loadVectors(t *testing.T) (vectors, map[string]core.DialPlan) {
	t.Helper()
	raw, err := os.ReadFile("testdata/dialplan.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("testdata/dialplan.json: %v", err)
	}
	plans := map[string]core.DialPlan{}
	for name, p := range v.Plans {
		plans[name] = core.DialPlan{CountryCode: p.CountryCode, OutsidePrefix: p.OutsidePrefix,
			ExtensionLengths: p.ExtensionLengths, TrunkPrefix: p.TrunkPrefix, InternationalPrefix: p.InternationalPrefix}
	}
	return v, plans
}

func TestDialPlanVectors(t *testing.T) {
	t.Parallel()
	v, plans := loadVectors(t)
	if len(v.Cases) < 20 {
		t.Fatalf("only %d vectors", len(v.Cases))
	}
	for _, c := range v.Cases {
		p, ok := plans[c.Plan]
		if !ok {
			t.Fatalf("case %q names unknown plan %q", c.In, c.Plan)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("plan %s: %v", c.Plan, err)
		}
		got, err := p.Normalize(c.In)
		switch {
		case c.Error && !errors.Is(err, core.ErrBadNumber):
			t.Errorf("%s: Normalize(%q) = %q, %v; want ErrBadNumber", c.Plan, c.In, got, err)
		case !c.Error && (err != nil || got != c.Out):
			t.Errorf("%s: Normalize(%q) = %q, %v; want %q", c.Plan, c.In, got, err, c.Out)
		}
	}
}

// TestDialPlanProperties checks, for random strings made of what people
// type into number fields, under every vector plan: Normalize is
// idempotent; its output is only digits, * and # with at most a leading +;
// a "+" output is E.164 (at most 15 digits, no leading 0); an extension
// comes back untouched; and nothing but separators is ever dropped from a
// number without a + (the dial plan only adds or removes prefixes).
func TestDialPlanProperties(t *testing.T) {
	t.Parallel()
	_, plans := loadVectors(t)
	const alphabet = "0123456789 -.()/+*#"
	for name, p := range plans {
		prop := func(picks []byte) bool {
			var b strings.Builder
			for _, c := range picks {
				b.WriteByte(alphabet[int(c)%len(alphabet)])
			}
			return dialPlanHolds(t, name, p, b.String())
		}
		if err := quick.Check(prop, &quick.Config{MaxCount: 3000}); err != nil {
			t.Errorf("plan %s: %v", name, err)
		}
		// digit strings of every length, leading zeros included: the
		// prefixes and extension lengths live here
		digits := func(n uint64, width uint8) bool {
			return dialPlanHolds(t, name, p, fmt.Sprintf("%0*d", int(width%16), n%1e15))
		}
		if err := quick.Check(digits, &quick.Config{MaxCount: 3000}); err != nil {
			t.Errorf("plan %s (digit strings): %v", name, err)
		}
	}
}

func dialPlanHolds(t *testing.T, plan string, p core.DialPlan, in string) bool {
	out, err := p.Normalize(in)
	if err != nil {
		if !errors.Is(err, core.ErrBadNumber) {
			t.Logf("%s: Normalize(%q): %v does not wrap ErrBadNumber", plan, in, err)
			return false
		}
		return true
	}
	again, err := p.Normalize(out)
	if err != nil || again != out {
		t.Logf("%s: not idempotent: %q -> %q -> %q, %v", plan, in, out, again, err)
		return false
	}
	body := strings.TrimPrefix(out, "+")
	if body == "" || strings.Trim(body, "0123456789*#") != "" {
		t.Logf("%s: %q -> %q holds more than digits, * and #", plan, in, out)
		return false
	}
	if strings.HasPrefix(out, "+") && (len(body) > 15 || body[0] == '0' || strings.ContainsAny(body, "*#")) {
		t.Logf("%s: %q -> %q is not E.164", plan, in, out)
		return false
	}
	typed := strings.Map(func(r rune) rune {
		if strings.ContainsRune("0123456789*#+", r) {
			return r
		}
		return -1
	}, dropTrunkZero(in))
	for _, n := range p.ExtensionLengths {
		if len(typed) == n && !strings.ContainsAny(typed, "+*#") && out != typed {
			t.Logf("%s: extension %q came back as %q", plan, in, out)
			return false
		}
	}
	if !strings.HasPrefix(out, "+") && out != typed {
		t.Logf("%s: %q -> %q lost digits without becoming E.164", plan, in, out)
		return false
	}
	return true
}

// dropTrunkZero removes the "(0)" written after a country code, as Normalize does.
func dropTrunkZero(in string) string {
	if strings.HasPrefix(strings.TrimSpace(in), "+") {
		return strings.ReplaceAll(in, "(0)", "")
	}
	return in
}

// FuzzDialPlan: whatever the input, Normalize does not panic, and what it
// returns normalises to itself.
func FuzzDialPlan(f *testing.F) {
	for _, s := range []string{"(415) 555-1234", "+44 (0)20 7946 0958", "9 011 44 20", "*67#", "tel:+1"} {
		f.Add(s)
	}
	p := core.DialPlan{CountryCode: "44", OutsidePrefix: "9", ExtensionLengths: []int{4}}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := p.Normalize(in)
		if err != nil {
			return
		}
		if again, err := p.Normalize(out); err != nil || again != out {
			t.Errorf("Normalize(%q) = %q, then %q, %v", in, out, again, err)
		}
	})
}
