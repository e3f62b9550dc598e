package finessesim

import (
	"strings"
	"testing"
)

func TestClientLogREST(t *testing.T) {
	s := startSim(t, Config{})
	c := newREST(t, s, NodeA, "1001", "secret1")
	c.must(204, "POST", "/finesse/api/User/1001/ClientLog", "<ClientLog><logData>line 1&#xA;line 2</logData></ClientLog>", "")
	c.must(400, "POST", "/finesse/api/User/1001/ClientLog", "<ClientLog></ClientLog>", "")
	big := "<ClientLog><logData>" + strings.Repeat("x", clientLogMaxChars+1) + "</logData></ClientLog>"
	c.must(400, "POST", "/finesse/api/User/1001/ClientLog", big, "")
	c.must(401, "POST", "/finesse/api/User/1002/ClientLog", "<ClientLog><logData>x</logData></ClientLog>", "")
	if got := s.ClientLogs("1001"); len(got) != 1 || got[0] != "line 1\nline 2" {
		t.Fatalf("ClientLogs = %q", got)
	}
}
