// Package coretest provides fakes of what a core.Session talks to, for tests
// of core and of the packages built on it (the bridge, the UI).
//
// [Port] is a fake [core.Port] with function fields that records every
// command it is sent. [Reply] turns a function from command to updates into
// a SendFunc that accepts the command and applies the updates from another
// goroutine, the way Finesse answers a 202 with a later notification.
//
// [Finesse] is a small stateful stand-in for one agent's Finesse: plug
// Finesse.Port into a real core.Session, Attach the session, and sign in,
// take calls ([Finesse.Incoming]), hold, consult, transfer and so on with
// plausible notifications, answered synchronously from inside Send.
//
//	fin := coretest.NewFinesse("1001")
//	s := core.NewSession(core.Config{Port: fin.Port()})
//	fin.Attach(s)
//	_ = s.Login(ctx, core.LoginRequest{AgentID: "1001", Password: "pw", Extension: "5001"})
//	id := fin.Incoming("6125551234")
//	_ = s.Answer(ctx, id)
package coretest
