package main

import "testing"

func TestParseHead(t *testing.T) {
	tests := []struct {
		frame  string
		name   string
		seq    uint64
		wantOK bool
	}{
		{`{"event":"Dialog","seq":42,"data":{"id":"1"}}`, "Dialog", 42, true},
		{`{"event":"System","seq":7}`, "System", 7, true},
		{`{"id":"r1","ok":true}`, "", 0, false},
		{`{"event":"Dialog","data":{},"seq":1}`, "", 0, false},
		{`{"event":"Dialog","seq":}`, "", 0, false},
		{`{"event":"Dialog","seq":12`, "", 0, false},
		{`{"event":"","seq":1}`, "", 0, false},
		{`{"event":"X","seq":99999999999999999999999,"data":1}`, "", 0, false},
	}
	for _, tt := range tests {
		name, seq, ok := parseHead([]byte(tt.frame))
		if ok != tt.wantOK || name != tt.name || seq != tt.seq {
			t.Errorf("parseHead(%s) = %q, %d, %v; want %q, %d, %v", tt.frame, name, seq, ok, tt.name, tt.seq, tt.wantOK)
		}
	}
}
