package core

import (
	"context"
	"errors"
	"strings"
)

// CallLayout is a Finesse call variables layout (MediaPropertiesLayout):
// which call variables the agent sees, under which labels, in which order.
// Header is the call's header line (Finesse allows one entry); Columns are
// the body, left column first.
type CallLayout struct {
	Name    string
	Header  []LayoutField
	Columns [][]LayoutField
}

// LayoutField is one layout entry: Variable is a media property name
// (callVariable1…10, an ECC name such as user.acct, a BA… outbound
// variable or a built-in such as DNIS); Label is what the desktop shows and
// may be empty. Editable is Finesse's uiEditable.
type LayoutField struct {
	Label    string
	Variable string
	Editable bool
}

// CallLayouts are the default layout and the custom ones a call can name.
// Team is the team whose layouts these are (Finesse 12.5's
// TeamResource/{team}/MediaPropertiesLayouts); "" when they came from the
// older per-user endpoints.
type CallLayouts struct {
	Default CallLayout
	Custom  []CallLayout
	Team    string
}

// LayoutVariable is the ECC variable whose value names a custom layout for
// the call. Cisco's UCCE guides spell it user.Layout, the UCCX ones
// user.layout (warning that the desktop minds the case); AgentLink matches
// the variable's name without regard to case, so either works.
const LayoutVariable = "user.layout"

// ErrNoLayouts means the Finesse connection cannot list layouts.
var ErrNoLayouts = errors.New("this Finesse connection does not provide call variable layouts")

// LayoutPort is implemented by a [Port] that can fetch the layouts. It is
// separate from Port so that ports (and test fakes) without it still work.
type LayoutPort interface {
	CallLayouts(ctx context.Context) (CallLayouts, error)
}

// CallLayouts fetches the agent's call variable layouts through the port.
// They change rarely and produce no notification; callers fetch them once
// per sign-in.
func (s *Session) CallLayouts(ctx context.Context) (CallLayouts, error) {
	lp, ok := s.port.(LayoutPort)
	if !ok {
		return CallLayouts{}, ErrNoLayouts
	}
	return lp.CallLayouts(ctx)
}

// For is the layout of d (see [CallLayouts.Choose]).
func (ls CallLayouts) For(d Dialog) CallLayout {
	l, _ := ls.Choose(d)
	return l
}

// LayoutChoice says why a call got its layout, for the log.
type LayoutChoice int

const (
	// LayoutDefault: the call names no layout.
	LayoutDefault LayoutChoice = iota
	// LayoutNamed: the call's user.layout names one of the layouts.
	LayoutNamed
	// LayoutUnknown: the call names a layout that is not among these (not
	// assigned to the agent's team, or misspelt); the default is used,
	// as the Finesse desktop does.
	LayoutUnknown
)

// Choose picks d's layout as the Finesse desktop does: the layout whose
// name the call's user.layout (user.Layout) variable holds, else the
// default. The name is matched exactly first, then without regard to case
// (Cisco does not say whether the desktop minds the case of the name; a
// team with both "Billing" and "billing" gets the exact one). A name
// naming the default layout gives the default.
func (ls CallLayouts) Choose(d Dialog) (CallLayout, LayoutChoice) {
	name := strings.TrimSpace(variable(d, LayoutVariable))
	if name == "" {
		return ls.Default, LayoutDefault
	}
	all := append([]CallLayout{ls.Default}, ls.Custom...)
	for _, same := range []func(a, b string) bool{
		func(a, b string) bool { return a == b }, strings.EqualFold,
	} {
		for _, l := range all {
			if same(strings.TrimSpace(l.Name), name) {
				return l, LayoutNamed
			}
		}
	}
	return ls.Default, LayoutUnknown
}

// NamedLayout is the layout name d's user.layout variable holds ("" when
// none), for messages about an unknown one.
func NamedLayout(d Dialog) string { return strings.TrimSpace(variable(d, LayoutVariable)) }

// Fields are the layout's entries in display order (header, then each
// column), each variable once.
func (l CallLayout) Fields() []LayoutField {
	var out []LayoutField
	seen := map[string]bool{}
	add := func(fs []LayoutField) {
		for _, f := range fs {
			if f.Variable != "" && !seen[f.Variable] {
				seen[f.Variable] = true
				out = append(out, f)
			}
		}
	}
	add(l.Header)
	for _, c := range l.Columns {
		add(c)
	}
	return out
}

// Empty reports whether the layout has no entries (none configured or not
// fetched): callers then show the variables under their own names.
func (l CallLayout) Empty() bool { return len(l.Fields()) == 0 }

// LabelledValue is one line of call data as the agent sees it.
type LabelledValue struct {
	Label    string // the layout's label, or the variable name when it has none
	Variable string
	Value    string
	Editable bool
}

// Values are d's call data in the layout's order and labels. Entries
// whose value is empty are kept (the agent may fill an editable one in).
// Without a layout, every non-empty call variable is listed by name.
func (l CallLayout) Values(d Dialog) []LabelledValue {
	fields := l.Fields()
	if len(fields) == 0 {
		var out []LabelledValue
		for _, v := range d.Variables {
			if strings.TrimSpace(v.Value) != "" && !strings.EqualFold(v.Name, LayoutVariable) {
				out = append(out, LabelledValue{Label: v.Name, Variable: v.Name, Value: v.Value})
			}
		}
		return out
	}
	out := make([]LabelledValue, 0, len(fields))
	for _, f := range fields {
		label := f.Label
		if strings.TrimSpace(label) == "" {
			label = f.Variable
		}
		out = append(out, LabelledValue{Label: label, Variable: f.Variable, Value: mediaProperty(d, f.Variable), Editable: f.Editable})
	}
	return out
}

// CallerName is the customer's name for d: the value of the variable
// named, or when name is empty the layout's header entry. "" when unknown.
func (l CallLayout) CallerName(d Dialog, name string) string {
	if name == "" && len(l.Header) > 0 {
		name = l.Header[0].Variable
	}
	if name == "" {
		return ""
	}
	return strings.TrimSpace(mediaProperty(d, name))
}

// mediaProperty is a layout entry's value: a call variable, or one of the
// dialog's built-in media properties.
func mediaProperty(d Dialog, name string) string {
	switch name {
	case "DNIS":
		return d.DNIS
	case "dialedNumber":
		return d.DialedNumber
	case "queueName":
		return d.QueueName
	case "callType":
		return d.CallType
	case "fromAddress":
		return d.From
	case "toAddress":
		return d.To
	case "wrapUpReason":
		return d.WrapUpReason
	}
	return variable(d, name)
}

// variable is the value of call variable name (ECC names are matched
// without regard to case, as Finesse's own examples vary).
func variable(d Dialog, name string) string {
	for _, v := range d.Variables {
		if v.Name == name || (strings.HasPrefix(strings.ToLower(name), "user.") && strings.EqualFold(v.Name, name)) {
			return v.Value
		}
	}
	return ""
}
