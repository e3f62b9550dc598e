package finessesim

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// VPN-less mode (Config.VPNLess): per node, a reverse proxy in front of it
// like the one Cisco's VPN-less Finesse (12.6 ES/15.0) puts in the DMZ. It
// publishes one HTTPS port and forwards REST and the XMPP WebSocket (/ws,
// upgraded through the proxy) to the node's HTTPS port, under ProxyPrefix
// when one is set (how a given proxy maps paths is site configuration, so
// the prefix is configurable). Anything else answers 404, and XMPP over TCP
// is not reachable through it at all: that is the point of the mode. When
// the node dies the proxy stays up and answers 502, like a real one.

// proxy is one node's VPN-less reverse proxy.
type proxy struct {
	srv *http.Server
	ln  net.Listener
	url string // https://host:port/prefix
}

// startProxies starts the VPN-less proxies when configured.
func (s *Sim) startProxies() error {
	if !s.cfg.VPNLess {
		return nil
	}
	p := s.cfg.ProxyPrefix
	if p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/")) {
		return fmt.Errorf("finessesim: proxy prefix %q: want /path without a trailing slash", p)
	}
	for _, n := range s.nodes {
		if err := n.startProxy(p); err != nil {
			return err
		}
	}
	return nil
}

func (n *Node) startProxy(prefix string) error {
	ln, err := listenStable(n.host)
	if err != nil {
		return fmt.Errorf("finessesim: node %s proxy: %w", n.id, err)
	}
	target, err := url.Parse(n.RESTURL())
	if err != nil {
		ln.Close()
		return err
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.URL.Path = strings.TrimPrefix(pr.In.URL.Path, prefix)
			pr.Out.URL.RawPath = ""
			pr.Out.Host = target.Host
		},
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: n.sim.pki.pool.Clone(), MinVersion: tls.VersionTLS12}},
		ErrorLog:  slog.NewLogLogger(n.sim.log.Handler(), slog.LevelDebug),
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok || !(rest == "/ws" || rest == "/ws/" || strings.HasPrefix(rest, "/finesse/")) {
			http.NotFound(w, r)
			return
		}
		rp.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(n.sim.log.Handler(), slog.LevelDebug)}
	scheme := "https"
	serveLn := ln
	if n.sim.cfg.PlainHTTP {
		scheme = "http"
	} else {
		serveLn = tls.NewListener(ln, n.tlsCfg)
	}
	n.proxy = &proxy{srv: srv, ln: ln,
		url: scheme + "://" + net.JoinHostPort(n.host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)) + prefix}
	n.sim.wg.Go(func() { srv.Serve(serveLn) })
	return nil
}

// stopProxies closes the proxies (Sim.Close). Upgraded WebSockets end when
// their node side closes.
func (s *Sim) stopProxies() {
	for _, n := range s.nodes {
		if n.proxy != nil {
			n.proxy.srv.Close()
		}
	}
}

// ProxyURL is the node's VPN-less proxy base, e.g.
// https://127.0.0.1:41235/finesse-a; "" unless Config.VPNLess.
func (n *Node) ProxyURL() string {
	if n.proxy == nil {
		return ""
	}
	return n.proxy.url
}
