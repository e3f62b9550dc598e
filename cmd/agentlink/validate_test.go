package main

import (
	"strings"
	"testing"
)

// parseCase is one input to a string parser: want is the result, or
// wantErr a substring of the error ("" for no error).
type parseCase struct {
	in, want, wantErr string
}

func runParseCases(t *testing.T, name string, parse func(string) (string, error), cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		got, err := parse(tc.in)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s(%q) error: %v, want %q", name, tc.in, err, tc.want)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s(%q) = %q, %v; want error containing %q", name, tc.in, got, err, tc.wantErr)
		case tc.wantErr == "" && got != tc.want:
			t.Errorf("%s(%q) = %q, want %q", name, tc.in, got, tc.want)
		}
	}
}

func TestParseHostPort(t *testing.T) {
	t.Parallel()
	parse := func(v string) (string, error) { return parseHostPort(v, 8445) }
	runParseCases(t, "parseHostPort", parse, []parseCase{
		{in: "finesse-a.example.com", want: "finesse-a.example.com:8445"},
		{in: " finesse-a.example.com:443 ", want: "finesse-a.example.com:443"},
		{in: "10.0.0.5", want: "10.0.0.5:8445"},
		{in: "::1", want: "[::1]:8445"},
		{in: "[::1]", want: "[::1]:8445"},
		{in: "[::1]:9000", want: "[::1]:9000"},
		{in: "", wantErr: "must name a host"},
		{in: "https://finesse.example.com", wantErr: "without scheme or path"},
		{in: "finesse.example.com/finesse", wantErr: "without scheme or path"},
		{in: "finesse.example.com:http", wantErr: `invalid port "http"`},
		{in: "finesse.example.com:70000", wantErr: `invalid port "70000"`},
		{in: "finesse.example.com:0", wantErr: `invalid port "0"`},
		{in: "bad_host!", wantErr: "invalid host name"},
		{in: "-bad.example.com", wantErr: "invalid host name"},
		{in: "a:b:c:", wantErr: "invalid host name"},
	})
}

func TestParseLoopbackAddr(t *testing.T) {
	t.Parallel()
	runParseCases(t, "parseLoopbackAddr", parseLoopbackAddr, []parseCase{
		{in: "127.0.0.1:28445", want: "127.0.0.1:28445"},
		{in: "127.0.0.2:28445", want: "127.0.0.2:28445"},
		{in: "[::1]:28445", want: "[::1]:28445"},
		{in: "localhost:1", want: "localhost:1"},
		{in: "127.0.0.1:0", want: "127.0.0.1:0"},
		{in: "0.0.0.0:28445", wantErr: "must be a loopback address such as 127.0.0.1:28445"},
		{in: ":28445", wantErr: "must be a loopback address"},
		{in: "192.168.1.10:28445", wantErr: "must be a loopback address"},
		{in: "localhost.evil.com:28445", wantErr: "must be a loopback address"},
		{in: "127.0.0.1", wantErr: "must be a loopback address"},
		{in: "127.0.0.1:99999", wantErr: `invalid port "99999"`},
	})
}

func TestParseOrigin(t *testing.T) {
	t.Parallel()
	runParseCases(t, "parseOrigin", parseOrigin, []parseCase{
		{in: "https://crm.example.com", want: "https://crm.example.com"},
		{in: "https://CRM.Example.com/", want: "https://crm.example.com"},
		{in: "http://localhost:8080", want: "http://localhost:8080"},
		{in: "*", wantErr: "wildcards"},
		{in: "https://*.example.com", wantErr: "wildcards"},
		{in: "crm.example.com", wantErr: "must be an origin scheme://host[:port]"},
		{in: "https://crm.example.com/app", wantErr: "no path"},
		{in: "https://user@crm.example.com", wantErr: "no path"},
		{in: "ftp://crm.example.com", wantErr: "must be an origin"},
		{in: "https://crm.example.com?x=1", wantErr: "must be an origin"},
	})
}

func TestParseID(t *testing.T) {
	t.Parallel()
	runParseCases(t, "parseID", parseID, []parseCase{
		{in: "1001001", want: "1001001"},
		{in: " agent.smith ", want: "agent.smith"},
		{in: "", wantErr: "must not be empty"},
		{in: "10 01", wantErr: "without spaces"},
		{in: "../admin", wantErr: "plain id"},
		{in: "a@b", wantErr: "plain id"},
		{in: strings.Repeat("1", 65), wantErr: "at most 64"},
	})
	runParseCases(t, "parseResource", parseResource, []parseCase{
		{in: "agentlink", want: "agentlink"},
		{in: "desktop", wantErr: "reserved for the Finesse desktop"},
	})
	runParseCases(t, "parseXMPPTLS", parseXMPPTLS, []parseCase{
		{in: "Direct", want: "direct"},
		{in: "starttls", want: "starttls"},
		{in: "tls", wantErr: `must be "direct"`},
	})
}

func TestParseSecureKeyAndLevel(t *testing.T) {
	t.Parallel()
	key := func(v string) (string, error) {
		b, err := parseSecureKey(v)
		return string(b), err
	}
	runParseCases(t, "parseSecureKey", key, []parseCase{
		{in: "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u", want: "0123456789abcdefghijklmn"},
		{in: "MDEyMzQ1Njc4OWFiY2RlZg==", wantErr: "decodes to 16 bytes"},
		{in: "not base64!", wantErr: "not valid base64"},
	})
	level := func(v string) (string, error) {
		l, err := parseLevel(v)
		return l.String(), err
	}
	runParseCases(t, "parseLevel", level, []parseCase{
		{in: "DEBUG", want: "DEBUG"}, {in: "info", want: "INFO"}, {in: "warning", want: "WARN"},
		{in: "error", want: "ERROR"}, {in: "trace", wantErr: "must be"},
	})
	if _, err := parsePort(0, false); err == nil {
		t.Error("parsePort(0, false) = nil error, want one")
	}
	if got, err := parsePort(5223, false); got != 5223 || err != nil {
		t.Errorf("parsePort(5223) = %d, %v; want 5223, nil", got, err)
	}
}
