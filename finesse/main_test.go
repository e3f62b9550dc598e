package finesse

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// go-xmpp's Close leaves a 10 s timer goroutine (deps.md §2.3). We
		// never call Close, but the ignore keeps this honest if that changes.
		goleak.IgnoreAnyFunction("github.com/xmppo/go-xmpp.(*Client).Close.func1"),
	)
}
