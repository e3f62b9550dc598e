package ui

import (
	"errors"
	"testing"
)

func TestNormalizeNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "0201234567", want: "0201234567"},
		{in: "+44 (0)20 7946-0958", want: "+4402079460958"},
		{in: "  020.7946.0958 ", want: "02079460958"},
		{in: "+1 (555) 010-9999", want: "+15550109999"},
		{in: "00 33 1 23 45 67 89", want: "0033123456789"},
		{in: "*67#", want: "*67#"},
		{in: "020\t7946\u00a00958", want: "02079460958"},
		{in: "06/12345678", want: "0612345678"},
		{in: "", bad: true},
		{in: "   ", bad: true},
		{in: "+", bad: true},
		{in: "()- .", bad: true},
		{in: "44+20", bad: true},
		{in: "call me", bad: true},
		{in: "john@example.com", bad: true},
		{in: "0800 FLOWERS", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := normalizeNumber(tt.in)
			if tt.bad {
				if !errors.Is(err, errBadNumber) {
					t.Errorf("normalizeNumber(%q) = %q, %v; want errBadNumber", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("normalizeNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDialPreview(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"+44 20 7946 0958", "Will dial +442079460958"},
		{"abc", "Cannot dial: 'a' is not allowed"},
		{"1+2", "Cannot dial: + is only allowed at the start"},
	}
	for _, tt := range tests {
		if got := dialPreview(tt.in); got != tt.want {
			t.Errorf("dialPreview(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsDTMF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{{"123*#", true}, {"ABCD", true}, {"", false}, {"12a", false}, {"1 2", false}}
	for _, tt := range tests {
		if got := isDTMF(tt.in); got != tt.want {
			t.Errorf("isDTMF(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
