//go:build privileged && oracle

package e2e

// TestCompareWithLsns: nsinspect and an lsns binary given by
// NSINSPECT_LSNS=/path/to/lsns (2.42), byte for byte, over every option, on
// a zoo of namespaces that the test makes. CI has only lsns 2.38.1, which
// prints tables and JSON differently in places (see the README): this test
// runs where a 2.42 is at hand, e.g. one built from util-linux's tag v2.42.2,
// behind its own build tag: make compare LSNS=/path/to/lsns.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// lsnsColumns are lsns 2.42's columns, all that -o may compare.
var lsnsColumns = []string{"NS", "TYPE", "PATH", "NPROCS", "PID", "PPID", "COMMAND", "UID", "USER", "NETNSID", "NSFS", "PNS", "ONS"}

// compareCase is one run of both tools.
type compareCase struct {
	args []string
	env  []string
	// terminal, when not 0, puts stdout on a pseudo-terminal that many
	// columns wide (-1: a terminal whose size is not set).
	terminal int
	// differs, when set, says why the outputs are known to differ: the
	// case is run and its difference logged, not failed.
	differs string
}

func (c compareCase) String() string {
	s := strings.Join(append(slices.Clone(c.env), c.args...), " ")
	if c.terminal != 0 {
		s = fmt.Sprintf("%s (terminal %d)", s, c.terminal)
	}
	return s
}

func TestCompareWithLsns(t *testing.T) {
	lsns := os.Getenv("NSINSPECT_LSNS")
	if lsns == "" {
		t.Fatal("NSINSPECT_LSNS names no lsns 2.42 to compare with")
	}
	testenv.RequireRoot(t)
	for _, name := range []string{"ip", "unshare", "bash"} {
		testenv.RequireCommand(t, name)
	}
	z := startZoo(t)

	// Selectors that keep each run to the zoo, whatever else runs on the
	// host: -Q of its namespaces, -p of a process all of whose namespaces
	// are the zoo's, a namespace of the zoo as <namespace>.
	zooQ := []string{"-Q", z.filter}
	child := []string{"-p", strconv.Itoa(z.child)}
	all13 := strings.Join(lsnsColumns, ",")
	// Where nsinspect and lsns 2.42 differ, on purpose or until main.go
	// does its part: the case runs, and its difference is logged.
	const (
		pathless = "PATH of a namespace without processes names what holds it (README)"
		long     = "raw and JSON output carry the whole command line, JSON escapes DEL (README)"
		more     = "-H lists nsinspect's own columns too (README)"
		colon    = `lsns writes "children"[ without the colon (README)`
		mainGo   = "not yet: main.go passes no terminal width with -u, and none for a terminal of no size (COLUMNS)"
	)
	var cases []compareCase
	add := func(c compareCase) { cases = append(cases, c) }
	for _, sel := range [][]string{zooQ, child} {
		// The fd-held netns has no process; -p selects none such.
		withPath := ""
		if sel[0] == "-Q" {
			withPath = pathless
		}
		with := func(args ...string) []string { return append(args, sel...) }
		for _, mode := range [][]string{
			{}, {"-l"}, {"-r"}, {"-r", "-l"}, {"-J"}, {"-J", "-l"}, {"-n"}, {"-n", "-l"}, {"-n", "-r"},
			{"-u"}, {"-W"}, {"-W", "-l"}, {"-Tprocess"}, {"-o", "+PPID,NSFS,PNS,ONS"},
		} {
			add(compareCase{args: with(mode...)})
		}
		for _, col := range lsnsColumns {
			differs := ""
			if col == "PATH" {
				differs = withPath
			}
			add(compareCase{args: with("-o", col), differs: differs})
			add(compareCase{args: with("-l", "-n", "-o", col), differs: differs})
		}
		for _, mode := range [][]string{{}, {"-l"}, {"-J"}, {"-r"}} {
			add(compareCase{args: with(append(mode, "-o", all13)...), differs: withPath})
		}
		for _, typ := range []string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"} {
			add(compareCase{args: with("-t", typ)})
			add(compareCase{args: with("-l", "-t", typ)})
		}
	}
	for _, mode := range [][]string{{"-Towner"}, {"-Tparent"}, {"--tree=owner", "-J"}, {"-t", "net", "-t", "user", "-Towner"}} {
		add(compareCase{args: append(mode, zooQ...)})
	}
	// -T of -p brings in the host's owners and parents, whose NPROCS
	// counts whichever tool runs: compare without it.
	noNPROCS := strings.Replace(all13, "NPROCS,", "", 1)
	for _, tree := range []string{"-Towner", "-Tparent"} {
		add(compareCase{args: []string{tree, "-o", noNPROCS, "-p", strconv.Itoa(z.child)}})
		add(compareCase{args: []string{tree, "-J", "-o", noNPROCS, "-p", strconv.Itoa(z.grandchild)}})
		add(compareCase{args: []string{tree, "-t", "net", "-t", "user", "-o", noNPROCS, "-p", strconv.Itoa(z.child)}})
	}
	add(compareCase{args: []string{"-P", "-Q", z.filter}})
	add(compareCase{args: []string{"-P", "-J", "-Q", z.filter}})
	add(compareCase{args: []string{"-Q", z.filter + " && NPROCS > 1"}})
	add(compareCase{args: []string{"-l", "-Q", z.filter + ` && COMMAND =~ "sleep"`}})
	// Columns that only the filter reads are hidden columns in lsns.
	add(compareCase{args: []string{"-o", "NS,TYPE", "-Q", z.filter + ` && COMMAND =~ "sleep"`}})
	add(compareCase{args: []string{"-J", "-o", "NS,TYPE", "-Q", z.filter + ` && PNS > 0`}})
	add(compareCase{args: []string{"-o", "NS,TYPE,COMMAND", "-Q", z.filter + ` && USER == "root"`}, terminal: 30})
	add(compareCase{args: []string{"-J", "-Q", "NS == 1"}, differs: "an empty list is [] (README)"})
	for _, ns := range []string{z.odd, z.netA, z.userNS} {
		for _, mode := range [][]string{{}, {"-l"}, {"-r"}, {"-J"}, {"-n"}, {"-u"}, {"-o", "PID,COMMAND,NS"}, {"-o", all13}} {
			add(compareCase{args: append(mode, ns)})
		}
	}
	for _, mode := range [][]string{{}, {"-l"}, {"-u"}, {"-n", "-o", "COMMAND"}} {
		add(compareCase{args: append(mode, z.long)})
	}
	add(compareCase{args: []string{"-r", z.long}, differs: long})
	add(compareCase{args: []string{"-J", z.long}, differs: long})
	for _, style := range []string{"compact", "lines"} {
		env := []string{"LIBSMARTCOLS_JSON=" + style}
		tree := ""
		if style == "lines" {
			tree = colon
		}
		add(compareCase{env: env, args: []string{"-J", "-Q", z.filter}, differs: tree})
		add(compareCase{env: env, args: []string{"-J", "-l", "-Q", z.filter}})
		add(compareCase{env: env, args: []string{"-J", z.odd}, differs: tree})
		add(compareCase{env: env, args: []string{"-J", "-Q", "NS == 1"}})
		add(compareCase{env: env, args: []string{"-J", "-Towner", "-o", noNPROCS, "-p", strconv.Itoa(z.grandchild)}, differs: tree})
		add(compareCase{env: env, args: []string{"-H", "-J"}, differs: more})
	}
	for _, width := range []int{40, 80, 200} {
		for _, args := range [][]string{
			zooQ, {"-l", "-Q", z.filter}, {"-Towner", "-Q", z.filter}, {"-t", "net", "-Q", z.filter},
			{"-W", "-t", "net", "-Q", z.filter}, {"-r", "-Q", z.filter}, {"-n", "-Q", z.filter},
			{z.odd}, {"-l", z.odd}, {"-n", z.odd}, {"-t", "user", "-p", strconv.Itoa(z.child)},
		} {
			add(compareCase{args: args, terminal: width})
		}
		add(compareCase{args: []string{"-o", all13, "-Q", z.filter}, terminal: width, differs: pathless})
	}
	add(compareCase{args: []string{"-u", "-Q", z.filter}, terminal: 40})
	add(compareCase{args: []string{"-u", z.odd}, terminal: 40})
	// At a terminal lsns widens TYPE to its hint, 5, with -u too.
	add(compareCase{args: []string{"-o", "TYPE,NS", "-t", "user", "-p", strconv.Itoa(z.child)}, terminal: 80})
	add(compareCase{args: []string{"-u", "-o", "TYPE,NS", "-t", "user", "-p", strconv.Itoa(z.child)}, terminal: 80, differs: mainGo})
	// A terminal whose size is not set: lsns takes COLUMNS, else 80.
	for _, env := range [][]string{{"COLUMNS=40"}, {"COLUMNS=60"}, nil} {
		add(compareCase{args: zooQ, env: env, terminal: -1, differs: mainGo})
	}

	ran, same, known := 0, 0, 0
	for _, c := range cases {
		name := strings.ReplaceAll(c.String(), z.filter, "ZOO")
		t.Run(name, func(t *testing.T) {
			ran++
			want := runTool(t, lsns, c)
			got := runTool(t, "", c)
			diff := cmp.Diff(want, got)
			switch {
			case diff == "":
				same++
			case c.differs != "":
				known++
				t.Logf("known difference (%s):\n%s", c.differs, diff)
			default:
				t.Errorf("(-lsns +nsinspect):\n%s", diff)
			}
		})
	}
	t.Logf("%d cases: %d alike, %d known differences, %d others", ran, same, known, ran-same-known)
}

// toolResult is what a run of lsns or nsinspect printed, and its status.
type toolResult struct {
	Code           int
	Stdout, Stderr string
}

// runTool runs lsns at path, or nsinspect where path is "", as c says,
// with stdout on a pipe or a pseudo-terminal. lsns 2.42 may fail when a
// process exits while it reads it; it is tried again.
func runTool(t *testing.T, path string, c compareCase) toolResult {
	t.Helper()
	var r toolResult
	for range 5 {
		// A stalled filesystem (another test's FUSE mount) may hang
		// lsns: a generous bound ends the run.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, path, c.args...)
		if path == "" {
			cmd = exec.CommandContext(ctx, runBin, c.args...)
		}
		cmd.Env = append([]string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8"}, c.env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		var stdout string
		var err error
		if c.terminal != 0 {
			stdout, err = runOnPTY(t, cmd, c.terminal)
		} else {
			var out []byte
			out, err = cmd.Output()
			stdout = string(out)
		}
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut {
			t.Fatalf("%s %s did not finish in a minute", path, c)
		}
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%s %s: %v", path, c, err)
		}
		r = toolResult{Code: cmd.ProcessState.ExitCode(), Stdout: stdout, Stderr: stderr.String()}
		if r.Code == 0 || path == "" {
			return r
		}
		t.Logf("%s %s: exit %d: %s", path, c, r.Code, r.Stderr)
	}
	return r
}

// runOnPTY runs cmd with its stdout on a new pseudo-terminal cols wide (-1:
// of no size) and returns what it wrote there.
func runOnPTY(t *testing.T, cmd *exec.Cmd, cols int) (string, error) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	tio.Oflag &^= unix.OPOST // "\n", not "\r\n"
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
	size := &unix.Winsize{Row: 24, Col: uint16(max(cols, 0))}
	if cols < 0 {
		size.Row = 0
	}
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, size); err != nil {
		t.Fatal(err)
	}
	out := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(ptmx) // EIO once the terminal side is closed
		out <- b
	}()
	cmd.Stdout = tty
	err = cmd.Run()
	tty.Close()
	return string(<-out), err
}

// zoo is the namespaces TestCompareWithLsns compares on.
type zoo struct {
	// filter is a -Q expression that selects the zoo's namespaces.
	filter string
	// child is in new namespaces of every type, under a new user
	// namespace; grandchild in a pid namespace nested in child's.
	child, grandchild int
	// odd is a uts namespace of processes with odd command lines; netA a
	// network namespace with a process, two nsfs mounts and an nsid;
	// userNS child's user namespace; long, outside filter, a uts
	// namespace of a command line longer than lsns's 8191 bytes.
	odd, netA, userNS, long string
}

// startZoo makes the namespaces of the comparison, and undoes them when the
// test ends: two network namespaces with a process and two bind mounts
// each, one's process the other's parent, one with an nsid; another held by
// an fd only; a user namespace with namespaces of every type and a pid
// namespace nested in its own; uts namespaces whose processes have command
// lines with blanks, tabs, escapes, wide and accented characters, and more
// than lsns's 8191 bytes.
func startZoo(t *testing.T) *zoo {
	t.Helper()
	ids := map[uint64]bool{}
	addNS := func(path string) string {
		id := uint64(inodeAt(t, path))
		ids[id] = true
		return strconv.FormatUint(id, 10)
	}
	z := &zoo{}

	// netA and netC have two nsfs mounts each; netA's process has a child
	// in netC, so that -t net draws a row of several lines with a child.
	netA, netC := addNetns(t), addNetns(t)
	setNetnsID(t, netA)
	dir := nsiTempDir(t)
	for _, netns := range []string{netA, netC} {
		second := filepath.Join(dir, netns)
		if err := os.WriteFile(second, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := unix.Unmount(second, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) {
				t.Errorf("umount %s: %v", second, err)
			}
		})
		if err := unix.Mount("/run/netns/"+netns, second, "", unix.MS_BIND, ""); err != nil {
			t.Fatalf("mount --bind /run/netns/%s %s: %v", netns, second, err)
		}
		addNS("/run/netns/" + netns)
	}
	inA := exec.Command("ip", "netns", "exec", netA, "/bin/sh", "-c", `ip netns exec "$1" sleep 600 & echo ready; wait`, "sh", netC)
	testenv.Start(t, inA)
	inC := onlyChildOf(t, inA.Process.Pid)
	waitExec(t, inC, "sleep")
	z.netA = strconv.FormatUint(uint64(inodeAt(t, "/run/netns/"+netA)), 10)
	// ip netns exec gives its processes mount namespaces of their own.
	addNS(fmt.Sprintf("/proc/%d/ns/mnt", inA.Process.Pid))
	addNS(fmt.Sprintf("/proc/%d/ns/mnt", inC))

	netB := addNetns(t)
	holder := exec.Command("/bin/sh", "-c", `exec 4<"$1"; echo ready; exec sleep 600`, "sh", "/run/netns/"+netB)
	testenv.Start(t, holder)
	addNS("/run/netns/" + netB)
	runIPNetns(t, "delete", netB)

	// unshare forks child; child starts a shell in a nested pid
	// namespace, whose child is the grandchild.
	nested := exec.Command("unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
		"--net", "--uts", "--ipc", "--cgroup", "--time", "/bin/sh", "-c",
		`unshare --pid --fork --mount-proc /bin/sh -c 'sleep 600 & echo ready; wait' & wait`)
	testenv.Start(t, nested)
	z.child = onlyChildOf(t, nested.Process.Pid)
	inner := onlyChildOf(t, z.child)
	innerShell := onlyChildOf(t, inner)
	z.grandchild = onlyChildOf(t, innerShell)
	waitExec(t, z.grandchild, "sleep")
	for _, pid := range []int{z.child, z.grandchild} {
		for _, typ := range nsTypes(t, pid) {
			addNS(fmt.Sprintf("/proc/%d/ns/%s", pid, typ))
		}
	}
	z.userNS = strconv.FormatUint(uint64(inodeAt(t, fmt.Sprintf("/proc/%d/ns/user", z.child))), 10)
	// unshare itself is in the new namespaces but pid and time.
	for _, typ := range []string{"user", "mnt", "net", "uts", "ipc", "cgroup"} {
		if nsOf(t, nested.Process.Pid, typ) != nsOf(t, z.child, typ) {
			t.Fatalf("setup: unshare and its child differ in %s", typ)
		}
	}

	// bash -c SCRIPT ARGV0 ARGS: bash is the namespace's first process,
	// the sleeps its children.
	oddScript := `(exec -a "trailing blanks   " sleep 600) & (exec -a "` + strings.Repeat("日本語", 10) + `" sleep 600) & echo ready; wait`
	odd := exec.Command("bash", "-c", oddScript, "odd argv", "tab\there", "esc\x1b[31mred", "é and 日本語", "pad   ", `back\x41slash`)
	odd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUTS}
	testenv.Start(t, odd)
	z.odd = addNS(fmt.Sprintf("/proc/%d/ns/uts", odd.Process.Pid))

	// Outside the filter, as its JSON and raw output differ on purpose:
	// a command line longer than lsns's 8191 bytes, with a DEL.
	long := exec.Command("bash", "-c", "echo ready; sleep 600; :", "long", "del\x7f", strings.Repeat("long-argument ", 700))
	long.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUTS}
	testenv.Start(t, long)
	z.long = strconv.FormatUint(uint64(nsOf(t, long.Process.Pid, "uts")), 10)

	var terms []string
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		terms = append(terms, fmt.Sprintf("NS == %d", id))
	}
	z.filter = "(" + strings.Join(terms, " || ") + ")"
	return z
}
