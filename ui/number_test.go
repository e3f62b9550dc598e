package ui

import (
	"errors"
	"testing"

	"github.com/agentlink/agentlink/core"
)

func TestNormalizeNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "0201234567", want: "0201234567"},
		{in: "+44 (0)20 7946-0958", want: "+442079460958"},
		{in: "  020.7946.0958 ", want: "02079460958"},
		{in: "+1 (555) 010-9999", want: "+15550109999"},
		{in: "00 33 1 23 45 67 89", want: "0033123456789"},
		{in: "*67#", want: "*67#"},
		{in: "020\t7946\u00a00958", want: "02079460958"},
		{in: "06/12345678", want: "0612345678"},
		{in: "", bad: true},
		{in: "   ", bad: true},
		{in: "+", bad: true},
		{in: "()- .", bad: true},
		{in: "44+20", bad: true},
		{in: "call me", bad: true},
		{in: "john@example.com", bad: true},
		{in: "0800 FLOWERS", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := normalizeNumber(core.DialPlan{}, tt.in)
			if tt.bad {
				if !errors.Is(err, errBadNumber) {
					t.Errorf("normalizeNumber(%q) = %q, %v; want errBadNumber", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("normalizeNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDialPreview(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"+44 20 7946 0958", "Will dial +442079460958"},
		{"abc", "Cannot dial: 'a' is not allowed"},
		{"1+2", "Cannot dial: + is only allowed at the start"},
	}
	for _, tt := range tests {
		if got := dialPreview(core.DialPlan{}, tt.in); got != tt.want {
			t.Errorf("dialPreview(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsDTMF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{{"123*#", true}, {"ABCD", true}, {"", false}, {"12a", false}, {"1 2", false}}
	for _, tt := range tests {
		if got := isDTMF(tt.in); got != tt.want {
			t.Errorf("isDTMF(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestNormalizeNumberDialPlan: the softphone applies the configured plan,
// the same one the bridge applies to a CRM's click-to-dial.
func TestNormalizeNumberDialPlan(t *testing.T) {
	t.Parallel()
	us := core.DialPlan{CountryCode: "1", OutsidePrefix: "9", ExtensionLengths: []int{4}}
	for in, want := range map[string]string{"(415) 555-1234": "+14155551234", "9 1 415 555 1234": "+14155551234", "5001": "5001"} {
		if got, err := normalizeNumber(us, in); err != nil || got != want {
			t.Errorf("normalizeNumber(us, %q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
