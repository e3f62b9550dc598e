package localbridge

import (
	"bytes"
	"crypto/cipher"
	"crypto/des" // #nosec G502 -- legacy UseSecurePassword compatibility, see decryptSecurePassword
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrSecurePassword is wrapped by every failure to decrypt a legacy
// UseSecurePassword value.
var ErrSecurePassword = errors.New("secure password")

// decryptSecurePassword undoes the legacy UseSecurePassword wrapping:
// base64(8-byte IV || 3DES-EDE-CBC(PKCS#7(password))).
//
// Triple-DES is used only because existing CRM connectors send passwords
// this way and we must accept them. It is obfuscation, not protection: the
// real protection is that the bridge is loopback-only and origin-checked.
// Nothing in AgentLink ever encrypts with it (the SDK does, for old CRMs).
func decryptSecurePassword(key []byte, wire string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(wire)
	if err != nil {
		return "", fmt.Errorf("%w: not base64: %w", ErrSecurePassword, err)
	}
	if len(raw) < 2*des.BlockSize || len(raw)%des.BlockSize != 0 {
		return "", fmt.Errorf("%w: %d bytes is not an 8-byte IV plus whole 8-byte blocks", ErrSecurePassword, len(raw))
	}
	block, err := des.NewTripleDESCipher(key) // #nosec G401 G405 -- legacy decryption only
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrSecurePassword, err)
	}
	iv, ct := raw[:des.BlockSize], raw[des.BlockSize:]
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(pt, ct)
	pt, err = unpadPKCS7(pt)
	if err != nil {
		return "", err
	}
	return string(pt), nil
}

func unpadPKCS7(b []byte) ([]byte, error) {
	n := int(b[len(b)-1])
	if n == 0 || n > des.BlockSize || n > len(b) {
		return nil, fmt.Errorf("%w: bad padding (wrong key?)", ErrSecurePassword)
	}
	if !bytes.Equal(b[len(b)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, fmt.Errorf("%w: bad padding (wrong key?)", ErrSecurePassword)
	}
	return b[:len(b)-n], nil
}
