// Command nsinspect lists Linux namespaces: a drop-in for util-linux's lsns
// that finds more and shows what is inside them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/metrics"
	"github.com/nsinspect/nsinspect/render"
	"golang.org/x/sys/unix"
)

// version and revision are set at build time by make:
// -ldflags "-X main.version=... -X main.revision=...". Without them, the
// versions the go command records stand in (versionString).
var version, revision string

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// fixtureProcfs, where set, reports whether a --procfs path is a fake proc
// tree that tests built, which nsinspect then scans although it is no proc
// filesystem. Only tests set it (and builds with -tags nsinspect_fixture,
// fixture_tag.go): no option reaches it.
var fixtureProcfs func(path string) bool

func isFixture(path string) bool { return fixtureProcfs != nil && fixtureProcfs(path) }

// fail prints err as nsinspect's one line of error and returns the exit
// status. A usage error gets lsns's pointer to --help on a second line.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "nsinspect: %s\n", err)
	var usage *usageError
	if errors.As(err, &usage) {
		io.WriteString(stderr, "Try 'nsinspect --help' for more information.\n")
	}
	return 1
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args)
	if err != nil {
		return fail(stderr, err)
	}
	switch {
	case o.help:
		writeUsage(stdout)
		return 0
	case o.version:
		io.WriteString(stdout, versionString())
		return 0
	}
	format := render.FormatTable
	switch {
	case o.json:
		format = render.FormatJSON
	case o.raw:
		format = render.FormatRaw
	}
	if o.listColumns {
		if err := render.WriteColumnList(stdout, query.Columns(), format, render.ParseJSONStyle(os.Getenv("LIBSMARTCOLS_JSON"))); err != nil {
			return fail(stderr, err)
		}
		return 0
	}
	if o.given("metrics") {
		if o.metrics == "" {
			return fail(stderr, errors.New("--metrics needs a file name, or - for standard output"))
		}
		return writeMetrics(o, stdout, stderr)
	}
	if o.given("interval") {
		return fail(stderr, errors.New("--interval goes with --metrics"))
	}
	q, err := query.New(o.query)
	if err != nil {
		return fail(stderr, err)
	}
	scan := q.ScanOptions()
	scan.Fixture = isFixture(o.procfs)
	snap, err := inspect.Scan(scan)
	if err != nil {
		return fail(stderr, err)
	}
	res, err := q.Run(snap, nil)
	switch {
	case errors.Is(err, inspect.ErrNoNSIoctl) && q.TreeNeedsRelations():
		fmt.Fprintf(stderr, "nsinspect: --tree=%s: %s\n", strings.TrimPrefix(o.query.Tree, "="), err)
		return 2 // as lsns
	case errors.Is(err, inspect.ErrNoNSIoctl):
		fmt.Fprintf(stderr, "nsinspect: parents and owners are unknown: %s\n", err)
	case err != nil:
		return fail(stderr, err)
	}
	// After the errors: a failed run prints its one line.
	if why := snap.Shortfall(); why != "" {
		consequence := "NPROCS counts only the processes seen, and is empty where none was"
		if o.query.Persistent {
			consequence = "the list may be incomplete, and its namespaces may have processes not seen"
		}
		fmt.Fprintf(stderr, "nsinspect: %s; %s\n", why, consequence)
	}
	if n := snap.NotEntered(); n > 0 {
		fmt.Fprintf(stderr, "nsinspect: %d namespaces could not be entered (permission denied): what only their inside shows (HOSTNAME, DOMAINNAME, IPCOBJS, CGROUPROOT) is empty; run as root\n", n)
	}
	if skipped := snap.Skipped(); len(skipped) > 0 {
		fmt.Fprintf(stderr, "nsinspect: skipped what did not answer within %v (a stalled filesystem?): %s\n",
			inspect.DefaultStallTimeout, strings.Join(skipped, ", "))
	}
	if res.Graph != nil {
		if err := render.WriteGraph(stdout, res.Graph, res.GraphFormat); err != nil {
			return fail(stderr, err)
		}
		return 0
	}
	ro := render.Options{
		Format:     format,
		Columns:    res.Columns,
		Tree:       res.Tree,
		NoHeadings: o.noHeadings,
		NoWrap:     o.noWrap || o.raw,
		ASCII:      !utf8Locale(),
		Name:       "namespaces",
		JSON:       render.ParseJSONStyle(os.Getenv("LIBSMARTCOLS_JSON")),
		NoTrunc:    o.noTrunc,
	}
	if format == render.FormatTable {
		ro.Width = terminalWidth(stdout)
	}
	if err := render.Write(stdout, res.Rows, ro); err != nil {
		return fail(stderr, err)
	}
	return 0
}

// writeMetrics writes the metrics for node_exporter's textfile collector
// (scanMetrics), once, or with --interval every interval until SIGTERM or
// SIGINT, on which it exits 0: the DaemonSet's image needs no shell for a
// loop. A first scan that fails is an error, so that a wrong --procfs shows
// at once; later failures are said on stderr and leave the last metrics.
func writeMetrics(o *options, stdout, stderr io.Writer) int {
	if o.interval < 0 || (o.given("interval") && o.interval == 0) {
		return fail(stderr, fmt.Errorf("--interval must be positive: %v", o.interval))
	}
	if err := scanMetrics(o, stdout, stderr); err != nil {
		return fail(stderr, err)
	}
	if o.interval == 0 {
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), unix.SIGTERM, unix.SIGINT)
	defer stop()
	return metricsLoop(ctx, o, stdout, stderr)
}

// metricsLoop scans every o.interval until ctx ends.
func metricsLoop(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	tick := time.NewTicker(o.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return 0
		case <-tick.C:
		}
		if err := scanMetrics(o, stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "nsinspect: %s; the previous metrics stay until the next scan\n", err)
		}
	}
}

// scanMetrics scans every type, with the holders and the ghosts that
// relations reveal, and writes the metrics: to a temporary file renamed over
// FILE, so that the collector never reads half of it.
func scanMetrics(o *options, stdout, stderr io.Writer) error {
	start := time.Now()
	snap, err := inspect.Scan(inspect.Options{Root: o.procfs, RootFS: o.rootfs, FindHolders: true, Threads: o.query.Threads, Fixture: isFixture(o.procfs)})
	if err != nil {
		return err
	}
	if why := snap.Shortfall(); why != "" {
		fmt.Fprintf(stderr, "nsinspect: %s; the metrics count only the processes seen (nsinspect_incomplete 1)\n", why)
	}
	if err := snap.Fill(slices.Clone(snap.Namespaces), nil, inspect.Need{Relations: true}); err != nil && !errors.Is(err, inspect.ErrNoNSIoctl) {
		return err
	}
	elapsed := time.Since(start)
	if o.metrics == "-" {
		err = metrics.Write(stdout, snap, elapsed)
	} else {
		err = metrics.WriteFile(o.metrics, snap, elapsed)
	}
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}
