package wintoast

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/agentlink/agentlink/ui/internal/desknotify"
)

// hostile is a customer name that breaks naive XML or PowerShell splicing.
const hostile = "O'Brien \"Bob\" <b>&amp; $(Remove-Item C:\\) `whoami` ‘x’ $env:USERNAME"

func ringing(title string) desknotify.Notification {
	return desknotify.Notification{Title: title, Body: "From 0201234567\nAccount: 42", Urgency: desknotify.Critical,
		Sticky: true, Actions: []desknotify.Action{{Key: desknotify.DefaultAction, Label: "Show"}, {Key: "answer", Label: "Answer"}}}
}

// parsedToast is the part of a toast the tests read back.
type parsedToast struct {
	Launch   string   `xml:"launch,attr"`
	Scenario string   `xml:"scenario,attr"`
	Texts    []string `xml:"visual>binding>text"`
	Actions  []struct {
		Content   string `xml:"content,attr"`
		Type      string `xml:"activationType,attr"`
		Arguments string `xml:"arguments,attr"`
	} `xml:"actions>action"`
	Audio struct {
		Loop string `xml:"loop,attr"`
	} `xml:"audio"`
}

func parse(t *testing.T, s string) parsedToast {
	t.Helper()
	var p parsedToast
	if err := xml.Unmarshal([]byte(s), &p); err != nil {
		t.Fatalf("toast XML does not parse: %v\n%s", err, s)
	}
	return p
}

func TestToastXMLIncomingCall(t *testing.T) {
	t.Parallel()
	p := parse(t, toastXML(ringing("Incoming call: "+hostile), "16777217"))
	if p.Scenario != "incomingCall" || p.Audio.Loop != "true" || p.Launch != "agentlink:show" {
		t.Errorf("scenario %q, audio loop %q, launch %q; want incomingCall, true, agentlink:show", p.Scenario, p.Audio.Loop, p.Launch)
	}
	if len(p.Texts) != 2 || p.Texts[0] != "Incoming call: "+hostile || p.Texts[1] != "From 0201234567\nAccount: 42" {
		t.Errorf("texts = %q: the name must come back unchanged", p.Texts)
	}
	got := []string{}
	for _, a := range p.Actions {
		got = append(got, a.Content+" "+a.Type+" "+a.Arguments)
	}
	want := []string{"Show protocol agentlink:show", "Answer protocol agentlink:answer?dialog=16777217"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("actions = %q, want %q", got, want)
	}
}

func TestToastXMLMissedCall(t *testing.T) {
	t.Parallel()
	n := desknotify.Notification{Title: "Missed call", Body: "From " + hostile, Urgency: desknotify.Normal,
		Actions: []desknotify.Action{{Key: desknotify.DefaultAction, Label: "Show"}}}
	p := parse(t, toastXML(n, "n7"))
	if p.Scenario != "" || p.Audio.Loop != "" || len(p.Actions) != 1 || p.Texts[1] != "From "+hostile {
		t.Errorf("missed call toast = %+v: want no scenario, no looping ring, only Show", p)
	}
	// Answer is left out when the tag is not a dialog id it could name.
	p = parse(t, toastXML(ringing("x"), "bad tag"))
	if len(p.Actions) != 1 || p.Actions[0].Content != "Show" {
		t.Errorf("actions with a bad tag = %+v, want only Show", p.Actions)
	}
}

// TestScriptCarriesNoText checks that nothing of the untrusted text is in
// the script as text: PowerShell sees only base64 literals, and they
// decode to the toast, tag and app ID unchanged.
func TestScriptCarriesNoText(t *testing.T) {
	t.Parallel()
	x := toastXML(ringing(hostile), "42")
	for _, script := range []string{showScript("Agent'Link`$", "42", x), removeScript("Agent'Link`$", "42")} {
		body := strings.Replace(script, scriptHead, "", 1)
		lits := regexp.MustCompile(`Arg '([A-Za-z0-9+/=]*)'`).FindAllStringSubmatch(body, -1)
		rest := regexp.MustCompile(`Arg '[A-Za-z0-9+/=]*'`).ReplaceAllString(body, "")
		for _, bad := range []string{"O'Brien", "<b>", "&", "`", "whoami", "Agent", "‘"} {
			if strings.Contains(rest, bad) {
				t.Errorf("script has %q outside the base64 literals:\n%s", bad, body)
			}
		}
		var decoded []string
		for _, l := range lits {
			b, err := base64.StdEncoding.DecodeString(l[1])
			if err != nil {
				t.Fatal(err)
			}
			decoded = append(decoded, string(b))
		}
		joined := strings.Join(decoded, "\x00")
		for _, want := range []string{"Agent'Link`$", "42", Group} {
			if !strings.Contains(joined, want) {
				t.Errorf("decoded arguments %q lack %q", decoded, want)
			}
		}
		if strings.Contains(script, "Show($toast)") && !strings.Contains(joined, x) {
			t.Errorf("the show script does not carry the toast XML")
		}
	}
	if !strings.Contains(removeScript("a", "42"), "History.Remove(") {
		t.Error("the remove script does not call History.Remove")
	}
}

func TestEncodedCommand(t *testing.T) {
	t.Parallel()
	b, err := base64.StdEncoding.DecodeString(encodedCommand("$a = 'é€𝄞'"))
	if err != nil || len(b)%2 != 0 {
		t.Fatalf("not base64 of UTF-16: %v", err)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	if got := string(utf16.Decode(u)); got != "$a = 'é€𝄞'" {
		t.Errorf("decoded %q", got)
	}
}

// TestNotifierLifecycle checks the ids, tags, withdrawal and Activate.
func TestNotifierLifecycle(t *testing.T) {
	t.Parallel()
	var scripts []string
	n := newNotifier("app", func(_ context.Context, s string) error { scripts = append(scripts, s); return nil })
	ctx := context.Background()
	r := ringing("Incoming call")
	r.Tag = "42"
	id, err := n.Notify(ctx, r)
	if err != nil || id == 0 {
		t.Fatalf("Notify = %d, %v", id, err)
	}
	r.Replaces = id
	if again, _ := n.Notify(ctx, r); again != id {
		t.Errorf("an update got id %d, want %d", again, id)
	}
	if err := n.Activate("43"); err == nil {
		t.Error("Activate for a call with no toast was accepted")
	}
	if err := n.Activate("42"); err != nil {
		t.Fatal(err)
	}
	if ev := <-n.Events(); ev != (desknotify.Event{ID: id, Action: "answer"}) {
		t.Errorf("event = %+v", ev)
	}
	if err := n.Withdraw(ctx, id); err != nil {
		t.Fatal(err)
	}
	if last := scripts[len(scripts)-1]; !strings.Contains(last, "History.Remove(") || !strings.Contains(last, base64.StdEncoding.EncodeToString([]byte("42"))) {
		t.Errorf("Withdraw ran %q, want History.Remove of tag 42", last)
	}
	if err := n.Activate("42"); err == nil {
		t.Error("Activate after the toast was withdrawn was accepted")
	}
}
