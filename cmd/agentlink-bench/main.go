package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command-line settings.
type options struct {
	json         bool
	markdown     bool
	soakCalls    int
	fanoutEvents int
	rateWriters  int
	figures      []int
	cpuProfile   string
	agentlinkBin string
	jsonOut      string // also write the JSON report here
	fromJSON     string // render this saved report instead of running
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentlink-bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var only string
	fs := flag.NewFlagSet("agentlink-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.json, "json", false, "print the results as JSON instead of a table")
	fs.BoolVar(&o.markdown, "markdown", false, "print the results as a Markdown table (for the README)")
	fs.IntVar(&o.soakCalls, "soak-calls", 10000, "calls in the soak run (figure 6)")
	fs.IntVar(&o.fanoutEvents, "fanout-events", 300, "events per client count in figure 1")
	fs.IntVar(&o.rateWriters, "rate-writers", 4, "REST writers feeding the simulator in figure 3 (1 to 64)")
	fs.StringVar(&o.agentlinkBin, "agentlink-bin", "", "agentlink binary for figure 5 (default: build ./cmd/agentlink)")
	fs.StringVar(&o.jsonOut, "json-out", "", "also write the JSON report to this file")
	fs.StringVar(&o.fromJSON, "from-json", "", "print a report saved with --json-out (as a table, or with --json/--markdown) instead of running")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	fs.StringVar(&only, "only", "1,2,3,4,5,6,7,8", "comma-separated figures to run")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags only)", fs.Arg(0))
	}
	if o.soakCalls < 100 || o.soakCalls > 1_000_000 {
		return o, fmt.Errorf("--soak-calls %d: must be between 100 and 1000000", o.soakCalls)
	}
	if o.fanoutEvents < 10 || o.fanoutEvents > 100_000 {
		return o, fmt.Errorf("--fanout-events %d: must be between 10 and 100000", o.fanoutEvents)
	}
	if o.rateWriters < 1 || o.rateWriters > 64 {
		return o, fmt.Errorf("--rate-writers %d: must be between 1 and 64", o.rateWriters)
	}
	for f := range strings.SplitSeq(only, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > len(figureNames) {
			return o, fmt.Errorf("--only %q: figures are numbers 1 to %d", only, len(figureNames))
		}
		o.figures = append(o.figures, n)
	}
	slices.Sort(o.figures)
	o.figures = slices.Compact(o.figures)
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if o.fromJSON != "" {
		rep, err := loadReport(o.fromJSON)
		if err != nil {
			return err
		}
		return write(stdout, rep, o)
	}
	if o.cpuProfile != "" {
		stopProfile, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	rep := Report{Machine: ReadMachine(), Started: time.Now(),
		Settings: Settings{SoakCalls: o.soakCalls, FanoutEvents: o.fanoutEvents, Figures: o.figures}}
	progress := func(format string, a ...any) { fmt.Fprintf(stderr, "agentlink-bench: "+format+"\n", a...) }
	var bins binaries
	if slices.ContainsFunc(o.figures, needsBinary) {
		if o.agentlinkBin == "" {
			progress("building ./cmd/agentlink (and -tags nogui) for figures 5, 7, 8")
		}
		if bins, err = prepareBinaries(ctx, o.agentlinkBin); err != nil {
			bins.err = err // figures 1-4 and 6 can still run
		}
		if bins.dir != "" {
			defer os.RemoveAll(bins.dir)
		}
	}
	for _, fig := range o.figures {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		progress("figure %d: %s", fig, figureNames[fig])
		start := time.Now()
		rows := runFigure(ctx, fig, o, bins)
		progress("figure %d done in %s", fig, time.Since(start).Round(time.Millisecond))
		rep.Rows = append(rep.Rows, rows...)
	}
	rep.Elapsed = time.Since(rep.Started).Round(time.Second).String()
	rep.Machine.LoadEnd = LoadAvg()
	if o.jsonOut != "" {
		if err := saveReport(o.jsonOut, rep); err != nil {
			return err
		}
	}
	return write(stdout, rep, o)
}

func write(w io.Writer, rep Report, o options) error {
	switch {
	case o.json:
		return WriteJSON(w, rep)
	case o.markdown:
		return WriteMarkdown(w, rep)
	}
	return WriteTable(w, rep)
}

func saveReport(path string, rep Report) error {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--json-out: %w", err)
	}
	return nil
}

func loadReport(path string) (Report, error) {
	var rep Report
	b, err := os.ReadFile(path)
	if err != nil {
		return rep, fmt.Errorf("--from-json: %w", err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return rep, fmt.Errorf("--from-json %s: not a saved report: %w", path, err)
	}
	return rep, nil
}

var figureNames = map[int]string{
	1: "event fan-out latency",
	2: "command overhead",
	3: "sustained event rate",
	4: "failover",
	5: "footprint (headless)",
	6: "soak",
	7: "side by side with the browser toolbar tab",
	8: "UI footprint and cold start",
}

// needsBinary: figures that run the agentlink binary as a child process.
func needsBinary(fig int) bool { return fig == 5 || fig == 7 || fig == 8 }

// runFigure runs one figure; figures that need the in-process chain get a
// fresh one so that none inherits another's state.
func runFigure(ctx context.Context, fig int, o options, bins binaries) []Row {
	if needsBinary(fig) && bins.err != nil {
		return []Row{failRow(fig, figureNames[fig], bins.err)}
	}
	switch fig {
	case 4:
		return runFailover(ctx)
	case 5:
		return runFootprint(ctx, bins)
	case 7:
		return runPeer(ctx, bins)
	case 8:
		return runUIFigure(ctx, bins)
	}
	c, err := startChain(ctx)
	if err != nil {
		return []Row{failRow(fig, figureNames[fig], err)}
	}
	defer c.Close()
	if err := c.login(ctx); err != nil {
		return []Row{failRow(fig, figureNames[fig], err)}
	}
	switch fig {
	case 1:
		return runFanout(ctx, c, o.fanoutEvents)
	case 2:
		return runCommand(ctx, c)
	case 3:
		return runRate(ctx, c, o.rateWriters)
	default:
		return runSoak(ctx, c, o.soakCalls)
	}
}

// startCPUProfile profiles the whole process (chain and clients alike).
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
