package finessesim

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// goldenDir holds the hand-written reference XML shared with the client.
const goldenDir = "../testdata"

// volatile elements differ between runs (times, ports, generated ids).
var volatile = map[string]bool{
	"currentTimestamp": true, "lastSuccessCTIHeartbeatTime": true, "stateChangeTime": true,
	"startTime": true, "connectedDuration": true, "httpsPort": true, "xmppPort": true,
	"xmppSecurePort": true, "callKeyCallId": true,
}

var dialogIDRe = regexp.MustCompile(`/Dialog/\d+`)

// normalize blanks volatile values so trees compare structurally.
func normalize(n *xnode, parent string) *xnode {
	out := &xnode{Name: n.Name, Attr: map[string]string{}, Text: strings.TrimSpace(n.Text)}
	for k, v := range n.Attr {
		if k == "id" {
			v = "*"
		}
		out.Attr[k] = v
	}
	switch {
	case volatile[n.Name]:
		out.Text = "*"
	case n.Name == "id" && (parent == "Dialog" || parent == "dialog"):
		out.Text = "*"
	default:
		out.Text = dialogIDRe.ReplaceAllString(out.Text, "/Dialog/N")
	}
	for _, k := range n.Kids {
		out.Kids = append(out.Kids, normalize(k, n.Name))
	}
	return out
}

func readGolden(t *testing.T, name string) *xnode {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatalf("read golden: %v", err)
	}
	return mustTree(t, string(b))
}

// goldenUpdate returns the items node and the Update tree of a golden stanza.
func goldenUpdate(t *testing.T, name string) (string, *xnode) {
	t.Helper()
	msg := readGolden(t, name)
	items := msg.child("event").child("items")
	return items.Attr["node"], mustTree(t, items.child("item").text("notification"))
}

func compareTree(t *testing.T, name string, got, want *xnode) {
	t.Helper()
	if diff := cmp.Diff(normalize(want, ""), normalize(got, "")); diff != "" {
		t.Errorf("%s: simulator output differs from golden (-want +got):\n%s", name, diff)
	}
}

// updateTree rebuilds an Update tree from a received notification.
func updateTree(u update) *xnode {
	data := &xnode{Name: "data", Attr: map[string]string{}}
	if u.Data != nil {
		data.Kids = []*xnode{u.Data}
	}
	leaf := func(name, text string) *xnode { return &xnode{Name: name, Attr: map[string]string{}, Text: text} }
	return &xnode{Name: "Update", Attr: map[string]string{}, Kids: []*xnode{
		data, leaf("event", u.Event), leaf("requestId", u.RequestID), leaf("source", u.Source)}}
}

func compareUpdate(t *testing.T, name string, got update) {
	t.Helper()
	node, want := goldenUpdate(t, name)
	if got.Node != node {
		t.Errorf("%s: node got %q, want %q", name, got.Node, node)
	}
	compareTree(t, name, updateTree(got), want)
}

// TestGolden drives one agent through the scenario the golden files show
// and compares every REST body and notification with them.
func TestGolden(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	x := dialXMPP(t, s, NodeA, "1001", "secret1", false)
	r := newREST(t, s, NodeA, "1001", "secret1")
	get := func(golden, path string) {
		t.Helper()
		compareTree(t, golden, mustTree(t, r.must(200, "GET", path, "", "")), readGolden(t, golden))
	}
	get("systeminfo.xml", "/finesse/api/SystemInfo")
	for _, g := range []struct{ golden, path string }{
		{"reasoncodes_notready.xml", "/finesse/api/User/1001/ReasonCodes?category=NOT_READY"},
		{"reasoncodes_notready.xml", "/finesse/api/TeamResource/10/ReasonCodes?category=NOT_READY"},
		{"reasoncodes_logout.xml", "/finesse/api/User/1001/ReasonCodes?category=LOGOUT"},
		{"wrapupreasons.xml", "/finesse/api/User/1001/WrapUpReasons"},
		{"wrapupreasons.xml", "/finesse/api/TeamResource/10/WrapUpReasons"},
		{"phonebooks.xml", "/finesse/api/User/1001/PhoneBooks"},
		{"contacts.xml", "/finesse/api/PhoneBook/1/Contacts"},
	} {
		get(g.golden, g.path)
	}
	r.setState("LOGIN", "<extension>5001</extension>", "")
	x.expect("user PUT NOT_READY")
	r.setState("READY", "", "3f1c2a8e-6d1b-4c52-9a61-1b2f7e0c9d11")
	compareUpdate(t, "notify_user_put.xml", x.expect("user PUT READY")[0])
	get("user_ready.xml", "/finesse/api/User/1001")
	get("dialogs_empty.xml", "/finesse/api/User/1001/Dialogs")
	r.setState("NOT_READY", "<reasonCodeId>17</reasonCodeId>", "")
	x.expect("user PUT NOT_READY")
	get("user_notready.xml", "/finesse/api/User/1001")
	r.setState("READY", "", "")
	x.expect("user PUT READY")

	id, err := s.InjectCall(CallSpec{AgentID: "1001", ANI: "4085550100", DNIS: "8000", Queue: "7001",
		Variables: []Var{{"callVariable1", "ACME-42"}, {"user.account", "991"}}})
	if err != nil {
		t.Fatalf("InjectCall: %v", err)
	}
	got := x.expect("user PUT RESERVED", "dialogs POST ALERTING[5001:ALERTING,4085550100:INITIATED]")
	compareUpdate(t, "notify_dialogs_post.xml", got[1])
	get("dialogs_one_alerting.xml", "/finesse/api/User/1001/Dialogs")

	r.action(id, "ANSWER", "<targetMediaAddress>5001</targetMediaAddress>", "7a9e0b14-2c3d-4e5f-8a6b-0c1d2e3f4a5b")
	got = x.expect("dialog PUT ACTIVE[5001:ACTIVE,4085550100:ACTIVE]", "user PUT TALKING")
	compareUpdate(t, "notify_dialog_put.xml", got[0])
	get("dialog_active.xml", "/finesse/api/Dialog/"+id)

	r.setState("NOT_READY", "", "")
	x.expect("user PUT TALKING/pending=NOT_READY")
	get("user_notready_pending.xml", "/finesse/api/User/1001")

	r.action(id, "RETRIEVE", "<targetMediaAddress>5001</targetMediaAddress>", "c0ffee00-1234-4abc-8def-000000000042")
	compareUpdate(t, "notify_apierrors.xml", x.expect("apiErrors PUT Generic Error")[0])

	if err := s.HangUp(id); err != nil {
		t.Fatalf("HangUp: %v", err)
	}
	got = x.expect("dialog PUT ACTIVE[5001:ACTIVE,4085550100:DROPPED]",
		"dialog PUT DROPPED[5001:DROPPED,4085550100:DROPPED]",
		"dialogs DELETE DROPPED[5001:DROPPED,4085550100:DROPPED]", "user PUT WORK")
	compareUpdate(t, "notify_dialogs_delete.xml", got[2])

	r.setState("READY", "", "")
	x.expect("user PUT READY")
	_, body := r.do("PUT", "/finesse/api/User/1001", "<User><state>LOGOUT</state></User>", "")
	compareTree(t, "apierrors_invalid_state.xml", mustTree(t, body), readGolden(t, "apierrors_invalid_state.xml"))

	if err := s.SetInService(NodeA, false); err != nil {
		t.Fatal(err)
	}
	compareUpdate(t, "notify_systeminfo_put.xml", x.expect("systemInfo PUT OUT_OF_SERVICE")[0])
}

// TestGoldenStanzaWrapper checks the <message> wrapper the XMPP server
// writes against the golden stanzas (reference §6.1).
func TestGoldenStanzaWrapper(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"notify_user_put.xml", "notify_dialogs_post.xml", "notify_dialog_put.xml",
		"notify_dialogs_delete.xml", "notify_apierrors.xml", "notify_systeminfo_put.xml"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := readGolden(t, name)
			node, upd := goldenUpdate(t, name)
			b, err := os.ReadFile(filepath.Join(goldenDir, name))
			if err != nil {
				t.Fatal(err)
			}
			var raw struct {
				Text string `xml:"event>items>item>notification"`
			}
			if err := xml.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			_ = upd
			msg := pubsubMessage{From: want.Attr["from"], To: want.Attr["to"], ID: "x",
				Event: pubsubEvent{Items: pubsubItems{Node: node, Item: pubsubItem{ID: "y",
					Notification: notification{Text: raw.Text}}}}}
			out, err := xml.Marshal(msg)
			if err != nil {
				t.Fatal(err)
			}
			compareTree(t, name, mustTree(t, string(out)), want)
			if !strings.Contains(string(out), "&lt;Update&gt;") {
				t.Errorf("Update is not escaped text: %s", out)
			}
		})
	}
}
