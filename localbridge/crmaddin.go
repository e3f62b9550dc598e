package localbridge

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"net/http"

	"github.com/agentlink/agentlink/assets"
)

// oracleAddinFiles are the files of the Oracle B2C Service Browser UI
// extensions (docs/crm/oracle.md), at the top level of one zip: the
// Console extension's init file, the side pane page, the Workspace
// extension's init file (Dial buttons) and the settings they read.
var oracleAddinFiles = []string{"init.html", "pane.html", "dial.html", "config.json"}

// serveOracleZip serves the extension zip an Oracle admin uploads in the
// Add-In Manager, built from the embedded files so it never goes stale. It
// holds nothing secret: config.json carries the defaults, which the admin
// edits before uploading.
func (s *Server) serveOracleZip(w http.ResponseWriter, _ *http.Request) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range oracleAddinFiles {
		b, err := fs.ReadFile(assets.Web, "crm/oracle/"+name) // a build without them fails TestOracleAddinZip
		var f io.Writer
		if err == nil {
			f, err = zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		}
		if err == nil {
			_, err = f.Write(b)
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, "internal", "cannot build the extension zip: "+err.Error())
			return
		}
	}
	if err := zw.Close(); err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "cannot build the extension zip: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="agentlink-oracle.zip"`)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(buf.Bytes()) // the client may be gone; nothing to do
}
