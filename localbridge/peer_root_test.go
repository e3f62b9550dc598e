package localbridge

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/agentlink/agentlink/internal/roottest"
)

// The same-user check against a real second OS user (issue 10). It needs
// root to create the user; CI runs as root, so there a missing root fails
// instead of skipping.

// helperEnv makes the test binary act as a bridge client (TestPeerHelper).
const helperEnv = "AGENTLINK_PEER_HELPER_BASE"

// helperListenEnv makes it a squatter listening there until stdin closes.
const helperListenEnv = "AGENTLINK_PEER_HELPER_LISTEN"

func requireRoot(t *testing.T) { roottest.Require(t) }

// throwawayUser creates an OS user removed when the test ends, even on
// failure (roottest.NewUser).
func throwawayUser(t *testing.T) (name, uid, gid string) {
	u := roottest.NewUser(t)
	return u.Name, u.UID, u.GID
}

// helperBinary copies the test binary where another user can run it.
func helperBinary(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "agentlink-peer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "helper.test")
	if err := os.WriteFile(bin, src, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// runHelper runs the client in TestPeerHelper, as uid:gid when given, and
// returns what it printed: "http <status>" or "http error", then
// "ws ok" or "ws error".
func runHelper(t *testing.T, bin, base, uid, gid string) string {
	t.Helper()
	args := []string{bin, "-test.run=^TestPeerHelper$"}
	if uid != "" {
		args = append([]string{"setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*waitFor)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(os.Environ(), helperEnv+"="+base, "HOME=/")
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper as %q: %v: %s", uid, err, out)
	}
	return string(out)
}

// TestPeerHelper is the client the root test runs as another user: a
// forged allowed Origin and no token, over HTTP and WebSocket.
func TestPeerHelper(t *testing.T) {
	if addr := os.Getenv(helperListenEnv); addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		fmt.Println("listening")
		_, _ = io.Copy(io.Discard, os.Stdin)
		return
	}
	base := os.Getenv(helperEnv)
	if base == "" {
		t.Skip("only run by TestAnotherRealUserRefused")
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/status", nil)
	req.Header.Set("Origin", crmOrigin)
	cl := &http.Client{Timeout: waitFor, Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := cl.Do(req); err != nil {
		fmt.Println("http error")
	} else {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Println("http", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/v1/bridge",
		&websocket.DialOptions{HTTPHeader: http.Header{"Origin": {crmOrigin}}})
	if err != nil {
		fmt.Println("ws error")
		return
	}
	c.CloseNow()
	fmt.Println("ws ok")
}

// TestAnotherRealUserRefused: a second OS user with a forged allowed
// Origin is refused on HTTP and WebSocket; the same client as this user is
// accepted.
func TestAnotherRealUserRefused(t *testing.T) {
	requireRoot(t)
	_, uid, gid := throwawayUser(t)
	bin := helperBinary(t)
	h := newHarness(t)

	if out := runHelper(t, bin, h.base, "", ""); !strings.Contains(out, "http 200") || !strings.Contains(out, "ws ok") {
		t.Fatalf("this user's client was not accepted:\n%s", out)
	}
	out := runHelper(t, bin, h.base, uid, gid)
	if !strings.Contains(out, "http error") || !strings.Contains(out, "ws error") {
		t.Fatalf("another user's client was not refused:\n%s", out)
	}
}

// TestAnotherRealUserRefusedInNetns runs TestAnotherRealUserRefused again
// inside a fresh network namespace (only its own loopback), so that no
// other program on the machine can be on the other end.
func TestAnotherRealUserRefusedInNetns(t *testing.T) {
	requireRoot(t)
	if roottest.InNetns() {
		t.Skip("already inside the namespace")
	}
	out, err := roottest.ReRunInNetns(t, "TestAnotherRealUserRefused", 12*waitFor)
	if err != nil || !strings.Contains(out, "--- PASS: TestAnotherRealUserRefused") {
		t.Fatalf("in a network namespace: %v\n%s", err, out)
	}
}
