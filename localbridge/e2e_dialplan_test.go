package localbridge_test

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDialPlanJSVectors runs the SDK's dialplan.js in Chromium over the
// vectors core/dialplan_test.go checks the Go dial plan with, so the page
// and the bridge cannot drift apart.
func TestDialPlanJSVectors(t *testing.T) {
	ctx := browser(t)
	vectors, err := os.ReadFile("../core/testdata/dialplan.json")
	if err != nil {
		t.Fatal(err)
	}
	host := httptest.NewServer(hostHandler())
	defer host.Close()
	if err := chromedp.Run(ctx, chromedp.Navigate(host.URL+"/sdk/")); err != nil {
		t.Fatal(err)
	}
	js := `(async () => {
  const { normalizeNumber, BadNumberError } = await import("/sdk/dialplan.js");
  const v = ` + string(vectors) + `;
  const bad = [];
  for (const c of v.cases) {
    let got, err;
    try { got = normalizeNumber(c.in, v.plans[c.plan]); } catch (e) { err = e; }
    if (c.error ? !(err instanceof BadNumberError) : (err || got !== c.out))
      bad.push(c.plan + ": " + JSON.stringify(c.in) + " -> " + (err ? err.message : JSON.stringify(got)) + ", want " + (c.error ? "an error" : JSON.stringify(c.out)));
    if (!err && normalizeNumber(got, v.plans[c.plan]) !== got) bad.push(c.plan + ": not idempotent on " + JSON.stringify(c.in));
  }
  return v.cases.length + "\n" + bad.join("\n");
})()`
	var out string
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, chromedp.Evaluate(js, &out, awaitPromise)); err != nil {
		t.Fatal(err)
	}
	n, bad, _ := strings.Cut(out, "\n")
	if n == "0" || bad != "" {
		t.Errorf("dialplan.js over %s vectors:\n%s", n, bad)
	}
}
