package localbridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// pairingKeyLen is the length of a pairing key: an HMAC-SHA-256 key.
const pairingKeyLen = 32

// pairedOrigin is what the bridge keeps about one paired CRM origin: the
// key both sides derived during pairing (pairing.go) and the scopes the
// origin had when the agent approved it.
type pairedOrigin struct {
	Key    []byte    `json:"key"` // base64 in the file
	Scopes []Scope   `json:"scopes"`
	Paired time.Time `json:"paired"`
}

// pairStore holds the pairing keys by normalised origin, persisted in a
// user-only (0600) JSON file; "" keeps them in memory only.
type pairStore struct {
	path string     // read-only
	mu   sync.Mutex // guards keys
	keys map[string]pairedOrigin
}

func newPairStore(path string) (*pairStore, error) {
	ps := &pairStore{path: path, keys: map[string]pairedOrigin{}}
	if path == "" {
		return ps, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return ps, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pairing file: %w", err)
	}
	if err := json.Unmarshal(b, &ps.keys); err != nil {
		return nil, fmt.Errorf("pairing file %s: %w (delete it to pair every CRM again)", path, err)
	}
	for o, p := range ps.keys {
		if len(p.Key) != pairingKeyLen {
			return nil, fmt.Errorf("pairing file %s: key of %s has %d bytes, want %d", path, o, len(p.Key), pairingKeyLen)
		}
	}
	return ps, nil
}

// get returns the pairing of an origin.
func (ps *pairStore) get(origin string) (pairedOrigin, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.keys[origin]
	return p, ok
}

// put records (or replaces) the pairing of an origin and saves the file.
func (ps *pairStore) put(origin string, p pairedOrigin) error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.keys[origin] = p
	return ps.saveLocked()
}

// remove forgets the pairing of an origin; it reports whether there was one.
func (ps *pairStore) remove(origin string) (bool, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if _, ok := ps.keys[origin]; !ok {
		return false, nil
	}
	delete(ps.keys, origin)
	return true, ps.saveLocked()
}

// origins lists the paired origins.
func (ps *pairStore) origins() []string {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := make([]string, 0, len(ps.keys))
	for o := range ps.keys {
		out = append(out, o)
	}
	return out
}

// saveLocked writes the file through a temporary file, so a crash never
// leaves half a file, with 0600 so other users cannot read the keys.
func (ps *pairStore) saveLocked() error {
	if ps.path == "" {
		return nil
	}
	b, err := json.MarshalIndent(ps.keys, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(ps.path), 0o700); err != nil {
		return fmt.Errorf("pairing file: %w", err)
	}
	tmp := ps.path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("pairing file: %w", err)
	}
	if err := os.Rename(tmp, ps.path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("pairing file: %w", err)
	}
	return nil
}
