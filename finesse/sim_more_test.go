package finesse

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agentlink/agentlink/core"
	"github.com/agentlink/agentlink/finesse/finessesim"
)

// TestSimSetCredentialsKeepsPresence: an app that knows the password at
// start gets a connected link and presence without signing in the phone.
func TestSimSetCredentialsKeepsPresence(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 21})
	l, err := NewLink(linkConfig(sim, DirectTLS, t))
	if err != nil {
		t.Fatal(err)
	}
	l.SetCredentials("1001", "secret1")
	e := runLinkWith(t, sim, l)
	v := e.sink.waitFor(t, "IN_SERVICE with a resync", waitEvent, func(v view) bool {
		return v.System.Status == core.InService && resyncsAfter(v.Updates, 0) == 1
	})
	if v.Agent.State != core.StateLogout || v.Agent.ID != "1001" {
		t.Errorf("agent = %+v, want 1001 LOGOUT", v.Agent)
	}
	waitSim(t, "presence without sign-in", func() bool { info, _ := sim.Agent("1001"); return info.Present })
}

func TestInsecureSkipVerifyWarnsAtStart(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 22})
	var logs syncBuffer
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.CAFile, cfg.InsecureSkipVerify = "", true
	cfg.Logger = newTextLogger(&logs)
	e := runLink(t, sim, cfg)
	e.login(t)
	if !strings.Contains(logs.String(), "finesse certificate verification disabled") {
		t.Errorf("no InsecureSkipVerify warning in:\n%s", logs.String())
	}
}

func TestSimWrapUp(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 23, KeepDialogInWrapUp: true}, DirectTLS)
	e.login(t)
	id := e.activeCall(t)
	if err := e.sim.HangUp(id); err != nil {
		t.Fatal(err)
	}
	e.sink.waitFor(t, "WORK_READY with the dialog kept", waitEvent, func(v view) bool {
		d, ok := v.Dialogs[id]
		return ok && v.Agent.State == core.StateWorkReady && agentPart(d).State == core.PartWrapUp
	})
	e.send(t, core.Command{Kind: core.CmdWrapUp, DialogID: id, WrapUpReason: "Billing question"})
	e.dialogWhere(t, "wrap-up reason set", id, func(d core.Dialog) bool { return d.WrapUpReason == "Billing question" })
	e.send(t, core.Command{Kind: core.CmdReady})
	e.sink.waitFor(t, "READY and the dialog gone", waitEvent, func(v view) bool {
		_, ok := v.Dialogs[id]
		return !ok && v.Agent.State == core.StateReady
	})
}

func TestSimConferenceAndSingleStep(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 24, ExternalAnswerDelay: 10 * time.Millisecond}, DirectTLS)
	e.login(t)
	id := e.activeCall(t)
	e.send(t, core.Command{Kind: core.CmdConsult, DialogID: id, Number: "4085550222"})
	e.sink.waitFor(t, "consult active", waitEvent, func(v view) bool {
		for cid, d := range v.Dialogs {
			if cid != id && d.State == core.DialogActive && agentPart(v.Dialogs[id]).State == core.PartHeld {
				return true
			}
		}
		return false
	})
	e.send(t, core.Command{Kind: core.CmdConference, DialogID: id})
	d := e.dialogWhere(t, "conference", id, func(d core.Dialog) bool {
		return d.CallType == "CONFERENCE" && agentPart(d).State == core.PartActive
	})
	if len(d.Participants) < 3 {
		t.Errorf("conference has %d participants, want 3", len(d.Participants))
	}
	e.sink.waitFor(t, "only the conference left", waitEvent, func(v view) bool { return len(v.Dialogs) == 1 })
	e.send(t, core.Command{Kind: core.CmdSingleStepTransfer, DialogID: id, Number: "4085550333"})
	e.sink.waitFor(t, "dialog gone after single-step transfer", waitEvent, func(v view) bool { return len(v.Dialogs) == 0 })
}

func TestSimLists(t *testing.T) {
	t.Parallel()
	e := startEnv(t, finessesim.Config{Seed: 25}, DirectTLS)
	e.login(t)
	ctx := context.Background()
	for _, cat := range []core.ReasonCategory{core.CategoryNotReady, core.CategoryLogout} {
		codes, err := e.link.ReasonCodes(ctx, cat)
		if err != nil {
			t.Fatalf("ReasonCodes(%s): %v", cat, err)
		}
		for _, c := range codes {
			if c.ID == "" || c.Label == "" || c.Category != cat {
				t.Errorf("reason code %+v: want id, label and category %s", c, cat)
			}
		}
	}
	wr, err := e.link.WrapUpReasons(ctx)
	if err != nil || len(wr) == 0 {
		t.Fatalf("WrapUpReasons = %v, %v; want some", wr, err)
	}
	pb, err := e.link.PhoneBook(ctx)
	if err != nil || len(pb) == 0 || pb[0].Number == "" {
		t.Fatalf("PhoneBook = %v, %v; want contacts with numbers", pb, err)
	}
	// NOT_READY with a real reason code id from the list.
	codes, _ := e.link.ReasonCodes(ctx, core.CategoryNotReady)
	if len(codes) > 0 {
		e.send(t, core.Command{Kind: core.CmdNotReady, ReasonCodeID: codes[0].ID})
		e.sink.waitFor(t, "NOT_READY with the code", waitEvent, func(v view) bool { return v.Agent.ReasonCodeID == codes[0].ID })
	}
	logout, err := e.link.ReasonCodes(ctx, core.CategoryLogout)
	if err != nil {
		t.Fatal(err)
	}
	cmd := core.Command{Kind: core.CmdLogout}
	if len(logout) > 0 {
		cmd.ReasonCodeID = logout[0].ID
	}
	e.send(t, cmd)
	e.sink.waitFor(t, "LOGOUT", waitEvent, agentIs(core.StateLogout))
	waitSim(t, "signed out but still present", func() bool { info, _ := e.sim.Agent("1001"); return info.State == "LOGOUT" && info.Present })
}

func TestSimUntrustedCertificate(t *testing.T) {
	t.Parallel()
	sim := startSim(t, finessesim.Config{Seed: 26})
	cfg := linkConfig(sim, DirectTLS, t)
	cfg.CAFile = ""
	e := runLink(t, sim, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := e.link.Send(ctx, core.Command{Kind: core.CmdLogin, AgentID: "1001", Password: "secret1", Extension: "5001"})
	if !errors.Is(err, core.ErrUntrustedCertificate) || !strings.Contains(err.Error(), "ca_file") {
		t.Fatalf("err = %v, want ErrUntrustedCertificate with a ca_file hint", err)
	}
	v := e.sink.waitFor(t, "status explains the certificate", waitEvent, func(v view) bool {
		return v.System.Status == core.OutOfService && strings.Contains(v.System.Reason, "ca_file")
	})
	if v.System.XMPPConnected {
		t.Error("XMPPConnected = true with an untrusted certificate")
	}
}
