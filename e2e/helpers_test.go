//go:build privileged

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// The helpers of the scenarios, in one place: the built binary and how
// tests run it, the processes and namespaces they make, the helper
// processes they re-execute the test binary as, and the readers of
// nsinspect's and lsns's output.

var (
	// nsinspectBin is the nsinspect command that TestMain built, with
	// a plain go build, for tests that run it under bounds of time and
	// memory, as another user, or elsewhere.
	nsinspectBin string
	// runBin is what runBinary runs: nsinspectBin, or, where the test
	// binary has the race detector, nsinspect built with it too, as run()
	// was when these tests called it in their own process. The bounded
	// runs keep nsinspectBin: the detector multiplies memory and time.
	runBin string
)

func TestMain(m *testing.M) {
	dir, err := testenv.BinDir()
	if err == nil {
		nsinspectBin, runBin = filepath.Join(dir, "nsinspect"), filepath.Join(dir, "nsinspect")
		err = testenv.Build(nsinspectBin, false)
	}
	if err == nil && raceEnabled {
		runBin = filepath.Join(dir, "nsinspect-race")
		err = testenv.Build(runBin, true)
	}
	code := 1
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
	} else {
		code = m.Run()
	}
	if dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// runBinary runs the nsinspect binary with args, the test's environment
// and stdin, and stdout and stderr as given (a terminal stays one), and
// returns its exit status: what run(args, stdout, stderr) returned when
// these tests called it in their own process. A binary that cannot start
// or is killed fails t.
func runBinary(t *testing.T, args []string, stdout, stderr io.Writer) int {
	t.Helper()
	cmd := exec.Command(runBin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() < 0) {
		t.Fatalf("nsinspect %s: %v", strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode()
}

// jsonRows runs nsinspect with args and returns its JSON rows.
func jsonRows(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := runBinary(t, args, &stdout, &stderr); code != 0 {
		t.Fatalf("nsinspect %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	var doc struct {
		Namespaces []map[string]any `json:"namespaces"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("nsinspect %s: invalid JSON: %v\n%s", strings.Join(args, " "), err, stdout.String())
	}
	return doc.Namespaces
}

// nsOf returns the inode of /proc/PID/ns/TYPE.
func nsOf(t *testing.T, pid int, typ string) float64 {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(fmt.Sprintf("/proc/%d/ns/%s", pid, typ), &st); err != nil {
		t.Fatal(err)
	}
	return float64(st.Ino)
}

// startSleeper starts a shell in fresh namespaces that forks one child, so
// that each new namespace holds exactly two processes.
func startSleeper(t *testing.T, cloneflags uintptr) *exec.Cmd {
	t.Helper()
	testenv.RequireRoot(t)
	cmd := testenv.Command(cloneflags, "/bin/sh", "-c", "sleep 600 & echo ready; wait")
	testenv.Start(t, cmd)
	waitForExec(t, cmd.Process.Pid, "sleep")
	return cmd
}

// waitForExec waits until the one child of pid runs comm: "ready" comes
// after the shell forked its child, not after the child exec'd, and until
// then the child's command line is the shell's.
func waitForExec(t *testing.T, pid int, comm string) {
	t.Helper()
	children := fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(children)
		if f := strings.Fields(string(data)); len(f) == 1 {
			if c, _ := os.ReadFile("/proc/" + f[0] + "/comm"); strings.TrimSpace(string(c)) == comm {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child of %d did not exec %s within 10 s (children: %q)", pid, comm, data)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

const newNamespaces = syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWNET |
	syscall.CLONE_NEWPID | syscall.CLONE_NEWNS | syscall.CLONE_NEWCGROUP

// nobody are the credentials of the tests that run nsinspect unprivileged.
var nobody = &syscall.Credential{Uid: 65534, Gid: 65534}

// checkWarning checks that stderr is one line, "nsinspect: " and a warning
// that holds each of want.
func checkWarning(t *testing.T, stderr string, want ...string) {
	t.Helper()
	line, ok := strings.CutSuffix(stderr, "\n")
	if !ok || strings.Contains(line, "\n") || !strings.HasPrefix(line, "nsinspect: ") {
		t.Errorf("stderr %q: want one line \"nsinspect: ...\"", stderr)
		return
	}
	for _, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("stderr %q: want it to say %q", line, w)
		}
	}
}

// helperVar selects, in a re-executed test binary, the helper process to be
// (see TestHelperSocketHolder and TestHelperThreadUTS).
const helperVar = "NSINSPECT_TEST_HELPER"

// exactNumbers shows JSON numbers (float64) in diffs with every digit: an
// inode printed as 4.026554376e+09 is hard to tell from its neighbours.
var exactNumbers = cmp.Transformer("exact", func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) })

// netnsSeq numbers the network namespaces and links the tests create.
var netnsSeq atomic.Int64

// addNetns adds a network namespace with `ip netns add`, under a name of this
// process's own, and deletes it when the test ends unless the test did.
func addNetns(t *testing.T) string {
	t.Helper()
	testenv.RequireCommand(t, "ip")
	name := fmt.Sprintf("nsi-test-%d-%d", os.Getpid(), netnsSeq.Add(1))
	t.Cleanup(func() {
		if _, err := os.Stat("/run/netns/" + name); err == nil {
			runIPNetns(t, "delete", name)
		}
	})
	runIPNetns(t, "add", name)
	return name
}

// runIPNetns runs ip netns with args and returns its output.
func runIPNetns(t *testing.T, args ...string) string {
	t.Helper()
	return runIP(t, append([]string{"netns"}, args...)...)
}

// runIP runs ip(8) and returns its output.
func runIP(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// setNetnsID gives netns an id (42 unless taken) in the test's network
// namespace and returns it.
func setNetnsID(t *testing.T, netns string) int {
	t.Helper()
	for id := 42; id < 142; id++ {
		used := regexp.MustCompile(`(?m)^nsid ` + strconv.Itoa(id) + `\b`)
		if used.MatchString(runIPNetns(t, "list-id")) {
			continue
		}
		// Another program may take the id meanwhile: then try the next.
		if err := exec.Command("ip", "netns", "set", netns, strconv.Itoa(id)).Run(); err == nil {
			return id
		}
	}
	t.Fatalf("no free netns id for %s in 42..141", netns)
	return 0
}

// nsiTempDir makes a directory named nsi-test-* in the system's temporary
// directory and removes it when the test ends.
func nsiTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "nsi-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("remove %s: %v", dir, err)
		}
	})
	return dir
}

// onlyChildOf returns the one child of pid (a single-threaded process).
func onlyChildOf(t *testing.T, pid int) int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(data))
	if len(f) != 1 {
		t.Fatalf("pid %d has children %q, want one", pid, f)
	}
	child, err := strconv.Atoi(f[0])
	if err != nil {
		t.Fatal(err)
	}
	return child
}

// waitExec waits until pid runs the program named comm: a shell that says
// ready, then execs, may not have done so yet.
func waitExec(t *testing.T, pid int, comm string) {
	t.Helper()
	path := fmt.Sprintf("/proc/%d/comm", pid)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSuffix(string(data), "\n") == comm {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid %d runs %q after 10s, want %s", pid, data, comm)
		}
	}
}

// nsTypes returns the namespace types of /proc/PID/ns, without the
// *_for_children links.
func nsTypes(t *testing.T, pid int) []string {
	t.Helper()
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/ns", pid))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "_for_children") {
			types = append(types, e.Name())
		}
	}
	return types
}

// inodeAt returns the inode of the file path leads to.
func inodeAt(t *testing.T, path string) float64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return float64(st.Ino)
}

// parentNS asks the kernel for the parent of the namespace at path.
func parentNS(t *testing.T, path string) float64 {
	t.Helper()
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	pfd, err := unix.IoctlRetInt(fd, unix.NS_GET_PARENT)
	if err != nil {
		t.Fatalf("NS_GET_PARENT of %s: %v", path, err)
	}
	defer unix.Close(pfd)
	var st unix.Stat_t
	if err := unix.Fstat(pfd, &st); err != nil {
		t.Fatal(err)
	}
	return float64(st.Ino)
}

// lsnsRows runs lsns with args and returns its JSON rows.
func lsnsRows(t *testing.T, lsns string, args ...string) []map[string]any {
	t.Helper()
	out := lsnsOutput(t, lsns, args...)
	var doc struct {
		Namespaces []map[string]any `json:"namespaces"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("lsns %s: invalid JSON: %v", strings.Join(args, " "), err)
	}
	return doc.Namespaces
}

// lsnsOutput runs lsns with args and returns its stdout. lsns 2.38 fails
// (exit 1, nothing printed) when a process exits while it reads it
// (util-linux #2799), which other tests' processes do: it is tried again.
func lsnsOutput(t *testing.T, lsns string, args ...string) []byte {
	t.Helper()
	var err error
	var stderr bytes.Buffer
	for range 5 {
		cmd := exec.Command(lsns, args...)
		stderr.Reset()
		cmd.Stderr = &stderr
		var out []byte
		if out, err = cmd.Output(); err == nil {
			return out
		}
		t.Logf("lsns %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	t.Fatalf("lsns %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	return nil
}

// rowsByNS returns the rows of the namespaces ids, wherever they are in the
// tree, by namespace.
func rowsByNS(rows []map[string]any, ids ...float64) map[float64]map[string]any {
	got := map[float64]map[string]any{}
	walkRows(rows, 0, func(r map[string]any, _ float64) {
		if ns, _ := r["ns"].(float64); slices.Contains(ids, ns) {
			got[ns] = r
		}
	})
	return got
}

// walkRows calls f with each row of a JSON tree and the NS of the row it is
// nested under (0 at the top).
func walkRows(rows []map[string]any, parent float64, f func(r map[string]any, parent float64)) {
	for _, r := range rows {
		f(r, parent)
		var children []map[string]any
		kids, _ := r["children"].([]any)
		for _, k := range kids {
			if m, ok := k.(map[string]any); ok {
				children = append(children, m)
			}
		}
		ns, _ := r["ns"].(float64)
		walkRows(children, ns, f)
	}
}

// onOtherThread runs f on a goroutine locked to a thread other than the
// thread-group leader (whose links are /proc/PID/ns), and keeps the thread
// from then on: it is never unlocked, and the runtime starts new threads
// from a clean template thread, not from a locked one.
func onOtherThread(f func()) {
	go func() {
		runtime.LockOSThread()
		if unix.Gettid() == unix.Getpid() {
			// Hold the leader, so that the next try gets another
			// thread.
			onOtherThread(f)
		} else {
			f()
		}
		select {}
	}()
}

// helperCheck ends a helper process on an error: it has no test to fail.
func helperCheck(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
}

// advBox is a pid namespace of a test's own, with a proc filesystem of its
// own, in which a helper sets up what the test inspects and nsinspect runs:
// it sees the processes of the test and no other's (other tests on this
// host may hold mount tables, fds or hung filesystems of their own, which
// would bend the bounds), and they all die with the namespace's init.
type advBox struct {
	pid   int // the init's, in the test's pid namespace
	inner int // the helper's, in the box's
	req   *os.File
	resp  *json.Decoder
}

// advStartBox starts a box whose init runs the helper test helper (by name)
// with helperVar=mode and args, in the new namespaces of cloneflags, and
// returns once the helper printed "ready", with the lines it printed before.
func advStartBox(t *testing.T, cloneflags uintptr, helper, mode string, args ...string) (*advBox, []string) {
	t.Helper()
	reqR, reqW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperBox$", "--",
		strconv.FormatUint(uint64(cloneflags), 10), helper, mode}, args...)...)
	cmd.Env = append(os.Environ(), helperVar+"=box")
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID | syscall.CLONE_NEWNS}
	cmd.Stdin = reqR
	cmd.ExtraFiles = []*os.File{respW}
	lines := testenv.Start(t, cmd)
	reqR.Close()
	respW.Close()
	t.Cleanup(func() {
		reqW.Close()
		respR.Close()
	})
	b := &advBox{pid: cmd.Process.Pid, req: reqW, resp: json.NewDecoder(respR)}
	// The helper is the init's one child; its PID in the box is the last
	// of its NSpid.
	children := advChildren(t, fmt.Sprintf("/proc/%d", b.pid))
	if len(children) != 1 {
		t.Fatalf("the box's init has the children %v, want one", children)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", children[0]))
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.Lines(string(status)) {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "NSpid:" {
			b.inner, _ = strconv.Atoi(f[len(f)-1])
		}
	}
	if b.inner == 0 {
		t.Fatalf("no NSpid in the status of the box's helper:\n%s", status)
	}
	return b, lines
}

// advChildren returns the children of the process whose /proc directory is
// dir, as PIDs of that proc filesystem: a child is listed under the thread
// that started it.
func advChildren(t *testing.T, dir string) []int {
	t.Helper()
	tasks, err := filepath.Glob(dir + "/task/*/children")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, task := range tasks {
		data, err := os.ReadFile(task)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(string(data)) {
			pid, err := strconv.Atoi(f)
			if err != nil {
				t.Fatalf("%s: %v", task, err)
			}
			pids = append(pids, pid)
		}
	}
	slices.Sort(pids)
	return pids
}

// advResult is one run of the nsinspect binary, as the box reports it.
type advResult struct {
	Stdout  []byte
	Stderr  string
	Code    int   // exit status, or -1 when killed by a signal
	Elapsed int64 // nanoseconds
	PeakRSS int64 // bytes: ru_maxrss as wait4 reports it
}

// measure runs the nsinspect binary with args in the box and fails the
// test when the run is killed or breaks a bound; a run that outlasts its
// bound by 10s is stopped, with where it was stuck.
func (b *advBox) measure(t *testing.T, args ...string) advResult {
	t.Helper()
	what := "nsinspect " + strings.Join(args, " ")
	req, err := json.Marshal(append([]string{nsinspectBin}, args...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.req.Write(append(req, '\n')); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var r advResult
	go func() { done <- b.resp.Decode(&r) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: no report from the box: %v", what, err)
		}
	case <-time.After(advTimeLimit + 10*time.Second):
		stuck := advStuck(b.pid)
		select {
		case <-done:
			stuck += "stderr:\n" + r.Stderr
		case <-time.After(5 * time.Second):
		}
		t.Fatalf("%s: stopped after %v; where it was:\n%s", what, advTimeLimit+10*time.Second, stuck)
	}
	elapsed := time.Duration(r.Elapsed)
	if r.Code < 0 {
		t.Fatalf("%s: killed by a signal; stderr %q", what, r.Stderr)
	}
	if elapsed > advTimeLimit {
		t.Errorf("%s: took %v, bound %v", what, elapsed, advTimeLimit)
	}
	if r.PeakRSS > advRSSLimit {
		t.Errorf("%s: peak RSS %.1f MiB, bound %d MiB", what, float64(r.PeakRSS)/(1<<20), advRSSLimit>>20)
	}
	return r
}

// TestHelperBox is not a test: run by advStartBox with helperVar=box as the
// init of a new pid namespace, in a new mount namespace, with the clone
// flags, name, mode and arguments of a helper after "--", it mounts a proc
// filesystem of its pid namespace on /proc and starts the helper. Then it
// runs each command that the test sends on stdin (a JSON array, a line) and
// writes on fd 3 its advResult. The peak RSS must be the command's own, but
// an exec'd process starts with its parent's: the kernel folds the peak of
// the address space that exec replaces into ru_maxrss, and a child that a
// Go program starts runs on its parent's until it execs (vfork). So
// setsid, which is small, forks the command and exits, and the init reaps
// the command: no shell in between may reap it first.
func TestHelperBox(t *testing.T) {
	if os.Getenv(helperVar) != "box" {
		return
	}
	args := helperArgs()
	flags, err := strconv.ParseUint(args[0], 10, 64)
	helperCheck(err)
	// The new mount namespace keeps its mounts' propagation: without this
	// the proc mount would show in the test's namespace.
	helperCheck(unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""))
	helperCheck(unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""))
	// The copies of other tests' nsfs mounts (ip netns add) would list
	// their namespaces here: detach them, here only (the mounts are
	// private now). One with an escaped character in its path stays.
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	helperCheck(err)
	for line := range strings.Lines(string(mountinfo)) {
		fields, fstype, _ := strings.Cut(line, " - ")
		if f := strings.Fields(fields); strings.HasPrefix(fstype, "nsfs ") && len(f) > 4 {
			_ = unix.Unmount(f[4], unix.MNT_DETACH)
		}
	}
	inner := exec.Command(os.Args[0], append([]string{"-test.run=^" + args[1] + "$", "--"}, args[3:]...)...)
	inner.Env = append(os.Environ(), helperVar+"="+args[2])
	inner.SysProcAttr = &syscall.SysProcAttr{Cloneflags: uintptr(flags)}
	inner.Stdout, inner.Stderr = os.Stdout, os.Stderr
	// Never closed: the helper lives as long as the box.
	_, err = inner.StdinPipe()
	helperCheck(err)
	helperCheck(inner.Start())

	responses := json.NewEncoder(os.NewFile(3, "responses"))
	requests := bufio.NewScanner(os.Stdin)
	for requests.Scan() {
		var cmd []string
		helperCheck(json.Unmarshal(requests.Bytes(), &cmd))
		helperCheck(responses.Encode(boxRun(cmd)))
	}
	os.Exit(0)
}

// boxRun runs cmd as TestHelperBox says, and measures it.
func boxRun(cmd []string) advResult {
	pidR, pidW, err := os.Pipe()
	helperCheck(err)
	defer pidR.Close()
	// setsid -f forks and exits at once, never waiting: the command is
	// this init's to reap, no shell's. It says its PID before it execs.
	sh := exec.Command("setsid", append([]string{"-f", "/bin/sh", "-c", `echo $$ >&3; exec 3>&- "$@"`, "sh"}, cmd...)...)
	var stdout, stderr bytes.Buffer
	sh.Stdout, sh.Stderr = &stdout, &stderr
	sh.ExtraFiles = []*os.File{pidW}
	start := time.Now()
	helperCheck(sh.Start())
	pidW.Close()
	// Wait returns once the command closed its output too: when it exits.
	helperCheck(sh.Wait())
	var pid int
	_, err = fmt.Fscan(pidR, &pid)
	helperCheck(err)
	var status unix.WaitStatus
	var ru unix.Rusage
	for {
		_, err := unix.Wait4(pid, &status, 0, &ru)
		if err != unix.EINTR {
			helperCheck(err)
			break
		}
	}
	r := advResult{
		Stdout: stdout.Bytes(), Stderr: stderr.String(), Code: status.ExitStatus(),
		Elapsed: time.Since(start).Nanoseconds(), PeakRSS: ru.Maxrss * 1024,
	}
	if status.Signaled() {
		r.Code = -1
	}
	return r
}

// advStuck tells where the processes of process group pgid are stuck: the
// kernel stack of each thread. It sends nsinspect SIGQUIT, on which a Go
// program prints its goroutines' stacks on stderr and exits.
func advStuck(pgid int) string {
	var b strings.Builder
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, dir := range dirs {
		stat, err := os.ReadFile(dir + "/stat")
		i := bytes.LastIndexByte(stat, ')')
		if err != nil || i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 3 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		cmdline, _ := os.ReadFile(dir + "/cmdline")
		arg0, _, _ := bytes.Cut(cmdline, []byte{0})
		fmt.Fprintf(&b, "%s: %q\n", dir, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))
		tasks, _ := filepath.Glob(dir + "/task/[0-9]*")
		for _, task := range tasks {
			stack, _ := os.ReadFile(task + "/stack")
			fmt.Fprintf(&b, "  %s:\n%s", task, stack)
		}
		if pid, _ := strconv.Atoi(filepath.Base(dir)); filepath.Base(string(arg0)) == "nsinspect" {
			_ = syscall.Kill(pid, syscall.SIGQUIT)
		}
	}
	return b.String()
}

// helperArgs returns a helper's arguments: those after "--".
func helperArgs() []string {
	i := slices.Index(os.Args, "--")
	if i < 0 {
		helperCheck(errors.New("no arguments after --"))
	}
	return os.Args[i+1:]
}

// insideID is an inode as nsinspect prints it.
func insideID(ns float64) string { return strconv.FormatFloat(ns, 'f', 0, 64) }

// insideChild waits until pid has exactly one child that runs comm, and
// returns that child.
func insideChild(t *testing.T, pid int, comm string) int {
	t.Helper()
	child := 0
	insideEventually(t, fmt.Sprintf("pid %d has one child running %s", pid, comm), func() bool {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(data))
		if len(f) != 1 {
			return false
		}
		child, _ = strconv.Atoi(f[0])
		name, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", child))
		return err == nil && strings.TrimSpace(string(name)) == comm
	})
	return child
}

// insideNoControl fails the test where out holds a byte that could steer a
// terminal: a C0 control other than newline, or DEL; and in text output
// (not JSON, which carries text exactly) a C1 control character
// (U+0080..U+009F, such as U+009B, CSI).
func insideNoControl(t *testing.T, what, out string, text bool) {
	t.Helper()
	for i := 0; i < len(out); i++ {
		if c := out[i]; (c < 0x20 && c != '\n') || c == 0x7f {
			t.Errorf("%s: raw control byte %#02x at offset %d: %q", what, c, i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
	}
	for i, r := range out {
		if !text {
			break
		}
		if r >= 0x80 && r <= 0x9f {
			t.Errorf("%s: C1 control %U at offset %d", what, r, i)
			return
		}
	}
}

// runOutput runs a command, which must exit 0, and returns its output.
func runOutput(t *testing.T, name string, args ...string) (stdout, stderr string) {
	t.Helper()
	return runCmdOutput(t, exec.Command(name, args...))
}

func runCmdOutput(t *testing.T, cmd *exec.Cmd) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, errOut.String())
	}
	return out.String(), errOut.String()
}

// metricValues maps each series of the text exposition format,
// `name{label="value",...}` as written, to its value.
func metricValues(t *testing.T, text string) map[string]float64 {
	t.Helper()
	m := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if i < 0 || err != nil {
			t.Fatalf("metrics line %q: want a series and a value", line)
		}
		m[line[:i]] = v
	}
	return m
}

// insideEventually polls f every 10ms until it returns true or 10s passed.
func insideEventually(t *testing.T, what string, f func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !f(); {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after 10s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
