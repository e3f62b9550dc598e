package main

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/agentlink/agentlink/core"
)

func TestLoadConfigPhone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "config.toml", `
[finesse]
mobile_agent_mode = "Nailed_Connection"
mobile_dial_number = " 4085551234 "
device_id = "CSFJP5550016"
recording = true
`)
	got, err := loadConfig(path, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := PhoneConfig{MobileMode: core.MobileNailedConnection, DialNumber: "4085551234", DeviceID: "CSFJP5550016", Recording: true}
	if got.Finesse.Phone != want {
		t.Fatalf("phone = %+v, want %+v", got.Finesse.Phone, want)
	}
	fc, err := finesseConfig(got, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if d := fc.Phone; d.MobileMode != want.MobileMode || d.DialNumber != want.DialNumber || d.DeviceID != want.DeviceID {
		t.Fatalf("the link's phone defaults = %+v", d)
	}
}

func TestLoadConfigPhoneErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ body, want string }{
		{`mobile_agent_mode = "roaming"`, `finesse.mobile_agent_mode`},
		{`mobile_agent_mode = "call_by_call"`, `needs finesse.mobile_dial_number`},
		{`mobile_dial_number = "4085551234"`, `without finesse.mobile_agent_mode`},
		{`device_id = "SEP 1"`, `finesse.device_id`},
		{`recording = "yes"`, `finesse.recording`},
	} {
		path := writeFile(t, t.TempDir(), "config.toml", "[finesse]\n"+tt.body+"\n")
		_, err := loadConfig(path, true, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.body, err, tt.want)
		}
	}
}
