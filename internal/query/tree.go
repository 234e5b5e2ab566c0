package query

import "github.com/nsinspect/nsinspect/inspect"

// namespaceRows returns a row per namespace with its representative, in the
// order given.
func namespaceRows(nss []*inspect.Namespace) []*Row {
	rows := make([]*Row, len(nss))
	for i, ns := range nss {
		rows[i] = &Row{NS: ns, Proc: ns.Rep()}
	}
	return rows
}

// processTree nests namespace rows as lsns's default view does: a row goes
// under the latest earlier row whose process is its process's parent, so a
// container's namespaces hang under the namespaces of the runtime that
// started it. Rows must be in output order. It returns the roots.
func processTree(s *inspect.Snapshot, rows []*Row) []*Row {
	latest := make(map[*inspect.Process]*Row, len(rows))
	var roots []*Row
	for _, r := range rows {
		if r.Proc == nil {
			roots = append(roots, r)
			continue
		}
		if up := latest[s.Parent(r.Proc)]; up != nil {
			up.Children = append(up.Children, r)
		} else {
			roots = append(roots, r)
		}
		latest[r.Proc] = r
	}
	return roots
}

// memberRows returns a row per process in ns, by PID.
func memberRows(ns *inspect.Namespace) []*Row {
	rows := make([]*Row, len(ns.Procs))
	for i, p := range ns.Procs {
		rows[i] = &Row{NS: ns, Proc: p}
	}
	return rows
}

// memberTree nests the processes of one namespace by parenthood, as lsns
// does for its <namespace> argument: a process goes under its parent when the
// parent is in the same namespace, and a parent is shown before its children
// even when its PID is higher. It returns the roots.
func memberTree(s *inspect.Snapshot, ns *inspect.Namespace) []*Row {
	placed := make(map[*inspect.Process]*Row, len(ns.Procs))
	visiting := make(map[*inspect.Process]bool)
	var roots []*Row
	var show func(p *inspect.Process)
	show = func(p *inspect.Process) {
		visiting[p] = true // PID reuse can make parent links cycle
		parent := s.Parent(p)
		if parent != nil && placed[parent] == nil && !visiting[parent] && parent.NS[ns.Type] == ns.ID {
			show(parent)
		}
		r := &Row{NS: ns, Proc: p}
		if up := placed[parent]; parent != nil && up != nil {
			up.Children = append(up.Children, r)
		} else {
			roots = append(roots, r)
		}
		placed[p] = r
	}
	for _, p := range ns.Procs {
		if placed[p] == nil {
			show(p)
		}
	}
	return roots
}

// relation picks the namespace a tree nests a namespace under.
type relation uint8

// The relations of -T/--tree.
const (
	byOwner  relation = iota // under the user namespace that owns it
	byParent                 // pid and user namespaces under their parent
)

// relationTree nests the rows of nss (in output order) as lsns -T does. A
// namespace's owner or parent is shown before it, even where -p or -P left
// it out, so that the tree stays connected; in the parent tree, a namespace
// without a parent still brings its owner in first. The namespaces must be
// related (Snapshot.Relate). It returns the roots.
// Only namespaces that include accepts are brought in.
func relationTree(nss []*inspect.Namespace, rel relation, include func(*inspect.Namespace) bool) []*Row {
	placed := make(map[*inspect.Namespace]*Row, len(nss))
	visiting := make(map[*inspect.Namespace]bool)
	var roots []*Row
	var show func(ns *inspect.Namespace)
	show = func(ns *inspect.Namespace) {
		visiting[ns] = true
		up := ns.Owner
		if rel == byParent {
			up = ns.Parent
		}
		first := up
		if first == nil && rel == byParent {
			first = ns.Owner
		}
		if first != nil && placed[first] == nil && !visiting[first] && include(first) {
			show(first)
		}
		r := &Row{NS: ns, Proc: ns.Rep()}
		if p := placed[up]; up != nil && p != nil {
			p.Children = append(p.Children, r)
		} else {
			roots = append(roots, r)
		}
		placed[ns] = r
	}
	for _, ns := range nss {
		if placed[ns] == nil {
			show(ns)
		}
	}
	return roots
}

// flatten returns rows and their descendants, depth first.
func flatten(rows []*Row) []*Row {
	var all []*Row
	var walk func([]*Row)
	walk = func(rows []*Row) {
		for _, r := range rows {
			all = append(all, r)
			walk(r.Children)
		}
	}
	walk(rows)
	return all
}
