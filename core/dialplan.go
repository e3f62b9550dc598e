package core

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrBadNumber is wrapped by every [DialPlan.Normalize] refusal.
var ErrBadNumber = errors.New("not a phone number")

// maxE164Digits is the longest number E.164 allows, country code included.
const maxE164Digits = 15

// minNational is the fewest digits a national or international number must
// keep after its prefix is removed; shorter strings are service codes
// ("112", "0800" stubs) and are dialled as typed.
const minNational = 6

// DialPlan turns what people type or CRMs store ("(415) 555-1234",
// "+44 (0)20 7946 0958", "9 020 7946 0958") into one dial string. It is the
// one set of rules the bridge, the softphone and the SDK (assets/sdk/
// dialplan.js, tested against the same vectors in core/testdata) apply. The
// zero value only cleans up: it drops separators and a "(0)" after a
// country code, and converts nothing.
type DialPlan struct {
	// CountryCode is the default country's calling code without "+"
	// ("1", "44"); national numbers become +CC…. "" converts none.
	CountryCode string
	// OutsidePrefix is what the PBX needs for an outside line ("9", "0");
	// it is dropped when what follows is a national or international number.
	OutsidePrefix string
	// ExtensionLengths are the digit counts of internal extensions; such
	// numbers are dialled exactly as typed.
	ExtensionLengths []int
	// TrunkPrefix starts a national number ("0" in most countries, "1" in
	// North America); default from CountryCode.
	TrunkPrefix string
	// InternationalPrefix starts an international number without "+"
	// ("00", "011" in North America); default from CountryCode.
	InternationalPrefix string
}

// withDefaults fills the prefixes a country code implies.
func (p DialPlan) withDefaults() DialPlan {
	if p.CountryCode == "" {
		return p
	}
	nanp := p.CountryCode == "1"
	if p.TrunkPrefix == "" {
		p.TrunkPrefix = map[bool]string{true: "1", false: "0"}[nanp]
	}
	if p.InternationalPrefix == "" {
		p.InternationalPrefix = map[bool]string{true: "011", false: "00"}[nanp]
	}
	return p
}

// Normalize returns the dial string for s: "+" and digits (E.164) for a
// national or international number, an extension or a service code exactly
// as typed, feature codes with * or # cleaned of separators only. It refuses
// letters and other characters, naming the first, so a pasted name or e-mail
// address is never dialled half-way. Normalize is idempotent.
func (p DialPlan) Normalize(s string) (string, error) {
	clean, err := cleanNumber(s)
	if err != nil {
		return "", err
	}
	switch {
	case strings.HasPrefix(clean, "+"):
		return clean, checkE164(clean)
	case strings.ContainsAny(clean, "*#"):
		return clean, nil // a feature code: the PBX's business
	case p.isExtension(clean):
		return clean, nil
	}
	p = p.withDefaults()
	if rest, ok := strings.CutPrefix(clean, p.OutsidePrefix); ok && p.OutsidePrefix != "" {
		if e, ok := p.toE164(rest); ok {
			return e, nil
		}
	}
	if e, ok := p.toE164(clean); ok {
		return e, nil
	}
	return clean, nil
}

// isExtension reports whether digits has the length of an internal extension.
func (p DialPlan) isExtension(digits string) bool {
	for _, n := range p.ExtensionLengths {
		if len(digits) == n {
			return true
		}
	}
	return false
}

// toE164 converts an international or national digit string; ok is false
// when digits is neither.
func (p DialPlan) toE164(digits string) (string, bool) {
	if p.CountryCode == "" {
		return "", false
	}
	if rest, ok := strings.CutPrefix(digits, p.InternationalPrefix); ok {
		return plusDigits(rest)
	}
	if p.CountryCode == "1" && len(digits) == 10 && digits[0] >= '2' {
		return "+1" + digits, true // NANP numbers are often written without the trunk 1
	}
	if rest, ok := strings.CutPrefix(digits, p.TrunkPrefix); ok {
		if p.CountryCode == "1" && (len(rest) != 10 || rest[0] < '2') {
			return "", false
		}
		return plusDigits(p.CountryCode + rest)
	}
	return "", false
}

// plusDigits is "+"+digits when that is a plausible E.164 number.
func plusDigits(digits string) (string, bool) {
	e := "+" + digits
	if len(digits) < minNational || checkE164(e) != nil {
		return "", false
	}
	return e, true
}

// checkE164 refuses a "+" number E.164 cannot hold.
func checkE164(e string) error {
	d := e[1:]
	switch {
	case d == "":
		return fmt.Errorf("%w: enter a number first", ErrBadNumber)
	case strings.ContainsAny(d, "*#"):
		return fmt.Errorf("%w: * and # cannot follow +", ErrBadNumber)
	case d[0] == '0':
		return fmt.Errorf("%w: no country code starts with 0", ErrBadNumber)
	case len(d) > maxE164Digits:
		return fmt.Errorf("%w: %d digits after +, at most %d", ErrBadNumber, len(d), maxE164Digits)
	}
	return nil
}

// cleanNumber drops what people write between digits (spaces, dashes, dots,
// slashes, brackets), a "tel:" scheme, and the "(0)" written after a country
// code, which is never dialled.
func cleanNumber(s string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "tel:"), "TEL:")
	if strings.HasPrefix(s, "+") {
		s = strings.ReplaceAll(s, "(0)", "")
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '*', r == '#':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == '-', r == '.', r == '(', r == ')', r == '/', unicode.IsSpace(r):
		case r == '+':
			return "", fmt.Errorf("%w: + is only allowed at the start", ErrBadNumber)
		default:
			return "", fmt.Errorf("%w: %q is not allowed", ErrBadNumber, r)
		}
	}
	out := b.String()
	if strings.Trim(out, "+") == "" {
		return "", fmt.Errorf("%w: enter a number first", ErrBadNumber)
	}
	return out, nil
}

// Validate reports a plan that cannot work, naming the field.
func (p DialPlan) Validate() error {
	fields := []struct{ name, v string }{{"country_code", p.CountryCode}, {"outside_prefix", p.OutsidePrefix},
		{"trunk_prefix", p.TrunkPrefix}, {"international_prefix", p.InternationalPrefix}}
	for _, f := range fields {
		if strings.Trim(f.v, "0123456789") != "" {
			return fmt.Errorf("dialplan %s %q: digits only", f.name, f.v)
		}
	}
	if len(p.CountryCode) > 3 || strings.HasPrefix(p.CountryCode, "0") {
		return fmt.Errorf("dialplan country_code %q: a calling code is 1 to 3 digits, not starting with 0", p.CountryCode)
	}
	for _, n := range p.ExtensionLengths {
		if n < 1 || n > minNational+3 {
			return fmt.Errorf("dialplan extension_lengths %d: between 1 and %d digits", n, minNational+3)
		}
	}
	return nil
}
