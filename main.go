// Command nsinspect lists Linux namespaces: a drop-in for util-linux's lsns
// that finds more and shows what is inside them.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/filter"
	"github.com/nsinspect/nsinspect/inspect"
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

// options are the parsed command line.
type options struct {
	json, list, noHeadings, raw, noTrunc, noWrap bool
	outputAll, listColumns, help, version        bool
	persistent, threads                          bool
	output                                       string
	tree                                         string
	filter                                       string
	metrics                                      string
	task                                         string
	types                                        []string
	procfs                                       string
	namespace                                    string // the positional <namespace>
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
	switch fs.NArg() {
	case 0:
	case 1:
		o.namespace = fs.Arg(0)
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
	fs.StringVarP(&o.task, "task", "p", "", "")
	fs.BoolVarP(&o.help, "help", "h", false, "")
	fs.StringVarP(&o.output, "output", "o", "", "")
	fs.BoolVar(&o.outputAll, "output-all", false, "")
	fs.BoolVarP(&o.persistent, "persistent", "P", false, "")
	fs.StringVarP(&o.filter, "filter", "Q", "", "")
	fs.BoolVarP(&o.noTrunc, "notruncate", "u", false, "")
	fs.BoolVarP(&o.version, "version", "V", false, "")
	fs.BoolVarP(&o.noHeadings, "noheadings", "n", false, "")
	fs.BoolVarP(&o.noWrap, "nowrap", "W", false, "")
	fs.BoolVarP(&o.list, "list", "l", false, "")
	fs.BoolVarP(&o.raw, "raw", "r", false, "")
	fs.StringArrayVarP(&o.types, "type", "t", nil, "")
	fs.StringVarP(&o.tree, "tree", "T", "", "")
	fs.Lookup("tree").NoOptDefVal = "owner"
	fs.BoolVarP(&o.listColumns, "list-columns", "H", false, "")
	fs.BoolVar(&o.threads, "threads", false, "")
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
	for _, c := range render.Columns {
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
		if err := render.WriteColumnList(stdout, format, render.ParseJSONStyle(os.Getenv("LIBSMARTCOLS_JSON"))); err != nil {
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
	q, err := o.query()
	if err != nil {
		return fail(stderr, err)
	}
	snap, err := inspect.Scan(inspect.Options{
		Root: o.procfs, Types: q.types, Threads: o.threads,
		// A namespace without processes cannot hold -p's process.
		Holders: q.pid == 0 || hasColumn(q.columns, nsfsColumn),
		Fixture: isFixture(o.procfs),
	})
	if err != nil {
		return fail(stderr, err)
	}
	env := render.Env{Root: snap.Root, UserName: userNames(), Snapshot: snap}
	rows, tree, err := q.rows(snap, &env)
	if errors.Is(err, inspect.ErrNoNSIoctl) {
		if q.tree == treeOwner || q.tree == treeParent {
			fmt.Fprintf(stderr, "nsinspect: --tree=%s: %s\n", o.tree, err)
			return 2 // as lsns
		}
		fmt.Fprintf(stderr, "nsinspect: parents and owners are unknown: %s\n", err)
	} else if err != nil {
		return fail(stderr, err)
	}
	// After the errors: a failed run prints its one line.
	if why := snap.Shortfall(); why != "" {
		consequence := "NPROCS counts only the processes seen, and is empty where none was"
		if q.persistent {
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
		Columns:    q.columns,
		Tree:       tree,
		NoHeadings: o.noHeadings,
		NoWrap:     o.noWrap || o.raw,
		ASCII:      !utf8Locale(),
		Name:       "namespaces",
		JSON:       render.ParseJSONStyle(os.Getenv("LIBSMARTCOLS_JSON")),
		Env:        env,
	}
	if !o.noTrunc && format == render.FormatTable {
		ro.Width = terminalWidth(stdout)
	}
	if err := render.Write(stdout, rows, ro); err != nil {
		return fail(stderr, err)
	}
	return 0
}

// treeMode is how rows nest: -T/--tree's relation, or none with -l.
type treeMode uint8

const (
	treeNone treeMode = iota
	treeProcess
	treeOwner
	treeParent
)

var (
	nsColumn      = render.MustColumns("NS")[0]
	commandColumn = render.MustColumns("COMMAND")[0]
	nsfsColumn    = render.MustColumns("NSFS")[0]
)

// writeMetrics scans every type, with the holders and the ghosts that
// relations reveal, and writes the metrics for node_exporter's textfile
// collector: to a temporary file renamed over FILE, so that the collector
// never reads half of it.
func writeMetrics(o *options, stdout, stderr io.Writer) int {
	start := time.Now()
	snap, err := inspect.Scan(inspect.Options{Root: o.procfs, Holders: true, Threads: o.threads, Fixture: isFixture(o.procfs)})
	if err != nil {
		return fail(stderr, err)
	}
	if why := snap.Shortfall(); why != "" {
		fmt.Fprintf(stderr, "nsinspect: %s; the metrics count only the processes seen (nsinspect_incomplete 1)\n", why)
	}
	if err := snap.Relate(slices.Clone(snap.Namespaces)); err != nil && !errors.Is(err, inspect.ErrNoNSIoctl) {
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

// query is what the command line asks for, checked.
type query struct {
	types      inspect.TypeSet
	columns    []*render.Column
	pid        int          // -p, 0 if not given
	namespace  inspect.NSID // the <namespace> argument, 0 if not given
	tree       treeMode
	persistent bool
	filter     *filter.Filter
	// filterColumns are read for the filter, shown or not.
	filterColumns []*render.Column
}

func (o *options) query() (*query, error) {
	q := &query{persistent: o.persistent, tree: treeProcess}
	net := false
	for _, arg := range o.types {
		// lsns takes one type per -t; a comma-separated list is ours.
		for name := range strings.SplitSeq(arg, ",") {
			if name == "" {
				name = arg // name what was given: "net,", ""
			}
			t, err := inspect.ParseType(name)
			if err != nil {
				return nil, err
			}
			q.types = q.types.With(t)
			net = net || t == inspect.Net
		}
	}
	// -T wins over -l, as in lsns, whose check of the pair never fires.
	switch tree := strings.TrimPrefix(o.tree, "="); {
	case !o.given("tree"):
		if o.list {
			q.tree = treeNone
		}
	case tree == "process":
	case tree == "owner":
		q.tree = treeOwner
	case tree == "parent":
		q.tree = treeParent
	default:
		return nil, fmt.Errorf("unknown tree type: %s", tree)
	}
	if o.given("task") {
		pid, err := strconv.Atoi(o.task)
		if err != nil || pid <= 0 {
			return nil, fmt.Errorf("invalid PID argument: '%s'", o.task)
		}
		q.pid = pid
	}
	if o.namespace != "" {
		if q.pid != 0 {
			return nil, errors.New("--task is mutually exclusive with <namespace>")
		}
		id, err := strconv.ParseUint(o.namespace, 10, 64)
		if err != nil || id == 0 {
			return nil, fmt.Errorf("invalid namespace argument: '%s'", o.namespace)
		}
		q.namespace = inspect.NSID(id)
	}
	if o.filter != "" {
		f, err := filter.Parse(o.filter, filterKind)
		if err != nil {
			return nil, err
		}
		q.filter = f
		q.filterColumns = render.MustColumns(f.Columns()...)
	}
	defaults := render.MustColumns("NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND")
	if net {
		defaults = render.MustColumns("NS", "TYPE", "NPROCS", "PID", "USER", "NETNSID", "NSFS", "COMMAND")
	}
	if q.namespace != 0 {
		defaults = render.MustColumns("PID", "PPID", "USER", "COMMAND")
	}
	switch {
	case o.outputAll:
		q.columns = render.Columns
	case o.given("output"):
		cols, err := render.ParseColumns(o.output, defaults)
		if err != nil {
			return nil, err
		}
		q.columns = cols
	default:
		q.columns = defaults
	}
	return q, nil
}

// filterKind tells the filter how a column compares.
func filterKind(name string) (filter.Kind, bool) {
	c, err := render.ColumnByName(name)
	if err != nil {
		return 0, false
	}
	switch c.Kind {
	case render.Number:
		return filter.Number, true
	case render.Bool:
		return filter.Bool, true
	}
	return filter.String, true
}

// keep reports whether the filter, if any, keeps row r.
func (q *query) keep(r *render.Row, env *render.Env) bool {
	return q.filter == nil || render.Matches(q.filter, r, env)
}

// rows selects and relates what the query shows. tree is the column that
// draws the tree, nil for a flat list.
func (q *query) rows(snap *inspect.Snapshot, env *render.Env) (rows []*render.Row, tree *render.Column, err error) {
	switch {
	case q.tree == treeProcess && hasColumn(q.columns, commandColumn):
		tree = commandColumn
	case (q.tree == treeOwner || q.tree == treeParent) && hasColumn(q.columns, nsColumn):
		tree = nsColumn
	}
	need := render.Needs(q.columns) | render.Needs(q.filterColumns)
	if q.tree == treeProcess && tree != nil {
		need |= inspect.DetailPPID
	}
	if q.namespace != 0 {
		return q.memberRows(snap, env, need, tree)
	}
	var target *inspect.Process
	if q.pid != 0 {
		if target = snap.Process(q.pid); target == nil {
			// nil error: the process is in no namespace of the types
			// asked for, and nothing is shown.
			switch err := snap.Missing(q.pid, q.types); {
			case errors.Is(err, inspect.ErrNoProcess):
				return nil, nil, fmt.Errorf("no such process: %d", q.pid)
			case err != nil:
				return nil, nil, fmt.Errorf("cannot read the namespaces of process %d: %w", q.pid, err)
			}
			return nil, nil, nil
		}
	}
	shown := func(ns *inspect.Namespace) bool {
		return (q.types == 0 || q.types.Has(ns.Type)) &&
			(target == nil || target.NS[ns.Type] == ns.ID) &&
			(!q.persistent || len(ns.Procs) == 0)
	}
	// Relations add the ghosts that only they reveal: relate first. The
	// namespaces without processes are always related, whatever the
	// columns, so that the rows do not depend on them: lsns too adds the
	// owners and parents of what it finds through nsfs files.
	if q.tree == treeOwner || q.tree == treeParent || q.relateAll() {
		err = snap.Relate(slices.Clone(snap.Namespaces))
	} else {
		var orphans []*inspect.Namespace
		for _, ns := range snap.Namespaces {
			if len(ns.Procs) == 0 && (q.types == 0 || q.types.Has(ns.Type)) {
				orphans = append(orphans, ns)
			}
		}
		err = snap.Relate(orphans)
		// Their UID is their owner's creator: relate the owners too.
		var owners []*inspect.Namespace
		for _, ns := range orphans {
			if ns.Owner != nil {
				owners = append(owners, ns.Owner)
			}
		}
		if err == nil {
			err = snap.Relate(owners)
		}
	}
	var nss []*inspect.Namespace
	for _, ns := range snap.Namespaces {
		if shown(ns) {
			nss = append(nss, ns)
		}
	}
	if need&inspect.DetailNetNSID != 0 {
		snap.NetNSIDs(nss)
	}
	snap.Inspect(nss, need)
	snap.Describe(representatives(render.NamespaceRows(nss)), need)
	kept := map[*inspect.Namespace]bool{}
	for _, r := range render.NamespaceRows(nss) {
		kept[r.NS] = q.keep(r, env)
	}
	nss = slices.DeleteFunc(nss, func(ns *inspect.Namespace) bool { return !kept[ns] })
	switch {
	case tree == nsColumn:
		// A namespace's owner or parent comes in even where -p or -P left
		// it out, as in lsns, so that the tree holds together; not where
		// the filter or -t did.
		rows = render.RelationTree(nss, relationOf(q.tree), func(ns *inspect.Namespace) bool {
			if k, judged := kept[ns]; judged {
				return k
			}
			return q.types == 0 || q.types.Has(ns.Type)
		})
		var all []*inspect.Namespace
		for _, r := range render.Flatten(rows) {
			all = append(all, r.NS)
		}
		snap.Inspect(all, need)
		snap.Describe(representatives(rows), need)
	default:
		rows = render.NamespaceRows(nss)
	}
	if tree == commandColumn {
		rows = render.ProcessTree(snap, rows)
	}
	return rows, tree, err
}

// memberRows lists the processes of the <namespace> argument.
func (q *query) memberRows(snap *inspect.Snapshot, env *render.Env, need inspect.Detail, tree *render.Column) ([]*render.Row, *render.Column, error) {
	ns := snap.Namespace(q.namespace)
	if ns == nil || (q.types != 0 && !q.types.Has(ns.Type)) {
		return nil, nil, fmt.Errorf("not found namespace: %d", q.namespace)
	}
	var err error
	if need&inspect.DetailRelations != 0 {
		err = snap.Relate([]*inspect.Namespace{ns})
	}
	if need&inspect.DetailNetNSID != 0 {
		snap.NetNSIDs([]*inspect.Namespace{ns})
	}
	snap.Inspect([]*inspect.Namespace{ns}, need)
	snap.Describe(ns.Procs, need)
	if q.filter != nil {
		// Filtered members lose their place in the process tree: list them.
		rows := slices.DeleteFunc(render.MemberRows(ns), func(r *render.Row) bool { return !q.keep(r, env) })
		return rows, nil, err
	}
	if tree == commandColumn {
		return render.MemberTree(snap, ns), tree, err
	}
	return render.MemberRows(ns), nil, err
}

// relateAll reports whether a column needs the relations of every
// namespace: all but UID and USER, which need only those of namespaces
// without processes.
func (q *query) relateAll() bool {
	for _, c := range slices.Concat(q.columns, q.filterColumns) {
		if c.Need&inspect.DetailRelations != 0 && c.Name != "UID" && c.Name != "USER" {
			return true
		}
	}
	return false
}

func relationOf(m treeMode) render.Relation {
	if m == treeParent {
		return render.ByParent
	}
	return render.ByOwner
}

// representatives returns the processes of rows and their descendants.
func representatives(rows []*render.Row) []*inspect.Process {
	var procs []*inspect.Process
	for _, r := range render.Flatten(rows) {
		if r.Proc != nil {
			procs = append(procs, r.Proc)
		}
	}
	return procs
}

func hasColumn(cols []*render.Column, c *render.Column) bool {
	for _, x := range cols {
		if x == c {
			return true
		}
	}
	return false
}

// userNames returns a cached uid-to-name lookup; an unknown uid is shown as
// its number, as lsns does.
func userNames() func(uint32) string {
	cache := map[uint32]string{}
	return func(uid uint32) string {
		if name, ok := cache[uid]; ok {
			return name
		}
		id := strconv.FormatUint(uint64(uid), 10)
		name := id
		if u, err := user.LookupId(id); err == nil {
			name = u.Username
		}
		cache[uid] = name
		return name
	}
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
