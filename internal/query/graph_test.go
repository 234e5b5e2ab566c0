package query

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/render"
)

var update = flag.Bool("update", false, "rewrite docs/graph-example.dot from the current output")

// zoo builds namespaces and processes by hand, with what inspect would
// fill: relations, holders, contents, comm names, containers. A fixture
// scan cannot give relations (nothing answers the NS_GET_* ioctls).
type zoo struct {
	nss   map[inspect.NSID]*inspect.Namespace
	procs []*inspect.Process
}

func newZoo() *zoo { return &zoo{nss: map[inspect.NSID]*inspect.Namespace{}} }

func (z *zoo) ns(t inspect.Type, id inspect.NSID) *inspect.Namespace {
	ns := &inspect.Namespace{ID: id, Type: t}
	z.nss[id] = ns
	return ns
}

// proc adds a process to the namespaces ids, which must exist, in
// ascending PID order.
func (z *zoo) proc(pid int, comm, container, pod string, ids ...inspect.NSID) *inspect.Process {
	p := &inspect.Process{PID: pid, Comm: comm, Container: container, Pod: pod}
	for _, id := range ids {
		ns := z.nss[id]
		p.NS[ns.Type] = id
		ns.Procs = append(ns.Procs, p)
	}
	z.procs = append(z.procs, p)
	return p
}

func (z *zoo) all() []*inspect.Namespace {
	var nss []*inspect.Namespace
	for _, ns := range z.nss {
		nss = append(nss, ns)
	}
	slices.SortFunc(nss, func(a, b *inspect.Namespace) int { return cmpID(a.ID, b.ID) })
	return nss
}

// The host's namespaces: the kernel's fixed inodes, and boot-time ones
// for mnt and net.
const (
	hostMnt    inspect.NSID = 4026531832
	hostNet    inspect.NSID = 4026531833
	hostTime   inspect.NSID = 4026531834
	hostCgroup inspect.NSID = 4026531835
	hostPID    inspect.NSID = 4026531836
	hostUser   inspect.NSID = 4026531837
	hostUTS    inspect.NSID = 4026531838
	hostIPC    inspect.NSID = 4026531839
)

var hostIDs = []inspect.NSID{hostMnt, hostNet, hostTime, hostCgroup, hostPID, hostUser, hostUTS, hostIPC}

func hostTypes() []inspect.Type {
	return []inspect.Type{inspect.Mnt, inspect.Net, inspect.Time, inspect.Cgroup, inspect.PID, inspect.User, inspect.UTS, inspect.IPC}
}

const (
	podUID   = "6f1c2a9e-0b7d-4c55-9a1e-3d2f8b7c6a10"
	nginxCtr = "containerd:4f2a9c81d3e7"
	envoyCtr = "containerd:9b3e5d7a1c20"
)

// exampleZoo is the host that docs/graph-example.svg draws: a pod whose
// two containers share net, ipc and uts; a rootless user namespace (as
// `unshare --user --map-root-user --pid --fork` makes) with a nested pid
// namespace; a network namespace that only a bind mount holds (ip netns
// add); and a user namespace without processes that owns a network
// namespace that an fd holds (a runtime keeping a sandbox for later).
func exampleZoo() *zoo {
	z := newZoo()
	for i, t := range hostTypes() {
		z.ns(t, hostIDs[i])
	}
	z.nss[hostUTS].Contents = &inspect.Contents{UTS: &inspect.UTSNames{Hostname: "node-1"}}
	z.nss[hostUser].Contents = &inspect.Contents{IDMaps: &inspect.IDMaps{
		UID: []inspect.IDRange{{Inside: 0, Outside: 0, Count: 4294967295}},
		GID: []inspect.IDRange{{Inside: 0, Outside: 0, Count: 4294967295}}}}
	z.nss[hostUser].Creator, z.nss[hostUser].HasCreator = 0, true
	z.nss[hostMnt].Holders = nil

	// The pod: shared net, ipc and uts; each container its mnt, pid and
	// cgroup namespaces.
	podNet, podIPC, podUTS := z.ns(inspect.Net, 4026532300), z.ns(inspect.IPC, 4026532301), z.ns(inspect.UTS, 4026532302)
	podUTS.Contents = &inspect.Contents{UTS: &inspect.UTSNames{Hostname: "web-7d9f"}}
	for _, id := range []inspect.NSID{4026532310, 4026532320} {
		z.ns(inspect.Mnt, id)
		z.ns(inspect.PID, id+1)
		z.ns(inspect.Cgroup, id+2)
	}
	// Rootless: a user namespace of alice's, a pid namespace in it.
	rootless := z.ns(inspect.User, 4026532400)
	rootless.Creator, rootless.HasCreator = 1000, true
	rootless.Contents = &inspect.Contents{IDMaps: &inspect.IDMaps{
		UID: []inspect.IDRange{{Inside: 0, Outside: 1000, Count: 1}, {Inside: 1, Outside: 100000, Count: 65536}},
		GID: []inspect.IDRange{{Inside: 0, Outside: 1000, Count: 1}, {Inside: 1, Outside: 100000, Count: 65536}}}}
	nested := z.ns(inspect.PID, 4026532401)
	z.ns(inspect.Mnt, 4026532402)
	// ip netns add blue.
	blue := z.ns(inspect.Net, 4026532500)
	blue.Holders = []inspect.Holder{{Kind: inspect.HeldByMount, PID: 1, Path: "/run/netns/blue", MountNS: hostMnt}}
	// A user namespace that no process is in, kept by the network
	// namespace it owns, which an fd keeps.
	ghost := z.ns(inspect.User, 4026532600)
	ghost.Creator, ghost.HasCreator = 1000, true
	sandbox := z.ns(inspect.Net, 4026532601)
	sandbox.Holders = []inspect.Holder{{Kind: inspect.HeldByFD, PID: 3100, FD: 5}}

	host := func(pid int, comm string) { z.proc(pid, comm, "", "", hostIDs...) }
	host(1, "systemd")
	host(2, "kthreadd")
	host(612, "sshd")
	host(800, "containerd")
	host(901, "kubelet")
	container := func(pid int, comm, ctr string, own inspect.NSID) {
		z.proc(pid, comm, ctr, podUID, hostUser, hostTime, podNet.ID, podIPC.ID, podUTS.ID, own, own+1, own+2)
	}
	container(2150, "nginx", nginxCtr, 4026532310)
	container(2170, "nginx", nginxCtr, 4026532310)
	container(2171, "nginx", nginxCtr, 4026532310)
	container(2200, "envoy", envoyCtr, 4026532320)
	z.proc(3000, "unshare", "", "", hostNet, hostTime, hostCgroup, hostPID, hostUTS, hostIPC, rootless.ID, 4026532402)
	z.proc(3001, "sleep", "", "", hostNet, hostTime, hostCgroup, nested.ID, hostUTS, hostIPC, rootless.ID, 4026532402)
	host(3100, "sandboxd")

	// Relations, as NS_GET_USERNS and NS_GET_PARENT answer.
	for _, ns := range z.all() {
		if ns.ID != hostUser {
			ns.Owner = z.nss[hostUser]
		}
	}
	rootless.Parent, ghost.Parent = z.nss[hostUser], z.nss[hostUser]
	for _, id := range []inspect.NSID{4026532311, 4026532321} {
		z.nss[id].Parent = z.nss[hostPID]
	}
	nested.Owner, nested.Parent = rootless, z.nss[hostPID]
	z.nss[4026532402].Owner = rootless
	sandbox.Owner = ghost
	return z
}

// input is what buildGraph draws of all of z's namespaces.
func (z *zoo) input() graphInput {
	return graphInput{
		shown:    z.all(),
		complete: true,
		isHost:   func(ns *inspect.Namespace) bool { return slices.Contains(hostIDs, ns.ID) },
		userName: func(uid uint32) string {
			if uid == 0 {
				return "root"
			}
			if uid == 1000 {
				return "alice"
			}
			return strconv.Itoa(int(uid))
		},
	}
}

// drawing is a graph flattened for tests: each node's label and the
// clusters it is in, outermost first, and the edges as "from -> to kind".
type drawing struct {
	lines map[string][]string
	boxes map[string][]string
	edges []string
}

func drawingOf(g *render.Graph) drawing {
	d := drawing{lines: map[string][]string{}, boxes: map[string][]string{}}
	var walk func(nodes []*render.Node, clusters []*render.Cluster, path []string)
	walk = func(nodes []*render.Node, clusters []*render.Cluster, path []string) {
		for _, n := range nodes {
			d.lines[n.ID] = n.Lines
			d.boxes[n.ID] = path
		}
		for _, c := range clusters {
			walk(c.Nodes, c.Clusters, append(slices.Clone(path), c.Label))
		}
	}
	walk(g.Nodes, g.Clusters, nil)
	kinds := map[render.EdgeKind]string{render.EdgeArrow: "owner", render.EdgeBold: "parent", render.EdgeLine: "member"}
	for _, e := range g.Edges {
		d.edges = append(d.edges, e.From+" -> "+e.To+" "+kinds[e.Kind])
	}
	return d
}

// groupOf returns the ID of the group node of PID pid's set of
// namespaces, and fails t if d has no such node.
func (d drawing) groupOf(t *testing.T, z *zoo, pid int) string {
	t.Helper()
	var set []*inspect.Namespace
	for _, p := range z.procs {
		if p.PID != pid {
			continue
		}
		for _, id := range p.NS {
			if id != 0 {
				set = append(set, z.nss[id])
			}
		}
	}
	slices.SortFunc(set, func(a, b *inspect.Namespace) int { return cmpID(a.ID, b.ID) })
	id := groupID(set, map[string]bool{})
	if d.lines[id] == nil {
		t.Fatalf("no group node %s for PID %d", id, pid)
	}
	return id
}

// edgesOf returns the edges that end at id, or start there.
func (d drawing) edgesOf(id string) []string {
	var out []string
	for _, e := range d.edges {
		if f := strings.Fields(e); f[0] == id || f[2] == id {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out
}

func TestGraphGroups(t *testing.T) {
	z := exampleZoo()
	d := drawingOf(buildGraph(z.input()))
	nginx := d.groupOf(t, z, 2150)
	if diff := cmp.Diff([]string{"3 processes", nginxCtr, "nginx", "PIDs 2150, 2170, 2171"}, d.lines[nginx]); diff != "" {
		t.Errorf("nginx's group (-want +got):\n%s", diff)
	}
	// Linked to each namespace its processes are in.
	want := []string{}
	for _, id := range []string{"cgroup_4026532312", "ipc_4026532301", "mnt_4026532310", "net_4026532300",
		"pid_4026532311", "time_4026531834", "user_4026531837", "uts_4026532302"} {
		want = append(want, id+" -> "+nginx+" member")
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, d.edgesOf(nginx)); diff != "" {
		t.Errorf("nginx's group's edges (-want +got):\n%s", diff)
	}
	// The host's processes, all in its namespaces, are one group; the
	// process that holds an fd is among them.
	host := d.groupOf(t, z, 1)
	if d.groupOf(t, z, 3100) != host || d.lines[host][0] != "host: 6 processes" {
		t.Errorf("host's group: %q, PID 3100 in %s", d.lines[host], d.groupOf(t, z, 3100))
	}
	// The rootless namespace's two processes differ in their pid
	// namespace: two groups.
	if d.groupOf(t, z, 3000) == d.groupOf(t, z, 3001) {
		t.Errorf("unshare and its child in the nested pid namespace are one group")
	}
	if got := d.lines[d.groupOf(t, z, 3000)]; got[0] != "1 process" || got[1] != "unshare" {
		t.Errorf("unshare's group: %q", got)
	}
}

// TestGraphBoxes: the pod's shared namespaces are in its box; a
// container's own namespaces and its group in the container's, inside the
// pod's; the host's outside.
func TestGraphBoxes(t *testing.T) {
	z := exampleZoo()
	d := drawingOf(buildGraph(z.input()))
	pod, nginx := "pod "+podUID, "container "+nginxCtr
	for id, want := range map[string][]string{
		"net_4026532300":      {pod},
		"ipc_4026532301":      {pod},
		"uts_4026532302":      {pod},
		"mnt_4026532310":      {pod, nginx},
		"pid_4026532311":      {pod, nginx},
		d.groupOf(t, z, 2150): {pod, nginx},
		"pid_4026532321":      {pod, "container " + envoyCtr},
		"user_4026531837":     nil,
		"net_4026532500":      nil,
	} {
		if diff := cmp.Diff(want, d.boxes[id]); diff != "" {
			t.Errorf("%s's boxes (-want +got):\n%s", id, diff)
		}
	}
	// A container whose processes are in two pods (which the kernel
	// allows: cgroups move) is in neither pod's box.
	z = newZoo()
	z.ns(inspect.Mnt, 10)
	z.ns(inspect.Net, 11)
	z.proc(1, "a", "docker:x", "pod-1", 10, 11)
	z.proc(2, "b", "docker:x", "pod-2", 10, 11)
	d = drawingOf(buildGraph(z.input()))
	if diff := cmp.Diff([]string{"container docker:x"}, d.boxes["mnt_10"]); diff != "" {
		t.Errorf("container in two pods (-want +got):\n%s", diff)
	}
}

// TestGraphRelations: edges as the owner and parent trees draw them; a
// user namespace's owner is its parent, drawn once, as its parent.
func TestGraphRelations(t *testing.T) {
	z := exampleZoo()
	d := drawingOf(buildGraph(z.input()))
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"user_4026532400", []string{
			"user_4026531837 -> user_4026532400 parent",
			"user_4026532400 -> mnt_4026532402 owner",
			"user_4026532400 -> pid_4026532401 owner",
			"user_4026532400 -> " + d.groupOf(t, z, 3000) + " member",
			"user_4026532400 -> " + d.groupOf(t, z, 3001) + " member",
		}},
		{"pid_4026532401", []string{
			"pid_4026531836 -> pid_4026532401 parent",
			"pid_4026532401 -> " + d.groupOf(t, z, 3001) + " member",
			"user_4026532400 -> pid_4026532401 owner",
		}},
		{"user_4026532600", []string{
			"user_4026531837 -> user_4026532600 parent",
			"user_4026532600 -> net_4026532601 owner",
		}},
		{"net_4026532500", []string{"user_4026531837 -> net_4026532500 owner"}},
	} {
		if diff := cmp.Diff(sortedCopy(tc.want), d.edgesOf(tc.id)); diff != "" {
			t.Errorf("edges of %s (-want +got):\n%s", tc.id, diff)
		}
	}
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestGraphLabels: what a namespace's node says, and how it is drawn.
func TestGraphLabels(t *testing.T) {
	z := exampleZoo()
	g := buildGraph(z.input())
	d := drawingOf(g)
	for id, want := range map[string][]string{
		"user_4026531837": {"user 4026531837 (host)", "10 processes", "uid map 0:0:4294967295", "created by root"},
		"uts_4026532302":  {"uts 4026532302", "4 processes", "hostname web-7d9f"},
		"user_4026532400": {"user 4026532400", "2 processes", "uid map 0:1000:1,1:100000:65536", "created by alice"},
		"net_4026532500":  {"net 4026532500", "no processes", "mount /run/netns/blue"},
		"net_4026532601":  {"net 4026532601", "no processes", "fd 5 of PID 3100"},
		"user_4026532600": {"user 4026532600", "no processes", "created by alice", "held only as an owner or parent"},
	} {
		if diff := cmp.Diff(want, d.lines[id]); diff != "" {
			t.Errorf("%s's label (-want +got):\n%s", id, diff)
		}
	}
	kinds := map[string]render.NodeKind{}
	var walk func(nodes []*render.Node, clusters []*render.Cluster)
	walk = func(nodes []*render.Node, clusters []*render.Cluster) {
		for _, n := range nodes {
			kinds[n.ID] = n.Kind
		}
		for _, c := range clusters {
			walk(c.Nodes, c.Clusters)
		}
	}
	walk(g.Nodes, g.Clusters)
	for id, want := range map[string]render.NodeKind{
		"net_4026532500": render.NodeDashed, "user_4026532600": render.NodeDashed, "net_4026532601": render.NodeDashed,
		"net_4026532300": render.NodeSolid, d.groupOf(t, z, 1): render.NodeGroup,
	} {
		if kinds[id] != want {
			t.Errorf("%s is drawn as kind %d, want %d", id, kinds[id], want)
		}
	}
}

// TestGraphFolds: labels stay small: at most three names and PIDs, the
// rest counted; long texts cut; where processes were refused, a namespace
// without any seen does not claim to have none.
func TestGraphFolds(t *testing.T) {
	z := newZoo()
	z.ns(inspect.UTS, 10).Contents = &inspect.Contents{UTS: &inspect.UTSNames{Hostname: strings.Repeat("h", 64)}}
	z.ns(inspect.Net, 11).Holders = []inspect.Holder{
		{Kind: inspect.HeldByMount, Path: "/run/netns/a"}, {Kind: inspect.HeldByMount, Path: "/run/netns/b"},
		{Kind: inspect.HeldByMount, Path: "/run/netns/a"}, {Kind: inspect.HeldByMount, Path: "/run/netns/c"},
		{Kind: inspect.HeldByMount, Path: "/run/netns/d"}, {Kind: inspect.HeldByMount, Path: "/run/netns/e"},
	}
	for pid := 1; pid <= 10; pid++ {
		z.proc(pid, "p"+strconv.Itoa(pid%6), "", "", 10)
	}
	in := z.input()
	in.complete = false
	d := drawingOf(buildGraph(in))
	want := map[string][]string{
		"uts_10": {"uts 10", "10 processes", "hostname " + strings.Repeat("h", labelBytes) + "…"},
		"net_11": {"net 11", "no process seen", "mount /run/netns/a", "mount /run/netns/b", "mount /run/netns/c", "+2 more mounts"},
	}
	for id, w := range want {
		if diff := cmp.Diff(w, d.lines[id]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", id, diff)
		}
	}
	if diff := cmp.Diff([]string{"10 processes", "p1, p2, p3, +3 more", "PIDs 1, 2, 3, +7 more"}, d.lines[d.groupOf(t, z, 1)]); diff != "" {
		t.Errorf("group (-want +got):\n%s", diff)
	}
	// A cut never splits a character.
	if got := clip(strings.Repeat("a", labelBytes-1) + "é"); got != strings.Repeat("a", labelBytes-1)+"…" {
		t.Errorf("clip cut a character: %q", got)
	}
}

// TestGraphStableIDs: IDs come from what identifies a namespace or a set
// of them, not from PIDs or the order of processes, so that the graphs of
// two runs can be diffed; two sets never share an ID.
func TestGraphStableIDs(t *testing.T) {
	ids := func(z *zoo) []string {
		d := drawingOf(buildGraph(z.input()))
		var out []string
		for id := range d.lines {
			out = append(out, id)
		}
		slices.Sort(out)
		return out
	}
	a := exampleZoo()
	b := exampleZoo()
	for _, p := range b.procs {
		p.PID += 100000
	}
	if diff := cmp.Diff(ids(a), ids(b)); diff != "" {
		t.Errorf("node IDs change with the PIDs (-first +second):\n%s", diff)
	}
	taken := map[string]bool{}
	set := []*inspect.Namespace{{ID: 1}}
	first, second := groupID(set, taken), groupID(set, taken)
	if first == second || !strings.HasPrefix(second, first+"_") {
		t.Errorf("a taken ID is given again: %s, then %s", first, second)
	}
}

// TestRelatives: owners and parents up the chains, once each, where
// include accepts them.
func TestRelatives(t *testing.T) {
	z := exampleZoo()
	nested := z.nss[4026532401]
	got := relatives([]*inspect.Namespace{nested}, func(*inspect.Namespace) bool { return true })
	var ids []inspect.NSID
	for _, ns := range got {
		ids = append(ids, ns.ID)
	}
	slices.Sort(ids)
	if diff := cmp.Diff([]inspect.NSID{hostPID, hostUser, 4026532400}, ids); diff != "" {
		t.Errorf("relatives of the nested pid namespace (-want +got):\n%s", diff)
	}
	got = relatives([]*inspect.Namespace{nested}, func(ns *inspect.Namespace) bool { return ns.Type == inspect.PID })
	if len(got) != 1 || got[0].ID != hostPID {
		t.Errorf("relatives of type pid: %v, want the host's pid namespace", got)
	}
}

// TestGraphExample keeps docs/graph-example.dot, and the SVG that dot drew
// of it for the README, what nsinspect draws of exampleZoo. After a change,
// `make graph-example` rewrites both.
func TestGraphExample(t *testing.T) {
	g := buildGraph(exampleZoo().input())
	var b bytes.Buffer
	if err := render.WriteGraph(&b, g, render.GraphDOT); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs")
	path := filepath.Join(dir, "graph-example.dot")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("%s differs (-want +got); run make graph-example:\n%s", path, diff)
	}

	// The SVG names each node, cluster and edge in a title, and draws
	// each line of their labels as a text.
	wantTitles, wantTexts := []string{"namespaces"}, []string{}
	var walk func(nodes []*render.Node, clusters []*render.Cluster)
	walk = func(nodes []*render.Node, clusters []*render.Cluster) {
		for _, n := range nodes {
			wantTitles = append(wantTitles, n.ID)
			wantTexts = append(wantTexts, n.Lines...)
		}
		for _, c := range clusters {
			wantTitles = append(wantTitles, c.ID)
			wantTexts = append(wantTexts, c.Label)
			walk(c.Nodes, c.Clusters)
		}
	}
	walk(g.Nodes, g.Clusters)
	for _, e := range g.Edges {
		wantTitles = append(wantTitles, e.From+"->"+e.To)
	}
	svg, err := os.Open(filepath.Join(dir, "graph-example.svg"))
	if err != nil {
		t.Fatal(err)
	}
	defer svg.Close()
	var titles, texts []string
	dec := xml.NewDecoder(svg)
	var in string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("graph-example.svg: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			in = tok.Name.Local
		case xml.EndElement:
			in = ""
		case xml.CharData:
			switch in {
			case "title":
				titles = append(titles, string(tok))
			case "text":
				texts = append(texts, string(tok))
			}
		}
	}
	for _, l := range [][]string{wantTitles, wantTexts, titles, texts} {
		slices.Sort(l)
	}
	if !slices.Equal(wantTitles, titles) || !slices.Equal(wantTexts, texts) {
		t.Errorf("docs/graph-example.svg is not drawn from %s: run make graph-example\n%s%s", path,
			cmp.Diff(wantTitles, titles), cmp.Diff(wantTexts, texts))
	}
}

// TestGraphQuery: --graph plans what the graph needs, whatever else is
// asked, and Run returns a graph instead of rows.
func TestGraphQuery(t *testing.T) {
	q, err := New(Options{Graph: "mermaid", GraphGiven: true, Task: "1300", TaskGiven: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := q.need(); got != graphNeed {
		t.Errorf("need %+v, want %+v", got, graphNeed)
	}
	if !q.ScanOptions().FindHolders {
		t.Error("no holders scanned with -p: the graph shows bind mounts")
	}
	res, err := q.Run(hostSnapshot(t, q), func(uint32) string { return "u" })
	if err != nil {
		t.Fatal(err)
	}
	if res.Graph == nil || res.Rows != nil || res.GraphFormat != render.GraphMermaid {
		t.Fatalf("Run: graph %v, %d rows, format %d; want a Mermaid graph and no rows", res.Graph != nil, len(res.Rows), res.GraphFormat)
	}
	// envoy's eight namespaces, and five sets of processes that share some.
	d := drawingOf(res.Graph)
	var nss, groups int
	for id := range d.lines {
		if strings.HasPrefix(id, "procs_") {
			groups++
		} else {
			nss++
		}
	}
	if nss != 8 || groups != 5 {
		t.Errorf("%d namespaces and %d groups, want 8 and 5", nss, groups)
	}
	if _, err := New(Options{Graph: "svg", GraphGiven: true}); err == nil || err.Error() != "unknown graph format: svg" {
		t.Errorf("--graph=svg: %v", err)
	}
}
