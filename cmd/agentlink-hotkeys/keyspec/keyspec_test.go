package keyspec

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"ctrl+alt+a":         "ctrl+alt+a",
		"Alt + Control + A":  "ctrl+alt+a",
		"shift+super+F12":    "shift+super+f12",
		"win+1":              "super+1",
		"meta+ctrl+shift+f1": "ctrl+shift+super+f1",
	} {
		s, err := Parse(in)
		if err != nil || s.String() != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, s, err, want)
		}
	}
	for in, want := range map[string]string{
		"":              "not a key combination",
		"a":             "not a key combination",
		"shift+a":       "needs ctrl, alt or super",
		"ctrl+alt+f13":  `the key "f13"`,
		"ctrl+alt+f01":  `the key "f01"`,
		"ctrl+alt+home": `the key "home"`,
		"ctrl+hyper+a":  `"hyper" is not a modifier`,
		"ctrl+alt+":     `the key ""`,
	} {
		if _, err := Parse(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", in, err, want)
		}
	}
}

func TestParseBinding(t *testing.T) {
	b, err := ParseBinding("notready=Ctrl+Alt+N")
	if err != nil || b.String() != "notready=ctrl+alt+n" {
		t.Errorf("ParseBinding = %q, %v", b, err)
	}
	if b, err := ParseBinding("reason3=ctrl+alt+3"); err != nil || b.Verb != "reason3" {
		t.Errorf("ParseBinding(reason3) = %q, %v", b, err)
	}
	for _, in := range []string{"dance=ctrl+alt+d", "ctrl+alt+a", "answer=a", "reason0=ctrl+alt+0",
		"reason21=ctrl+alt+2", "reason01=ctrl+alt+1", "reason=ctrl+alt+1", "reason1x=ctrl+alt+1"} {
		if _, err := ParseBinding(in); err == nil {
			t.Errorf("ParseBinding(%q) accepted", in)
		}
	}
}
