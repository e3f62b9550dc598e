package localbridge

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/assets"
)

// TestOracleAddinZip: the bridge serves the Oracle Browser UI extension as
// the zip the Add-In Manager takes: init.html, pane.html, dial.html and
// config.json at the top level, each exactly the embedded file.
func TestOracleAddinZip(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	resp, err := http.Get(h.base + "/crm/oracle/addin.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("GET the zip: %d %s, want 200 application/zip", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		want, err := fs.ReadFile(assets.Web, "crm/oracle/"+f.Name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s in the zip differs from assets/crm/oracle/%s (%v)", f.Name, f.Name, err)
		}
	}
	if want := "init.html pane.html dial.html config.json"; strings.Join(names, " ") != want {
		t.Errorf("zip holds %v, want %s at the top level", names, want)
	}
}
