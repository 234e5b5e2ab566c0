// Package query plans what nsinspect shows: from the options of the command
// line to what inspect must scan and read, and from a snapshot to the rows
// and trees that render prints. It holds the column registry, which says of
// each column how it prints, what it needs read and what its value is.
package query

import (
	"errors"
	"fmt"
	"os/user"
	"slices"
	"strconv"
	"strings"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/filter"
	"github.com/nsinspect/nsinspect/render"
)

// Options are what the command line says about what to show, as given.
type Options struct {
	Types []string // -t, each a type or a comma-separated list
	List  bool     // -l
	// Tree is -T's relation, with TreeGiven; "" is no relation given.
	Tree      string
	TreeGiven bool
	Task      string // -p, with TaskGiven
	TaskGiven bool
	Namespace string // the <namespace> argument, "" if none
	Filter    string // -Q
	// Output is -o's list, with OutputGiven; OutputAll is --output-all.
	Output      string
	OutputGiven bool
	OutputAll   bool
	Persistent  bool   // -P
	Threads     bool   // --threads
	Procfs      string // --procfs
	RootFS      string // --rootfs
	// Graph is --graph's format, with GraphGiven: a graph instead of rows.
	Graph      string
	GraphGiven bool
	// Lsns is lsns 2.42.2 in all that a program can observe where
	// nsinspect says more: errors in its words, --output-all with its
	// columns, no error for a -p process that is gone, NPROCS 0 and PATH
	// empty where it shows them so, COMMAND at most 8191 bytes.
	Lsns bool
}

// treeMode is how rows nest: -T/--tree's relation, or none with -l.
type treeMode uint8

const (
	treeNone treeMode = iota
	treeProcess
	treeOwner
	treeParent
)

// Query is a checked request: what to scan, and how to turn a snapshot
// into rows.
type Query struct {
	types      inspect.TypeSet
	columns    []*column
	pid        int          // -p, 0 if not given
	namespace  inspect.NSID // the <namespace> argument, 0 if not given
	tree       treeMode
	persistent bool
	threads    bool
	procfs     string
	rootfs     string
	filter     *filter.Filter
	// filterColumns are read for the filter, shown or not.
	filterColumns []*column
	// graph draws what is selected instead of listing it, in graphFormat.
	graph       bool
	graphFormat render.GraphFormat
	lsns        bool
}

// New checks o and returns the query it asks for; its errors are the
// command line's messages, as lsns words them, in the order lsns checks.
func New(o Options) (*Query, error) {
	q := &Query{persistent: o.Persistent, threads: o.Threads, procfs: o.Procfs, rootfs: o.RootFS, tree: treeProcess, lsns: o.Lsns}
	for _, check := range []func(o *Options) error{q.setTypes, q.setTree, q.setTarget, q.setFilter, q.setShape} {
		if err := check(&o); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// setTypes reads -t: a type each, or (not as lsns) a comma-separated list.
func (q *Query) setTypes(o *Options) error {
	for _, arg := range o.Types {
		names := strings.Split(arg, ",")
		if o.Lsns {
			names = []string{arg}
		}
		for _, name := range names {
			if name == "" {
				name = arg // name what was given: "net,", ""
			}
			t, err := inspect.ParseType(name)
			if err != nil {
				return err
			}
			q.types = q.types.With(t)
		}
	}
	return nil
}

// setTree reads -T and -l: -T wins over -l, as in lsns, whose check of the
// pair never fires.
func (q *Query) setTree(o *Options) error {
	switch tree := strings.TrimPrefix(o.Tree, "="); {
	case !o.TreeGiven:
		if o.List {
			q.tree = treeNone
		}
	case tree == "process":
	case tree == "owner":
		q.tree = treeOwner
	case tree == "parent":
		q.tree = treeParent
	default:
		return fmt.Errorf("unknown tree type: %s", tree)
	}
	return nil
}

// setTarget reads -p and the <namespace> argument.
func (q *Query) setTarget(o *Options) error {
	if o.TaskGiven {
		pid, err := strconv.Atoi(o.Task)
		if err != nil || pid <= 0 {
			return fmt.Errorf("invalid PID argument: '%s'", o.Task)
		}
		q.pid = pid
	}
	if o.Namespace != "" {
		if q.pid != 0 {
			return errors.New("--task is mutually exclusive with <namespace>")
		}
		id, err := strconv.ParseUint(o.Namespace, 10, 64)
		if err != nil || id == 0 {
			return fmt.Errorf("invalid namespace argument: '%s'", o.Namespace)
		}
		q.namespace = inspect.NSID(id)
	}
	return nil
}

// setFilter reads -Q, and the columns it reads.
func (q *Query) setFilter(o *Options) error {
	if o.Filter == "" {
		return nil
	}
	f, err := filter.Parse(o.Filter, filterKind)
	if err != nil {
		return q.filterError(o.Filter, err)
	}
	q.filter = f
	for _, name := range f.Columns() {
		c, err := columnByName(name)
		if err != nil {
			return err // filter.Parse checked the names
		}
		q.filterColumns = append(q.filterColumns, c)
	}
	return nil
}

// setShape reads what is shown: --graph, or the columns (-o, --output-all,
// or the defaults, which depend on -t net and <namespace>).
func (q *Query) setShape(o *Options) error {
	if o.GraphGiven {
		f, err := render.ParseGraphFormat(o.Graph)
		if err != nil {
			return err
		}
		// A graph has no columns, and nests nothing.
		q.graph, q.graphFormat, q.tree = true, f, treeNone
		return nil
	}
	defaults := defaultColumns
	switch {
	case q.namespace != 0:
		defaults = memberColumns
	case q.types.Has(inspect.Net):
		defaults = netColumns
	}
	switch {
	case o.OutputAll && o.Lsns:
		q.columns = lsnsColumns
	case o.OutputAll:
		q.columns = registry
	case o.OutputGiven:
		cols, err := parseColumns(o.Output, defaults)
		if err != nil {
			return q.columnsError(o.Output, err)
		}
		q.columns = cols
	default:
		q.columns = defaults
	}
	return nil
}

// The default columns, as lsns's: with -t net, and for <namespace>.
var (
	defaultColumns = mustColumns("NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND")
	netColumns     = mustColumns("NS", "TYPE", "NPROCS", "PID", "USER", "NETNSID", "NSFS", "COMMAND")
	memberColumns  = mustColumns("PID", "PPID", "USER", "COMMAND")
)

func mustColumns(names ...string) []*column {
	cols := make([]*column, len(names))
	for i, n := range names {
		c, err := columnByName(n)
		if err != nil {
			panic(err)
		}
		cols[i] = c
	}
	return cols
}

// ScanOptions are what Scan must read for q.
func (q *Query) ScanOptions() inspect.Options {
	return inspect.Options{
		Root: q.procfs, RootFS: q.rootfs, Types: q.types, Threads: q.threads,
		// A namespace without processes cannot hold -p's process; but
		// the holders fill NSFS, which the graph shows too.
		FindHolders: q.pid == 0 || q.graph || slices.Contains(q.columns, colNSFS),
	}
}

// Result is what a query shows of a snapshot: rows, or with --graph a
// graph.
type Result struct {
	Rows    []*render.Row
	Columns []*render.Column
	// Tree is the column that draws the tree, nil for a flat list.
	Tree *render.Column
	// Graph, where not nil, is shown instead of the rows, in GraphFormat.
	Graph       *render.Graph
	GraphFormat render.GraphFormat
}

// Run selects, relates and reads what q shows of snap, and returns it as
// rows of values. It returns inspect.ErrNoNSIoctl with the rows where the
// kernel cannot tell relations; userName names uids (nil: os/user).
func (q *Query) Run(snap *inspect.Snapshot, userName func(uint32) string) (*Result, error) {
	if userName == nil {
		userName = userNames()
	}
	e := &env{snap: snap, userName: userName, lsns: q.lsns}
	rows, tree, err := q.rows(snap, e)
	if err != nil && !errors.Is(err, inspect.ErrNoNSIoctl) {
		return nil, err
	}
	if q.graph {
		return &Result{Graph: q.graphOf(snap, rows, e), GraphFormat: q.graphFormat}, err
	}
	res := &Result{Columns: make([]*render.Column, len(q.columns))}
	for i, c := range q.columns {
		res.Columns[i] = &c.Column
		if c == tree {
			res.Tree = res.Columns[i]
		}
	}
	res.Rows = q.values(rows, e)
	return res, err
}

// values turns rows into rows of cells, in the order of q's columns.
func (q *Query) values(rows []*Row, e *env) []*render.Row {
	out := make([]*render.Row, len(rows))
	for i, r := range rows {
		cells := make([]any, len(q.columns))
		for j, c := range q.columns {
			cells[j] = c.value(r, e)
		}
		out[i] = &render.Row{Cells: cells, Children: q.values(r.Children, e)}
	}
	return out
}

// TreeNeedsRelations reports whether q draws an owner or parent tree, whose
// error, where the kernel cannot tell relations, ends the run.
func (q *Query) TreeNeedsRelations() bool { return q.tree == treeOwner || q.tree == treeParent }

// keep reports whether the filter, if any, keeps row r.
func (q *Query) keep(r *Row, e *env) bool {
	return q.filter == nil || matches(q.filter, r, e)
}

// need is what Fill must read of what q shows: for rows, what the columns
// shown and filtered need; for the graph, what its labels and boxes show.
func (q *Query) need() inspect.Need {
	if q.graph {
		return graphNeed
	}
	return needOf(q.columns).Union(needOf(q.filterColumns))
}

// showsRelations reports whether the columns shown or filtered, or the
// graph's edges, show relations, which Relate reads.
func (q *Query) showsRelations() bool {
	return q.graph || relationsOf(q.columns) || relationsOf(q.filterColumns)
}

// treeColumn is the column that draws the tree, nil for a flat list.
func (q *Query) treeColumn() *column {
	switch {
	case q.tree == treeProcess && slices.Contains(q.columns, colCommand):
		return colCommand
	case q.TreeNeedsRelations() && slices.Contains(q.columns, colNS):
		return colNS
	}
	return nil
}

// rows relates, selects, filters and reads what the query shows, in that
// order: relations add namespaces, so they come before the selection; the
// filter judges by what it reads, so that is read of every candidate
// first; what the rows show is read once, of the rows kept and of those a
// relation tree brings in (for the graph, graphOf reads what it draws).
// tree is the column that draws the tree, nil for a flat list.
func (q *Query) rows(snap *inspect.Snapshot, e *env) (rows []*Row, tree *column, err error) {
	nss, rows, member, err := q.candidates(snap)
	if err != nil && !errors.Is(err, inspect.ErrNoNSIoctl) {
		return nil, nil, err
	}
	tree = q.treeColumn()
	if member != nil && (q.filter != nil || tree != colCommand) {
		// Filtered members lose their place in the process tree: list
		// them. A relation tree has one namespace here: none.
		tree = nil
	}
	if q.filter != nil {
		snap.Fill(nss, representatives(rows), needOf(q.filterColumns))
		rows = slices.DeleteFunc(rows, func(r *Row) bool { return !q.keep(r, e) })
	}
	if tree == colNS {
		rows = q.relationTree(nss, rows)
	}
	if q.graph {
		return rows, nil, err
	}
	need := q.need()
	if tree == colCommand {
		need.Process |= inspect.ReadPPID
	}
	snap.Fill(namespacesOf(rows), representatives(rows), need)
	switch {
	case tree == colCommand && member != nil:
		rows = memberTree(snap, member)
	case tree == colCommand:
		rows = processTree(snap, rows)
	}
	return rows, tree, err
}

// candidates relates (relate) and returns what -t, -p, -P or the
// <namespace> argument select, before the filter: the namespaces, and a
// row for each, or for the <namespace> argument (member) a row for each of
// its processes. Its error is inspect.ErrNoNSIoctl with the candidates, or
// what the command line named is not there.
func (q *Query) candidates(snap *inspect.Snapshot) (nss []*inspect.Namespace, rows []*Row, member *inspect.Namespace, err error) {
	var target *inspect.Process
	switch {
	case q.namespace != 0:
		if member = snap.Namespace(q.namespace); member == nil || !q.ofType(member) {
			return nil, nil, nil, fmt.Errorf("not found namespace: %d", q.namespace)
		}
	case q.pid != 0:
		if target = snap.Process(q.pid); target == nil {
			// nil error: the process is in no namespace of the types
			// asked for, and nothing is shown.
			switch err := snap.Missing(q.pid, q.types); {
			case q.lsns:
				// lsns lists nothing, and exits 0, for a process
				// that is gone or that it may not read.
				return nil, nil, nil, nil
			case errors.Is(err, inspect.ErrNoProcess):
				return nil, nil, nil, fmt.Errorf("no such process: %d", q.pid)
			case err != nil:
				return nil, nil, nil, fmt.Errorf("cannot read the namespaces of process %d: %w", q.pid, err)
			}
			return nil, nil, nil, nil
		}
	}
	err = q.relate(snap, member)
	if member != nil {
		return []*inspect.Namespace{member}, memberRows(member), member, err
	}
	for _, ns := range snap.Namespaces {
		if q.selects(ns, target) {
			nss = append(nss, ns)
		}
	}
	return nss, namespaceRows(nss), nil, err
}

// relate is where a query relates, before it selects, as relations add
// namespaces. Where a tree by owner or parent, the graph, a column or the
// filter shows relations, every namespace is related; for the <namespace>
// argument (member), that namespace, where its rows show relations.
// Otherwise the namespaces without processes and their owners, whose
// creator is their UID, are related whatever the columns, so that the rows
// do not depend on them: lsns too adds the owners and parents of what it
// finds through nsfs files. The owners are known only once the first are
// related: a second Relate asks them.
func (q *Query) relate(snap *inspect.Snapshot, member *inspect.Namespace) error {
	switch {
	case member != nil && q.showsRelations():
		return snap.Relate([]*inspect.Namespace{member})
	case member != nil:
		return nil
	case q.TreeNeedsRelations() || q.showsRelations():
		return snap.Relate(snap.Namespaces)
	}
	var orphans []*inspect.Namespace
	for _, ns := range snap.Namespaces {
		if len(ns.Procs) == 0 && q.ofType(ns) {
			orphans = append(orphans, ns)
		}
	}
	if err := snap.Relate(orphans); err != nil {
		return err
	}
	var owners []*inspect.Namespace
	for _, ns := range orphans {
		if ns.Owner != nil {
			owners = append(owners, ns.Owner)
		}
	}
	return snap.Relate(owners)
}

// relationTree nests the kept rows of the candidates nss by -T's relation.
// A namespace's owner or parent comes in even where -p or -P left it out,
// as in lsns, so that the tree holds together; not where the filter or -t
// did.
func (q *Query) relationTree(nss []*inspect.Namespace, kept []*Row) []*Row {
	judged := make(map[*inspect.Namespace]bool, len(nss))
	for _, ns := range nss {
		judged[ns] = true
	}
	keptNSS := namespacesOf(kept)
	keep := make(map[*inspect.Namespace]bool, len(keptNSS))
	for _, ns := range keptNSS {
		keep[ns] = true
	}
	return relationTree(keptNSS, relationOf(q.tree), func(ns *inspect.Namespace) bool {
		if judged[ns] {
			return keep[ns]
		}
		return q.ofType(ns)
	})
}

// ofType reports whether -t selects ns's type.
func (q *Query) ofType(ns *inspect.Namespace) bool { return q.types == 0 || q.types.Has(ns.Type) }

// selects reports whether -t, -p (whose process is target) and -P select
// ns, before the filter.
func (q *Query) selects(ns *inspect.Namespace, target *inspect.Process) bool {
	return q.ofType(ns) && (target == nil || target.NS[ns.Type] == ns.ID) &&
		(!q.persistent || len(ns.Procs) == 0)
}

func relationOf(m treeMode) relation {
	if m == treeParent {
		return byParent
	}
	return byOwner
}

// namespacesOf returns the namespaces of rows and their descendants, each
// once, in order.
func namespacesOf(rows []*Row) []*inspect.Namespace {
	var nss []*inspect.Namespace
	seen := map[*inspect.Namespace]bool{}
	for _, r := range flatten(rows) {
		if !seen[r.NS] {
			seen[r.NS] = true
			nss = append(nss, r.NS)
		}
	}
	return nss
}

// representatives returns the processes of rows and their descendants.
func representatives(rows []*Row) []*inspect.Process {
	var procs []*inspect.Process
	for _, r := range flatten(rows) {
		if r.Proc != nil {
			procs = append(procs, r.Proc)
		}
	}
	return procs
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

// ErrQuiet is an error that lsns reports by its exit status alone: an empty
// name in an -o list, as lsns reads it.
var ErrQuiet = errors.New("an error lsns does not word")

// columnsError is err as the command line reports an -o list it refuses:
// lsns reads the list anew, to fail as it does.
func (q *Query) columnsError(list string, err error) error {
	if !q.lsns {
		return err
	}
	if _, lerr := lsnsColumnList(list); lerr != nil {
		return lerr
	}
	return err
}

// lsnsColumnList reads an -o list as lsns 2.42 does (string_to_idarray): a
// name ends at a comma, or takes in a comma that ends the list; an empty
// name fails without a word; an unknown one is named with the rest of the
// list after it, since lsns prints the name from where it starts.
func lsnsColumnList(list string) ([]*column, error) {
	list = strings.TrimPrefix(list, "+")
	if list == "" {
		return nil, ErrQuiet
	}
	var cols []*column
	begin := -1
	for p := 0; p < len(list); p++ {
		if begin < 0 {
			begin = p
		}
		end := -1
		if list[p] == ',' {
			end = p
		}
		if p+1 == len(list) {
			end = p + 1
		}
		switch {
		case end < 0:
			continue
		case end <= begin:
			return nil, ErrQuiet
		}
		c, err := columnByName(list[begin:end])
		if err != nil {
			return nil, fmt.Errorf("unknown column: %s", list[begin:])
		}
		cols = append(cols, c)
		begin = -1
	}
	return cols, nil
}

// filterError is err as the command line reports a -Q expression it
// refuses; as lsns, an unknown column is followed by lsns's second line,
// and a syntax error is "failed to parse" with bison's words where the
// expression ends too soon, nsinspect's elsewhere.
func (q *Query) filterError(expr string, err error) error {
	var syntax *filter.SyntaxError
	switch {
	case !q.lsns:
		return err
	case errors.As(err, &syntax) && syntax.AtEnd:
		return fmt.Errorf("failed to parse \"%s\": syntax error, unexpected end of file", expr)
	case errors.As(err, &syntax):
		return fmt.Errorf("failed to parse \"%s\": %s", expr, syntax.Msg)
	case strings.HasPrefix(err.Error(), "unknown column: "):
		return fmt.Errorf("%w\nfailed to initialize filter", err)
	}
	return err
}
