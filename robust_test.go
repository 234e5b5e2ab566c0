package main

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
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/internal/fixture"
	"github.com/nsinspect/nsinspect/internal/testenv"
	"github.com/nsinspect/nsinspect/render"
)

// churn starts short-lived processes in fresh namespaces until stop is
// closed, at most 16 alive at once and 2000 in all, and waits for every one.
func churn(t *testing.T, stop <-chan struct{}) (started func() int) {
	t.Helper()
	var (
		mu    sync.Mutex
		count int
		wg    sync.WaitGroup
	)
	slots := make(chan struct{}, 16)
	wg.Go(func() {
		for i := 0; i < 2000; i++ {
			select {
			case <-stop:
				return
			case slots <- struct{}{}:
			}
			cmd := exec.Command("/bin/sh", "-c", fmt.Sprintf("sleep 0.0%d & exec sleep 0.0%d", i%10, (i*7)%10))
			cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC |
				syscall.CLONE_NEWPID | syscall.CLONE_NEWNS}
			if err := cmd.Start(); err != nil {
				<-slots
				continue
			}
			mu.Lock()
			count++
			mu.Unlock()
			wg.Go(func() {
				_ = cmd.Wait()
				<-slots
			})
		}
	})
	t.Cleanup(wg.Wait)
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return count
	}
}

// TestChurn scans in every mode and format while processes and namespaces
// come and go: never a failure, a half row or invalid JSON.
func TestChurn(t *testing.T) {
	testenv.RequireRoot(t)
	stop := make(chan struct{})
	started := churn(t, stop)
	defer close(stop)

	modes := [][]string{
		{}, {"-l"}, {"-r"}, {"-J"}, {"-J", "-l"}, {"-n"}, {"--tree=owner"}, {"--tree=parent", "-J"},
		{"--output-all", "-J"}, {"--output-all", "-r", "-l"}, {"-t", "uts,ipc", "-o", "+HOSTNAME,IPCOBJS"},
		{"--threads", "-J"}, {"-P"}, {"-p", fmt.Sprint(os.Getpid()), "-J"},
	}
	// Every mode once, then round after round until the time is up.
	runs, failures := 0, 0
	deadline := time.Now().Add(10 * time.Second)
	for runs < len(modes) || time.Now().Before(deadline) {
		for _, args := range modes {
			if runs >= len(modes) && !time.Now().Before(deadline) {
				break
			}
			runs++
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			if err := checkOutput(args, code, stdout.Bytes(), stderr.String()); err != nil {
				failures++
				if failures <= 5 {
					t.Errorf("nsinspect %s: %v", strings.Join(args, " "), err)
				}
			}
		}
	}
	t.Logf("%d scans during churn (%d processes started), %d failures", runs, started(), failures)
	if started() < 50 {
		t.Errorf("only %d processes churned: the test did not stress the scan", started())
	}
}

// checkOutput checks one run: exit 0, nothing on stderr, and whole rows.
func checkOutput(args []string, code int, stdout []byte, stderr string) error {
	if code != 0 || stderr != "" {
		return fmt.Errorf("exit %d, stderr %q", code, stderr)
	}
	has := func(flag string) bool {
		for _, a := range args {
			if a == flag {
				return true
			}
		}
		return false
	}
	switch {
	case has("-J"):
		var doc struct{ Namespaces []map[string]any }
		if err := json.Unmarshal(stdout, &doc); err != nil {
			return fmt.Errorf("invalid JSON: %v", err)
		}
		if len(doc.Namespaces) == 0 {
			return fmt.Errorf("no namespaces")
		}
	case has("-r"):
		want := 6
		if has("--output-all") {
			want = len(render.Columns)
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(stdout), "\n"), "\n") {
			// Raw cells are escaped: spaces separate them and nothing else.
			if n := len(strings.Split(line, " ")); n != want {
				return fmt.Errorf("raw line with %d cells, want %d: %q", n, want, line)
			}
		}
	default:
		if has("-P") {
			return nil // may well be empty
		}
		if len(stdout) == 0 || stdout[len(stdout)-1] != '\n' {
			return fmt.Errorf("truncated output %q", stdout)
		}
	}
	return nil
}

// TestNoLeaks scans with every column, which opens namespaces, duplicates
// sockets and joins namespaces on throwaway threads: afterwards the process
// has the same fds, no extra goroutines, and every thread is still in the
// namespaces it started in.
func TestNoLeaks(t *testing.T) {
	testenv.RequireRoot(t)
	startSleeper(t, newNamespaces)
	before := threadNamespaces(t)
	fds := openFDs(t)
	goroutines := runtime.NumGoroutine()
	for _, args := range [][]string{{"--output-all", "-J"}, {"--output-all", "--tree=owner"}, {"--output-all", "-P", "-r"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
	}
	if got := openFDs(t); got != fds {
		t.Errorf("open fds: %d after the scans, %d before", got, fds)
	}
	// Threads that joined other namespaces end with their goroutines.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > goroutines {
		t.Errorf("goroutines: %d after the scans, %d before", got, goroutines)
	}
	// A thread that joined a namespace may take a moment to exit after its
	// goroutine; none may stay.
	var strays []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		strays = strays[:0]
		for tid, links := range threadNamespaces(t) {
			for typ, link := range links {
				if want := before[""][typ]; link != want {
					strays = append(strays, fmt.Sprintf("thread %s is in %s, want %s", tid, link, want))
				}
			}
		}
		if len(strays) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, s := range strays {
		t.Error(s)
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// threadNamespaces maps each thread of this process to its namespace links;
// the entry "" is the process's own.
func threadNamespaces(t *testing.T) map[string]map[string]string {
	t.Helper()
	read := func(dir string) map[string]string {
		links := map[string]string{}
		for _, typ := range []string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"} {
			if l, err := os.Readlink(filepath.Join(dir, "ns", typ)); err == nil {
				links[typ] = l
			}
		}
		return links
	}
	all := map[string]map[string]string{"": read("/proc/self")}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		all[task.Name()] = read(filepath.Join("/proc/self/task", task.Name()))
	}
	return all
}

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// buildBinary builds nsinspect once per test run, in a directory that other
// users may enter, for tests that run it as another user or elsewhere.
func buildBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nsinspect-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "nsinspect")
		if out, err := exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath // TestMain removes it
}

func TestMain(m *testing.M) {
	// run() scans the fixture trees of the tests, though they are no proc
	// filesystem; an empty directory or /sys it refuses, as on the command
	// line.
	fixtureProcfs = fixture.Built
	code := m.Run()
	if binaryPath != "" {
		os.RemoveAll(filepath.Dir(binaryPath))
	}
	os.Exit(code)
}

// TestHidepid runs nsinspect as nobody on a private proc mount with hidepid=
// 1 and 2: a partial view of its own namespaces, exit 0, and a warning that
// names the option. Under hidepid=2 (invisible) the processes of others are
// not even listed, so that nothing is refused, and yet the view is
// incomplete.
func TestHidepid(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	bin := buildBinary(t)
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
	bin := buildBinary(t)
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
	cmd := testenv.Start(t, 0, unshare, "--pid", "--fork", "/bin/sh", "-c",
		`mount -t proc proc "$1" && echo ready && exec sleep 600`, "sh", dir)
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
