package localbridge

import (
	"bytes"
	"crypto/cipher"
	"crypto/des"
	"encoding/base64"
	"errors"
	"testing"
)

// encryptForTest produces the legacy wire format the way a CRM connector
// does: base64(IV || 3DES-CBC(PKCS#7(pw))).
func encryptForTest(t *testing.T, key, iv []byte, pw string) string {
	t.Helper()
	block, err := des.NewTripleDESCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	n := des.BlockSize - len(pw)%des.BlockSize
	pt := append([]byte(pw), bytes.Repeat([]byte{byte(n)}, n)...)
	ct := make([]byte, len(pt))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, pt)
	return base64.StdEncoding.EncodeToString(append(append([]byte{}, iv...), ct...))
}

func TestDecryptSecurePassword(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef01234567")
	iv := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	tests := []struct {
		name    string
		key     []byte
		wire    string
		want    string
		wantErr bool
	}{
		{"short", key, encryptForTest(t, key, iv, "pw"), "pw", false},
		{"exact block", key, encryptForTest(t, key, iv, "8charsPW"), "8charsPW", false},
		{"unicode", key, encryptForTest(t, key, iv, "pässwörd€"), "pässwörd€", false},
		{"empty", key, encryptForTest(t, key, iv, ""), "", false},
		{"wrong key", []byte("76543210fedcba9876543210"), encryptForTest(t, key, iv, "pw"), "", true},
		{"not base64", key, "%%%", "", true},
		{"no ciphertext", key, base64.StdEncoding.EncodeToString(iv), "", true},
		{"partial block", key, base64.StdEncoding.EncodeToString(make([]byte, 20)), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decryptSecurePassword(tt.key, tt.wire)
			if tt.wantErr {
				if !errors.Is(err, ErrSecurePassword) {
					t.Errorf("got %q, %v; want an ErrSecurePassword", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// FuzzDecryptSecurePassword checks that no input crashes the decryption.
func FuzzDecryptSecurePassword(f *testing.F) {
	key := []byte("0123456789abcdef01234567")
	f.Add("AAAAAAAAAAAAAAAAAAAAAA==")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = decryptSecurePassword(key, s)
	})
}
