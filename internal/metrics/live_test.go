//go:build privileged

package metrics_test

import (
	"slices"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/testenv"
	"golang.org/x/sys/unix"
)

// TestWriteLive scans this host's /proc with two namespaces that no process
// is in: a network namespace bind-mounted on a file (as ip netns add does),
// and a ghost user namespace, the parent of a nested one that a process is
// in, which only relating the namespaces finds.
func TestWriteLive(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")

	file := testenv.BoundNetNS(t)
	var st unix.Stat_t
	if err := unix.Stat(file, &st); err != nil {
		t.Fatal(err)
	}
	netns := inspect.NSID(st.Ino)
	// The outer unshare enters a new user namespace and execs the inner
	// one, which enters a nested one and execs sh: no process is left
	// in the outer.
	cmd := testenv.Command(0, unshare, "--user", "--map-root-user",
		unshare, "--user", "sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, cmd)

	start := time.Now()
	s := scan(t, "/proc")
	if err := s.Relate(slices.Clone(s.Namespaces)); err != nil {
		t.Fatalf("Relate: %v", err)
	}
	sc := write(t, s, time.Since(start))
	sc.checkShape(t)

	if ns := s.Namespace(netns); ns == nil || len(ns.Procs) != 0 || len(ns.Holders) == 0 || ns.Holders[0].Kind != inspect.HeldByMount {
		t.Fatalf("namespace %d, bind-mounted on %s, is not found as held by a mount: %+v", netns, file, ns)
	}
	p := s.Process(cmd.Process.Pid)
	if p == nil {
		t.Fatalf("process %d is not found", cmd.Process.Pid)
	}
	ghost := s.Namespace(p.NS[inspect.User]).Parent
	if ghost == nil || len(ghost.Procs) != 0 || len(ghost.Holders) != 0 {
		t.Fatalf("the parent of process %d's user namespace is not a ghost: %+v", p.PID, ghost)
	}

	// As root with CAP_SYS_PTRACE on the host (CI), the view is complete.
	if !s.Complete() {
		t.Fatalf("as root: %s", s.Shortfall())
	}
	if got := sc.value(t, "nsinspect_incomplete"); got != 0 {
		t.Errorf("nsinspect_incomplete = %v, want 0", got)
	}
	without := sc.series(t, "nsinspect_namespaces_without_processes", "type", "held_by")
	for _, key := range []string{"net/mount", "user/none"} {
		if without[key] < 1 {
			t.Errorf("nsinspect_namespaces_without_processes{%s} = %v, want at least 1", key, without[key])
		}
	}
	// Namespaces with processes and without add up to all of them.
	nss := sc.series(t, "nsinspect_namespaces", "type")
	members := sc.series(t, "nsinspect_namespace_processes", "type")
	for _, typ := range types {
		withProcs, procs := 0, 0
		for _, ns := range s.Namespaces {
			if ns.Type.String() == typ && len(ns.Procs) > 0 {
				withProcs++
				procs += len(ns.Procs)
			}
		}
		sum := float64(withProcs)
		for _, h := range heldBys {
			sum += without[typ+"/"+h]
		}
		if sum != nss[typ] {
			t.Errorf("%s: %d namespaces with processes and %v without, want %v in all", typ, withProcs, sum-float64(withProcs), nss[typ])
		}
		if members[typ] != float64(procs) {
			t.Errorf("nsinspect_namespace_processes{type=%q} = %v, want %d", typ, members[typ], procs)
		}
	}
	if got := sc.value(t, "nsinspect_processes"); got != float64(len(s.Processes)) || got < 2 {
		t.Errorf("nsinspect_processes = %v, want %d", got, len(s.Processes))
	}
	if got := sc.value(t, "nsinspect_scan_duration_seconds"); got <= 0 {
		t.Errorf("nsinspect_scan_duration_seconds = %v, want more than 0", got)
	}
}
