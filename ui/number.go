package ui

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// errBadNumber is wrapped by every normalizeNumber refusal.
var errBadNumber = errors.New("not a phone number")

// normalizeNumber turns what an agent typed or pasted ("+44 (0)20 7946-0958",
// "020.7946.0958") into what Finesse dials: the digits, with a leading + kept
// and * and # allowed for feature codes. Spaces, dashes, dots and brackets
// are dropped; anything else is refused with the offending character named,
// so a pasted name or e-mail address is not dialled half-way.
func normalizeNumber(s string) (string, error) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '*', r == '#':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == '-', r == '.', r == '(', r == ')', r == '/', unicode.IsSpace(r):
			// separators people write; Finesse wants none of them
		case r == '+':
			return "", fmt.Errorf("%w: + is only allowed at the start", errBadNumber)
		default:
			return "", fmt.Errorf("%w: %q is not allowed", errBadNumber, r)
		}
	}
	out := b.String()
	if strings.Trim(out, "+") == "" {
		return "", fmt.Errorf("%w: enter a number first", errBadNumber)
	}
	return out, nil
}

// dialPreview is the line under the number entry: what will be dialled, or
// why it cannot be.
func dialPreview(typed string) string {
	if strings.TrimSpace(typed) == "" {
		return ""
	}
	n, err := normalizeNumber(typed)
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
