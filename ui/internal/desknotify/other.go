//go:build !linux && !freebsd

package desknotify

import "context"

// Client is a stand-in where there is no implementation: Dial never
// returns one, and its methods fail with ErrUnsupported.
type Client struct{}

// Dial returns ErrUnsupported: Windows and macOS notifications go through
// Fyne, which offers neither actions nor withdrawal.
func Dial(string) (*Client, error) { return nil, ErrUnsupported }

// Events returns nil: no events ever arrive.
func (*Client) Events() <-chan Event { return nil }

// Capabilities returns ErrUnsupported.
func (*Client) Capabilities(context.Context) ([]string, error) { return nil, ErrUnsupported }

// Notify returns ErrUnsupported.
func (*Client) Notify(context.Context, Notification) (uint32, error) { return 0, ErrUnsupported }

// Withdraw returns ErrUnsupported.
func (*Client) Withdraw(context.Context, uint32) error { return ErrUnsupported }

// Close does nothing.
func (*Client) Close() error { return nil }
