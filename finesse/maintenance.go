package finesse

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/agentlink/agentlink/core"
)

// Finesse 12.6 maintenance mode (reference §7.3; Cisco developer guide,
// "Maintenance Mode"): before an upgrade an administrator drains a node.
// Its SystemInfo then carries finesseMMode IN_PROGRESS while Finesse waits
// for every desktop to move to the alternate node, and COMPLETED when it
// shuts its services down. Clients move on their own initiative, and a
// third-party client that moved sends NOT_READY with reason code 50045,
// which Finesse takes as a notice, not as a state change.

// maintenanceNoticeReason is the reasonCodeId of that notice.
const maintenanceNoticeReason = "50045"

// errMaintenanceMove ends a session so the supervisor moves off a node in
// maintenance; it is an errSwitchSide.
var errMaintenanceMove = fmt.Errorf("%w: the side is in maintenance", errSwitchSide)

// draining reports whether a finesseMMode value asks desktops to leave.
// The full value set is not documented (reference §10), so only the values
// that mean "moving agents" or "services stopping" count; FAILED, an empty
// value and anything unknown leave the agent where they are.
func draining(mode string) bool {
	switch strings.ToUpper(strings.TrimSpace(mode)) {
	case "INITIATING", "IN_PROGRESS", "COMPLETED":
		return true
	}
	return false
}

// maintenanceOf returns finesseMMode from a SystemInfo notification, or ""
// for anything else.
func maintenanceOf(node string, inner []byte) string {
	if classifyNode(node) != nodeSystemInfo {
		return ""
	}
	payload, err := notificationPayload(inner)
	if err != nil {
		return ""
	}
	var u wireUpdate
	if decodeXML(payload, "Update", &u) != nil || u.Data.SystemInfo == nil {
		return ""
	}
	return u.Data.SystemInfo.FinesseMMode
}

// leaveMaintenance moves the session off side idx, which is in
// maintenance, when another side is IN_SERVICE and not in maintenance
// itself. It reports false when there is nowhere to go: the caller keeps
// serving here and asks again later.
func (s *supervisor) leaveMaintenance(ctx context.Context, idx int, c creds) bool {
	i, ok := s.otherSide(ctx, idx, c, func(info *wireSystemInfo) bool {
		return inService(info) && !draining(info.FinesseMMode)
	})
	if !ok {
		s.l.cfg.Logger.Warn("finesse side in maintenance but no other side can take the agent; staying", "side", s.l.sides[idx].name)
		return false
	}
	from, to := s.l.sides[idx], s.l.sides[i]
	s.l.cfg.Logger.Info("finesse side in maintenance; moving", "from", from.name, "to", to.name)
	s.l.publish(s.sink, core.System{Status: core.InService, Node: from.name, Host: from.ep.Host, XMPPConnected: true,
		Reason: fmt.Sprintf("side %s is going into maintenance; moving to side %s", from.name, to.name)})
	s.l.setCurrentSide(i)
	s.maintenanceMoved = true
	return true
}

// noticeMaintenanceMove sends the NOT_READY 50045 notice after a move off a
// node in maintenance. Failure is logged only: the move itself worked.
func (s *supervisor) noticeMaintenanceMove(ctx context.Context, c creds, idx int) {
	if !s.maintenanceMoved {
		return
	}
	s.maintenanceMoved = false
	body := userRequest{State: string(core.StateNotReady), ReasonCodeID: maintenanceNoticeReason}
	if err := s.l.rest.putUser(ctx, s.l.endpoint(idx), c, body, newRequestID()); err != nil {
		s.l.cfg.Logger.Warn("finesse maintenance move notice failed", "side", s.l.sides[idx].name, "err", err)
	}
}

// isMaintenanceMove reports an error that ended a session to leave a node
// in maintenance.
func isMaintenanceMove(err error) bool { return errors.Is(err, errMaintenanceMove) }

// drainWatch is the retry timer of a session on a node in maintenance
// that had nowhere to move yet: every interval (Config.OutOfServiceGrace)
// it asks again. Owned by serve's goroutine.
type drainWatch struct {
	t        *time.Timer
	interval time.Duration
}

func newDrainWatch(on bool, interval time.Duration) *drainWatch {
	w := &drainWatch{interval: interval}
	w.set(on)
	return w
}

// set starts or stops the watch and reports whether the node is draining
// and was not before (time to try moving now).
func (w *drainWatch) set(on bool) bool {
	switch {
	case on && w.t == nil:
		w.t = time.NewTimer(w.interval)
		return true
	case !on && w.t != nil:
		w.stop()
	}
	return false
}

// due fires when it is time to ask again; nil (never) when not draining.
func (w *drainWatch) due() <-chan time.Time {
	if w.t == nil {
		return nil
	}
	return w.t.C
}

func (w *drainWatch) retry() { w.t.Reset(w.interval) }

func (w *drainWatch) stop() {
	if w.t != nil {
		w.t.Stop()
		w.t = nil
	}
}
