//go:build privileged

package e2e

// Tests that nsinspect holds where hosts are busy, privileges are few and
// input is hostile: a churn of short-lived processes in fresh namespaces, a
// hidepid proc, another pid namespace's proc, and no fd, goroutine or
// namespace left behind by a scan that uses every column.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/internal/testenv"
)

// TestHelperChurn is not a test: run by TestChurn with helperVar=churn and
// a file after "--", it starts short-lived processes in fresh namespaces,
// at most 16 alive at once, and after each start writes how many it started
// and the PID of the last in the file. It prints the PID of the first, then
// "ready", and churns until killed.
func TestHelperChurn(t *testing.T) {
	if os.Getenv(helperVar) != "churn" {
		return
	}
	file := helperArgs()[0]
	slots := make(chan struct{}, 16)
	for i := 0; ; i++ {
		slots <- struct{}{}
		cmd := exec.Command("/bin/sh", "-c", fmt.Sprintf("sleep 0.0%d & exec sleep 0.0%d", i%10, (i*7)%10))
		flags := syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWPID | syscall.CLONE_NEWNS
		if i%4 == 0 {
			// Fewer of these: a network namespace is slow to make and
			// to tear down.
			flags |= syscall.CLONE_NEWNET | syscall.CLONE_NEWCGROUP
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: uintptr(flags)}
		helperCheck(cmd.Start())
		// Renamed into place: a reader never sees half of it.
		helperCheck(os.WriteFile(file+".new", fmt.Appendf(nil, "%d %d\n", i+1, cmd.Process.Pid), 0o644))
		helperCheck(os.Rename(file+".new", file))
		if i == 0 {
			fmt.Printf("%d\nready\n", cmd.Process.Pid)
		}
		go func() {
			_ = cmd.Wait()
			<-slots
		}()
	}
}

// A mode's stand-ins for the PIDs of the last process the churn started, at
// the time of the run, and of the first, which has long exited by then.
const (
	lastChurned  = "LAST"
	firstChurned = "FIRST"
)

// TestChurn scans in every mode and format, in a pid namespace of its own
// (advBox), while processes and namespaces come and go there: every run
// exits 0 with whole rows and valid JSON, except -p of a churned process,
// which may exit 1 with one line that says it is gone; every run within the
// bounds on time and memory. It counts what ran and asserts nothing on it:
// how much churns in the time depends on the host's speed.
func TestChurn(t *testing.T) {
	testenv.RequireRoot(t)
	status := filepath.Join(t.TempDir(), "churn")
	box, lines := advStartBox(t, 0, "TestHelperChurn", "churn", status)
	if len(lines) != 1 {
		t.Fatalf("helper printed %q, want the first PID", lines)
	}
	first := lines[0]
	readStatus := func() (count, pid int) {
		data, err := os.ReadFile(status)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fmt.Sscan(string(data), &count, &pid); err != nil {
			t.Fatalf("%s: %q: %v", status, data, err)
		}
		return count, pid
	}

	modes := [][]string{
		{}, {"-l"}, {"-r"}, {"-J"}, {"-J", "-l"}, {"-n"}, {"-T"}, {"--tree=owner"}, {"--tree=parent", "-J"},
		{"--output-all", "-J"}, {"--output-all", "-r", "-l"}, {"--output-all", "-W"}, {"-t", "uts,ipc", "-o", "+HOSTNAME,IPCOBJS"},
		{"--threads", "-J"}, {"-P"}, {"-p", "1", "-J"}, {"-p", lastChurned}, {"-p", lastChurned, "-J", "--output-all"},
		{"-p", firstChurned, "-r"},
	}
	// Every mode once, then round after round until the time is up.
	runs, failures, gone := 0, 0, 0
	var slowest time.Duration
	var peakRSS int64
	deadline := time.Now().Add(10 * time.Second)
	for runs < len(modes) || time.Now().Before(deadline) {
		for _, mode := range modes {
			if runs >= len(modes) && !time.Now().Before(deadline) {
				break
			}
			runs++
			args := slices.Clone(mode)
			pid := 0
			if i := slices.Index(args, lastChurned); i >= 0 {
				_, pid = readStatus()
				args[i] = strconv.Itoa(pid)
			}
			if i := slices.Index(args, firstChurned); i >= 0 {
				pid, _ = strconv.Atoi(first)
				args[i] = first
			}
			r := box.measure(t, args...)
			slowest, peakRSS = max(slowest, time.Duration(r.Elapsed)), max(peakRSS, r.PeakRSS)
			var err error
			if pid != 0 && r.Code == 1 {
				gone++
				if want := fmt.Sprintf("nsinspect: no such process: %d\n", pid); r.Stderr != want || len(r.Stdout) > 0 {
					err = fmt.Errorf("exit 1, stderr %q, %d bytes on stdout; want only %q", r.Stderr, len(r.Stdout), want)
				}
			} else {
				err = checkOutput(args, r.Code, r.Stdout, r.Stderr)
			}
			if err != nil {
				failures++
				if failures <= 5 {
					t.Errorf("nsinspect %s: %v", strings.Join(args, " "), err)
				}
			}
		}
	}
	count, _ := readStatus()
	t.Logf("%d scans during churn (%d processes started; -p of a churned PID found it gone %d times), %d failures; slowest scan %v, peak RSS %.1f MiB",
		runs, count, gone, failures, slowest.Round(time.Millisecond), float64(peakRSS)/(1<<20))
}

// checkOutput checks one run: exit 0, nothing on stderr, and whole rows.
// For -p, the process may have left all but some of its namespaces (a
// zombie is in its pid and user namespaces only), or even all of them.
func checkOutput(args []string, code int, stdout []byte, stderr string) error {
	if code != 0 || stderr != "" {
		return fmt.Errorf("exit %d, stderr %q", code, stderr)
	}
	has := func(flag string) bool { return slices.Contains(args, flag) }
	mayBeEmpty := has("-P") || has("-p")
	switch {
	case has("-J"):
		var doc struct{ Namespaces []map[string]any }
		if err := json.Unmarshal(stdout, &doc); err != nil {
			return fmt.Errorf("invalid JSON: %v", err)
		}
		if len(doc.Namespaces) == 0 && !mayBeEmpty {
			return fmt.Errorf("no namespaces")
		}
		// Every row has a key for every column, null where empty.
		var keys []string
		var err error
		walkRows(doc.Namespaces, 0, func(r map[string]any, _ float64) {
			var got []string
			for k := range r {
				if k != "children" {
					got = append(got, k)
				}
			}
			slices.Sort(got)
			if keys == nil {
				keys = got
			} else if !slices.Equal(got, keys) && err == nil {
				err = fmt.Errorf("row with the keys %q, another with %q", got, keys)
			}
		})
		return err
	case has("-r"):
		if len(stdout) == 0 && mayBeEmpty {
			return nil
		}
		want := 6
		if has("--output-all") {
			want = len(query.Columns())
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(stdout), "\n"), "\n") {
			// Raw cells are escaped: spaces separate them and nothing else.
			if n := len(strings.Split(line, " ")); n != want {
				return fmt.Errorf("raw line with %d cells, want %d: %q", n, want, line)
			}
		}
	default:
		if len(stdout) == 0 {
			if mayBeEmpty {
				return nil
			}
			return fmt.Errorf("no output")
		}
		if stdout[len(stdout)-1] != '\n' {
			return fmt.Errorf("truncated output %q", stdout)
		}
		lines := strings.Split(strings.TrimSuffix(string(stdout), "\n"), "\n")
		if !has("-n") {
			if f := strings.Fields(lines[0]); len(f) < 2 || f[0] != "NS" || f[1] != "TYPE" {
				return fmt.Errorf("header %q, want NS TYPE first", lines[0])
			}
			lines = lines[1:]
		}
		if len(lines) == 0 && !mayBeEmpty {
			return fmt.Errorf("no rows")
		}
		// Each row starts with its namespace and type, after any tree
		// glyphs.
		for _, line := range lines {
			f := strings.Fields(strings.TrimLeft(line, " |`-├└─│"))
			if len(f) < 2 || strings.Trim(f[0], "0123456789") != "" || !slices.Contains(nsTypeNames, f[1]) {
				return fmt.Errorf("partial row %q", line)
			}
		}
	}
	return nil
}

// nsTypeNames are the TYPE column's values.
var nsTypeNames = []string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"}

// TestHidepid runs nsinspect as nobody on a private proc mount with hidepid=
// 1 and 2: a partial view of its own namespaces, exit 0, and a warning that
// names the option. Under hidepid=2 (invisible) the processes of others are
// not even listed, so that nothing is refused, and yet the view is
// incomplete.
func TestHidepid(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	bin := nsinspectBin
	startSleeper(t, syscall.CLONE_NEWUTS) // a root process to hide
	// Not t.TempDir: its parent is closed to other users.
	dir, err := os.MkdirTemp("", "nsinspect-proc-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		option, want string
		// refused: other users' processes are listed but refused, and
		// counted; under hidepid=2 they are not listed.
		refused bool
	}{
		{"hidepid=1", "processes could not be read (hidepid=noaccess on " + dir + "): nsinspect lacks CAP_SYS_PTRACE", true},
		{"hidepid=2", "processes are hidden (hidepid=invisible on " + dir + "): nsinspect lacks CAP_SYS_PTRACE", false},
	} {
		t.Run(tc.option, func(t *testing.T) {
			// The proc mount lives in a mount namespace of its own and
			// dies with it.
			asNobody := func(args string) (stdout, stderr string) {
				script := fmt.Sprintf("mount -t proc -o %s proc %s && exec setpriv --reuid 65534 --regid 65534 --clear-groups %s --procfs %s %s",
					tc.option, dir, bin, dir, args)
				return runOutput(t, unshare, "--mount", "--propagation", "private", "/bin/sh", "-c", script)
			}
			stdout, stderr := asNobody("-J -l -o NS,TYPE,NPROCS,PID,USER")
			checkWarning(t, stderr, tc.want, "NPROCS counts only the processes seen")
			var doc struct{ Namespaces []map[string]any }
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("invalid JSON: %v\n%s", err, stdout)
			}
			if len(doc.Namespaces) == 0 {
				t.Fatal("no namespaces: nsinspect should see its own")
			}
			for _, r := range doc.Namespaces {
				switch {
				// Rows without a process are bind mounts in nobody's
				// mount table: whether a hidden process is in them is
				// unknown.
				case r["pid"] == nil && r["nprocs"] != nil:
					t.Errorf("row %v: NPROCS %v where no process was seen, want null", r, r["nprocs"])
				case r["pid"] != nil && r["user"] != "nobody" && r["user"] != "65534":
					t.Errorf("row %v: %s should hide every process but nobody's", r, tc.option)
				}
			}

			stdout, stderr = asNobody("--metrics -")
			checkWarning(t, stderr, tc.want, "nsinspect_incomplete 1")
			m := metricValues(t, stdout)
			if m["nsinspect_incomplete"] != 1 {
				t.Errorf("nsinspect_incomplete %v, want 1", m["nsinspect_incomplete"])
			}
			if tc.refused && m["nsinspect_unreadable_processes"] == 0 {
				t.Errorf("nsinspect_unreadable_processes 0, want the refused processes counted")
			}
		})
	}
}

// TestOtherPIDNamespace runs nsinspect inside a new pid namespace with its
// own /proc: it lists the namespaces of the processes it can see there.
func TestOtherPIDNamespace(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	bin := nsinspectBin
	rows := runJSON(t, unshare, "--pid", "--fork", "--mount-proc", bin, "-J", "-l", "-o", "NS,TYPE,NPROCS,PID")
	for _, r := range rows {
		// unshare's child is PID 1 there; bind-mounted namespaces of the
		// host's mount table (ip netns) have no process.
		if pid, ok := r["pid"].(float64); ok && pid != 1 {
			t.Errorf("row %v: only PID 1 runs in the new pid namespace", r)
		}
	}
	if len(rows) < 8 {
		t.Errorf("got %d namespaces, want at least one of each type", len(rows))
	}
}

// runJSON runs a command that ends in nsinspect -J and returns its rows.
func runJSON(t *testing.T, name string, args ...string) []map[string]any {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	var doc struct{ Namespaces []map[string]any }
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, stdout.String())
	}
	return doc.Namespaces
}

// TestProcfsOfOtherPIDNamespace points --procfs at the proc filesystem of
// another pid namespace, mounted where the test can see it: nsinspect lists
// the processes of that namespace, by the PIDs they have there, and finds
// their namespaces through that mount.
func TestProcfsOfOtherPIDNamespace(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	dir := t.TempDir()
	// The child mounts a proc of its new pid namespace in the test's mount
	// namespace; unmounted when the test ends, before dir goes.
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	cmd := testenv.Command(0, unshare, "--pid", "--fork", "/bin/sh", "-c",
		`mount -t proc proc "$1" && echo ready && exec sleep 600`, "sh", dir)
	testenv.Start(t, cmd)
	rows := jsonRows(t, "--procfs", dir, "-J", "-l", "-o", "NS,TYPE,NPROCS,PID,PATH")
	var withPID int
	for _, r := range rows {
		if r["pid"] == nil {
			continue // held by a mount, an fd: no process to name
		}
		withPID++
		if r["pid"] != 1.0 || r["nprocs"] != 1.0 {
			t.Errorf("row %v: the only process there is PID 1", r)
		}
		if want := filepath.Join(dir, "1", "ns", r["type"].(string)); r["path"] != want {
			t.Errorf("row %v: PATH %v, want %s", r, r["path"], want)
		}
	}
	if withPID != 8 {
		t.Errorf("%d rows with a process, want one of each type", withPID)
	}
	// Its pid namespace is the one unshare made for its child.
	want := nsOf(t, cmd.Process.Pid, "pid_for_children")
	for _, r := range rows {
		if r["type"] == "pid" && r["pid"] != nil && r["ns"] != want {
			t.Errorf("pid namespace %v, want %v: unshare's child's", r["ns"], want)
		}
	}
}
