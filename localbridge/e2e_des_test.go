package localbridge_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/agentlink/agentlink/localbridge"
)

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// TestSecurePasswordInChromium checks the SDK's JavaScript 3DES against Go's
// and then signs in for real with a 3DES-wrapped password.
func TestSecurePasswordInChromium(t *testing.T) {
	ctx := browser(t)
	key := []byte("abcdefghijklmnopqrstuvwx")
	c := startChain(t, key)
	c.openHost(t, ctx, "localhost")
	keyB64 := base64.StdEncoding.EncodeToString(key)
	iv := []byte{9, 8, 7, 6, 5, 4, 3, 2}
	for _, pw := range []string{"", "a", "secret1", "exactly8", "pässwörd with € and more than two blocks"} {
		var got string
		js := fmt.Sprintf(`import("/sdk/des.js").then(m => m.encryptSecurePassword(%q, %q, new Uint8Array([9,8,7,6,5,4,3,2])))`, keyB64, pw)
		if err := chromedp.Run(ctx, chromedp.Evaluate(js, &got, awaitPromise)); err != nil {
			t.Fatalf("JS encrypt %q: %v", pw, err)
		}
		if want := localbridge.EncryptForTest(t, key, iv, pw); got != want {
			t.Errorf("JS 3DES of %q = %s, want %s (Go)", pw, got, want)
		}
	}

	var ok bool
	login := fmt.Sprintf(`(async () => { await window.al.ready();
		await window.al.login({agentId: "1001", extension: "5001", password: "secret1", secureKey: %q}); return true; })()`, keyB64)
	tctx, cancel := context.WithTimeout(ctx, 30e9)
	defer cancel()
	if err := chromedp.Run(tctx, chromedp.Evaluate(login, &ok, awaitPromise)); err != nil || !ok {
		t.Fatalf("login with a 3DES-wrapped password: %v", err)
	}
	if a, _ := c.sim.Agent("1001"); a.State != "NOT_READY" {
		t.Errorf("agent after secure login = %+v, want NOT_READY", a)
	}
}
