package finesse

import (
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func readGolden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("golden file: %v", err)
	}
	return b
}

var goldenTime = time.Date(2026, 11, 22, 4, 20, 5, 0, time.UTC)

func alertingDialog() core.Dialog {
	return core.Dialog{
		ID: "16777217", State: core.DialogAlerting, CallType: "PREROUTE_ACD_IN",
		From: "4085550100", To: "8000", DNIS: "8000", DialedNumber: "8000", QueueName: "Sales",
		Variables: []core.CallVariable{{Name: "callVariable1", Value: "ACME-42"}, {Name: "user.account", Value: "991"}},
		Participants: []core.Participant{
			{Address: "5001", AddressType: "AGENT_DEVICE", State: core.PartAlerting, Actions: []core.Action{core.ActionAnswer}, Since: goldenTime},
			{Address: "4085550100", State: core.PartInitiated, Since: goldenTime},
		},
	}
}

func TestDecodeMessageGolden(t *testing.T) {
	t.Parallel()
	dropped := alertingDialog()
	dropped.State = core.DialogDropped
	dropped.Participants = []core.Participant{
		{Address: "5001", AddressType: "AGENT_DEVICE", State: core.PartDropped, Since: goldenTime},
		{Address: "4085550100", State: core.PartDropped, Since: goldenTime},
	}
	tests := []struct {
		file string
		want []core.Update
	}{
		{"notify_user_put.xml", []core.Update{{Kind: core.UpdateAgent, RequestID: "3f1c2a8e-6d1b-4c52-9a61-1b2f7e0c9d11",
			Agent: &core.Agent{ID: "1001", FirstName: "Alice", LastName: "Anders", State: core.StateReady, ReasonCodeID: "-1",
				Extension: "5001", Since: time.Date(2026, 11, 22, 4, 20, 0, 0, time.UTC), WrapUpOnIncoming: "OPTIONAL"}}}},
		{"notify_dialogs_post.xml", []core.Update{{Kind: core.UpdateDialog, DialogID: "16777217", Dialog: ptr(alertingDialog())}}},
		{"notify_dialogs_delete.xml", []core.Update{{Kind: core.UpdateDialogRemoved, DialogID: "16777217", Dialog: &dropped}}},
		{"notify_apierrors.xml", []core.Update{{Kind: core.UpdateError, RequestID: "c0ffee00-1234-4abc-8def-000000000042", DialogID: "16777217",
			Err: &core.FinesseError{Type: "Generic Error", Message: "CF_INVALID_OBJECT_STATE", Data: "22",
				RequestID: "c0ffee00-1234-4abc-8def-000000000042", DialogID: "16777217"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := decodeMessage(readGolden(t, tt.file))
			if err != nil {
				t.Fatalf("decodeMessage: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("updates (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeMessageGoldenKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		kind  core.UpdateKind
		check func(t *testing.T, u core.Update)
	}{
		{"notify_dialog_put.xml", core.UpdateDialog, func(t *testing.T, u core.Update) {
			if u.Dialog == nil || u.Dialog.ID == "" || u.Dialog.State == "" {
				t.Errorf("dialog = %+v, want id and state", u.Dialog)
			}
		}},
		{"notify_systeminfo_put.xml", core.UpdateSystem, func(t *testing.T, u core.Update) {
			if u.System == nil || u.System.Status != core.OutOfService {
				t.Errorf("system = %+v, want OUT_OF_SERVICE", u.System)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := decodeMessage(readGolden(t, tt.file))
			if err != nil {
				t.Fatalf("decodeMessage: %v", err)
			}
			if len(got) != 1 || got[0].Kind != tt.kind {
				t.Fatalf("got %d updates (%+v), want one of kind %v", len(got), got, tt.kind)
			}
			tt.check(t, got[0])
		})
	}
}

func ptr[T any](v T) *T { return &v }

// update builds an Update document the way tests need to vary it.
func update(data, event, rid, source string) string {
	return "<Update><data>" + data + "</data><event>" + event + "</event><requestId>" + rid +
		"</requestId><source>" + source + "</source></Update>"
}

func TestDecodeUpdateTolerance(t *testing.T) {
	t.Parallel()
	readyAgent := func(u core.Update) any { return u.Agent.State }
	tests := []struct {
		name    string
		payload string
		kind    core.UpdateKind
		pick    func(core.Update) any
		want    any
	}{
		{"lower user", update("<user><loginId>1</loginId><state>READY</state></user>", "PUT", "", "/finesse/api/User/1"),
			core.UpdateAgent, readyAgent, core.StateReady},
		{"upper User", update("<User><loginId>1</loginId><state>READY</state></User>", "put", "", "/finesse/api/User/1"),
			core.UpdateAgent, readyAgent, core.StateReady},
		{"shuffled children", "<update><source>/finesse/api/User/1</source><requestId>r1</requestId><event>Put</event><data><user><state>READY</state><loginId>1</loginId></user></data></update>",
			core.UpdateAgent, func(u core.Update) any { return u.RequestID + "/" + string(u.Agent.State) }, "r1/READY"},
		{"lower dialog put", update("<dialog><id>7</id><state>ACTIVE</state></dialog>", "put", "", "/finesse/api/Dialog/7"),
			core.UpdateDialog, func(u core.Update) any { return u.Dialog.ID + string(u.Dialog.State) }, "7ACTIVE"},
		{"upper ApiErrors", update("<ApiErrors><ApiError><ErrorType>Invalid State</ErrorType></ApiError></ApiErrors>", "PUT", "x", "/finesse/api/Dialog/9"),
			core.UpdateError, func(u core.Update) any { return u.Err.Type + "/" + u.DialogID + "/" + u.RequestID }, "Invalid State/9/x"},
		{"dialogs delete without data", update("", "DELETE", "", "/finesse/api/Dialog/9"),
			core.UpdateDialogRemoved, func(u core.Update) any { return u.DialogID }, "9"},
		{"dialog id from uri", update("<dialogs><Dialog><uri>/finesse/api/Dialog/55</uri></Dialog></dialogs>", "POST", "", "/finesse/api/User/1/Dialogs"),
			core.UpdateDialog, func(u core.Update) any { return u.DialogID }, "55"},
		{"partial service is out of service", update("<systemInfo><status>PARTIAL_SERVICE</status></systemInfo>", "PUT", "", "/finesse/api/SystemInfo"),
			core.UpdateSystem, func(u core.Update) any { return u.System.Status }, core.OutOfService},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeUpdate([]byte(tt.payload))
			if err != nil {
				t.Fatalf("decodeUpdate: %v", err)
			}
			if len(got) != 1 || got[0].Kind != tt.kind {
				t.Fatalf("got %+v, want one update of kind %v", got, tt.kind)
			}
			if diff := cmp.Diff(tt.want, tt.pick(got[0])); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeUpdateIgnored(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, payload string }{
		{"json payload", `{"Update":{"event":"PUT"}}`},
		{"unknown data", update("<team><id>1</id></team>", "PUT", "", "/finesse/api/Team/1")},
		{"empty data", update("", "PUT", "", "/finesse/api/User/1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeUpdate([]byte(tt.payload))
			if err != nil || len(got) != 0 {
				t.Errorf("decodeUpdate = %+v, %v; want nothing, nil", got, err)
			}
		})
	}
}

func TestDecodeItemUnknownNodeIgnored(t *testing.T) {
	t.Parallel()
	got, err := decodeItem("/finesse/api/Team/5/Users", []byte("<notification>garbage"))
	if err != nil || got != nil {
		t.Errorf("decodeItem = %+v, %v; want nil, nil", got, err)
	}
}

func TestDecodeMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, payload string }{
		{"empty", ""},
		{"not xml", "hello"},
		{"truncated", "<Update><data><user><state>READY"},
		{"wrong root", "<Dialog><id>1</id></Dialog>"},
		{"dialog without id", update("<dialogs><Dialog><state>ACTIVE</state></Dialog></dialogs>", "POST", "", "/finesse/api/User/1/Dialogs")},
		{"bad charset", `<?xml version="1.0" encoding="EBCDIC"?><Update/>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeUpdate([]byte(tt.payload))
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestDecodeItemChildElements(t *testing.T) {
	t.Parallel()
	inner := `<notification xmlns="http://jabber.org/protocol/pubsub">` +
		update("<user><loginId>1</loginId><state>NOT_READY</state></user>", "PUT", "", "/finesse/api/User/1") + `</notification>`
	got, err := decodeItem("/finesse/api/User/1", []byte(inner))
	if err != nil || len(got) != 1 || got[0].Agent.State != core.StateNotReady {
		t.Fatalf("decodeItem = %+v, %v; want NOT_READY agent", got, err)
	}
}

func TestClassifyNode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		node string
		want notifyNode
	}{
		{"/finesse/api/User/1001", nodeUser},
		{"/finesse/api/User/1001/Dialogs", nodeDialogs},
		{"/finesse/api/SystemInfo", nodeSystemInfo},
		{"/finesse/api/User/1001/Dialogs/Media", nodeUnknown},
		{"/finesse/api/Team/1/Users", nodeUnknown},
		{"/other", nodeUnknown},
	}
	for _, tt := range tests {
		if got := classifyNode(tt.node); got != tt.want {
			t.Errorf("classifyNode(%q) = %v, want %v", tt.node, got, tt.want)
		}
	}
}

func FuzzDecodeNotification(f *testing.F) {
	for _, name := range []string{"notify_user_put.xml", "notify_dialogs_post.xml", "notify_dialog_put.xml",
		"notify_dialogs_delete.xml", "notify_apierrors.xml", "notify_systeminfo_put.xml"} {
		f.Add(readGolden(f, name))
	}
	f.Add([]byte(`<message><event><items node="/finesse/api/User/1"><item><notification>{"json":1}</notification></item></items></event></message>`))
	f.Fuzz(func(t *testing.T, stanza []byte) {
		ups, err := decodeMessage(stanza)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		for _, u := range ups {
			checkUpdateShape(t, u)
		}
		checkRoundTrip(t, stanza)
	})
}

// checkRoundTrip asserts parse -> print -> parse is stable for the Update
// document inside stanza (style rule 23).
func checkRoundTrip(t *testing.T, stanza []byte) {
	t.Helper()
	var m wireMessage
	if xml.Unmarshal(stanza, &m) != nil || len(m.Event.Items.Items) == 0 {
		return
	}
	var n wireNotification
	if xml.Unmarshal(m.Event.Items.Items[0].Inner, &n) != nil {
		return
	}
	var first wireUpdate
	if decodeXML([]byte(strings.TrimSpace(n.Text)), "Update", &first) != nil {
		return
	}
	printed, err := xml.Marshal(&first)
	if err != nil {
		t.Fatalf("marshal decoded update: %v", err)
	}
	var second wireUpdate
	if err := decodeXML(printed, "Update", &second); err != nil {
		t.Fatalf("re-decode %s: %v", printed, err)
	}
	if diff := cmp.Diff(first, second, cmpopts.IgnoreTypes(xml.Name{})); diff != "" {
		t.Fatalf("round trip changed the update (-first +second):\n%s", diff)
	}
}

func TestRoundTripGolden(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"notify_user_put.xml", "notify_dialogs_post.xml", "notify_dialog_put.xml",
		"notify_dialogs_delete.xml", "notify_apierrors.xml", "notify_systeminfo_put.xml"} {
		t.Run(name, func(t *testing.T) { checkRoundTrip(t, readGolden(t, name)) })
	}
}

// checkUpdateShape asserts the invariants the session relies on.
func checkUpdateShape(t *testing.T, u core.Update) {
	t.Helper()
	switch u.Kind {
	case core.UpdateAgent:
		if u.Agent == nil {
			t.Fatal("UpdateAgent without agent")
		}
	case core.UpdateDialog:
		if u.Dialog == nil || u.Dialog.ID == "" || u.DialogID != u.Dialog.ID {
			t.Fatalf("UpdateDialog without a dialog id: %+v", u)
		}
	case core.UpdateDialogRemoved:
		if u.DialogID == "" {
			t.Fatal("UpdateDialogRemoved without id")
		}
	case core.UpdateSystem:
		if u.System == nil || (u.System.Status != core.InService && u.System.Status != core.OutOfService) {
			t.Fatalf("bad system %+v", u.System)
		}
	case core.UpdateError:
		if u.Err == nil {
			t.Fatal("UpdateError without error")
		}
	default:
		t.Fatalf("unexpected kind %v", u.Kind)
	}
	if strings.ContainsRune(u.RequestID, '<') {
		t.Fatalf("request id %q holds markup", u.RequestID)
	}
}

func FuzzDecodeAPIErrors(f *testing.F) {
	f.Add(readGolden(f, "apierrors_invalid_state.xml"))
	f.Add([]byte("<apiErrors><apiError><errorType>Generic Error</errorType></apiError></apiErrors>"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, body []byte) {
		fe := apiError(400, body)
		if fe == nil || fe.Status != 400 || fe.Type == "" {
			t.Fatalf("apiError = %+v, want a FinesseError with status 400 and a type", fe)
		}
		if !strings.Contains(fe.Error(), "HTTP 400") {
			t.Fatalf("Error() = %q, want the status in it", fe.Error())
		}
	})
}
