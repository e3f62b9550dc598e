package main

import (
	"testing"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// The sso check against the simulator's IdS: SSO without [sso] fails
// (it used to pass as "ok"), HYBRID without it warns, a configured IdS is
// reached (certificate, authorize, token), a wrong client id or an
// untrusted certificate fails with the fix.
func TestDoctorSSO(t *testing.T) {
	sim, err := finessesim.Start(t.Context(), finessesim.Config{Seed: 1, SSO: finessesim.SSOConfig{AuthMode: "SSO"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	hybrid, err := finessesim.Start(t.Context(), finessesim.Config{Seed: 1, SSO: finessesim.SSOConfig{AuthMode: "HYBRID"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hybrid.Close() })
	plain := startDoctorSim(t)

	doc := func(s *finessesim.Sim, sso SSOConfig, ca bool) *doctor {
		d := &doctor{cfg: defaultConfig(), checkTimeout: doctorCheckTimeout, stepTimeout: doctorStepTimeout}
		d.cfg.Finesse.SideA = nodeAddr(s, "A")
		if ca {
			d.cfg.Finesse.CAFile = s.CAFile()
		}
		d.cfg.SSO = sso
		return d
	}
	good := SSOConfig{IDSURL: sim.IDSURL(), ClientID: "agentlink"}
	tests := []struct {
		name   string
		d      *doctor
		status checkStatus
		detail []string
		fix    []string
	}{
		{"SSO Finesse, no [sso]", doc(sim, SSOConfig{}, true), statusFail,
			[]string{"systemAuthMode SSO", "no agent can sign in"}, []string{"sso.ids_url", "sso.client_id"}},
		{"HYBRID Finesse, no [sso]", doc(hybrid, SSOConfig{}, true), statusWarn, []string{"HYBRID"}, []string{"sso.ids_url"}},
		{"NON_SSO Finesse, no [sso]", doc(plain, SSOConfig{}, true), statusSkip, []string{"not configured"}, nil},
		{"IdS reachable", doc(sim, good, true), statusOK,
			[]string{"systemAuthMode SSO", "TLS ok", "authorize endpoint answers", "token endpoint answers"}, nil},
		{"wrong client id", doc(sim, SSOConfig{IDSURL: sim.IDSURL(), ClientID: "other"}, true), statusFail,
			[]string{"refused the authorization request"}, []string{`sso.client_id "other"`}},
		{"untrusted IdS certificate", doc(sim, good, false), statusFail,
			[]string{"unknown CA"}, []string{"finesse.ca_file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.d.checkSSO(t.Context())
			wantResult(t, []checkResult{r}, "", tt.status, tt.detail, tt.fix)
		})
	}
}
