package query

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/fixture"
	"github.com/nsinspect/nsinspect/render"
)

// TestPlan checks what a query asks of inspect, column by column: the
// scan's options and what Fill must read. Columns declare their needs;
// nothing compares column names.
func TestPlan(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		wantNeed inspect.Need
		// wantRelations: the columns or the filter show relations.
		wantRelations bool
		wantHolders   bool
		wantTypes     inspect.TypeSet
	}{
		{name: "default", wantNeed: inspect.Need{Process: inspect.ReadCommand}, wantHolders: true},
		{name: "no process columns", opts: Options{Output: "NS,TYPE,NPROCS", OutputGiven: true}, wantHolders: true},
		// UID and USER need no relations: the owners of namespaces
		// without processes are related for every query.
		{name: "UID, USER", opts: Options{Output: "NS,UID,USER", OutputGiven: true}, wantHolders: true},
		{name: "relations", opts: Options{Output: "NS,PNS", OutputGiven: true},
			wantRelations: true, wantHolders: true},
		{name: "filter columns count", opts: Options{Output: "NS", OutputGiven: true, Filter: "LEVEL > 0"},
			wantRelations: true, wantHolders: true},
		{name: "netnsid", opts: Options{Types: []string{"net"}},
			wantNeed: inspect.Need{Process: inspect.ReadCommand, NetNSID: true}, wantHolders: true,
			wantTypes: inspect.TypeSet(0).With(inspect.Net)},
		{name: "contents", opts: Options{Output: "HOSTNAME,MOUNTS,CONTAINER", OutputGiven: true},
			wantNeed:    inspect.Need{Contents: inspect.ReadUTS | inspect.ReadMounts, Process: inspect.ReadContainer},
			wantHolders: true},
		// -p's process is in no namespace without processes: no holders,
		// unless NSFS is shown, which they fill.
		{name: "task", opts: Options{Task: "1", TaskGiven: true}, wantNeed: inspect.Need{Process: inspect.ReadCommand}},
		{name: "task with NSFS", opts: Options{Task: "1", TaskGiven: true, Output: "NS,NSFS", OutputGiven: true},
			wantHolders: true},
		{name: "types", opts: Options{Types: []string{"uts,ipc", "pid"}},
			wantNeed: inspect.Need{Process: inspect.ReadCommand}, wantHolders: true,
			wantTypes: inspect.TypeSet(0).With(inspect.UTS).With(inspect.IPC).With(inspect.PID)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.need(); got != tt.wantNeed {
				t.Errorf("need = %+v, want %+v", got, tt.wantNeed)
			}
			if got := q.showsRelations(); got != tt.wantRelations {
				t.Errorf("relations = %v, want %v", got, tt.wantRelations)
			}
			scan := q.ScanOptions()
			if scan.FindHolders != tt.wantHolders || scan.Types != tt.wantTypes {
				t.Errorf("scan options %+v, want Holders %v and Types %v", scan, tt.wantHolders, tt.wantTypes)
			}
		})
	}
}

// hostSnapshot scans the host fixture (testdata/host.txtar).
func hostSnapshot(t *testing.T, q *Query) *inspect.Snapshot {
	t.Helper()
	scan := q.ScanOptions()
	scan.Root = fixture.Build(t, filepath.Join("..", "..", "testdata", "host.txtar"))
	snap, err := inspect.Scan(scan)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// shape is a row's first cell and the shapes of its children, for
// comparing trees.
type shape struct {
	First    any
	Children []shape
}

func shapes(rows []*render.Row) []shape {
	var out []shape
	for _, r := range rows {
		out = append(out, shape{First: r.Cells[0], Children: shapes(r.Children)})
	}
	return out
}

// TestRows checks which rows come out of the host fixture, and how they
// nest, for the options that select and nest rows.
func TestRows(t *testing.T) {
	ns := func(ids ...uint64) []shape {
		var out []shape
		for _, id := range ids {
			out = append(out, shape{First: id})
		}
		return out
	}
	tests := []struct {
		name string
		opts Options
		want []shape
	}{
		// With the two that no process is in: bind-mounted, fd-held.
		{name: "net", opts: Options{Types: []string{"net"}, List: true, Output: "NS", OutputGiven: true},
			want: ns(4026531833, 4026532286, 4026532500, 4026532501)},
		// The pod's containers share uts, ipc and net; each has its own
		// mnt, pid and cgroup namespace.
		{name: "task", opts: Options{Task: "1300", TaskGiven: true, List: true, Output: "NS", OutputGiven: true},
			want: ns(4026531834, 4026531837, 4026532282, 4026532283, 4026532286, 4026532350, 4026532351, 4026532352)},
		{name: "filter", opts: Options{List: true, Output: "NS", OutputGiven: true, Filter: `TYPE == "uts" && NPROCS < 3`},
			want: ns(4026532410)},
		{name: "persistent", opts: Options{Persistent: true, Output: "NS", OutputGiven: true},
			want: ns(4026532500, 4026532501)},
		// -p's process is in no namespace without processes.
		{name: "task, persistent ones left out", opts: Options{Task: "1600", TaskGiven: true, List: true,
			Output: "NS", OutputGiven: true, Types: []string{"net"}}, want: ns(4026531833)},
		// The process tree: a namespace goes under the latest row whose
		// representative is its representative's parent. evil (PID 1600,
		// a child of init) goes under init's last row, its child's ipc
		// namespace under evil's; the pod's namespaces, whose
		// representative's parent (the shim) represents none, are roots.
		{name: "process tree", opts: Options{Types: []string{"uts", "ipc"}, Output: "NS,COMMAND", OutputGiven: true},
			want: []shape{
				{First: uint64(4026531838)},
				{First: uint64(4026531839), Children: []shape{
					{First: uint64(4026532410), Children: ns(4026532411)},
				}},
				{First: uint64(4026532282)},
				{First: uint64(4026532283)},
			}},
		// The members of a namespace, by parenthood.
		{name: "members", opts: Options{Namespace: "4026532286", Output: "PID,COMMAND", OutputGiven: true},
			want: []shape{{First: 1220, Children: []shape{{First: 1251}, {First: 1252}}}, {First: 1300}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			res, err := q.Run(hostSnapshot(t, q), func(uid uint32) string { return "u" })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, shapes(res.Rows)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunColumns checks that Run hands render the columns asked for, in
// order, and the tree column only where it draws the tree.
func TestRunColumns(t *testing.T) {
	for _, tc := range []struct {
		opts     Options
		want     []string
		wantTree string
	}{
		{Options{}, []string{"NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND"}, "COMMAND"},
		{Options{List: true}, []string{"NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND"}, ""},
		{Options{Types: []string{"net"}}, []string{"NS", "TYPE", "NPROCS", "PID", "USER", "NETNSID", "NSFS", "COMMAND"}, "COMMAND"},
		{Options{Tree: "parent", TreeGiven: true, Output: "+PNS", OutputGiven: true},
			[]string{"NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND", "PNS"}, "NS"},
		{Options{Tree: "owner", TreeGiven: true, Output: "TYPE", OutputGiven: true}, []string{"TYPE"}, ""},
		{Options{Namespace: "4026531836"}, []string{"PID", "PPID", "USER", "COMMAND"}, "COMMAND"},
	} {
		q, err := New(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		res, err := q.Run(hostSnapshot(t, q), nil)
		if err != nil {
			t.Fatalf("%+v: %v", tc.opts, err)
		}
		var names []string
		tree := ""
		for _, c := range res.Columns {
			names = append(names, c.Name)
			if c == res.Tree {
				tree = c.Name
			}
		}
		if !slices.Equal(names, tc.want) || tree != tc.wantTree {
			t.Errorf("%+v: columns %v, tree %q; want %v, %q", tc.opts, names, tree, tc.want, tc.wantTree)
		}
	}
}

// TestRunReadsWhatIsShown: the filter's columns are read of every
// candidate, what the rows show only of the rows the filter keeps. The
// fixture's pid namespace 4026532351 has one process, 1300, which stands for
// no uts namespace.
func TestRunReadsWhatIsShown(t *testing.T) {
	q, err := New(Options{List: true, Output: "NS,COMMAND", OutputGiven: true, Filter: `TYPE == "uts" || PPID == 1200`})
	if err != nil {
		t.Fatal(err)
	}
	snap := hostSnapshot(t, q)
	res, err := q.Run(snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	shown := map[any]bool{}
	for _, r := range res.Rows {
		shown[r.Cells[0]] = true
	}
	for _, tc := range []struct {
		pid                 int
		ns                  uint64
		wantPPID            int
		wantShown, wantRead bool
	}{
		{1, 4026531838, 0, true, true},         // the host's uts namespace
		{1220, 4026532282, 1200, true, true},   // the pod's
		{1300, 4026532351, 1200, true, true},   // kept for its PPID
		{1501, 4026532403, 1500, false, false}, // judged by PPID, left out
	} {
		p := snap.Process(tc.pid)
		if shown[tc.ns] != tc.wantShown || p.PPID != tc.wantPPID || (p.Command != "") != tc.wantRead {
			t.Errorf("namespace %d (process %d): shown %v, PPID %d, command %q; want shown %v, PPID %d, command read %v",
				tc.ns, tc.pid, shown[tc.ns], p.PPID, p.Command, tc.wantShown, tc.wantPPID, tc.wantRead)
		}
	}
}
