package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Status says how a figure compares with its target.
type Status string

// Statuses of a row.
const (
	StatusMet         Status = "met"
	StatusMissed      Status = "MISSED"
	StatusInfo        Status = "info"         // no target: context for another figure
	StatusNotMeasured Status = "not measured" // could not be measured here; Note says why
	StatusFailed      Status = "FAILED"       // the measurement itself failed; Note says why
)

// Row is one figure next to its target. Value is in Unit (ms, MB, %,
// events/s, s, count) so that JSON consumers need not parse Display.
type Row struct {
	Figure  int     `json:"figure"`
	Metric  string  `json:"metric"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
	Display string  `json:"display"`
	Target  string  `json:"target,omitempty"`
	Status  Status  `json:"status"`
	Note    string  `json:"note,omitempty"`
}

// Report is the whole run.
type Report struct {
	Machine  Machine   `json:"machine"`
	Started  time.Time `json:"started"`
	Elapsed  string    `json:"elapsed"`
	Settings Settings  `json:"settings"`
	Rows     []Row     `json:"rows"`
}

// Settings records what the run was asked to do.
type Settings struct {
	SoakCalls    int   `json:"soakCalls"`
	FanoutEvents int   `json:"fanoutEvents"`
	Figures      []int `json:"figures"`
}

// durRow is a latency figure with an upper bound as target (limit 0: no
// target).
func durRow(fig int, metric string, d, limit time.Duration) Row {
	r := Row{Figure: fig, Metric: metric, Value: msf(d), Unit: "ms", Display: fmtDur(d), Status: StatusInfo}
	if limit > 0 {
		r.Target = "< " + fmtDur(limit)
		r.Status = verdict(d < limit)
	}
	return r
}

// leDurRow is a latency figure with an inclusive upper bound (issue 14's
// targets read "≤").
func leDurRow(fig int, metric string, d, limit time.Duration) Row {
	r := durRow(fig, metric, d, 0)
	r.Target, r.Status = "<= "+fmtDur(limit), verdict(d <= limit)
	return r
}

// leRow is a figure with an inclusive upper bound in unit.
func leRow(fig int, metric string, v float64, unit string, prec int, limit float64) Row {
	r := maxRow(fig, metric, v, unit, prec, 0)
	r.Target, r.Status = "<= "+fmtNum(limit, unit, prec), verdict(v <= limit)
	return r
}

// infoRow is a figure given for context, with no target.
func infoRow(fig int, metric string, v float64, unit string, prec int, note string) Row {
	r := maxRow(fig, metric, v, unit, prec, 0)
	r.Note = note
	return r
}

// maxRow is a figure with an upper bound in unit (limit <= 0: no target).
func maxRow(fig int, metric string, v float64, unit string, prec int, limit float64) Row {
	r := Row{Figure: fig, Metric: metric, Value: v, Unit: unit, Display: fmtNum(v, unit, prec), Status: StatusInfo}
	if limit > 0 {
		r.Target = "< " + fmtNum(limit, unit, prec)
		r.Status = verdict(v < limit)
	}
	return r
}

// minRow is a figure with a lower bound in unit.
func minRow(fig int, metric string, v float64, unit string, prec int, limit float64) Row {
	return Row{Figure: fig, Metric: metric, Value: v, Unit: unit, Display: fmtNum(v, unit, prec),
		Target: ">= " + fmtNum(limit, unit, prec), Status: verdict(v >= limit)}
}

// checkRow is a yes/no requirement; detail explains a failure.
func checkRow(fig int, metric string, ok bool, detail string) Row {
	r := Row{Figure: fig, Metric: metric, Unit: "check", Display: "yes", Target: "yes", Status: StatusMet}
	if ok {
		r.Value = 1
	} else {
		r.Display, r.Status, r.Note = "no", StatusMissed, detail
	}
	return r
}

// failRow records that a figure could not be measured because of err.
func failRow(fig int, metric string, err error) Row {
	return Row{Figure: fig, Metric: metric, Display: "-", Status: StatusFailed, Note: err.Error()}
}

func verdict(ok bool) Status {
	if ok {
		return StatusMet
	}
	return StatusMissed
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// fmtDur prints a duration in ms with precision suited to its size.
func fmtDur(d time.Duration) string {
	switch m := msf(d); {
	case m < 10:
		return fmt.Sprintf("%.3f ms", m)
	case m < 1000:
		return fmt.Sprintf("%.1f ms", m)
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

func fmtNum(v float64, unit string, prec int) string {
	return strings.TrimSpace(fmt.Sprintf("%.*f %s", prec, v, unit))
}

// WriteTable prints the report as an aligned table, the machine first.
func WriteTable(w io.Writer, r Report) error {
	m := r.Machine
	fmt.Fprintf(w, "AgentLink benchmarks, %s (took %s)\n", r.Started.UTC().Format(time.RFC3339), r.Elapsed)
	fmt.Fprintf(w, "machine: %d CPUs (%s), %s RAM, %s, %s %s/%s; load average %s at start, %s at end\n\n",
		m.CPUs, m.CPUModel, m.Memory, m.Kernel, m.GoVersion, m.OS, m.Arch, m.LoadStart, m.LoadEnd)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tmetric\tvalue\ttarget\tstatus\tnote")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", row.Figure, row.Metric, row.Display, dash(row.Target), row.Status, row.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	missed := 0
	for _, row := range r.Rows {
		if row.Status == StatusMissed || row.Status == StatusFailed {
			missed++
		}
	}
	_, err := fmt.Fprintf(w, "\n%d of %d rows missed their target or failed\n", missed, len(r.Rows))
	return err
}

// WriteMarkdown prints the rows as a Markdown table (for the README).
func WriteMarkdown(w io.Writer, r Report) error {
	fmt.Fprintln(w, "| # | metric | value | target | status | note |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, row := range r.Rows {
		note := strings.ReplaceAll(row.Note, "|", "\\|")
		if _, err := fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", row.Figure, row.Metric, row.Display, dash(row.Target), row.Status, note); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON prints the report as indented JSON.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // targets read "< 2 ms", not "\u003c 2 ms"
	return enc.Encode(r)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
