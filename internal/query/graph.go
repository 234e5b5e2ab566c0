package query

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/render"
)

// The graph (--graph) draws the namespaces that the query selects, one node
// each, with the edges of the owner and parent trees, and the processes in
// them as groups: processes in the same set of the selected namespaces are
// one node, joined to each namespace of the set. Containers and pods, where
// the processes' cgroups name them, are boxes around their namespaces and
// groups. Node IDs are made of what identifies a namespace (its type and
// inode) or a group (its set), so that two runs can be diffed.

// graphNeed is what the graph shows besides processes and relations (the
// edges, which every graph relates): of the namespaces drawn, the host name
// and the id maps; of every process in a selected namespace, the comm that
// names its group and the container and pod that box it.
var graphNeed = inspect.Need{
	Contents: inspect.ReadUTS | inspect.ReadIDMaps,
	Process:  inspect.ReadComm | inspect.ReadContainer,
}

// graphOf draws the namespaces of rows, with their owners and parents where
// -p, -P or <namespace> left those out (as the owner and parent trees bring
// them in), but not where -t or the filter did.
func (q *Query) graphOf(snap *inspect.Snapshot, rows []*Row, e *env) *render.Graph {
	var target *inspect.Process
	if q.pid != 0 {
		target = snap.Process(q.pid)
	}
	in := graphInput{
		complete: snap.Complete(),
		isHost: func(ns *inspect.Namespace) bool {
			host, known := snap.IsHost(ns)
			return host && known
		},
		userName: e.userName,
	}
	in.shown = make([]*inspect.Namespace, 0, len(rows))
	seen := map[*inspect.Namespace]bool{}
	for _, r := range rows { // <namespace>'s rows are its processes
		if !seen[r.NS] {
			seen[r.NS] = true
			in.shown = append(in.shown, r.NS)
		}
	}
	in.context = relatives(in.shown, func(ns *inspect.Namespace) bool {
		if q.namespace != 0 {
			return q.ofType(ns)
		}
		// Selected but not shown: the filter left it out.
		return q.ofType(ns) && !q.selects(ns, target)
	})
	var members []*inspect.Process
	for _, ns := range in.shown {
		members = append(members, ns.Procs...)
	}
	snap.Fill(slices.Concat(in.shown, in.context), members, q.need())
	return buildGraph(in)
}

// relatives returns the owners and parents of nss, and theirs, that are not
// in nss and that include accepts, in no particular order.
func relatives(nss []*inspect.Namespace, include func(*inspect.Namespace) bool) []*inspect.Namespace {
	in := make(map[*inspect.Namespace]bool, len(nss))
	for _, ns := range nss {
		in[ns] = true
	}
	var out []*inspect.Namespace
	todo := slices.Clone(nss)
	for len(todo) > 0 {
		ns := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, up := range []*inspect.Namespace{ns.Owner, ns.Parent} {
			if up != nil && !in[up] && include(up) {
				in[up] = true
				out = append(out, up)
				todo = append(todo, up)
			}
		}
	}
	return out
}

// graphInput is what a graph is drawn from: namespaces with their
// processes, holders, relations and contents as inspect filled them.
type graphInput struct {
	// shown are the selected namespaces, whose processes make the
	// groups; context are the relatives brought in, whose processes
	// make none.
	shown, context []*inspect.Namespace
	// complete is whether every process could be read: only then is a
	// namespace in which none was seen one without processes.
	complete bool
	isHost   func(*inspect.Namespace) bool
	userName func(uint32) string
}

// Labels show at most this many names, PIDs, mounts or id ranges, then how
// many more there are, and cut each text to labelBytes: a node should stay
// small on a host with thousands of processes.
const (
	labelItems = 3
	labelBytes = 60
)

// buildGraph draws in: namespaces by inode, then groups by ID; edges from
// owners and parents, then from namespaces to their groups.
func buildGraph(in graphInput) *render.Graph {
	nss := slices.Concat(in.shown, in.context)
	slices.SortFunc(nss, func(a, b *inspect.Namespace) int { return cmpID(a.ID, b.ID) })
	groups := groupProcesses(in.shown)
	boxes := newBoxes()

	drawn := make(map[*inspect.Namespace]string, len(nss))
	for _, ns := range nss {
		drawn[ns] = nsNodeID(ns)
	}
	for _, ns := range nss {
		kind := render.NodeSolid
		if len(ns.Procs) == 0 {
			kind = render.NodeDashed
		}
		node := &render.Node{ID: drawn[ns], Kind: kind, Tone: int(ns.Type) + 1, Lines: in.nsLines(ns)}
		boxes.place(node, ns.Procs)
	}
	types := map[inspect.Type]bool{}
	for _, ns := range in.shown {
		types[ns.Type] = true
	}
	ids := map[string]bool{}
	for _, g := range groups {
		g.id = groupID(g.set, ids)
	}
	slices.SortFunc(groups, func(a, b *group) int { return strings.Compare(a.id, b.id) })
	for _, g := range groups {
		host := len(g.set) == len(types)
		for _, ns := range g.set {
			host = host && in.isHost(ns)
		}
		boxes.place(&render.Node{ID: g.id, Kind: render.NodeGroup, Lines: g.lines(host)}, g.procs)
	}

	graph := boxes.graph()
	for _, ns := range nss {
		// A user namespace's owner is its parent: one edge says both.
		if up := drawn[ns.Owner]; up != "" && !(ns.Type == inspect.User && ns.Owner == ns.Parent) {
			graph.Edges = append(graph.Edges, &render.Edge{From: up, To: drawn[ns], Kind: render.EdgeArrow})
		}
		if up := drawn[ns.Parent]; up != "" {
			graph.Edges = append(graph.Edges, &render.Edge{From: up, To: drawn[ns], Kind: render.EdgeBold})
		}
	}
	for _, g := range groups {
		for _, ns := range g.set {
			graph.Edges = append(graph.Edges, &render.Edge{From: drawn[ns], To: g.id, Kind: render.EdgeLine})
		}
	}
	return graph
}

func cmpID(a, b inspect.NSID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func nsNodeID(ns *inspect.Namespace) string {
	return ns.Type.String() + "_" + strconv.FormatUint(uint64(ns.ID), 10)
}

// nsLines are a namespace's label: its type and inode; its processes, or
// what holds it without; what identifies it inside (host name, id maps,
// creator); its bind mounts.
func (in *graphInput) nsLines(ns *inspect.Namespace) []string {
	head := ns.Type.String() + " " + strconv.FormatUint(uint64(ns.ID), 10)
	if in.isHost(ns) {
		head += " (host)"
	}
	lines := []string{head}
	switch {
	case len(ns.Procs) > 0:
		lines = append(lines, count(len(ns.Procs), "process", "processes"))
	case in.complete:
		lines = append(lines, "no processes")
	default:
		// Where processes were refused or hidden, seeing none is not
		// seeing that there are none.
		lines = append(lines, "no process seen")
	}
	if c := ns.Contents; c != nil {
		if c.UTS != nil {
			lines = append(lines, "hostname "+clip(c.UTS.Hostname))
		}
		if c.IDMaps != nil {
			uid, gid := idRanges(c.IDMaps.UID), idRanges(c.IDMaps.GID)
			lines = append(lines, "uid map "+uid)
			if gid != uid {
				lines = append(lines, "gid map "+gid)
			}
		}
	}
	if ns.Type == inspect.User && ns.HasCreator {
		lines = append(lines, "created by "+clip(in.userName(ns.Creator)))
	}
	return append(lines, holderLines(ns)...)
}

// holderLines say what keeps ns alive besides its processes: its bind
// mounts, and for a namespace without processes the fds and sockets that
// hold it, or that only another namespace does (one it owns or parents).
func holderLines(ns *inspect.Namespace) []string {
	var mounts, others []string
	for _, h := range ns.Holders {
		switch h.Kind {
		case inspect.HeldByMount:
			if m := "mount " + clip(h.Path); !slices.Contains(mounts, m) {
				mounts = append(mounts, m)
			}
		case inspect.HeldByFD:
			others = append(others, "fd "+strconv.Itoa(h.FD)+" of PID "+strconv.Itoa(h.PID))
		case inspect.HeldBySocket:
			others = append(others, "socket of PID "+strconv.Itoa(h.PID))
		}
	}
	lines := slices.Concat(fold(mounts, "more mounts"), fold(others, "more holders"))
	if len(ns.Procs) == 0 && len(lines) == 0 {
		lines = append(lines, "held only as an owner or parent")
	}
	return lines
}

// fold keeps the first labelItems of items, and says how many more there
// are.
func fold(items []string, more string) []string {
	if len(items) <= labelItems {
		return items
	}
	return append(items[:labelItems:labelItems], "+"+strconv.Itoa(len(items)-labelItems)+" "+more)
}

// idRanges shows an id map as inside:outside:count ranges, as UIDMAP does.
func idRanges(ranges []inspect.IDRange) string {
	if len(ranges) == 0 {
		return "(none)"
	}
	parts := make([]string, 0, labelItems+1)
	for i, r := range ranges {
		if i == labelItems {
			parts = append(parts, "+"+strconv.Itoa(len(ranges)-labelItems)+" more")
			break
		}
		parts = append(parts, fmt.Sprintf("%d:%d:%d", r.Inside, r.Outside, r.Count))
	}
	return strings.Join(parts, ",")
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// clip cuts s to labelBytes, at a character's start, marking the cut.
func clip(s string) string {
	if len(s) <= labelBytes {
		return s
	}
	cut := labelBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// group is the processes in the same set of selected namespaces.
type group struct {
	set   []*inspect.Namespace // by inode
	procs []*inspect.Process   // by PID
	id    string
}

// groupProcesses groups the processes of nss (by inode) by the namespaces
// of nss they are in.
func groupProcesses(nss []*inspect.Namespace) []*group {
	sets := map[*inspect.Process][]*inspect.Namespace{}
	var procs []*inspect.Process
	sorted := slices.Clone(nss)
	slices.SortFunc(sorted, func(a, b *inspect.Namespace) int { return cmpID(a.ID, b.ID) })
	for _, ns := range sorted {
		for _, p := range ns.Procs {
			if sets[p] == nil {
				procs = append(procs, p)
			}
			sets[p] = append(sets[p], ns)
		}
	}
	slices.SortFunc(procs, func(a, b *inspect.Process) int { return a.PID - b.PID })
	byKey := map[string]*group{}
	var groups []*group
	for _, p := range procs {
		key := setKey(sets[p])
		g := byKey[key]
		if g == nil {
			g = &group{set: sets[p]}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.procs = append(g.procs, p)
	}
	return groups
}

func setKey(set []*inspect.Namespace) string {
	b := make([]byte, 0, 8*len(set))
	for _, ns := range set {
		b = binary.LittleEndian.AppendUint64(b, uint64(ns.ID))
	}
	return string(b)
}

// groupID names a group by a hash of its set of namespaces, which the
// processes that come and go do not change; taken, in ids, by another set
// (a hash collision), it gets a suffix.
func groupID(set []*inspect.Namespace, taken map[string]bool) string {
	h := fnv.New64a()
	h.Write([]byte(setKey(set)))
	id := fmt.Sprintf("procs_%016x", h.Sum64())
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("procs_%016x_%d", h.Sum64(), n)
	}
	taken[id] = true
	return id
}

// lines are a group's label: how many processes, whether they are the
// host's, their container, their distinct names and PIDs, folded.
func (g *group) lines(host bool) []string {
	head := count(len(g.procs), "process", "processes")
	if host {
		head = "host: " + head
	}
	lines := []string{head}
	if c := g.procs[0].Container; c != "" && all(g.procs, func(p *inspect.Process) bool { return p.Container == c }) {
		lines = append(lines, clip(c))
	}
	var names []string
	for _, p := range g.procs {
		if p.Comm != "" && !slices.Contains(names, p.Comm) {
			names = append(names, p.Comm)
		}
	}
	if len(names) > 0 {
		lines = append(lines, strings.Join(fold(names, "more"), ", "))
	}
	pids := make([]string, len(g.procs))
	for i, p := range g.procs {
		pids[i] = strconv.Itoa(p.PID)
	}
	pid := "PID "
	if len(pids) > 1 {
		pid = "PIDs "
	}
	return append(lines, pid+strings.Join(fold(pids, "more"), ", "))
}

func all[T any](items []T, f func(T) bool) bool {
	for _, it := range items {
		if !f(it) {
			return false
		}
	}
	return true
}

// boxes places nodes in the clusters of containers and pods: a node whose
// processes are all in one container goes in its box, nested in its pod's
// where all of the container's processes seen are in one pod; one whose
// processes are in several containers of one pod goes in the pod's box;
// the others outside.
type boxes struct {
	top        []*render.Node
	containers map[string]*box // by container
	pods       map[string]*box // by pod UID
	// podOf is the pod of each container, "" where its processes are in
	// none or in several.
	podOf map[string]string
	ids   map[string]bool // cluster IDs given
}

type box struct {
	label string
	nodes []*render.Node
	inner []*box
}

func newBoxes() *boxes {
	return &boxes{containers: map[string]*box{}, pods: map[string]*box{}, podOf: map[string]string{}, ids: map[string]bool{}}
}

func (b *boxes) place(n *render.Node, procs []*inspect.Process) {
	if len(procs) == 0 {
		b.top = append(b.top, n)
		return
	}
	ctr, pod := procs[0].Container, procs[0].Pod
	for _, p := range procs {
		if p.Container != ctr {
			ctr = ""
		}
		if p.Pod != pod {
			pod = ""
		}
		if p.Container == "" {
			continue
		}
		// A container whose processes are not all in one pod is in none.
		if known, ok := b.podOf[p.Container]; !ok {
			b.podOf[p.Container] = p.Pod
		} else if known != p.Pod {
			b.podOf[p.Container] = ""
		}
	}
	switch {
	case ctr != "":
		b.box(b.containers, ctr, "container "+ctr).add(n)
	case pod != "":
		b.box(b.pods, pod, "pod "+pod).add(n)
	default:
		b.top = append(b.top, n)
	}
}

func (b *boxes) box(m map[string]*box, name, label string) *box {
	if m[name] == nil {
		m[name] = &box{label: clip(label)}
	}
	return m[name]
}

func (x *box) add(n *render.Node) { x.nodes = append(x.nodes, n) }

// graph returns the nodes and the clusters, boxes ordered by name.
func (b *boxes) graph() *render.Graph {
	var outer []*box
	for _, ctr := range sortedKeys(b.containers) {
		c := b.containers[ctr]
		if pod := b.podOf[ctr]; pod != "" {
			p := b.box(b.pods, pod, "pod "+pod)
			p.inner = append(p.inner, c)
		} else {
			outer = append(outer, c)
		}
	}
	for _, pod := range sortedKeys(b.pods) {
		outer = append(outer, b.pods[pod])
	}
	slices.SortStableFunc(outer, func(x, y *box) int { return strings.Compare(x.label, y.label) })
	return &render.Graph{Nodes: b.top, Clusters: b.clusters(outer)}
}

func (b *boxes) clusters(boxes []*box) []*render.Cluster {
	out := make([]*render.Cluster, len(boxes))
	for i, x := range boxes {
		out[i] = &render.Cluster{ID: b.clusterID(x.label), Label: x.label, Nodes: x.nodes, Clusters: b.clusters(x.inner)}
	}
	return out
}

// clusterID makes an ID of a box's label ("container docker:0123abcd"): its
// letters and digits, the rest '_'; where two labels come out the same
// (names that differ only in punctuation), the later gets a number.
func (b *boxes) clusterID(label string) string {
	var id strings.Builder
	id.WriteString("cluster_")
	for _, r := range label {
		if r < 0x80 && (isAlnum(byte(r))) {
			id.WriteRune(r)
		} else {
			id.WriteByte('_')
		}
	}
	name := id.String()
	for n := 2; b.ids[name]; n++ {
		name = id.String() + "_" + strconv.Itoa(n)
	}
	b.ids[name] = true
	return name
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func sortedKeys(m map[string]*box) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
