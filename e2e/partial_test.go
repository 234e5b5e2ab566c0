//go:build privileged

package e2e

// Tests of what nsinspect claims where it may not see every process: as
// nobody, and as root of a user namespace of its own. A namespace in which no
// process was seen then has no NPROCS (null, an empty cell), -P and the
// metrics say that they may be wrong, and one line on stderr says why. They
// need root to set up; where NSINSPECT_REQUIRE_PRIVILEGED is set (CI) a skip
// is a failure.

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// runAsNobody runs the built nsinspect as uid and gid 65534, with no
// capabilities left.
func runAsNobody(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(nsinspectBin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: nobody}
	cmd.Dir = "/"
	return runCmdOutput(t, cmd)
}

// jsonRowOf returns the row of namespace id in nsinspect's JSON output, nil
// if there is none.
func jsonRowOf(t *testing.T, stdout string, id float64) map[string]any {
	t.Helper()
	var doc struct{ Namespaces []map[string]any }
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, stdout)
	}
	for _, r := range doc.Namespaces {
		if r["ns"] == id {
			return r
		}
	}
	return nil
}

// TestUnprivilegedBoundNetNS: a network namespace bind-mounted on a file, with
// a root process in it. Root counts the process; nobody finds the namespace
// through the mount but may not see the process, and must not claim that
// there is none.
func TestUnprivilegedBoundNetNS(t *testing.T) {
	testenv.RequireRoot(t)
	nsenter := testenv.RequireCommand(t, "nsenter")
	file := testenv.BoundNetNS(t)
	inside := testenv.Command(0, nsenter, "--net="+file, "/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, inside)
	id := nsOf(t, inside.Process.Pid, "net")
	ino := strconv.FormatFloat(id, 'f', 0, 64)

	t.Run("root", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if code := runBinary(t, []string{"-J", "-l", "-t", "net", "-o", "NS,NPROCS,PID"}, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr.String())
		}
		want := map[string]any{"ns": id, "nprocs": 1.0, "pid": float64(inside.Process.Pid)}
		if got := jsonRowOf(t, stdout.String(), id); !equalRow(got, want) {
			t.Errorf("row %v, want %v", got, want)
		}
	})

	t.Run("nobody JSON", func(t *testing.T) {
		stdout, stderr := runAsNobody(t, "-J", "-l", "-t", "net", "-o", "NS,TYPE,NPROCS,PID")
		checkWarning(t, stderr, "processes could not be read (permission denied): nsinspect lacks CAP_SYS_PTRACE",
			"NPROCS counts only the processes seen")
		want := map[string]any{"ns": id, "type": "net", "nprocs": nil, "pid": nil}
		if got := jsonRowOf(t, stdout, id); !equalRow(got, want) {
			t.Errorf("row %v, want %v", got, want)
		}
	})

	t.Run("nobody -P", func(t *testing.T) {
		stdout, stderr := runAsNobody(t, "-J", "-P", "-t", "net", "-o", "NS,TYPE,NPROCS,PID")
		checkWarning(t, stderr, "permission denied", "the list may be incomplete")
		want := map[string]any{"ns": id, "type": "net", "nprocs": nil, "pid": nil}
		if got := jsonRowOf(t, stdout, id); !equalRow(got, want) {
			t.Errorf("row %v, want %v", got, want)
		}
	})

	t.Run("nobody raw", func(t *testing.T) {
		stdout, stderr := runAsNobody(t, "-r", "-l", "-t", "net", "-o", "NS,NPROCS,PID,TYPE")
		checkWarning(t, stderr, "permission denied")
		// Empty cells between single blanks.
		if want := ino + "   net"; !slices.Contains(strings.Split(stdout, "\n"), want) {
			t.Errorf("no line %q in\n%s", want, stdout)
		}
	})

	t.Run("nobody table", func(t *testing.T) {
		stdout, stderr := runAsNobody(t, "-l", "-t", "net", "-o", "NS,NPROCS,NSFS")
		checkWarning(t, stderr, "permission denied")
		found := false
		for _, line := range strings.Split(stdout, "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] == ino {
				found = true
				if !slices.Equal(f, []string{ino, file}) {
					t.Errorf("line %q, want NPROCS empty between %s and %s", line, ino, file)
				}
			}
		}
		if !found {
			t.Errorf("namespace %s not listed:\n%s", ino, stdout)
		}
	})

	t.Run("nobody metrics", func(t *testing.T) {
		stdout, stderr := runAsNobody(t, "--metrics", "-")
		checkWarning(t, stderr, "permission denied", "nsinspect_incomplete 1")
		m := metricValues(t, stdout)
		for series, v := range m {
			// Whatever else the host holds: nothing is counted as
			// without processes when processes were refused.
			if strings.HasPrefix(series, "nsinspect_namespaces_without_processes{") && v != 0 {
				t.Errorf("%s %v, want 0 in an incomplete view", series, v)
			}
		}
		if v := m[`nsinspect_namespaces_processes_unknown{held_by="mount",type="net"}`]; v < 1 {
			t.Errorf(`nsinspect_namespaces_processes_unknown{held_by="mount",type="net"} %v, want at least 1`, v)
		}
		if m["nsinspect_incomplete"] != 1 || m["nsinspect_unreadable_processes"] < 1 {
			t.Errorf("nsinspect_incomplete %v, nsinspect_unreadable_processes %v: want 1 and at least 1",
				m["nsinspect_incomplete"], m["nsinspect_unreadable_processes"])
		}
	})
}

// equalRow reports whether a JSON row has exactly the keys and values of
// want.
func equalRow(got, want map[string]any) bool {
	if got == nil || len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}
	return true
}

// TestUserNamespaceWarns runs nsinspect as root of a user namespace of its
// own (unshare -Ur, as in a rootless container): root by its uid, but with
// capabilities only there, it may read no process outside. It says so, and
// leaves NPROCS empty where it saw none.
func TestUserNamespaceWarns(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	bin := nsinspectBin
	startSleeper(t, syscall.CLONE_NEWUTS) // a process outside to be refused
	file := testenv.BoundNetNS(t)
	var st syscall.Stat_t
	if err := syscall.Stat(file, &st); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := runOutput(t, unshare, "--user", "--map-root-user", bin, "-J", "-l", "-t", "net", "-o", "NS,NPROCS,PID")
	checkWarning(t, stderr,
		"processes could not be read (permission denied): nsinspect runs in a user namespace, without CAP_SYS_PTRACE in the initial one")
	want := map[string]any{"ns": float64(st.Ino), "nprocs": nil, "pid": nil}
	if got := jsonRowOf(t, stdout, float64(st.Ino)); !equalRow(got, want) {
		t.Errorf("bind-mounted namespace: row %v, want %v", got, want)
	}
}
