// Command nsinspect lists Linux namespaces: a drop-in for util-linux's lsns
// that finds more and shows what is inside them.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/metrics"
	"github.com/nsinspect/nsinspect/render"
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

// options are the parsed command line: how to print, and the query.
type options struct {
	json, noHeadings, raw, noTrunc, noWrap bool
	listColumns, help, version             bool
	metrics                                string
	procfs                                 string
	query                                  query.Options
	// given reports whether the option of that long name was given.
	given func(name string) bool
}

func parseFlags(args []string) (*options, error) {
	var o options
	fs := newFlagSet(&o)
	words, given, err := getopt(fs, args)
	if err != nil {
		return nil, err
	}
	if err := fs.Parse(words); err != nil {
		return nil, err
	}
	if err := checkExclusive(given); err != nil {
		return nil, err
	}
	// An empty value is a value: -p '' is no PID, not "no -p".
	o.given = fs.Changed
	o.query.TreeGiven, o.query.TaskGiven, o.query.OutputGiven = fs.Changed("tree"), fs.Changed("task"), fs.Changed("output")
	o.query.Procfs = o.procfs
	switch fs.NArg() {
	case 0:
	case 1:
		o.query.Namespace = fs.Arg(0)
	default:
		return nil, fmt.Errorf("too many arguments: %s", strings.Join(fs.Args()[1:], " "))
	}
	return &o, nil
}

// newFlagSet declares the options, binding them to o. The help text is
// written by hand (usage), in util-linux's style.
func newFlagSet(o *options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("nsinspect", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	// In lsns's order (getopt_long's table), which names the candidates
	// of an ambiguous abbreviation; ours after.
	fs.BoolVarP(&o.json, "json", "J", false, "")
	fs.StringVarP(&o.query.Task, "task", "p", "", "")
	fs.BoolVarP(&o.help, "help", "h", false, "")
	fs.StringVarP(&o.query.Output, "output", "o", "", "")
	fs.BoolVar(&o.query.OutputAll, "output-all", false, "")
	fs.BoolVarP(&o.query.Persistent, "persistent", "P", false, "")
	fs.StringVarP(&o.query.Filter, "filter", "Q", "", "")
	fs.BoolVarP(&o.noTrunc, "notruncate", "u", false, "")
	fs.BoolVarP(&o.version, "version", "V", false, "")
	fs.BoolVarP(&o.noHeadings, "noheadings", "n", false, "")
	fs.BoolVarP(&o.noWrap, "nowrap", "W", false, "")
	fs.BoolVarP(&o.query.List, "list", "l", false, "")
	fs.BoolVarP(&o.raw, "raw", "r", false, "")
	fs.StringArrayVarP(&o.query.Types, "type", "t", nil, "")
	fs.StringVarP(&o.query.Tree, "tree", "T", "", "")
	fs.Lookup("tree").NoOptDefVal = "owner"
	fs.BoolVarP(&o.listColumns, "list-columns", "H", false, "")
	fs.BoolVar(&o.query.Threads, "threads", false, "")
	fs.StringVar(&o.metrics, "metrics", "", "")
	fs.StringVar(&o.procfs, "procfs", inspect.DefaultRoot, "")
	return fs
}

const usage = `
Usage:
 nsinspect [options] [<namespace>]

List system namespaces.

Options:
 -J, --json             use JSON output format
 -l, --list             use list format output
 -n, --noheadings       don't print headings
 -o, --output <list>    define which output columns to use
     --output-all       output all columns
 -P, --persistent       namespaces without processes
 -p, --task <pid>       print process namespaces
 -Q, --filter <expr>    apply display filter
 -r, --raw              use the raw output format
 -u, --notruncate       don't truncate text in columns
 -W, --nowrap           don't use multi-line representation
 -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)
 -T, --tree[=<rel>]     use tree format (parent, owner, or process)
     --threads          also find namespaces that only a thread is in
     --procfs <path>    proc filesystem to inspect (default /proc)
     --metrics <file>   write Prometheus metrics to file (- for stdout), no listing

 -H, --list-columns     list the available columns
 -h, --help             display this help
 -V, --version          display version

Available output columns:
`

func writeUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString(usage)
	for _, c := range query.Columns() {
		fmt.Fprintf(&b, " %11s  %s\n", c.Name, c.Help)
	}
	b.WriteString("\nFor more details see README.md.\n")
	io.WriteString(w, b.String())
}

// versionString is what -V prints: the version and revision make stamped
// in, else those the go command recorded.
func versionString() string {
	info, _ := debug.ReadBuildInfo()
	return describeVersion(version, revision, info)
}

// describeVersion names a build: by the version stamped in, else the module
// version `go install ...@vX` records, else "(devel)"; and by the VCS
// revision stamped in, else the one `go build` in a checkout records
// (unless -buildvcs=false), marked -dirty for a modified tree.
func describeVersion(version, revision string, info *debug.BuildInfo) string {
	modified := false
	if info != nil {
		if version == "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && revision == "":
				revision = s.Value
			case s.Key == "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if version == "" {
		version = "(devel)"
	}
	v := "nsinspect " + version
	if revision != "" {
		if modified {
			revision += "-dirty"
		}
		v += " (revision " + revision + ")"
	}
	return v + "\n"
}

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
		if err := render.WriteColumnList(stdout, query.Columns(), format); err != nil {
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
	if skipped := snap.Skipped(); len(skipped) > 0 {
		fmt.Fprintf(stderr, "nsinspect: skipped what did not answer within %v (a stalled filesystem?): %s\n",
			inspect.DefaultStallTimeout, strings.Join(skipped, ", "))
	}
	ro := render.Options{
		Format:     format,
		Columns:    res.Columns,
		Tree:       res.Tree,
		NoHeadings: o.noHeadings,
		NoWrap:     o.noWrap || o.raw,
		ASCII:      !utf8Locale(),
		Name:       "namespaces",
	}
	if !o.noTrunc && format == render.FormatTable {
		ro.Width = terminalWidth(stdout)
	}
	if err := render.Write(stdout, res.Rows, ro); err != nil {
		return fail(stderr, err)
	}
	return 0
}

// writeMetrics scans every type, with the holders and the ghosts that
// relations reveal, and writes the metrics for node_exporter's textfile
// collector: to a temporary file renamed over FILE, so that the collector
// never reads half of it.
func writeMetrics(o *options, stdout, stderr io.Writer) int {
	start := time.Now()
	snap, err := inspect.Scan(inspect.Options{Root: o.procfs, Holders: true, Threads: o.query.Threads, Fixture: isFixture(o.procfs)})
	if err != nil {
		return fail(stderr, err)
	}
	if why := snap.Shortfall(); why != "" {
		fmt.Fprintf(stderr, "nsinspect: %s; the metrics count only the processes seen (nsinspect_incomplete 1)\n", why)
	}
	if err := snap.Fill(slices.Clone(snap.Namespaces), nil, inspect.Need{Relations: true}); err != nil && !errors.Is(err, inspect.ErrNoNSIoctl) {
		return fail(stderr, err)
	}
	elapsed := time.Since(start)
	if o.metrics == "-" {
		err = metrics.Write(stdout, snap, elapsed)
	} else {
		err = metrics.WriteFile(o.metrics, snap, elapsed)
	}
	if err != nil {
		return fail(stderr, fmt.Errorf("metrics: %w", err))
	}
	return 0
}

// utf8Locale reports whether the locale's character set is UTF-8, which
// decides the tree glyphs, as in util-linux.
func utf8Locale() bool {
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := os.Getenv(name); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return false
}

// terminalWidth returns the width of the terminal w writes to, or 0 when w is
// not a terminal: output to a pipe is never cut.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 0
	}
	return int(ws.Col)
}
