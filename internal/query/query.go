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

	"github.com/nsinspect/nsinspect/filter"
	"github.com/nsinspect/nsinspect/inspect"
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
}

// New checks o and returns the query it asks for; its errors are the
// command line's messages, as lsns words them.
func New(o Options) (*Query, error) {
	q := &Query{persistent: o.Persistent, threads: o.Threads, procfs: o.Procfs, rootfs: o.RootFS, tree: treeProcess}
	net := false
	for _, arg := range o.Types {
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
		return nil, fmt.Errorf("unknown tree type: %s", tree)
	}
	if o.TaskGiven {
		pid, err := strconv.Atoi(o.Task)
		if err != nil || pid <= 0 {
			return nil, fmt.Errorf("invalid PID argument: '%s'", o.Task)
		}
		q.pid = pid
	}
	if o.Namespace != "" {
		if q.pid != 0 {
			return nil, errors.New("--task is mutually exclusive with <namespace>")
		}
		id, err := strconv.ParseUint(o.Namespace, 10, 64)
		if err != nil || id == 0 {
			return nil, fmt.Errorf("invalid namespace argument: '%s'", o.Namespace)
		}
		q.namespace = inspect.NSID(id)
	}
	if o.Filter != "" {
		f, err := filter.Parse(o.Filter, filterKind)
		if err != nil {
			return nil, err
		}
		q.filter = f
		for _, name := range f.Columns() {
			c, err := columnByName(name)
			if err != nil {
				return nil, err // filter.Parse checked the names
			}
			q.filterColumns = append(q.filterColumns, c)
		}
	}
	if o.GraphGiven {
		f, err := render.ParseGraphFormat(o.Graph)
		if err != nil {
			return nil, err
		}
		// A graph has no columns, and nests nothing.
		q.graph, q.graphFormat, q.tree = true, f, treeNone
		return q, nil
	}
	defaults := defaultColumns
	switch {
	case q.namespace != 0:
		defaults = memberColumns
	case net:
		defaults = netColumns
	}
	switch {
	case o.OutputAll:
		q.columns = registry
	case o.OutputGiven:
		cols, err := parseColumns(o.Output, defaults)
		if err != nil {
			return nil, err
		}
		q.columns = cols
	default:
		q.columns = defaults
	}
	return q, nil
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
	e := &env{snap: snap, userName: userName}
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

// need is what inspect must read for the columns shown and filtered, or
// for the graph.
func (q *Query) need() inspect.Need {
	n := needOf(q.columns).Union(needOf(q.filterColumns))
	if q.graph {
		n = n.Union(graphNeed)
	}
	return n
}

// rows selects and relates what the query shows. tree is the column that
// draws the tree, nil for a flat list.
func (q *Query) rows(snap *inspect.Snapshot, e *env) (rows []*Row, tree *column, err error) {
	switch {
	case q.tree == treeProcess && slices.Contains(q.columns, colCommand):
		tree = colCommand
	case q.TreeNeedsRelations() && slices.Contains(q.columns, colNS):
		tree = colNS
	}
	need := q.need()
	if tree == colCommand {
		need.Process |= inspect.ReadPPID
	}
	if q.namespace != 0 {
		return q.memberRows(snap, e, need, tree)
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
	// Relations add the namespaces that only they reveal: relate first.
	// The namespaces without processes, and their owners (whose creator is
	// their UID), are always related, whatever the columns, so that the
	// rows do not depend on them: lsns too adds the owners and parents of
	// what it finds through nsfs files.
	if q.TreeNeedsRelations() || need.Relations {
		err = snap.Fill(slices.Clone(snap.Namespaces), nil, inspect.Need{Relations: true})
	} else {
		var orphans []*inspect.Namespace
		for _, ns := range snap.Namespaces {
			if len(ns.Procs) == 0 && q.ofType(ns) {
				orphans = append(orphans, ns)
			}
		}
		err = snap.Fill(orphans, nil, inspect.Need{Relations: true})
		var owners []*inspect.Namespace
		for _, ns := range orphans {
			if ns.Owner != nil {
				owners = append(owners, ns.Owner)
			}
		}
		if err == nil {
			err = snap.Fill(owners, nil, inspect.Need{Relations: true})
		}
	}
	var nss []*inspect.Namespace
	for _, ns := range snap.Namespaces {
		if q.selects(ns, target) {
			nss = append(nss, ns)
		}
	}
	fill := need
	fill.Relations = false // done above
	candidates := namespaceRows(nss)
	snap.Fill(nss, representatives(candidates), fill)
	kept := map[*inspect.Namespace]bool{}
	for _, r := range candidates {
		kept[r.NS] = q.keep(r, e)
	}
	nss = slices.DeleteFunc(nss, func(ns *inspect.Namespace) bool { return !kept[ns] })
	candidates = slices.DeleteFunc(candidates, func(r *Row) bool { return !kept[r.NS] })
	switch {
	case tree == colNS:
		// A namespace's owner or parent comes in even where -p or -P left
		// it out, as in lsns, so that the tree holds together; not where
		// the filter or -t did.
		rows = relationTree(nss, relationOf(q.tree), func(ns *inspect.Namespace) bool {
			if k, judged := kept[ns]; judged {
				return k
			}
			return q.ofType(ns)
		})
		var all []*inspect.Namespace
		for _, r := range flatten(rows) {
			all = append(all, r.NS)
		}
		snap.Fill(all, representatives(rows), fill)
	default:
		rows = candidates
	}
	if tree == colCommand {
		rows = processTree(snap, rows)
	}
	return rows, tree, err
}

// ofType reports whether -t selects ns's type.
func (q *Query) ofType(ns *inspect.Namespace) bool { return q.types == 0 || q.types.Has(ns.Type) }

// selects reports whether -t, -p (whose process is target) and -P select
// ns, before the filter.
func (q *Query) selects(ns *inspect.Namespace, target *inspect.Process) bool {
	return q.ofType(ns) && (target == nil || target.NS[ns.Type] == ns.ID) &&
		(!q.persistent || len(ns.Procs) == 0)
}

// memberRows lists the processes of the <namespace> argument.
func (q *Query) memberRows(snap *inspect.Snapshot, e *env, need inspect.Need, tree *column) ([]*Row, *column, error) {
	ns := snap.Namespace(q.namespace)
	if ns == nil || (q.types != 0 && !q.types.Has(ns.Type)) {
		return nil, nil, fmt.Errorf("not found namespace: %d", q.namespace)
	}
	err := snap.Fill([]*inspect.Namespace{ns}, ns.Procs, need)
	if q.filter != nil {
		// Filtered members lose their place in the process tree: list them.
		rows := slices.DeleteFunc(memberRows(ns), func(r *Row) bool { return !q.keep(r, e) })
		return rows, nil, err
	}
	if tree == colCommand {
		return memberTree(snap, ns), tree, err
	}
	return memberRows(ns), nil, err
}

func relationOf(m treeMode) relation {
	if m == treeParent {
		return byParent
	}
	return byOwner
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
