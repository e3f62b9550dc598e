// Package roottest holds what the tests that need root share: throwaway
// OS users and private network namespaces, both removed when the test
// ends, even when it fails. CI runs as root, so there a test that needs
// root fails instead of skipping.
package roottest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"os/user"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Require skips the test without root on Linux, except in CI where it
// fails.
func Require(t testing.TB) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("needs Linux")
	}
	if os.Getuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("this test needs root and CI runs as root")
		}
		t.Skip("needs root (creates throwaway OS users)")
	}
}

// User is a throwaway OS user.
type User struct {
	Name, UID, GID string
}

// Setpriv is the command prefix that runs a program as u, with no
// supplementary groups.
func (u User) Setpriv() []string {
	return []string{"setpriv", "--reuid=" + u.UID, "--regid=" + u.GID, "--clear-groups", "--"}
}

// NewUser creates a system user without a home. When the test ends its
// processes are killed and it is removed, even on failure.
func NewUser(t testing.TB) User {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "agentlink-t-" + hex.EncodeToString(b)
	if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name).CombinedOutput(); err != nil {
		t.Fatalf("useradd: %v: %s", err, out)
	}
	t.Cleanup(func() { removeUser(t, name) })
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return User{Name: name, UID: u.Uid, GID: u.Gid}
}

// removeUser kills what the user still runs (userdel refuses a user with
// processes) and deletes it.
func removeUser(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 20 && ctx.Err() == nil; i++ {
		_ = exec.CommandContext(ctx, "pkill", "-KILL", "-u", name).Run()
		out, err := exec.CommandContext(ctx, "userdel", name).CombinedOutput()
		if err == nil {
			return
		}
		if !strings.Contains(string(out), "currently used") {
			t.Errorf("userdel %s: %v: %s", name, err, out)
			return
		}
		time.Sleep(100 * time.Millisecond) // a killed process is reaped asynchronously
	}
	t.Errorf("userdel %s: the user still runs processes", name)
}

// InNetns reports whether this process is the copy ReRunInNetns started.
func InNetns() bool { return os.Getenv(netnsEnv) != "" }

const netnsEnv = "AGENTLINK_IN_NETNS"

// ReRunInNetns runs the test named test of this test binary again inside
// a fresh network namespace with only its own loopback up, so that no
// other program on the machine can be on the other end of a loopback
// port, and returns what it printed. The namespace ends with the process.
func ReRunInNetns(t testing.TB, test string, timeout time.Duration, env ...string) (string, error) {
	t.Helper()
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed (scripts/setup.sh installs it): %v", tool, err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", "--net", "--", "sh", "-c",
		`ip link set lo up && exec "$0" -test.run="^$1\$" -test.count=1 -test.v`, self, test)
	cmd.Env = append(append(os.Environ(), netnsEnv+"=1"), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
