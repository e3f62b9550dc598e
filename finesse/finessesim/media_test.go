package finessesim

import (
	"strings"
	"testing"
)

// The Media REST API: list, sign-in, state, errors; a voice sign-out signs
// the agent out of every MRD; UCCX has no Media API.
func TestMediaREST(t *testing.T) {
	s := startSim(t, Config{MRDs: []MRDConfig{{ID: "5000", Name: "Cisco_Chat_MRD", Description: "Chat"}}})
	c := newREST(t, s, NodeA, "1001", "secret1")
	list := c.must(200, "GET", "/finesse/api/User/1001/Media", "", "")
	for _, want := range []string{"<MediaList>", "<uri>/finesse/api/User/1001/Media/5000</uri>", "<name>Cisco_Chat_MRD</name>", "<state>LOGOUT</state>"} {
		if !strings.Contains(list, want) {
			t.Fatalf("MediaList lacks %s:\n%s", want, list)
		}
	}
	c.must(400, "PUT", "/finesse/api/User/1001/Media/5000", "<Media><state>READY</state></Media>", "")
	c.must(400, "PUT", "/finesse/api/User/1001/Media/5000", "<Media><state>LOGIN</state><maxDialogLimit>11</maxDialogLimit></Media>", "")
	c.must(202, "PUT", "/finesse/api/User/1001/Media/5000",
		"<Media><state>LOGIN</state><maxDialogLimit>3</maxDialogLimit><interruptAction>ACCEPT</interruptAction></Media>", "r1")
	c.must(404, "PUT", "/finesse/api/User/1001/Media/9999", "<Media><state>LOGIN</state></Media>", "")
	one := c.must(200, "GET", "/finesse/api/User/1001/Media/5000", "", "")
	if !strings.Contains(one, "<state>NOT_READY</state>") || !strings.Contains(one, "<maxDialogLimit>3</maxDialogLimit>") ||
		!strings.Contains(one, "<dialogLogoutAction>CLOSE</dialogLogoutAction>") {
		t.Fatalf("Media after sign-in:\n%s", one)
	}
	id, err := s.AddTask("1001", "5000")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.must(200, "GET", "/finesse/api/User/1001/Dialogs/Media", "", ""); !strings.Contains(got, "<id>"+id+"</id>") ||
		!strings.Contains(got, "<mediaId>5000</mediaId>") {
		t.Fatalf("Dialogs/Media:\n%s", got)
	}
	c.setState("LOGIN", "<extension>5001</extension>", "")
	c.setState("LOGOUT", "", "")
	if m := s.Media("1001"); len(m) != 1 || m[0].State != "LOGOUT" || len(m[0].Tasks) != 0 {
		t.Fatalf("after the voice sign-out: %+v", m)
	}

	x := startSim(t, Config{Deployment: UCCX, MRDs: []MRDConfig{{ID: "5000", Name: "Chat"}}})
	newREST(t, x, NodeA, "1001", "secret1").must(404, "GET", "/finesse/api/User/1001/Media", "", "")
}
