package main

import (
	"fmt"

	"github.com/BurntSushi/toml"

	"github.com/agentlink/agentlink/finesse/finessesim"
)

// agentsFile is the --agents TOML format:
//
//	[[agent]]
//	id = "1001"
//	password = "secret1"
//	extension = "5001"
//	first_name = "Alice"
//	last_name = "Anders"
//	wrap_up = "OPTIONAL"   # REQUIRED, REQUIRED_WITH_WRAP_UP_DATA, OPTIONAL, NOT_ALLOWED
//	team_id = "10"
//	mobile_agent = false   # true: may sign in as a UCCE mobile agent
type agentsFile struct {
	Agent []struct {
		ID        string `toml:"id"`
		Password  string `toml:"password"`
		Extension string `toml:"extension"`
		FirstName string `toml:"first_name"`
		LastName  string `toml:"last_name"`
		WrapUp    string `toml:"wrap_up"`
		TeamID    string `toml:"team_id"`
		Mobile    bool   `toml:"mobile_agent"`
	} `toml:"agent"`
}

var wrapModes = map[string]bool{"": true, "REQUIRED": true, "REQUIRED_WITH_WRAP_UP_DATA": true, "OPTIONAL": true, "NOT_ALLOWED": true}

func loadAgents(path string) ([]finessesim.AgentConfig, error) {
	var f agentsFile
	md, err := toml.DecodeFile(path, &f)
	if err != nil {
		return nil, fmt.Errorf("agents file %s: %w", path, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return nil, fmt.Errorf("agents file %s: unknown keys %v", path, undec)
	}
	if len(f.Agent) == 0 {
		return nil, fmt.Errorf("agents file %s: no [[agent]] entries", path)
	}
	out := make([]finessesim.AgentConfig, 0, len(f.Agent))
	for i, a := range f.Agent {
		if a.ID == "" || a.Password == "" || a.Extension == "" {
			return nil, fmt.Errorf("agents file %s: agent %d: id, password and extension are required", path, i+1)
		}
		if !wrapModes[a.WrapUp] {
			return nil, fmt.Errorf("agents file %s: agent %s: wrap_up %q is not a Finesse wrap-up mode", path, a.ID, a.WrapUp)
		}
		out = append(out, finessesim.AgentConfig{ID: a.ID, Password: a.Password, Extension: a.Extension,
			FirstName: a.FirstName, LastName: a.LastName, WrapUpOnIncoming: a.WrapUp, TeamID: a.TeamID, MobileAgent: a.Mobile})
	}
	return out, nil
}
