package localbridge

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves goroutines behind: every
// client, command and monitor goroutine must end when Run returns.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// go-xmpp's Close leaves a goroutine that ends on its own (deps.md §2.3);
		// only the end-to-end tests, which run the real Finesse client, start it.
		goleak.IgnoreAnyFunction("github.com/xmppo/go-xmpp.(*Client).Close.func1"),
	)
}
