package main

// Golden tests: run() against the fixture hosts in testdata/*.txtar, its
// output compared byte for byte with testdata/golden/NAME.txt. After a
// change of output, `make golden` rewrites the files; review their diff like
// code, against lsns's behaviour (LSNS.md).

import (
	"bytes"
	"flag"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/internal/fixture"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/* from the current output")

// unnamedUID owns the rootless processes of testdata/host.txtar. It must
// not be a user on the machine that runs the tests: USER shows the number.
const unnamedUID = "4242"

// goldenCase is one run of nsinspect and the file its stdout must match.
type goldenCase struct {
	name    string // testdata/golden/NAME.txt
	fixture string // testdata/NAME.txtar: "host" or "empty"
	args    []string
	// locale is LC_ALL; the tree glyphs depend on it. "C.UTF-8" when empty.
	locale string
	// jsonStyle is LIBSMARTCOLS_JSON: "compact", "lines", or pretty JSON
	// when empty.
	jsonStyle string
	// terminal, when not 0, puts stdout on a terminal that many columns
	// wide; otherwise stdout is a buffer, like a pipe, and never cut.
	terminal uint16
	// as is the name nsinspect is run by: "nsinspect" when empty.
	as string
}

var goldenCases = []goldenCase{
	// The default view: every namespace, as a process tree.
	{name: "default", fixture: "host"},
	{name: "default-ascii", fixture: "host", locale: "C"},
	{name: "list", fixture: "host", args: []string{"-l"}},
	{name: "raw", fixture: "host", args: []string{"-r"}},
	{name: "raw-list", fixture: "host", args: []string{"-r", "-l"}},
	{name: "json", fixture: "host", args: []string{"-J"}},
	{name: "json-list", fixture: "host", args: []string{"-J", "-l"}},
	// LIBSMARTCOLS_JSON, as lsns 2.42 honours it: compact, a row a line
	// inside the object; lines, a row a line and nothing else.
	{name: "json-compact", fixture: "host", args: []string{"-J"}, jsonStyle: "compact"},
	{name: "json-compact-list", fixture: "host", args: []string{"-J", "-l", "-o", "NS,TYPE,NPROCS"}, jsonStyle: "compact"},
	{name: "json-lines", fixture: "host", args: []string{"-J"}, jsonStyle: "lines"},
	{name: "json-lines-list", fixture: "host", args: []string{"-J", "-l", "-o", "NS,TYPE,NPROCS"}, jsonStyle: "lines"},
	{name: "namespace-json-lines", fixture: "host", args: []string{"-J", "4026532286"}, jsonStyle: "lines"},
	// Anything but "compact" and "lines" is pretty.
	{name: "json-other-style", fixture: "host", args: []string{"-J", "-o", "NS,TYPE"}, jsonStyle: "Compact"},
	{name: "noheadings", fixture: "host", args: []string{"-n"}},
	{name: "noheadings-raw", fixture: "host", args: []string{"-n", "-r"}},
	// Without headings a column is as wide as its cells, or its hint
	// where they are wider than 1 cell (libsmartcols 2.40): TYPE 5,
	// PID 5, UID 4.
	{name: "noheadings-list", fixture: "host", args: []string{"-n", "-l", "-o", "TYPE,PID,UID", "-t", "user"}},
	// A column as wide as its header stays so (2.42; 2.38 widened TYPE
	// and PID to their hints, 5); at a terminal the hints widen them.
	{name: "hints", fixture: "host", args: []string{"-t", "user", "-p", "1", "-o", "TYPE,PID,USER"}},
	{name: "terminal-hints", fixture: "host", terminal: 80, args: []string{"-t", "user", "-p", "1", "-o", "TYPE,PID,USER"}},
	// Without COMMAND there is nothing to draw the tree in: flat rows, no
	// "children" in JSON.
	{name: "output", fixture: "host", args: []string{"-o", "ns,Type,PPID,uid,USER"}},
	{name: "json-output", fixture: "host", args: []string{"-J", "-o", "NS,TYPE,PID"}},
	{name: "output-plus", fixture: "host", args: []string{"-o", "+PPID,UID"}},
	{name: "output-all", fixture: "host", args: []string{"--output-all"}},
	{name: "json-output-all", fixture: "host", args: []string{"-J", "-l", "--output-all"}},
	{name: "type", fixture: "host", args: []string{"-t", "pid"}},
	{name: "type-repeated", fixture: "host", args: []string{"-t", "mnt", "-t", "user"}},
	{name: "type-comma", fixture: "host", args: []string{"--type", "uts,ipc"}},
	// With net among the types, NETNSID and NSFS join the defaults, as in
	// lsns; the fixture has no nsid to ask netlink for, nor nsfs mounts.
	{name: "type-net", fixture: "host", args: []string{"-t", "net"}},
	// -P: only namespaces without processes; the fixture has none.
	{name: "persistent", fixture: "host", args: []string{"-P"}},
	// -Q: numbers compare as numbers, strings as strings, regexps match;
	// the filter's columns are read though not shown, and the tree keeps
	// only matching rows.
	{name: "filter", fixture: "host", args: []string{"-Q", `NPROCS > 2 && TYPE =~ "^(net|uts)$"`}},
	{name: "filter-hidden-column", fixture: "host", args: []string{"-l", "-o", "NS,TYPE", "-Q", `COMMAND =~ "envoy" || PPID == 0`}},
	{name: "filter-json-nothing", fixture: "host", args: []string{"-J", "-Q", `NS == 1`}},
	{name: "filter-namespace", fixture: "host", args: []string{"-Q", `PID > 1250`, "4026532286"}},
	// -p: the namespaces of one process; the tree is drawn among them only.
	{name: "task", fixture: "host", args: []string{"-p", "1601"}},
	{name: "task-list", fixture: "host", args: []string{"-l", "--task", "1501"}},
	// At a terminal COMMAND is cut to fit; -u keeps it whole. The tree's
	// glyphs count in the width.
	{name: "terminal", fixture: "host", terminal: 72},
	{name: "terminal-notruncate", fixture: "host", terminal: 72, args: []string{"-u"}},
	{name: "terminal-narrow", fixture: "host", terminal: 30},
	// No column has several lines yet (NSFS will): -W changes nothing.
	{name: "nowrap", fixture: "host", args: []string{"-W", "-t", "net"}},
	// <namespace>: its processes. The host's pid namespace holds modprobe
	// (57) under its higher-PID parent kworker (32701), and kthreadd, whose
	// COMMAND is its comm.
	{name: "namespace", fixture: "host", args: []string{"4026531836"}},
	// The pod's network namespace: nginx's processes as one tree, envoy
	// (whose parent is outside) as a second root.
	{name: "namespace-pod", fixture: "host", args: []string{"4026532286"}},
	{name: "namespace-list", fixture: "host", args: []string{"-l", "4026532286"}},
	{name: "namespace-raw", fixture: "host", args: []string{"-r", "4026532286"}},
	{name: "namespace-json", fixture: "host", args: []string{"-J", "4026532286"}},
	{name: "namespace-output", fixture: "host", args: []string{"-o", "PID,COMMAND,NS", "4026532403"}},
	// -H and --help do not read /proc: any fixture does.
	{name: "list-columns", fixture: "empty", args: []string{"-H"}},
	{name: "list-columns-json", fixture: "empty", args: []string{"-H", "-J"}},
	{name: "list-columns-raw", fixture: "empty", args: []string{"-H", "-r"}},
	{name: "list-columns-json-compact", fixture: "empty", args: []string{"-H", "-J"}, jsonStyle: "compact"},
	{name: "list-columns-json-lines", fixture: "empty", args: []string{"-H", "-J"}, jsonStyle: "lines"},
	{name: "help", fixture: "empty", args: []string{"--help"}},
	// Nothing found: a table prints nothing, JSON an empty list.
	{name: "empty", fixture: "empty"},
	{name: "empty-raw", fixture: "empty", args: []string{"-r"}},
	{name: "empty-json", fixture: "empty", args: []string{"-J"}},
	{name: "empty-json-list", fixture: "empty", args: []string{"-J", "-l"}},
	{name: "empty-json-compact", fixture: "empty", args: []string{"-J"}, jsonStyle: "compact"},
	// Nothing at all.
	{name: "empty-json-lines", fixture: "empty", args: []string{"-J"}, jsonStyle: "lines"},
	// -p of a process in no namespace of the types asked for (cron has
	// no ns/time link): nothing, no error.
	{name: "empty-type", fixture: "host", args: []string{"-t", "time", "-p", "700"}},
	// --graph: a node per namespace, a node per set of processes that
	// share the same namespaces, a line from each namespace to its sets.
	// A fixture cannot answer the NS_GET_* ioctls: no owner or parent
	// edges here (internal/query's tests draw them). evil's and my) S 77
	// (app's names are escaped in the labels.
	{name: "graph", fixture: "host", args: []string{"--graph"}},
	{name: "graph-mermaid", fixture: "host", args: []string{"--graph=mermaid"}},
	// envoy's namespaces, and who shares which of them: nginx's
	// processes the pod's net, ipc and uts, the host's processes the
	// user and time namespaces.
	{name: "graph-task", fixture: "host", args: []string{"--graph", "-p", "1300"}},
	// -t: sets of the namespaces shown, one per namespace here.
	{name: "graph-type", fixture: "host", args: []string{"--graph=mermaid", "-t", "uts"}},
	{name: "graph-empty", fixture: "empty", args: []string{"--graph"}},
	// Run as lsns: lsns 2.42.2's help, its 13 columns for -H and
	// --output-all, no PATH for a namespace without processes (the
	// fixture's /run/netns/web), nothing for a -p process that is gone,
	// and an empty JSON list as lsns writes it.
	{name: "lsns-help", fixture: "empty", as: "lsns", args: []string{"--help"}},
	{name: "lsns-list-columns", fixture: "empty", as: "lsns", args: []string{"-H"}},
	{name: "lsns-list-columns-json", fixture: "empty", as: "/usr/local/bin/lsns", args: []string{"-H", "-J"}},
	{name: "lsns-output-all", fixture: "host", as: "lsns", args: []string{"--output-all"}},
	{name: "lsns-json-output-all", fixture: "host", as: "lsns", args: []string{"-J", "-l", "--output-all"}},
	{name: "lsns-type-net", fixture: "host", as: "lsns", args: []string{"-t", "net", "-o", "+PATH"}},
	{name: "lsns-task-gone", fixture: "host", as: "lsns", args: []string{"-p", "5"}},
	{name: "lsns-json-task-gone", fixture: "host", as: "lsns", args: []string{"-J", "-p", "5"}},
	// Beyond lsns's columns, asked for by name.
	{name: "lsns-output-contents", fixture: "host", as: "lsns", args: []string{"-o", "NS,TYPE,NPROCS,HOST,NSPID", "-t", "pid"}},
	// Container names from the engines' state in the fixture's rootfs/,
	// given with --rootfs: docker's, podman's (a pod's name from its bolt
	// database, the pod's net, uts and ipc its infra container's), ctr's.
	{name: "engines", fixture: "engines", args: []string{"-l", "-o", "NS,TYPE,NPROCS,PID,CONTAINER,CONTAINERID,POD"}},
	{name: "engines-json", fixture: "engines", args: []string{"-J", "-l", "-t", "net", "-o", "NS,PID,CONTAINER,CONTAINERID,POD"}},
	{name: "engines-graph", fixture: "engines", args: []string{"--graph", "-t", "net,pid"}},
}

func TestGolden(t *testing.T) {
	if _, err := user.LookupId(unnamedUID); err == nil {
		t.Fatalf("uid %s is a user on this machine; testdata/host.txtar needs a uid without a name", unnamedUID)
	}
	goldenDir, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	// One subtest per fixture, which builds it once for its cases: the
	// host fixture needs root to chown, and skipping it must not skip the
	// cases that run on the empty one.
	for _, fix := range []string{"empty", "host", "engines"} {
		t.Run(fix, func(t *testing.T) {
			root := fixture.Build(t, filepath.Join("testdata", fix+".txtar"))
			// PATH shows the proc root nsinspect was given, and the
			// table sizes that column by it. A temporary directory's
			// name differs from run to run in content and length, so
			// nsinspect is given a stable relative name for it,
			// "proc", and PATH reads proc/PID/ns/TYPE.
			dir := t.TempDir()
			if err := os.Symlink(root, filepath.Join(dir, "proc")); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			for _, tc := range goldenCases {
				if tc.fixture != fix {
					continue
				}
				t.Run(tc.name, func(t *testing.T) {
					locale := tc.locale
					if locale == "" {
						locale = "C.UTF-8"
					}
					t.Setenv("LC_ALL", locale)
					t.Setenv("LIBSMARTCOLS_JSON", tc.jsonStyle)

					args := []string{"--procfs", "proc"}
					// A fixture's engine state: its host's root
					// file system.
					if _, err := os.Stat(filepath.Join(root, fixture.RootFS)); err == nil {
						args = append(args, "--rootfs", filepath.Join("proc", fixture.RootFS))
					}
					args = append(args, tc.args...)
					var code int
					var stdout, stderr string
					as := tc.as
					if as == "" {
						as = "nsinspect"
					}
					if tc.terminal > 0 {
						code, stdout, stderr = runOnTerminal(t, tc.terminal, args)
					} else {
						var out, errOut bytes.Buffer
						code = runAs(as, args, &out, &errOut)
						stdout, stderr = out.String(), errOut.String()
					}
					if code != 0 || stderr != "" {
						t.Fatalf("nsinspect %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
					}
					checkGolden(t, filepath.Join(goldenDir, tc.name+".txt"), stdout)
				})
			}
		})
	}
}

// runOnTerminal runs nsinspect with its stdout on a pseudo-terminal cols
// wide, as at a terminal, where COMMAND is cut to the width. It returns the
// exit status and what nsinspect wrote.
func runOnTerminal(t *testing.T, cols uint16, args []string) (code int, stdout, stderr string) {
	t.Helper()
	ptmx, tty := openTerminal(t, cols)
	// Read while nsinspect writes: the terminal's buffer is small.
	out := make(chan []byte)
	go func() {
		// Reading ends with EIO once the terminal side is closed.
		b, _ := io.ReadAll(ptmx)
		out <- b
	}()
	var errOut bytes.Buffer
	code = run(args, tty, &errOut)
	tty.Close()
	return code, string(<-out), errOut.String()
}

// openTerminal opens a pseudo-terminal of cols columns, its line
// discipline writing "\n" as it is; both ends close when the test ends.
func openTerminal(t *testing.T, cols uint16) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("needs a pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pseudo-terminal number: %v", err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	// The line discipline would write "\n" as "\r\n"; compare what
	// nsinspect wrote.
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	tio.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: cols}); err != nil {
		t.Fatal(err)
	}
	return ptmx, tty
}

// TestTerminalWidth: a table is cut to the terminal's width; where the
// terminal tells none, to COLUMNS, else 80, as libsmartcols; a pipe is
// never cut.
func TestTerminalWidth(t *testing.T) {
	for _, tc := range []struct {
		cols    uint16
		columns string
		want    int
	}{
		{100, "", 100}, {100, "40", 100}, {0, "40", 40}, {0, "", 80}, {0, "x", 80}, {0, "-3", 80},
	} {
		t.Setenv("COLUMNS", tc.columns)
		_, tty := openTerminal(t, tc.cols)
		if got := terminalWidth(tty, os.Getenv); got != tc.want {
			t.Errorf("terminal of %d columns, COLUMNS=%q: width %d, want %d", tc.cols, tc.columns, got, tc.want)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if got := terminalWidth(w, os.Getenv); got != 0 {
		t.Errorf("a pipe: width %d, want 0", got)
	}
}

// checkGolden compares got with the golden file at path, or rewrites the
// file with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `make golden` to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("output differs from %s (-want +got):\n%s", path, diff)
	}
}

// TestGoldenFilesUsed fails on golden files that no case writes any more:
// -update does not delete them, and a stale one would mislead a reader.
func TestGoldenFilesUsed(t *testing.T) {
	used := map[string]bool{}
	for _, tc := range goldenCases {
		file := tc.name + ".txt"
		if used[file] {
			t.Errorf("two golden cases named %q", tc.name)
		}
		used[file] = true
	}
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !used[filepath.Base(f)] {
			t.Errorf("%s belongs to no golden case; delete it", f)
		}
	}
}
