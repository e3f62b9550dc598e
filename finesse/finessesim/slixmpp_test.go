package finessesim

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

const systemPython = "/usr/bin/python3"

// TestSlixmppInterop proves the XMPP server works with an independent
// standard client: slixmpp connects (STARTTLS and direct TLS), authenticates,
// sends presence and receives one Finesse notification.
func TestSlixmppInterop(t *testing.T) {
	t.Parallel()
	if err := exec.Command(systemPython, "-c", "import slixmpp").Run(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s has no slixmpp (%v); install python3-slixmpp", systemPython, err)
		}
		t.Fatalf("CI is set but %s has no slixmpp: %v", systemPython, err)
	}
	for _, mode := range []string{"starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{})
			n := s.Node(NodeB)
			port := n.XMPPTLSPort()
			if mode == "starttls" {
				port = n.XMPPStartTLSPort()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, systemPython, "testdata/slix_client.py", n.Host(),
				strconv.Itoa(port), n.XMPPDomain(), "1002", "secret2", mode, s.CAFile())
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatalf("start slixmpp: %v", err)
			}
			lines := make(chan string, 16)
			go func() {
				sc := bufio.NewScanner(out)
				sc.Buffer(make([]byte, 1<<20), 1<<20)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			waitLine(t, lines, "READY", &stderr)
			newREST(t, s, NodeB, "1002", "secret2").setState("LOGIN", "<extension>5002</extension>", "slix-1")
			node := waitLine(t, lines, "NODE ", &stderr)
			upd := waitLine(t, lines, "UPDATE ", &stderr)
			if err := cmd.Wait(); err != nil {
				t.Errorf("slixmpp exit: %v; stderr: %s", err, stderr.String())
			}
			if node != "/finesse/api/User/1002" {
				t.Errorf("node: got %q, want /finesse/api/User/1002", node)
			}
			tree := mustTree(t, upd)
			for _, c := range []struct{ path, want string }{
				{"event", "PUT"}, {"requestId", "slix-1"}, {"source", "/finesse/api/User/1002"},
			} {
				if got := tree.text(c.path); got != c.want {
					t.Errorf("Update/%s: got %q, want %q", c.path, got, c.want)
				}
			}
			if got := tree.text("data", "user", "state"); got != "NOT_READY" {
				t.Errorf("Update/data/user/state: got %q, want NOT_READY", got)
			}
		})
	}
}

// waitLine returns the rest of the first line with the given prefix.
func waitLine(t *testing.T, lines <-chan string, prefix string, stderr *strings.Builder) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("slixmpp ended before %q; stderr: %s", prefix, stderr.String())
			}
			if rest, found := strings.CutPrefix(l, prefix); found {
				return rest
			}
		case <-deadline:
			t.Fatalf("no %q line from slixmpp within 20s", prefix)
		}
	}
}
