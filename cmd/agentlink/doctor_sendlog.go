package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// agentlink doctor --send-log posts the doctor's report and the end of the
// app's log file to Finesse's ClientLog for Cisco TAC and the Finesse
// administrators (Cisco Finesse Web Services Developer Guide, "ClientLog":
// https://developer.cisco.com/docs/finesse/clientlog, POST
// /finesse/api/User/<id>/ClientLog with <ClientLog><logData>; "ClientLog
// API Parameters": logData at most 1,048,576 characters). Finesse stores
// it as a log file named after the agent.
//
// What is sent is redacted again line by line (the log already redacts as
// it writes, but an older file or a hand-made one may not be): the values
// of secret keys, Basic/Bearer credentials, and the agent's stored password
// and the bridge token wherever they appear literally. It is capped at
// sendLogMax bytes, keeping the newest whole lines.

// sendLogMax caps what is sent: a quarter of Finesse's limit, which is
// counted in characters (a byte cap keeps it under whatever the encoding).
const sendLogMax = 256 << 10

// sendLogRead bounds how much of the file's end is read.
const sendLogRead = 2 * sendLogMax

// secretValuePatterns find "key":"value" (JSON log) and key=value (text
// log) pairs whose key names a secret (secretKeyWords in logging.go).
var secretValuePatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)("[^"]*(?:password|passwd|token|authorization|secret)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"`),
	regexp.MustCompile(`(?i)(\b[\w.-]*(?:password|passwd|token|authorization|secret)[\w.-]*=)("(?:[^"\\]|\\.)*"|\S+)`),
}

// redactLogLine hides every secret redactAttr would have hidden, plus the
// literal secrets given.
func redactLogLine(line string, literals []string) string {
	line = secretValuePatterns[0].ReplaceAllString(line, `$1"`+redacted+`"`)
	line = secretValuePatterns[1].ReplaceAllString(line, "$1"+redacted)
	line = redactCredentials(line)
	for _, s := range literals {
		if len(s) >= 4 { // a shorter "secret" would blank out ordinary text
			line = strings.ReplaceAll(line, s, redacted)
		}
	}
	return line
}

// clientLogTail returns the redacted end of the log file, at most limit bytes of
// whole lines, and whether older lines were left out.
func clientLogTail(path string, limit int, literals []string) (string, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", false, err
	}
	start := max(fi.Size()-int64(sendLogRead), 0)
	buf, err := io.ReadAll(io.NewSectionReader(f, start, fi.Size()-start))
	if err != nil {
		return "", false, err
	}
	lines := strings.Split(strings.TrimRight(string(buf), "\n"), "\n")
	if start > 0 && len(lines) > 0 {
		lines = lines[1:] // the first one is cut in the middle
	}
	cut := start > 0
	var kept []string
	size := 0
	for i := len(lines) - 1; i >= 0; i-- {
		l := redactLogLine(lines[i], literals)
		if size+len(l)+1 > limit {
			cut = true
			break
		}
		kept = append(kept, l)
		size += len(l) + 1
	}
	var b strings.Builder
	for i := len(kept) - 1; i >= 0; i-- {
		b.WriteString(kept[i])
		b.WriteByte('\n')
	}
	return b.String(), cut, nil
}

type clientLogRequest struct {
	XMLName xml.Name `xml:"ClientLog"`
	LogData string   `xml:"logData"`
}

// sendLog builds the log data (header, the doctor's report, the log's end)
// and posts it to the first Finesse side that takes it.
func (d *doctor) sendLog(ctx context.Context, report string, out io.Writer) error {
	agent := d.cfg.Finesse.AgentID
	switch {
	case agent == "":
		return errors.New("send-log: no agent configured: set finesse.agent_id (--agent); ClientLog is stored per agent")
	case d.cfg.Log.File == "":
		return errors.New("send-log: no log file: set log.file in config.toml, run AgentLink until the problem shows, then send again")
	}
	pw, err := d.keys.Password(agent)
	if err != nil {
		return fmt.Errorf("send-log: %w (Finesse needs the agent's sign-in to store a client log)", err)
	}
	literals := []string{pw}
	if d.dir != "" {
		if tok, err := os.ReadFile(d.configFile(tokenFileName)); err == nil {
			literals = append(literals, strings.TrimSpace(string(tok)))
		}
	}
	tail, cut, err := clientLogTail(d.cfg.Log.File, sendLogMax, literals)
	if err != nil {
		return fmt.Errorf("send-log: reading log.file: %w", err)
	}
	data := d.logData(report, tail, cut, literals)
	body, err := xml.Marshal(clientLogRequest{LogData: data})
	if err != nil {
		return fmt.Errorf("send-log: %w", err)
	}
	var errs []error
	for _, side := range []struct{ name, addr string }{{"A", d.cfg.Finesse.SideA}, {"B", d.cfg.Finesse.SideB}} {
		if side.addr == "" {
			continue
		}
		err := d.postClientLog(ctx, side.addr, agent, pw, body)
		if err == nil {
			_, err = fmt.Fprintf(out, "sent %d bytes (%s) to Finesse side %s as agent %s's client log\n",
				len(data), tailWords(cut), side.name, agent)
			return err
		}
		errs = append(errs, fmt.Errorf("side %s: %w", side.name, err))
		var he *clientLogHTTPError
		if errors.As(err, &he) && he.status < 500 {
			break // Finesse answered: the other side would say the same
		}
	}
	return fmt.Errorf("send-log: %w", errors.Join(errs...))
}

func tailWords(cut bool) string {
	if cut {
		return "the newest log lines, older ones left out"
	}
	return "the whole log"
}

func (d *doctor) logData(report, tail string, cut bool, literals []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "AgentLink %s client log, sent by agentlink doctor --send-log at %s\n", version, time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "agent %s, extension %s, log file %s (secrets redacted)\n\n", d.cfg.Finesse.AgentID, d.cfg.Finesse.Extension, d.cfg.Log.File)
	b.WriteString("== agentlink doctor ==\n")
	for _, l := range strings.SplitAfter(report, "\n") {
		b.WriteString(redactLogLine(l, literals))
	}
	b.WriteString("\n== log ==\n")
	if cut {
		b.WriteString("[older lines left out: at most 256 KiB are sent]\n")
	}
	b.WriteString(tail)
	return b.String()
}

// clientLogHTTPError is Finesse's refusal of the POST.
type clientLogHTTPError struct {
	status int
	body   string
}

func (e *clientLogHTTPError) Error() string {
	msg := fmt.Sprintf("Finesse answered %d %s", e.status, http.StatusText(e.status))
	if e.body != "" {
		msg += ": " + e.body
	}
	switch e.status {
	case http.StatusUnauthorized:
		msg += " (the stored password was refused: run agentlink login)"
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		msg += " (this Finesse has no ClientLog API)"
	}
	return msg
}

func (d *doctor) postClientLog(ctx context.Context, addr, agent, pw string, body []byte) error {
	scheme := "https"
	if d.cfg.Finesse.PlainHTTP {
		scheme = "http"
	}
	u := scheme + "://" + addr + "/finesse/api/User/" + url.PathEscape(agent) + "/ClientLog"
	ctx, cancel := context.WithTimeout(ctx, 3*doctorStepTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.SetBasicAuth(agent, pw)
	req.Header.Set("Content-Type", "application/xml")
	tr := &http.Transport{Proxy: nil, DisableKeepAlives: true, TLSClientConfig: &tls.Config{
		RootCAs: d.rootPool(), InsecureSkipVerify: d.cfg.Finesse.InsecureSkipVerify, MinVersion: tls.VersionTLS12}} //nolint:gosec // as configured
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return errors.New(describeNetErr(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return &clientLogHTTPError{status: resp.StatusCode, body: apiErrorText(b)}
}

// apiErrorText is the ErrorType and ErrorMessage of a Finesse ApiErrors
// body, or "".
func apiErrorText(b []byte) string {
	var w struct {
		Errors []struct {
			Type    string `xml:"ErrorType"`
			Message string `xml:"ErrorMessage"`
		} `xml:"ApiError"`
	}
	if xml.Unmarshal(b, &w) != nil || len(w.Errors) == 0 {
		return ""
	}
	return strings.TrimSpace(w.Errors[0].Type + " " + w.Errors[0].Message)
}
