package query

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
