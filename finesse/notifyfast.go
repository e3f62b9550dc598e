package finesse

import (
	"strings"

	"github.com/agentlink/agentlink/core"
)

// The fast notification decoder. It fills the same wire structs as the
// encoding/xml decoder in notify.go with xscan (notifyscan.go), in one pass
// and mostly without copies, then maps them with the same mapUpdate. Where
// the input is outside xscan's subset or malformed, it hands the whole
// input to the encoding/xml decoder, which stays the reference:
// FuzzFastDecoderAgrees proves both give the same updates or both fail.
// Each function below mirrors what xml.Unmarshal does with the struct tags
// in wire.go: fields matched by lowercased local name, a repeated string
// element overwrites, a repeated struct element merges, slices append.

// fastDecodeMessage is decodeMessage through the fast path.
func fastDecodeMessage(stanza []byte) ([]core.Update, error) {
	if ups, err, ok := scanMessage(string(stanza)); ok {
		return ups, err
	}
	return decodeMessage(stanza)
}

// fastDecodeItem is decodeItem through the fast path.
func fastDecodeItem(node string, inner []byte) ([]core.Update, error) {
	if classifyNode(node) == nodeUnknown {
		return nil, nil
	}
	if ups, err, ok := scanItem(string(inner)); ok {
		return ups, err
	}
	return decodeItem(node, inner)
}

type envItem struct{ inner string }

// scanMessage decodes a whole <message> stanza; ok is false when the
// caller must use encoding/xml.
func scanMessage(s string) (ups []core.Update, err error, ok bool) {
	x := &xscan{s: s}
	x.space()
	name, empty, _, _, ok := x.startTag("")
	if !ok || name != "message" {
		return nil, nil, false
	}
	var node string
	var items []envItem
	ok = x.children(name, empty, func(n string, e bool) bool {
		if n != "event" {
			return x.skip(n, e)
		}
		return x.children(n, e, func(n string, e bool) bool {
			if n != "items" {
				return x.skip(n, e)
			}
			return scanItems(x, &node, &items)
		})
	})
	if !ok {
		return nil, nil, false
	}
	for _, it := range items {
		var u []core.Update
		if classifyNode(node) != nodeUnknown {
			var iok bool
			if u, err, iok = scanItem(it.inner); !iok {
				u, err = decodeItem(node, []byte(it.inner))
			}
		}
		if err != nil {
			return nil, err, true
		}
		ups = append(ups, u...)
	}
	return ups, nil, true
}

// scanItems reads one <items node="..."> element; its start tag has been
// read, and is read again here for the node attribute (only this one
// element has an attribute anybody wants).
func scanItems(x *xscan, node *string, items *[]envItem) bool {
	y := &xscan{s: x.s, i: x.tag}
	_, empty, val, found, ok := y.startTag("node")
	if !ok || y.i != x.i {
		return false
	}
	if found {
		*node = val
	}
	return x.children("items", empty, func(n string, e bool) bool {
		if n != "item" {
			return x.skip(n, e)
		}
		from := x.i
		if e {
			*items = append(*items, envItem{})
			return true
		}
		if !x.children(n, false, x.skip) {
			return false
		}
		end := strings.LastIndex(x.s[:x.i], "</")
		*items = append(*items, envItem{inner: x.s[from:end]})
		return true
	})
}

// scanItem decodes the inner XML of one pub-sub item: <notification> with
// the escaped Update document as its only content.
func scanItem(s string) (ups []core.Update, err error, ok bool) {
	x := &xscan{s: s}
	x.space()
	name, empty, _, _, ok := x.startTag("")
	if !ok || empty || name != "notification" {
		return nil, nil, false
	}
	raw, ok := x.text()
	if !ok || !x.endTag(name) {
		return nil, nil, false
	}
	payload := strings.TrimSpace(unescape(raw))
	if payload == "" {
		return nil, nil, false
	}
	if payload[0] == '{' {
		return nil, nil, true // JSON payload, as decodeUpdate
	}
	var u wireUpdate
	if !scanUpdate(payload, &u) {
		return nil, nil, false
	}
	ups, err = mapUpdate(&u)
	return ups, err, true
}

// scanUpdate fills u from an Update document.
func scanUpdate(s string, u *wireUpdate) bool {
	x := &xscan{s: s}
	name, empty, _, _, ok := x.startTag("")
	if !ok || !is(name, "update") {
		return false
	}
	return x.children(name, empty, func(n string, e bool) bool {
		switch {
		case is(n, "data"):
			return scanData(x, n, e, &u.Data)
		case is(n, "event"):
			return x.str(n, e, &u.Event)
		case is(n, "requestid"):
			return x.str(n, e, &u.RequestID)
		case is(n, "source"):
			return x.str(n, e, &u.Source)
		}
		return x.skip(n, e)
	})
}

// str reads a text-only element into *dst.
func (x *xscan) str(n string, e bool, dst *string) bool {
	v, ok := x.leaf(n, e)
	*dst = v
	return ok
}

// strs appends a text-only element to *dst.
func (x *xscan) strs(n string, e bool, dst *[]string) bool {
	v, ok := x.leaf(n, e)
	*dst = append(*dst, v)
	return ok
}

// field is one text field of a wire struct: its lowercase element name and
// where its value goes.
type field struct {
	name string
	dst  *string
}

// fields reads the children of n into the named text fields, and passes
// any other child to other (nil: skip it).
func (x *xscan) fields(n string, e bool, fs []field, other func(n string, e bool) (handled, ok bool)) bool {
	return x.children(n, e, func(n string, e bool) bool {
		for _, f := range fs {
			if is(n, f.name) {
				return x.str(n, e, f.dst)
			}
		}
		if other != nil {
			if handled, ok := other(n, e); handled {
				return ok
			}
		}
		return x.skip(n, e)
	})
}
