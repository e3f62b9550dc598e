package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/natefinch/lumberjack.v2"
)

// redacted replaces a secret in the log.
const redacted = "[REDACTED]"

// secretKeyWords mark attributes whose value is a secret, wherever they
// appear in the key ("password", "bridge_token", "Authorization", ...).
var secretKeyWords = []string{"password", "passwd", "token", "authorization", "secret"}

// credentialPattern finds HTTP credentials inside any string value, such as
// an error message that quotes an Authorization header.
var credentialPattern = regexp.MustCompile(`(?i)\b(basic|bearer)\s+[A-Za-z0-9._~+/-]{6,}=*`)

// newLogger returns AgentLink's logger: text on stderr and, when cfg.File
// is set, JSON in that file (mode 0600: logs name agents and numbers). Both
// redact secrets (see redactAttr). closeLog closes the file. A file that
// cannot be opened degrades to stderr alone with one warning; err is nil
// then (it stays in the signature for callers' sake).
func newLogger(cfg LogConfig, stderr io.Writer) (logger *slog.Logger, closeLog func() error, err error) {
	opts := &slog.HandlerOptions{Level: cfg.Level, ReplaceAttr: redactAttr}
	text := slog.NewTextHandler(stderr, opts)
	if cfg.File == "" {
		return slog.New(text), func() error { return nil }, nil
	}
	f, err := openLogFile(cfg)
	if err != nil {
		// An unwritable config directory must not stop the app (nor
		// `agentlink doctor`, which is there to diagnose it): log to stderr
		// and say so once.
		l := slog.New(text)
		l.Warn("log file unusable; logging to stderr only", "setting", "log.file", "err", err)
		appFaults.raise("logfile", "log file unwritable", err.Error()+"; logging to stderr only")
		return l, func() error { return nil }, nil
	}
	fw := &failSafeWriter{w: f, warn: stderr, faults: appFaults}
	h := slog.NewMultiHandler(text, slog.NewJSONHandler(fw, opts))
	return slog.New(h), fw.Close, nil
}

// openLogFile creates the log's directory (0700), checks that the file
// opens for appending (0600), and returns a writer that rotates it at
// cfg.MaxSizeMB, keeping cfg.MaxFiles older files (gzip-compressed): a
// chatty toolbar or a flood of refused connections must not fill the disk.
func openLogFile(cfg LogConfig) (*lumberjack.Logger, error) {
	path := cfg.File
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("log.file: creating the log directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("log.file: opening %s: %w", path, err)
	}
	_ = f.Close() // lumberjack opens it again on the first write, keeping the mode
	return &lumberjack.Logger{Filename: path, MaxSize: max(cfg.MaxSizeMB, 1), MaxBackups: max(cfg.MaxFiles, 1), Compress: true}, nil
}

// redactAttr is the handlers' ReplaceAttr: it hides the value of secret
// attributes and any Basic or Bearer credential inside string and error
// values (the message included).
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	if isSecretKey(a.Key) {
		return slog.String(a.Key, redacted)
	}
	switch a.Value.Kind() {
	case slog.KindString:
		if s := a.Value.String(); credentialPattern.MatchString(s) {
			return slog.String(a.Key, redactCredentials(s))
		}
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok && credentialPattern.MatchString(err.Error()) {
			return slog.String(a.Key, redactCredentials(err.Error()))
		}
	}
	return a
}

// isSecretKey reports whether an attribute key names a secret.
func isSecretKey(key string) bool {
	k := strings.ToLower(key)
	for _, w := range secretKeyWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// redactCredentials keeps the scheme, so the log still says what kind of
// credential was there.
func redactCredentials(s string) string {
	return credentialPattern.ReplaceAllString(s, "$1 "+redacted)
}
