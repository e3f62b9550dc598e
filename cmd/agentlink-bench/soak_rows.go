package main

import (
	"fmt"
	"os"
	"time"
)

func selfPID() int { return os.Getpid() }

// soakRows checks the end state of the soak.
func soakRows(c *chain, tbs []*toolbar, trackers []*dialogTracker, calls int, elapsed time.Duration,
	before, after footprint) []Row {
	rate := maxRow(6, fmt.Sprintf("soak: %d calls through the chain, 10 clients", calls), float64(calls)/elapsed.Seconds(), "calls/s", 1, 0)
	rate.Note = fmt.Sprintf("took %s", elapsed.Round(time.Millisecond))
	rss := maxRow(6, "soak: RSS growth after warm-up", 100*Growth(float64(before.rss), float64(after.rss)), "%", 1, 100*soakGrowthMax)
	rss.Note = fmt.Sprintf("%.1f -> %.1f MB, whole bench process (simulator, app, toolbars)", mb(before.rss), mb(after.rss))
	gor := maxRow(6, "soak: goroutine growth after warm-up", 100*Growth(float64(before.goroutines), float64(after.goroutines)), "%", 1, 100*soakGrowthMax)
	gor.Note = fmt.Sprintf("%d -> %d goroutines", before.goroutines, after.goroutines)
	return []Row{rate, rss, gor, everyEventOnce(c, tbs, trackers), noDialogLeft(c, trackers, calls)}
}

// everyEventOnce: continuous sequence numbers on every client, all at the
// session's last seq, with the same number of events.
func everyEventOnce(c *chain, tbs []*toolbar, trackers []*dialogTracker) Row {
	const name = "soak: every client saw every event exactly once"
	if err := checkClients(tbs); err != nil {
		return checkRow(6, name, false, err.Error())
	}
	want := c.sess.Snapshot().Seq
	n0, _, _, _, _ := tbs[0].Stats()
	for i, tb := range tbs {
		n, _, _, last, _ := tb.Stats()
		_, _, twice := trackers[i].counts()
		if last != want || n != n0 || twice > 0 {
			return checkRow(6, name, false, fmt.Sprintf("client %d: %d events up to seq %d (client 0: %d, session: %d), %d dialogs ended twice",
				i, n, last, n0, want, twice))
		}
	}
	r := checkRow(6, name, true, "")
	r.Note = fmt.Sprintf("%d events each, seq continuous up to %d", n0, want)
	return r
}

// noDialogLeft: no dialog open in the simulator, the session or any client,
// and every client saw every call end.
func noDialogLeft(c *chain, trackers []*dialogTracker, calls int) Row {
	const name = "soak: no dialog left behind"
	if d := c.sim.Dialogs(); len(d) > 0 {
		return checkRow(6, name, false, fmt.Sprintf("%d dialogs left in the simulator", len(d)))
	}
	if d := c.sess.Snapshot().Dialogs; len(d) > 0 {
		return checkRow(6, name, false, fmt.Sprintf("%d dialogs left in the session", len(d)))
	}
	for i, t := range trackers {
		open, ended, _ := t.counts()
		if open > 0 || ended != calls {
			return checkRow(6, name, false, fmt.Sprintf("client %d: %d dialogs open, %d of %d ended", i, open, ended, calls))
		}
	}
	return checkRow(6, name, true, "")
}
