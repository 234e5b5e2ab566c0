package inspect

import (
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
	s, err := Scan(Options{Root: root, Types: types, Fixture: true})
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

func TestDescribe(t *testing.T) {
	s := scanHost(t, 0)
	tests := []struct {
		name        string
		pid         int
		wantPPID    int
		wantCommand string
	}{
		{"arguments joined by spaces", 1, 0, "/sbin/init splash"},
		{"kernel thread: comm", 2, 0, "kthreadd"},
		{"comm longer than 15 bytes", 6, 2, "kworker/0:0H-events_highpri"},
		{"parent with a higher PID", 57, 32701, "/sbin/modprobe -q -- net-pf-10"},
		// The one argument that nginx rewrites its command line to.
		{"single argument", 1220, 1200, "nginx: master process nginx -g daemon off;"},
		// ')' and spaces in the comm: the PPID follows the last ')'.
		{"comm with ) and spaces", 1601, 1600, "./my) S 77 (app --serve"},
		// describe passes a command line on as it is; escaping is the
		// renderer's job.
		{"hostile command line", 1600, 1, "evil \x1b]0;pwned\x07 tab\there new\nline \\x41 \xff\xfebytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := s.Process(tc.pid)
			if p == nil {
				t.Fatalf("no process %d", tc.pid)
			}
			s.describe([]*Process{p}, ReadPPID|ReadCommand)
			if p.PPID != tc.wantPPID {
				t.Errorf("PPID of %d = %d, want %d", tc.pid, p.PPID, tc.wantPPID)
			}
			if p.Command != tc.wantCommand {
				t.Errorf("Command of %d = %q, want %q", tc.pid, p.Command, tc.wantCommand)
			}
		})
	}
}

// TestDescribeReadsOnce checks that describe reads only the details asked
// for, and each of them once: a process described again keeps what was
// read, even when its files have changed since.
func TestDescribeReadsOnce(t *testing.T) {
	s := scanHost(t, 0)
	p := s.Process(1600)
	s.describe([]*Process{p}, ReadPPID)
	if p.PPID != 1 || p.Command != "" {
		t.Fatalf("after ReadPPID: PPID %d, Command %q; want 1 and no command", p.PPID, p.Command)
	}
	if err := os.WriteFile(filepath.Join(s.Root, "1600", "stat"), []byte("1600 (x) S 99 1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.describe([]*Process{p}, ReadPPID|ReadCommand)
	if p.PPID != 1 {
		t.Errorf("PPID read again: %d, want 1", p.PPID)
	}
	if p.Command == "" {
		t.Errorf("Command not read when asked for")
	}
}

// TestDescribeComm checks that ReadComm reads the kernel's name of a
// process, without the newline the kernel ends it with, whatever its
// command line says.
func TestDescribeComm(t *testing.T) {
	s := scanHost(t, 0)
	for pid, want := range map[int]string{1: "systemd", 2: "kthreadd", 1220: "nginx", 1601: "my) S 77 (app"} {
		p := s.Process(pid)
		s.describe([]*Process{p}, ReadComm)
		if p.Comm != want || p.Command != "" {
			t.Errorf("process %d: Comm %q, Command %q; want %q and no command", pid, p.Comm, p.Command, want)
		}
	}
}

func TestParent(t *testing.T) {
	s := scanHost(t, 0)
	s.describe(s.Processes, ReadPPID)
	tests := []struct {
		pid, wantParent int // 0: no parent
	}{
		{1, 0},      // PPID 0: the kernel started it
		{2, 0},      // kthreadd too
		{57, 32701}, // PID reuse: the parent's PID is higher
		{1251, 1220},
		{1300, 1200},
		{1601, 1600}, // not the 77 that the comm holds
	}
	for _, tc := range tests {
		got := s.Parent(s.Process(tc.pid))
		gotPID := 0
		if got != nil {
			gotPID = got.PID
		}
		if gotPID != tc.wantParent {
			t.Errorf("Parent(%d) = %d, want %d", tc.pid, gotPID, tc.wantParent)
		}
	}
	// A parent outside the snapshot, and a process that claims to be its
	// own parent (a corrupt stat line), have none: walks up the tree end.
	for _, p := range []*Process{{PID: 9, PPID: 8, described: ReadPPID}, {PID: 1500, PPID: 1500, described: ReadPPID}} {
		if got := s.Parent(p); got != nil {
			t.Errorf("Parent(PID %d, PPID %d) = PID %d, want nil", p.PID, p.PPID, got.PID)
		}
	}
}

func TestScanEmpty(t *testing.T) {
	root := fixture.Build(t, filepath.Join("..", "testdata", "empty.txtar"))
	s, err := Scan(Options{Root: root, Fixture: true})
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
	// without processes, or with odd ones: only Fixture lets it through.
	for _, root := range []string{dir, "/sys"} {
		s, err := Scan(Options{Root: root})
		if want := root + ": not a proc filesystem"; err == nil || err.Error() != want {
			t.Errorf("Scan(%s) = %v, %v; want the error %q", root, s, err, want)
		}
	}
	if _, err := Scan(Options{Root: dir, Fixture: true}); err != nil {
		t.Errorf("Scan(%s) with Fixture: %v", dir, err)
	}
}

func TestFixtureOwnersFile(t *testing.T) {
	if fixture.OwnersFile != FixtureOwners {
		t.Errorf("fixture writes owners to %q, inspect reads %q", fixture.OwnersFile, FixtureOwners)
	}
}
