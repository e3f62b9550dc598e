package localbridge

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
)

// handler builds the middleware chain. It denies by default, in this order
// (outermost first):
//
//  0. baseHeaders: nosniff, no-referrer and Vary: Origin on every response,
//     refusals included.
//  1. checkHost: the Host header must name loopback (localhost, 127.0.0.0/8,
//     [::1]) with our port or none. This defeats DNS rebinding, where a
//     hostile name resolves to 127.0.0.1 and Origin equals Host. -> 403
//  2. checkOrigin: an Origin header, when present, must exactly match an
//     allowed origin (configured, agent-approved, or our own pages). This
//     runs on every HTTP request and on the WebSocket upgrade; it also
//     answers CORS and Private Network Access preflights, for allowed
//     origins only. Unknown origins are recorded for the agent. -> 403
//  3. checkAuth: a request without Origin (a local program) needs the
//     bearer token, except public static GETs (/healthz, /sdk/, /toolbar/,
//     /crm/);
//     the monitor needs its ticket/cookie or the token whatever the Origin.
//     A token in the URL is always refused. -> 401
//  4. the route table (routes), whose handlers set the page CSPs.
func (s *Server) handler() http.Handler {
	return s.baseHeaders(s.checkHost(s.checkOrigin(s.checkAuth(s.routes()))))
}

func (s *Server) baseHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Add("Vary", "Origin")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hostAllowed(r.Host, s.listenPort()) {
			s.log.Warn("bridge refused host", "host", truncate(r.Host, 100))
			writeError(w, http.StatusForbidden, "forbidden_host", "Host must be localhost or a loopback address")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether host (a Host header) names loopback with the
// given port or no port. Only exact names and parsed IPs count: no suffix
// games such as 127.0.0.1.evil.example.
func hostAllowed(host, port string) bool {
	h, p, err := net.SplitHostPort(host)
	if err != nil {
		h, p = host, ""
	}
	if p != "" && p != port {
		return false
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if strings.EqualFold(h, "localhost") || strings.EqualFold(h, "localhost.") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// selfOrigin reports whether origin is the bridge's own pages.
func (s *Server) selfOrigin(origin string) bool {
	port := s.listenPort()
	switch origin {
	case "http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port:
		return true
	}
	return false
}

func (s *Server) checkOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin, present := originOf(r)
		if !present || s.selfOrigin(origin) {
			next.ServeHTTP(w, r)
			return
		}
		if !s.origins.allowed(origin) {
			s.refuseOrigin(origin, r.URL.Path)
			writeError(w, http.StatusForbidden, "forbidden_origin", "origin "+truncate(origin, 100)+" is not allowed; the agent can allow it in AgentLink")
			return
		}
		if isMonitorPath(r.URL.Path) {
			writeError(w, http.StatusForbidden, "forbidden_origin", "the monitor is not available cross-origin")
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin) // exact, never *
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			servePreflight(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// originOf returns the Origin header; present is true when the header is
// there at all (an empty or "null" Origin is present and never allowed).
func originOf(r *http.Request) (string, bool) {
	v, ok := r.Header["Origin"]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func (s *Server) refuseOrigin(origin, path string) {
	s.log.Warn("bridge refused origin", "origin", truncate(origin, 100), "path", truncate(path, 100))
	if s.origins.refuse(origin, s.cfg.Now()) {
		s.events.add(levelWarn, "origin refused", truncate(origin, 100))
		s.notifyChanged()
	}
}

// servePreflight answers a CORS preflight from an allowed origin, including
// Chrome's Private Network Access request header.
func servePreflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	if strings.EqualFold(r.Header.Get("Access-Control-Request-Private-Network"), "true") {
		h.Set("Access-Control-Allow-Private-Network", "true")
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) checkAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tokenInURL(r) {
			writeError(w, http.StatusUnauthorized, "token_in_url", "never put the token in a URL; send Authorization: Bearer")
			return
		}
		_, browser := originOf(r)
		switch {
		case isMonitorPath(r.URL.Path):
			if !s.monitorAuthorized(w, r) {
				return
			}
		case browser, isPublic(r), s.validToken(r):
		default:
			writeError(w, http.StatusUnauthorized, "unauthorized", "send Authorization: Bearer <token>")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isPublic reports whether r fetches files that hold no secrets and that a
// CRM page may load without a token: the health check, the SDK, the
// toolbar and the CRM adapter pages (and the dial plan they read). They
// still need an allowed origin to connect.
func isPublic(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	return p == "/healthz" || strings.HasPrefix(p, "/sdk/") || strings.HasPrefix(p, "/toolbar/") ||
		strings.HasPrefix(p, "/crm/")
}

func isMonitorPath(p string) bool { return p == "/monitor" || strings.HasPrefix(p, "/monitor/") }

func tokenInURL(r *http.Request) bool {
	q := r.URL.Query()
	return q.Has("token") || q.Has("access_token") || q.Has("bearer")
}

// validToken compares the bearer token in constant time.
func (s *Server) validToken(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.Token)) == 1
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
