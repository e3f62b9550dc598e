//go:build !windows

package main

// On Unix the token's privacy is its mode bits, checked in checkPrivate;
// these are the Windows DACL functions' stand-ins (token_acl_windows.go).

func checkPrivateACL(string) error { return nil }

func restrictToUser(string) error { return nil }
