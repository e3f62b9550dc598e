package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// rootPool is the pool the app trusts: the system roots plus ca_file, as
// finesse.Config does. nil means the system roots alone.
func (d *doctor) rootPool() *x509.CertPool {
	if d.cfg.Finesse.CAFile == "" {
		return nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if pem, err := os.ReadFile(d.cfg.Finesse.CAFile); err == nil {
		pool.AppendCertsFromPEM(pem)
	}
	return pool
}

// handshake runs a TLS handshake over conn without verifying, then
// verifies the certificate itself, so that it can say exactly what is
// wrong (and still read SystemInfo, which needs no secret). The first
// finding is always the certificate's. tc is nil when the handshake
// failed.
func (d *doctor) handshake(ctx context.Context, conn net.Conn, sc sideConfig, what string) (*tls.Conn, []finding) {
	ctx, cancel := d.stepContext(ctx)
	defer cancel()
	tc := tls.Client(conn, &tls.Config{ServerName: sc.host, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // verified below
	if err := tc.HandshakeContext(ctx); err != nil {
		text := fmt.Sprintf("%s: TLS handshake failed: %v", what, err)
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			text = fmt.Sprintf("%s accepts connections but gives no TLS answer within %v (wrong port, or a proxy/firewall in the way)",
				what, d.stepTimeout)
		}
		return nil, []finding{{status: statusFail, text: text,
			fix: fmt.Sprintf("check the port in %s (%s): Finesse REST is HTTPS on 8445, XMPP direct TLS on 5223", sc.key, sc.flag)}}
	}
	return tc, []finding{d.certFinding(tc.ConnectionState().PeerCertificates, sc, what)}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// certFinding verifies the server's chain for sc.host and names the
// problem: unknown CA, wrong name, expired.
func (d *doctor) certFinding(certs []*x509.Certificate, sc sideConfig, what string) finding {
	if len(certs) == 0 {
		return finding{status: statusFail, text: what + ": the server sent no certificate"}
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{DNSName: sc.host, Roots: d.rootPool(), Intermediates: inter})
	insecure := d.cfg.Finesse.InsecureSkipVerify
	switch {
	case err == nil && insecure:
		return finding{status: statusWarn, text: what + ": certificate valid, but finesse.insecure_skip_verify is on",
			fix: "remove finesse.insecure_skip_verify (--insecure): the certificate verifies"}
	case err == nil:
		return finding{status: statusOK, text: fmt.Sprintf("%s: TLS ok, certificate for %s valid until %s",
			what, sc.host, certs[0].NotAfter.UTC().Format("2006-01-02"))}
	}
	problem, fix := d.describeCertErr(err, certs[0], sc)
	if insecure {
		return finding{status: statusWarn, text: what + ": " + problem + " (ignored: finesse.insecure_skip_verify is on)",
			fix: fix + ", then remove finesse.insecure_skip_verify"}
	}
	return finding{status: statusFail, text: what + ": " + problem, fix: fix}
}

// describeCertErr explains a verification error and its fix.
func (d *doctor) describeCertErr(err error, leaf *x509.Certificate, sc sideConfig) (problem, fix string) {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		problem = fmt.Sprintf("certificate is signed by an unknown CA (issuer %q)", leaf.Issuer.String())
		if d.cfg.Finesse.CAFile != "" {
			return problem, fmt.Sprintf("finesse.ca_file %s does not hold the CA that signed it: put that CA's PEM certificate there", d.cfg.Finesse.CAFile)
		}
		return problem, "set finesse.ca_file (--ca-file) to the PEM file of the CA that signed Finesse's certificate"
	case errors.As(err, &he):
		names := append(append([]string{}, leaf.DNSNames...), ipStrings(leaf.IPAddresses)...)
		return fmt.Sprintf("certificate is for %s, not %s", strings.Join(names, ", "), sc.host),
			fmt.Sprintf("use a name the certificate holds in %s (%s)", sc.key, sc.flag)
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		now := time.Now().UTC().Format(time.RFC3339)
		return fmt.Sprintf("certificate is not valid now (%s): valid from %s until %s", now,
				leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339)),
			"if this PC's clock is right, the Finesse administrator must renew the certificate; otherwise fix the clock"
	}
	return "certificate does not verify: " + err.Error(), "ask the Finesse administrator for the certificate chain and set finesse.ca_file"
}

func ipStrings(ips []net.IP) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = ip.String()
	}
	return out
}

// probeXMPP checks that the XMPP notification port answers as the app
// would use it: TLS from the first byte, STARTTLS, or plain (plain_http).
// restCert is the REST certificate's verdict ("" when not checked), so a
// certificate problem both ports share is reported once.
func (d *doctor) probeXMPP(ctx context.Context, sc sideConfig, info *systemInfo, restCert checkStatus) []finding {
	port, source, certain := d.xmppPort(sc, info)
	addr := net.JoinHostPort(sc.host, strconv.Itoa(port))
	mode := "direct TLS"
	switch {
	case d.cfg.Finesse.PlainHTTP:
		mode = "plain"
	case d.cfg.Finesse.XMPPTLS == "starttls":
		mode = "STARTTLS"
	}
	what := fmt.Sprintf("XMPP %s (%s, port from %s)", addr, mode, source)
	failStatus := statusFail
	if !certain {
		failStatus = statusWarn
	}
	fix := fmt.Sprintf("let this PC reach TCP %d on %s through the firewall (Finesse notifications: 5223 direct TLS, 5222 STARTTLS); "+
		"if Finesse is reached through another port, set finesse.xmpp_port (--xmpp-port) and finesse.xmpp_ports_from = \"config\"", port, sc.host)
	conn, err := d.dial(ctx, addr)
	if err != nil {
		return []finding{{status: failStatus, text: what + ": " + describeNetErr(err), fix: fix}}
	}
	defer conn.Close()
	if mode == "plain" {
		return []finding{{status: statusOK, text: what + ": connects"}}
	}
	if mode == "STARTTLS" {
		if err := d.startTLS(ctx, conn, info, sc.host); err != nil {
			return []finding{{status: failStatus, text: what + ": STARTTLS failed: " + err.Error(), fix: fix}}
		}
	}
	tc, fs := d.handshake(ctx, conn, sc, what)
	if tc == nil {
		fs[0].status, fs[0].fix = failStatus, fix
		return fs
	}
	switch fs[0].status {
	case statusOK:
		return []finding{{status: statusOK, text: what + ": TLS ok"}}
	case restCert:
		return []finding{{status: statusOK, text: what + ": TLS answers (same certificate verdict as REST)"}}
	}
	return fs
}

// startTLS opens an XMPP stream and upgrades it with STARTTLS (RFC 6120
// §5), reading just enough of the server's answers.
func (d *doctor) startTLS(ctx context.Context, conn net.Conn, info *systemInfo, host string) error {
	ctx, cancel := d.stepContext(ctx)
	defer cancel()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
		defer conn.SetDeadline(time.Time{})
	}
	domain := host
	if info != nil && info.XMPPDomain != "" {
		domain = info.XMPPDomain
	}
	open := fmt.Sprintf("<?xml version='1.0'?><stream:stream to='%s' version='1.0' xmlns='jabber:client' "+
		"xmlns:stream='http://etherx.jabber.org/streams'>", domain)
	if _, err := conn.Write([]byte(open)); err != nil {
		return err
	}
	if err := readUntil(conn, "</stream:features>"); err != nil {
		return fmt.Errorf("no stream features: %w", err)
	}
	if _, err := conn.Write([]byte("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")); err != nil {
		return err
	}
	if err := readUntil(conn, "<proceed"); err != nil {
		return fmt.Errorf("the server did not agree to STARTTLS: %w", err)
	}
	return nil
}

// readUntil reads until marker has been seen (at most 64 KiB). It reads
// byte-wise enough to stop before the TLS handshake's first bytes.
func readUntil(conn net.Conn, marker string) error {
	var buf bytes.Buffer
	b := make([]byte, 1)
	for buf.Len() < 64<<10 {
		if _, err := conn.Read(b); err != nil {
			return err
		}
		buf.WriteByte(b[0])
		if bytes.HasSuffix(buf.Bytes(), []byte(marker)) {
			if marker == "<proceed" {
				return readUntil(conn, ">") // the rest of the element
			}
			return nil
		}
	}
	return errors.New("answer too long")
}
