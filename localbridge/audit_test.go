package localbridge

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// fetchAudit reads the audit export with the bridge token.
func (h *harness) fetchAudit(t *testing.T) ([]auditEntry, *http.Response) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.base+"/monitor/api/audit", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var es []auditEntry
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&es); err != nil {
			t.Fatal(err)
		}
	}
	return es, resp
}

// TestAuditTrail: the commands a toolbar sends to the phone are recorded
// with their origin and outcome, newest first; read-only queries are not;
// the password and DTMF digits never are.
func TestAuditTrail(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.connect(t)
	c.handshake(map[string]any{"agentId": "1001"})
	c.login()
	c.mustOK("SetState", map[string]any{"state": "READY"})
	c.mustOK("GetWrapUpReasons", nil)
	d := h.ring("d1", "0201234567", allActions)
	c.mustOK("Answer", map[string]any{"dialogId": d.ID})
	c.mustOK("SendDTMF", map[string]any{"dialogId": d.ID, "digits": "4929123412341234"})
	if f := c.call("Consult", map[string]any{"dialogId": "nope", "number": "5002"}); f.OK {
		t.Fatal("Consult on an unknown dialog succeeded")
	}

	es, resp := h.fetchAudit(t)
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "agentlink-audit.json") {
		t.Errorf("Content-Disposition = %q, want a download named agentlink-audit.json", cd)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Command+" "+e.Outcome)
		if e.Origin != crmOrigin || e.Client == "" || e.At == "" {
			t.Errorf("entry %+v: want origin %s, a client id and a time", e, crmOrigin)
		}
	}
	want := []string{"Consult no_such_dialog", "SendDTMF ok", "Answer ok", "SetState ok", "Login ok"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("audit trail = %v, want %v (newest first, no read-only queries)", got, want)
	}
	all, _ := json.Marshal(es)
	for _, secret := range []string{"secret1", "4929123412341234"} {
		if strings.Contains(string(all), secret) {
			t.Errorf("the audit trail holds %q: %s", secret, all)
		}
	}
	if len(es) == 5 && (!strings.Contains(es[1].Detail, "digits=16 sent") || !strings.Contains(es[4].Detail, "agent=1001 extension=5001")) {
		t.Errorf("details: DTMF %q, Login %q", es[1].Detail, es[4].Detail)
	}
}

// TestAuditNeedsMonitorAuth: the export is the monitor's, so a CRM origin
// or a client without the token cannot read it.
func TestAuditNeedsMonitorAuth(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, hdr := range map[string]http.Header{
		"no token":   {},
		"CRM origin": {"Origin": {crmOrigin}, "Authorization": {"Bearer " + testToken}},
	} {
		req, _ := http.NewRequest(http.MethodGet, h.base+"/monitor/api/audit", nil)
		req.Header = hdr
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("%s: audit export answered 200", name)
		}
	}
}
