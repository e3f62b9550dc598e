package ui

import (
	"strings"

	"github.com/agentlink/agentlink/core"
)

// errBadNumber is wrapped by every normalizeNumber refusal.
var errBadNumber = core.ErrBadNumber

// normalizeNumber turns what an agent typed or pasted ("+44 (0)20 7946-0958",
// "020.7946.0958") into what Finesse dials, by the one dial plan the bridge
// and the SDK use too ([core.DialPlan.Normalize]): separators and the "(0)"
// after a country code dropped, national numbers in E.164 when a default
// country is configured, extensions untouched; anything else is refused with
// the offending character named, so a pasted name or e-mail address is not
// dialled half-way.
func normalizeNumber(plan core.DialPlan, s string) (string, error) {
	return plan.Normalize(s)
}

// dialPreview is the line under the number entry: what will be dialled, or
// why it cannot be.
func dialPreview(plan core.DialPlan, typed string) string {
	if strings.TrimSpace(typed) == "" {
		return ""
	}
	n, err := normalizeNumber(plan, typed)
	if err != nil {
		return "Cannot dial: " + strings.TrimPrefix(err.Error(), errBadNumber.Error()+": ")
	}
	return "Will dial " + n
}

// isDTMF reports whether s is only DTMF digits.
func isDTMF(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789*#ABCD", r) {
			return false
		}
	}
	return true
}
