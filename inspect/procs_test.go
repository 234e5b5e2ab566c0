package inspect

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/nsinspect/nsinspect/internal/fixture"
)

// The initial namespaces of testdata/host.txtar.
const (
	hostMnt    NSID = 4026531832
	hostNet    NSID = 4026531833
	hostTime   NSID = 4026531834
	hostCgroup NSID = 4026531835
	hostPID    NSID = 4026531836
	hostUser   NSID = 4026531837
	hostUTS    NSID = 4026531838
	hostIPC    NSID = 4026531839
)

// scanHost scans the fixture host of the golden tests.
func scanHost(t *testing.T, types TypeSet) *Snapshot {
	t.Helper()
	root := fixture.Build(t, filepath.Join("..", "testdata", "host.txtar"))
	s, err := Scan(Options{Root: root, Types: types})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return s
}

// nsSummary is what a test checks of a Namespace: the processes by PID, the
// first of which is its representative.
type nsSummary struct {
	ID   NSID
	Type Type
	PIDs []int
}

func summarize(nss []*Namespace) []nsSummary {
	out := make([]nsSummary, len(nss))
	for i, ns := range nss {
		out[i] = nsSummary{ID: ns.ID, Type: ns.Type}
		for _, p := range ns.Procs {
			out[i].PIDs = append(out[i].PIDs, p.PID)
		}
	}
	return out
}

// hostProcs are the PIDs of the host's processes that a namespace of the
// initial set holds, but for the ones listed in except.
func hostProcs(except ...int) []int {
	all := []int{1, 2, 3, 4, 6, 14, 57, 700, 800, 1200, 1220, 1251, 1252, 1300, 1500, 1501, 1600, 1601, 32701}
	skip := map[int]bool{}
	for _, pid := range except {
		skip[pid] = true
	}
	var pids []int
	for _, pid := range all {
		if !skip[pid] {
			pids = append(pids, pid)
		}
	}
	return pids
}

func TestScanHost(t *testing.T) {
	s := scanHost(t, 0)
	container := []int{1220, 1251, 1252, 1300}
	want := []nsSummary{
		{hostMnt, Mnt, hostProcs(append(container, 1500, 1501)...)},
		{hostNet, Net, hostProcs(container...)},
		// cron (700) has no ns/time link: it is in every other
		// namespace, and in no time namespace.
		{hostTime, Time, hostProcs(700)},
		{hostCgroup, Cgroup, hostProcs(container...)},
		// unshare (1500) stays in the host's pid namespace; only its
		// pid_for_children link, which does not count, is its child's.
		{hostPID, PID, hostProcs(append(container, 1501)...)},
		{hostUser, User, hostProcs(1500, 1501)},
		{hostUTS, UTS, hostProcs(append(container, 1600, 1601)...)},
		{hostIPC, IPC, hostProcs(append(container, 1601)...)},
		// The pod: nginx and envoy share uts, ipc and net.
		{4026532281, Mnt, []int{1220, 1251, 1252}},
		{4026532282, UTS, container},
		{4026532283, IPC, container},
		{4026532284, PID, []int{1220, 1251, 1252}},
		{4026532286, Net, container},
		{4026532345, Cgroup, []int{1220, 1251, 1252}},
		{4026532350, Mnt, []int{1300}},
		{4026532351, PID, []int{1300}},
		{4026532352, Cgroup, []int{1300}},
		{4026532401, User, []int{1500, 1501}},
		{4026532402, Mnt, []int{1500, 1501}},
		{4026532403, PID, []int{1501}},
		{4026532410, UTS, []int{1600, 1601}},
		{4026532411, IPC, []int{1601}},
	}
	if diff := cmp.Diff(want, summarize(s.Namespaces)); diff != "" {
		t.Errorf("namespaces differ (-want +got):\n%s", diff)
	}
	if s.Denied != 0 {
		t.Errorf("Denied = %d, want 0", s.Denied)
	}
	for _, ns := range s.Namespaces {
		if got := s.Namespace(ns.ID); got != ns {
			t.Errorf("Namespace(%d) = %v, want the namespace in the list", ns.ID, got)
		}
		if rep := ns.Rep(); rep != ns.Procs[0] {
			t.Errorf("%d: Rep() = %v, want the lowest PID %d", ns.ID, rep, ns.Procs[0].PID)
		}
	}
	if got := s.Namespace(1); got != nil {
		t.Errorf("Namespace(1) = %v, want nil", got)
	}
}

// TestScanProcesses checks what the scan reads of a process: its links and
// the owner of its directory, and nothing of its stat or cmdline yet.
func TestScanProcesses(t *testing.T) {
	s := scanHost(t, 0)
	host := [NumTypes]NSID{hostMnt, hostNet, hostPID, hostUTS, hostIPC, hostUser, hostCgroup, hostTime}
	noTime := host
	noTime[Time] = 0
	rootless := host
	rootless[User], rootless[Mnt] = 4026532401, 4026532402
	tests := []struct {
		pid  int
		want *Process
	}{
		{1, &Process{PID: 1, NS: host}},
		{32701, &Process{PID: 32701, NS: host}},
		{700, &Process{PID: 700, NS: noTime}}, // scanned although a link is missing
		{1500, &Process{PID: 1500, UID: 4242, NS: rootless}},
		{5, nil},
	}
	for _, tc := range tests {
		got := s.Process(tc.pid)
		if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(Process{})); diff != "" {
			t.Errorf("Process(%d) differs (-want +got):\n%s", tc.pid, diff)
		}
	}
	for i := 1; i < len(s.Processes); i++ {
		if s.Processes[i-1].PID >= s.Processes[i].PID {
			t.Fatalf("Processes not by ascending PID: %d before %d", s.Processes[i-1].PID, s.Processes[i].PID)
		}
	}
	if got, want := len(s.Processes), 19; got != want {
		t.Errorf("scanned %d processes, want %d", got, want)
	}
}

func TestScanTypes(t *testing.T) {
	tests := []struct {
		name  string
		types TypeSet
		want  []nsSummary
	}{
		{
			name:  "time",
			types: TypeSet(0).With(Time),
			want:  []nsSummary{{hostTime, Time, hostProcs(700)}},
		},
		{
			name:  "net and uts",
			types: TypeSet(0).With(Net).With(UTS),
			want: []nsSummary{
				{hostNet, Net, hostProcs(1220, 1251, 1252, 1300)},
				{hostUTS, UTS, hostProcs(1220, 1251, 1252, 1300, 1600, 1601)},
				{4026532282, UTS, []int{1220, 1251, 1252, 1300}},
				{4026532286, Net, []int{1220, 1251, 1252, 1300}},
				{4026532410, UTS, []int{1600, 1601}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := scanHost(t, tc.types)
			if diff := cmp.Diff(tc.want, summarize(s.Namespaces)); diff != "" {
				t.Errorf("namespaces differ (-want +got):\n%s", diff)
			}
			// A process with none of the types' links is not in the
			// snapshot: there is nothing to show of it.
			if tc.types == TypeSet(0).With(Time) && s.Process(700) != nil {
				t.Errorf("Process(700) is in a time-only snapshot; it has no time link")
			}
		})
	}
}

func TestScanEmpty(t *testing.T) {
	root := fixture.Build(t, filepath.Join("..", "testdata", "empty.txtar"))
	s, err := Scan(Options{Root: root})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(s.Namespaces) != 0 || len(s.Processes) != 0 {
		t.Errorf("got %d namespaces and %d processes, want none", len(s.Namespaces), len(s.Processes))
	}
}

func TestScanBadRoot(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{filepath.Join(dir, "missing"), file} {
		if s, err := Scan(Options{Root: root}); err == nil {
			t.Errorf("Scan(%s) = %d namespaces, want an error", root, len(s.Namespaces))
		}
	}
	// A directory that is no proc filesystem would pass for a host
	// without processes, or with odd ones: only a FixtureMarker in it, a
	// regular file, lets it through.
	if err := os.Mkdir(filepath.Join(dir, FixtureMarker), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{dir, "/sys"} {
		s, err := Scan(Options{Root: root})
		if want := root + ": not a proc filesystem"; err == nil || err.Error() != want {
			t.Errorf("Scan(%s) = %v, %v; want the error %q", root, s, err, want)
		}
	}
	marked := t.TempDir()
	if err := os.WriteFile(filepath.Join(marked, FixtureMarker), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(Options{Root: marked}); err != nil {
		t.Errorf("Scan(%s) with a %s: %v", marked, FixtureMarker, err)
	}
}

func TestFixtureOwnersFile(t *testing.T) {
	if fixture.OwnersFile != FixtureOwners {
		t.Errorf("fixture writes owners to %q, inspect reads %q", fixture.OwnersFile, FixtureOwners)
	}
	if fixture.MarkerFile != FixtureMarker {
		t.Errorf("fixture marks its trees with %q, inspect looks for %q", fixture.MarkerFile, FixtureMarker)
	}
}

// fakeHost lays out a proc tree of procs processes spread over groups groups
// of six fresh namespaces each (the rest shared), like a host running
// containers, for benchmarks that run anywhere.
func fakeHost(tb testing.TB, procs, groups int) string {
	tb.Helper()
	root := tb.TempDir()
	if err := os.WriteFile(filepath.Join(root, FixtureMarker), nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	for pid := 1; pid <= procs; pid++ {
		dir := filepath.Join(root, fmt.Sprint(pid))
		if err := os.MkdirAll(filepath.Join(dir, "ns"), 0o755); err != nil {
			tb.Fatal(err)
		}
		g := uint64(pid % groups)
		for t := range NumTypes {
			id := 4026531832 + uint64(t) // the host's
			if Type(t) != User && Type(t) != Time && g != 0 {
				id = 4026532000 + g*8 + uint64(t)
			}
			if err := os.Symlink(fmt.Sprintf("%s:[%d]", Type(t), id), filepath.Join(dir, "ns", Type(t).String())); err != nil {
				tb.Fatal(err)
			}
		}
		stat := fmt.Sprintf("%d (sleep) S %d 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n", pid, max(1, pid-groups))
		for name, data := range map[string]string{"stat": stat, "cmdline": "sleep\x003600\x00", "comm": "sleep\n"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return root
}

func BenchmarkScan(b *testing.B) {
	for _, size := range []struct{ procs, groups int }{{1000, 100}, {4000, 400}} {
		root := fakeHost(b, size.procs, size.groups)
		b.Run(fmt.Sprintf("procs=%d", size.procs), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := Scan(Options{Root: root})
				if err != nil {
					b.Fatal(err)
				}
				reps := make([]*Process, 0, len(s.Namespaces))
				for _, ns := range s.Namespaces {
					reps = append(reps, ns.Rep())
				}
				s.describe(reps, ReadPPID|ReadCommand)
			}
		})
	}
}
