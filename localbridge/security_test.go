package localbridge

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// get sends a request with the given Host, Origin and Authorization.
func (h *harness) do(t *testing.T, method, path, host, origin, auth string, extra http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, h.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		req.Header[k] = v
	}
	if host != "" {
		req.Host = host
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestHTTPAttacks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	port := h.srv.listenPort()
	bearer := "Bearer " + testToken
	tests := []struct {
		name               string
		method, path       string
		host, origin, auth string
		want               int
	}{
		{"status with token", "GET", "/v1/status", "", "", bearer, 200},
		{"status from allowed origin", "GET", "/v1/status", "", crmOrigin, "", 200},
		{"status from localhost name", "GET", "/v1/status", "localhost:" + port, "", bearer, 200},
		{"status from [::1]", "GET", "/v1/status", "[::1]:" + port, "", bearer, 200},
		{"host without port", "GET", "/v1/status", "127.0.0.1", "", bearer, 200},
		{"forged host", "GET", "/v1/status", "evil.example:" + port, "", bearer, 403},
		{"dns rebinding", "GET", "/v1/status", "evil.example:" + port, "http://evil.example:" + port, "", 403},
		{"loopback suffix host", "GET", "/v1/status", "127.0.0.1.evil.com:" + port, "", bearer, 403},
		{"wrong port in host", "GET", "/v1/status", "127.0.0.1:1", "", bearer, 403},
		{"foreign origin", "GET", "/v1/status", "", "https://evil.example.net", "", 403},
		{"foreign origin with token", "GET", "/v1/status", "", "https://evil.example.net", bearer, 403},
		{"wrong scheme origin", "GET", "/v1/status", "", "http://crm.example.com", "", 403},
		{"origin with port", "GET", "/v1/status", "", "https://crm.example.com:8443", "", 403},
		{"suffix origin", "GET", "/v1/status", "", "https://crm.example.com.evil.net", "", 403},
		{"loopback suffix origin", "GET", "/v1/status", "", "http://127.0.0.1.evil.com", "", 403},
		{"null origin", "GET", "/v1/status", "", "null", "", 403},
		{"missing token", "GET", "/v1/status", "", "", "", 401},
		{"wrong token", "GET", "/v1/status", "", "", "Bearer " + strings.Repeat("x", len(testToken)), 401},
		{"token prefix", "GET", "/v1/status", "", "", bearer[:len(bearer)-1], 401},
		{"basic auth", "GET", "/v1/status", "", "", "Basic " + testToken, 401},
		{"token in query", "GET", "/v1/status?token=" + testToken, "", "", "", 401},
		{"token in query with header", "GET", "/v1/status?access_token=" + testToken, "", "", bearer, 401},
		{"websocket without token", "GET", "/v1/bridge", "", "", "", 401},
		{"healthz public", "GET", "/healthz", "", "", "", 200},
		{"healthz forged host", "GET", "/healthz", "evil.example", "", "", 403},
		{"sdk public", "GET", "/sdk/agentlink.js", "", "", "", 200},
		{"sdk from foreign origin", "GET", "/sdk/agentlink.js", "", "https://evil.example.net", "", 403},
		{"toolbar public", "GET", "/toolbar/", "", "", "", 200},
		{"monitor without ticket", "GET", "/monitor/", "", "", "", 401},
		{"monitor with bad ticket", "GET", "/monitor/?ticket=nope", "", "", "", 403},
		{"monitor api without cookie", "GET", "/monitor/api/state", "", "", "", 401},
		{"monitor from CRM origin", "GET", "/monitor/api/state", "", crmOrigin, bearer, 403},
		{"monitor with token", "GET", "/monitor/api/state", "", "", bearer, 200},
		{"unknown path with token", "GET", "/v1/nothing", "", "", bearer, 404},
		{"post status", "POST", "/v1/status", "", "", bearer, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.do(t, tt.method, tt.path, tt.host, tt.origin, tt.auth, nil)
			if resp.StatusCode != tt.want {
				b, _ := io.ReadAll(resp.Body)
				t.Errorf("status %d (%s), want %d", resp.StatusCode, b, tt.want)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff on every response", got)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" && got != tt.origin {
				t.Errorf("Access-Control-Allow-Origin = %q, want exact origin or none", got)
			}
		})
	}
}

func TestWebSocketAttacks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	port := h.srv.listenPort()
	tests := []struct {
		name, origin, host, auth string
		want                     int // 0 = upgrade succeeds
	}{
		{"allowed origin", crmOrigin, "", "", 0},
		{"own toolbar", "http://127.0.0.1:" + port, "", "", 0},
		{"own toolbar via localhost", "http://localhost:" + port, "", "", 0},
		{"token, no origin", "", "", "Bearer " + testToken, 0},
		{"foreign origin", "https://evil.example.net", "", "", 403},
		{"foreign origin with token", "https://evil.example.net", "", "Bearer " + testToken, 403},
		{"wrong scheme", "http://crm.example.com", "", "", 403},
		{"suffix trick", "https://crm.example.com.evil.net", "", "", 403},
		{"dns rebinding", "http://evil.example:" + port, "evil.example:" + port, "", 403},
		{"no origin, no token", "", "", "", 401},
		{"no origin, wrong token", "", "", "Bearer nope", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := http.Header{}
			if tt.auth != "" {
				hdr.Set("Authorization", tt.auth)
			}
			if tt.host != "" {
				hdr.Set("Host", tt.host)
			}
			c, resp, err := h.dialWS(tt.origin, hdr)
			if tt.want == 0 {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				c.CloseNow()
				return
			}
			if err == nil {
				c.CloseNow()
				t.Fatalf("dial succeeded, want %d", tt.want)
			}
			if resp == nil || resp.StatusCode != tt.want {
				t.Errorf("dial: %v (resp %v), want HTTP %d", err, resp, tt.want)
			}
		})
	}
	if got := h.srv.RefusedOrigins(); len(got) == 0 || got[0].Origin != "https://evil.example.net" || got[0].Attempts != 2 {
		t.Errorf("RefusedOrigins() = %+v, want evil.example.net with 2 attempts first", got)
	}
}

func TestPrivateNetworkPreflight(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	pna := http.Header{
		"Access-Control-Request-Method":          {"GET"},
		"Access-Control-Request-Private-Network": {"true"},
	}
	resp := h.do(t, "OPTIONS", "/v1/status", "", crmOrigin, "", pna)
	want := map[string]string{
		"Access-Control-Allow-Origin":          crmOrigin,
		"Access-Control-Allow-Private-Network": "true",
		"Vary":                                 "Origin",
	}
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("allowed preflight status %d, want 204", resp.StatusCode)
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("allowed preflight %s = %q, want %q", k, got, v)
		}
	}
	bad := h.do(t, "OPTIONS", "/v1/status", "", "https://evil.example.net", "", pna)
	if bad.StatusCode != http.StatusForbidden || bad.Header.Get("Access-Control-Allow-Private-Network") != "" ||
		bad.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("foreign preflight: status %d, headers %v; want 403 without CORS headers", bad.StatusCode, bad.Header)
	}
}

func TestPageHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tb := h.do(t, "GET", "/toolbar/", "", "", "", nil)
	if csp := tb.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' "+crmOrigin) {
		t.Errorf("toolbar CSP = %q, want frame-ancestors with the CRM origin", csp)
	}
	if tb.Header.Get("X-Frame-Options") != "" {
		t.Errorf("toolbar must be frameable by allowed origins, got X-Frame-Options %q", tb.Header.Get("X-Frame-Options"))
	}
	mon := h.do(t, "GET", "/monitor/", "", "", "Bearer "+testToken, nil)
	if csp := mon.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || mon.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("monitor CSP %q XFO %q, want frame-ancestors 'none' and DENY", csp, mon.Header.Get("X-Frame-Options"))
	}
}

func TestMonitorTicket(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u, err := h.srv.MonitorURL()
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar}
	resp, err := cl.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.RawQuery != "" {
		t.Fatalf("monitor via ticket: %d at %s, want 200 at /monitor/ without the ticket", resp.StatusCode, resp.Request.URL)
	}
	st, err := cl.Get(h.base + "/monitor/api/state")
	if err != nil {
		t.Fatal(err)
	}
	st.Body.Close()
	if st.StatusCode != 200 {
		t.Errorf("monitor api with cookie: %d, want 200", st.StatusCode)
	}
	pu, _ := url.Parse(u)
	ck := jar.Cookies(pu)
	if len(ck) != 1 {
		t.Fatalf("cookies %v, want the monitor session", ck)
	}
	// A fresh browser cannot reuse the ticket.
	again, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	if again.StatusCode != http.StatusForbidden {
		t.Errorf("ticket reuse: %d, want 403", again.StatusCode)
	}
}

// TestListensOnIPv6Loopback: with an IPv4 loopback Addr the bridge also
// answers on [::1] at the same port, when this machine has IPv6 loopback.
func TestListensOnIPv6Loopback(t *testing.T) {
	t.Parallel()
	probe, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback here")
	}
	probe.Close()
	h := newHarness(t)
	resp, err := http.Get("http://[::1]:" + h.srv.listenPort() + "/healthz")
	if err != nil {
		t.Fatalf("GET over [::1]: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET over [::1]: %d, want 200", resp.StatusCode)
	}
}
