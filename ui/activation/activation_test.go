package activation

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Request
	}{
		{"agentlink:show", Request{Verb: VerbShow}},
		{"AgentLink:Show/", Request{Verb: VerbShow}},
		{"agentlink:answer?dialog=16777217", Request{Verb: VerbAnswer, DialogID: "16777217"}},
		{"agentlink:answer?dialog=a.b-c_D", Request{Verb: VerbAnswer, DialogID: "a.b-c_D"}},
		{Answer("42"), Request{Verb: VerbAnswer, DialogID: "42"}},
		{Show(), Request{Verb: VerbShow}},
	} {
		got, err := Parse(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if err == nil {
			if again, err := Parse(got.String()); err != nil || again != got {
				t.Errorf("Parse(%q.String()) = %+v, %v", tc.in, again, err)
			}
		}
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, why string }{
		{"agentlink:", "unknown agentlink: request"},
		{"agentlink:dial?number=123", "unknown agentlink: request \"dial\""},
		{"agentlink:answer", "needs the call"},
		{"agentlink:answer?", "needs the call"},
		{"agentlink:answer?id=1", "needs the call"},
		{"agentlink:answer?dialog=", "is not a call id"},
		{"agentlink:answer?dialog=1&x=2", "is not a call id"},
		{"agentlink:answer?dialog=1%202", "is not a call id"},
		{"agentlink:answer?dialog=../../x y", "is not a call id"},
		{"agentlink:answer?dialog=" + strings.Repeat("9", 65), "is not a call id"},
		{"agentlink:show?dialog=1", "takes no parameters"},
		{"agentlink://answer?dialog=1", "unknown agentlink: request"},
		{"https://example.com/", "not an agentlink: URL"},
		{"agentlinkx:show", "not an agentlink: URL"},
		{"", "not an agentlink: URL"},
	} {
		got, err := Parse(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("Parse(%q) = %+v, %v; want an error saying %q", tc.in, got, err, tc.why)
		}
	}
}
