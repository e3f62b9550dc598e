package finesse

import (
	"strings"
	"unicode/utf8"
)

// xscan is a streaming scanner for the subset of XML that Finesse's
// notifications use: elements, attributes, text and the five predefined
// entities. It works on a string so element text is a substring of the
// input, not a copy. Whenever it meets anything outside that subset
// (comments, CDATA, processing instructions, numeric character references,
// namespace prefixes, carriage returns, non-ASCII names) or anything
// malformed, it reports false and the caller falls back to encoding/xml,
// which then decides (and words the error). So the scanner never accepts
// what encoding/xml would refuse; FuzzFastDecoderAgrees checks that.
type xscan struct {
	s     string
	i     int
	depth int
	tag   int // where the last start tag began
}

// maxSkipDepth bounds skip's recursion; deeper input goes to encoding/xml.
const maxSkipDepth = 256

func (x *xscan) space() {
	for x.i < len(x.s) {
		switch x.s[x.i] {
		case ' ', '\r', '\n', '\t':
			x.i++
		default:
			return
		}
	}
}

// name reads an ASCII XML name without a colon.
func (x *xscan) name() (string, bool) {
	start := x.i
	if x.i >= len(x.s) || !nameStart(x.s[x.i]) {
		return "", false
	}
	x.i++
	for x.i < len(x.s) && nameByte(x.s[x.i]) {
		x.i++
	}
	if x.i >= len(x.s) || x.s[x.i] >= utf8.RuneSelf || x.s[x.i] == ':' {
		return "", false
	}
	return x.s[start:x.i], true
}

func nameStart(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' }

func nameByte(c byte) bool {
	return nameStart(c) || '0' <= c && c <= '9' || c == '.' || c == '-'
}

// startTag reads "<name attr='v'...>" or ".../>". want names an attribute
// whose (decoded) value is returned, the last one if repeated; found says
// whether it occurred.
func (x *xscan) startTag(want string) (name string, empty bool, val string, found bool, ok bool) {
	if x.i >= len(x.s) || x.s[x.i] != '<' {
		return "", false, "", false, false
	}
	x.tag = x.i
	x.i++
	if name, ok = x.name(); !ok {
		return
	}
	for {
		x.space()
		if x.i >= len(x.s) {
			return "", false, "", false, false
		}
		switch x.s[x.i] {
		case '>':
			x.i++
			return name, false, val, found, true
		case '/':
			if x.i+1 >= len(x.s) || x.s[x.i+1] != '>' {
				return "", false, "", false, false
			}
			x.i += 2
			return name, true, val, found, true
		}
		an, ok := x.name()
		if !ok {
			return "", false, "", false, false
		}
		x.space()
		if x.i >= len(x.s) || x.s[x.i] != '=' {
			return "", false, "", false, false
		}
		x.i++
		x.space()
		raw, ok := x.quoted()
		if !ok {
			return "", false, "", false, false
		}
		if an == want {
			val, found = unescape(raw), true
		}
	}
}

// quoted reads a quoted attribute value and returns it still escaped.
func (x *xscan) quoted() (string, bool) {
	if x.i >= len(x.s) || (x.s[x.i] != '"' && x.s[x.i] != '\'') {
		return "", false
	}
	q := x.s[x.i]
	end := strings.IndexByte(x.s[x.i+1:], q)
	if end < 0 {
		return "", false
	}
	raw := x.s[x.i+1 : x.i+1+end]
	if strings.IndexByte(raw, '<') >= 0 || !textOK(raw, true) {
		return "", false
	}
	x.i += end + 2
	return raw, true
}

// text reads character data up to the next '<' (or the end) and returns
// it still escaped.
func (x *xscan) text() (string, bool) {
	end := strings.IndexByte(x.s[x.i:], '<')
	if end < 0 {
		end = len(x.s) - x.i
	}
	raw := x.s[x.i : x.i+end]
	if !textOK(raw, false) {
		return "", false
	}
	x.i += end
	return raw, true
}

// endTag reads "</name>" and checks it closes name exactly, as
// encoding/xml does before any case folding.
func (x *xscan) endTag(name string) bool {
	if !strings.HasPrefix(x.s[x.i:], "</") {
		return false
	}
	x.i += 2
	n, ok := x.name()
	if !ok || n != name {
		return false
	}
	x.space()
	if x.i >= len(x.s) || x.s[x.i] != '>' {
		return false
	}
	x.i++
	return true
}

// leaf reads the content and end tag of a text-only element (the start tag
// is read) and returns its decoded text. An element inside it is outside
// the subset.
func (x *xscan) leaf(name string, empty bool) (string, bool) {
	if empty {
		return "", true
	}
	raw, ok := x.text()
	if !ok || !x.endTag(name) {
		return "", false
	}
	return unescape(raw), true
}

// children calls child for each element inside name (its start tag is
// read) until name's end tag; the text between children must be valid and
// is ignored, as encoding/xml ignores it for structs. child must consume
// the element it is given, through its end tag.
func (x *xscan) children(name string, empty bool, child func(n string, empty bool) bool) bool {
	if empty {
		return true
	}
	for {
		if _, ok := x.text(); !ok || x.i >= len(x.s) {
			return false
		}
		if strings.HasPrefix(x.s[x.i:], "</") {
			return x.endTag(name)
		}
		n, e, _, _, ok := x.startTag("")
		if !ok || !child(n, e) {
			return false
		}
	}
}

// skip consumes an element nobody wants (its start tag is read).
func (x *xscan) skip(name string, empty bool) bool {
	if x.depth >= maxSkipDepth {
		return false
	}
	x.depth++
	ok := x.children(name, empty, x.skip)
	x.depth--
	return ok
}

// textOK reports whether raw is character data encoding/xml accepts and
// this scanner can decode: valid UTF-8 in the XML character range, no
// carriage return (encoding/xml rewrites it), only the five predefined
// entities, and no "]]>" outside quotes.
func textOK(raw string, quoted bool) bool {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&':
			n, _ := entityAt(raw[i:])
			if n == 0 {
				return false
			}
			i += n
			continue
		case c == '>' && !quoted && i >= 2 && raw[i-1] == ']' && raw[i-2] == ']':
			return false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(raw[i:])
			if r == utf8.RuneError && size == 1 || !isXMLChar(r) {
				return false
			}
			i += size
			continue
		case c < 0x20 && c != '\t' && c != '\n':
			return false
		}
		i++
	}
	return true
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// entityAt returns the length of the predefined entity s starts with and
// the byte it stands for, or 0.
func entityAt(s string) (int, byte) {
	switch {
	case len(s) >= 4 && s[3] == ';' && s[1:3] == "lt":
		return 4, '<'
	case len(s) >= 4 && s[3] == ';' && s[1:3] == "gt":
		return 4, '>'
	case len(s) >= 5 && s[1:5] == "amp;":
		return 5, '&'
	case len(s) >= 6 && s[1:6] == "apos;":
		return 6, '\''
	case len(s) >= 6 && s[1:6] == "quot;":
		return 6, '"'
	}
	return 0, 0
}

// unescape decodes the predefined entities of raw (already checked by
// textOK); text without any is returned as is, without a copy.
func unescape(raw string) string {
	amp := strings.IndexByte(raw, '&')
	if amp < 0 {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for amp >= 0 {
		b.WriteString(raw[:amp])
		n, c := entityAt(raw[amp:])
		b.WriteByte(c)
		raw = raw[amp+n:]
		amp = strings.IndexByte(raw, '&')
	}
	b.WriteString(raw)
	return b.String()
}

// is reports whether the element name n is want (lowercase ASCII) in any
// case, as encoding/xml matches after lowerReader lowercases names.
func is(n, want string) bool {
	return len(n) == len(want) && strings.EqualFold(n, want)
}
