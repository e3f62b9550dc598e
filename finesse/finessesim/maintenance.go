package finessesim

import (
	"net/http"
	"strconv"
	"time"
)

// Finesse 12.6 maintenance mode: an administrator drains a node before an
// upgrade. The node's SystemInfo carries finesseMMode (IN_PROGRESS while
// Finesse waits for every desktop to move to the alternate node, then
// COMPLETED when it shuts its services down, or FAILED) and publishes the
// change; clients are expected to move on their own. A third-party client
// that moved must then PUT NOT_READY with reason code 50045, which Finesse
// treats as a notice and not as a state change (Cisco developer guide,
// "Maintenance Mode"). The exact set of mode values is not verified
// (reference §7.3), so any string is accepted here.

// MaintenanceNoticeReason is the reasonCodeId of the NOT_READY notice a
// client sends after moving off a node in maintenance.
const MaintenanceNoticeReason = "50045"

// SetMaintenance sets node id's finesseMMode ("" ends maintenance) and
// publishes SystemInfo on that node. It does not stop the node: kill it
// with KillNode to model COMPLETED.
func (s *Sim) SetMaintenance(id NodeID, mode string) error {
	n, err := s.node(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n.mmode == mode {
		return nil
	}
	n.mmode, n.mmodeSince = mode, s.now()
	si := encodeRoot(s.wireSystemInfoLocked(n), "systemInfo")
	s.deliverLocked(event{nodeID: n.id, pubsubNode: "/finesse/api/SystemInfo",
		doc: updateDoc(si, "PUT", "", "/finesse/api/SystemInfo")})
	return nil
}

// timeInMModeLocked is finesseTimeInMMode: seconds in maintenance, or -1.
func (s *Sim) timeInMModeLocked(n *Node, now time.Time) string {
	if n.mmode == "" {
		return "-1"
	}
	return strconv.Itoa(int(now.Sub(n.mmodeSince) / time.Second))
}

func (s *Sim) ctlMaintenance(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Mode *string `json:"mode"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if body.Mode == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `mode is required ("" ends maintenance)`})
		return
	}
	s.ctlNode(func(id NodeID) error { return s.SetMaintenance(id, *body.Mode) })(w, r)
}
