package finessesim

import (
	"errors"
	"testing"
)

// TestSetCallVariables: the in-process publish path sends the same Dialog
// PUT over XMPP that UPDATE_CALL_DATA would, with no requestId, and refuses
// an unknown dialog.
func TestSetCallVariables(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	a := signIn(t, s, NodeA, "1002", true)
	id := answered(t, s, a)
	if err := s.SetCallVariables(id, Var{"callVariable1", "v1"}, Var{"user.bench", "7"}); err != nil {
		t.Fatalf("SetCallVariables: %v", err)
	}
	u := a.x.next()
	if u.Data == nil || u.Data.Name != "dialog" || u.Event != "PUT" || u.RequestID != "" {
		t.Fatalf("got %v, want an unsolicited Dialog PUT", u)
	}
	vars := map[string]string{}
	for _, v := range u.Data.child("mediaProperties").child("callvariables").children("CallVariable") {
		vars[v.text("name")] = v.text("value")
	}
	if vars["callVariable1"] != "v1" || vars["user.bench"] != "7" {
		t.Errorf("call variables after SetCallVariables: %v", vars)
	}
	if err := s.SetCallVariables("no-such-dialog"); !errors.Is(err, ErrUnknownDialog) {
		t.Errorf("unknown dialog: got %v, want ErrUnknownDialog", err)
	}
}
