package ui

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/agentlink/agentlink/core"
)

// defaultOutageGrace is how long Finesse must stay out of service before the
// agent is alarmed. A failover to the other side takes milliseconds to a few
// seconds (README, benchmarks); alarming on those would teach agents to
// ignore the alarm.
const defaultOutageGrace = 5 * time.Second

// outageAlarm tells the agent about an outage that lasts, and that it is
// over. It is owned by the Fyne thread.
type outageAlarm struct {
	grace     time.Duration // 0: defaultOutageGrace
	gen       int           // bumped on every change, so a stale timer does nothing
	timer     *time.Timer
	announced bool // the agent was told Finesse is out of service
}

// watchOutage follows the system status: going out of service arms the
// alarm; coming back disarms it and, if the agent was alarmed, says so with
// the side now in use. The technical reason goes to the log (and the
// Monitor, which shows the status), not to the agent. Fyne thread.
func (s *shell) watchOutage(prev, cur core.System) {
	a := &s.outage
	switch {
	case cur.Status == core.OutOfService && prev.Status == core.InService:
		s.log.Info("finesse out of service", "side", string(prev.Node), "reason", cur.Reason)
		a.gen++
		gen, grace := a.gen, a.grace
		if grace <= 0 {
			grace = defaultOutageGrace
		}
		a.timer = time.AfterFunc(grace, func() {
			s.do(func() {
				if a.gen != gen || s.ctx.Err() != nil || s.m.System.Status != core.OutOfService {
					return
				}
				a.announced = true
				s.app.SendNotification(outageNotification())
				s.refresh()
			})
		})
	case cur.Status == core.InService && prev.Status != core.InService:
		a.gen++
		if a.timer != nil {
			a.timer.Stop()
		}
		if a.announced {
			a.announced = false
			s.app.SendNotification(backInServiceNotification(cur))
		}
	}
}

func outageNotification() *fyne.Notification {
	return fyne.NewNotification("Finesse is out of service",
		"AgentLink is reconnecting by itself. Calls in progress stay up on your phone, but state changes and "+
			"new calls may not work. If this lasts more than a few minutes, tell your supervisor.")
}

func backInServiceNotification(sys core.System) *fyne.Notification {
	body := "You can work as normal again."
	if sys.Node != "" {
		body = "Connected to Finesse side " + string(sys.Node) + ". " + body
	}
	return fyne.NewNotification("Finesse is back in service", body)
}
