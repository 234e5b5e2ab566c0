//go:build privileged

package e2e

// The compatibility suite: what programs that call lsns and parse what it
// prints do, with nsinspect put in lsns's place (a symlink named lsns, run
// by that name through PATH, as they run it). Each case is a consumer: the
// invocation it makes and the way it reads the answer, checked against the
// kernel's own links. Where NSINSPECT_LSNS names an lsns 2.42 (make compare
// LSNS=...), each case also runs it, by the name lsns too, and the two must
// agree byte for byte on stdout and stderr, and on the exit status.
//
// The zoo: a process in namespaces of its own, one in a network namespace
// with an id, a network namespace without processes (ip netns add), and a
// process that has just exited.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// lsnsRun is what one run of an lsns printed.
type lsnsRun struct {
	stdout, stderr string
	code           int
}

// asLsns returns a directory holding "lsns", a symlink to bin, that other
// users may enter.
func asLsns(t *testing.T, bin string) string {
	t.Helper()
	dir := nsiTempDir(t)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(bin, filepath.Join(dir, "lsns")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runLsns runs the lsns of dir as a consumer does, by the name lsns, with
// stderr apart or (merged) into stdout, as root or (nobody) as uid 65534.
// Its own PID, which it may list (as nobody it is all it may read), reads
// SELF.
func runLsns(t *testing.T, dir string, merged, nobody bool, args ...string) lsnsRun {
	t.Helper()
	cmd := exec.Command(filepath.Join(dir, "lsns"), args...)
	cmd.Args[0] = "lsns"
	cmd.Dir = "/"
	cmd.Env = []string{"PATH=" + dir + ":/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if merged {
		cmd.Stderr = &stdout
	}
	if nobody {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var exit *exec.ExitError
	if err := cmd.Run(); err != nil && !errors.As(err, &exit) {
		t.Fatalf("lsns %s: %v", strings.Join(args, " "), err)
	}
	self := regexp.MustCompile(`\b` + strconv.Itoa(cmd.Process.Pid) + `\b`)
	return lsnsRun{
		stdout: self.ReplaceAllString(stdout.String(), "SELF"),
		stderr: stderr.String(),
		code:   cmd.ProcessState.ExitCode(),
	}
}

// compatZoo is what the cases inspect.
type compatZoo struct {
	own     int    // in new uts, ipc, net, pid, mnt and cgroup namespaces
	withID  int    // in the network namespace netns, which has an id
	netnsID int    // that id
	netns   string // its name under /run/netns
	bound   string // a network namespace without processes, under /run/netns
	gone    int    // a process that has exited
}

func newCompatZoo(t *testing.T) *compatZoo {
	t.Helper()
	testenv.RequireRoot(t)
	z := &compatZoo{}
	cmd := testenv.Command(newNamespaces, "/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, cmd)
	z.own = cmd.Process.Pid
	waitExec(t, z.own, "sleep")

	z.netns = addNetns(t)
	z.netnsID = setNetnsID(t, z.netns)
	in := exec.Command("ip", "netns", "exec", z.netns, "/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, in)
	z.withID = in.Process.Pid
	waitExec(t, z.withID, "sleep")

	z.bound = addNetns(t)

	gone := exec.Command("/bin/true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	z.gone = gone.Process.Pid
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", z.gone)); err == nil {
		t.Fatalf("pid %d of an exited process is in use again", z.gone)
	}
	return z
}

// ns is the inode of pid's namespace of type typ, as the kernel links it.
func (z *compatZoo) ns(t *testing.T, pid int, typ string) string {
	return strconv.FormatFloat(nsOf(t, pid, typ), 'f', 0, 64)
}

// compatCase is a consumer: an invocation and how it reads the answer.
type compatCase struct {
	name   string
	args   func(z *compatZoo) []string
	merged bool // 2>&1
	nobody bool // as a normal user
	// host: the output covers the whole host, which other programs
	// change meanwhile: compared with lsns 2.42 only where a later try
	// agrees.
	host  bool
	check func(t *testing.T, z *compatZoo, r lsnsRun)
}

// emptyJSON is lsns 2.42's JSON of nothing.
const emptyJSON = "{\n   \"namespaces\": [\n\n   ]\n}\n"

func compatCases(t *testing.T) []compatCase {
	itoa := strconv.Itoa
	return []compatCase{
		{name: "raw NETNSID of a process", args: func(z *compatZoo) []string {
			return []string{"-nr", "-o", "NETNSID", "-t", "net", "-p", itoa(z.withID)}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			if got := strings.TrimSpace(r.stdout); got != itoa(z.netnsID) || r.code != 0 || r.stderr != "" {
				t.Errorf("read %q (exit %d, stderr %q), want the id %d", got, r.code, r.stderr, z.netnsID)
			}
		}},
		{name: "user namespace of a process", args: func(z *compatZoo) []string {
			return []string{"-n", "-o", "NS", "-t", "user", "-p", itoa(z.own)}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			if got := strings.TrimSpace(r.stdout); got != z.ns(t, z.own, "user") || r.code != 0 {
				t.Errorf("read %q (exit %d), want %s", got, r.code, z.ns(t, z.own, "user"))
			}
		}},
		{name: "two-column table with its header", args: func(z *compatZoo) []string {
			return []string{"-o", "NS,TYPE", "-p", itoa(z.own)}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			if !slices.Equal(strings.Fields(lines[0]), []string{"NS", "TYPE"}) {
				t.Fatalf("header %q, want the words NS TYPE", lines[0])
			}
			got := map[string]string{}
			for _, l := range lines[1:] {
				f := strings.Fields(l)
				if len(f) != 2 {
					t.Fatalf("line %q: %d words, want 2", l, len(f))
				}
				got[f[1]] = f[0]
			}
			for _, typ := range []string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"} {
				if got[typ] != z.ns(t, z.own, typ) {
					t.Errorf("%s: read %q, the kernel links %s", typ, got[typ], z.ns(t, z.own, typ))
				}
			}
		}},
		{name: "JSON tree: pid of every net row", host: true, args: func(*compatZoo) []string {
			return []string{"-J", "-t", "net"}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			var doc struct{ Namespaces []any }
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			var pids []int
			var walk func(rows []any)
			walk = func(rows []any) {
				for _, row := range rows {
					m := row.(map[string]any)
					if pid, ok := m["pid"].(float64); ok && m["type"] == "net" {
						pids = append(pids, int(pid))
					}
					if children, ok := m["children"].([]any); ok {
						walk(children)
					}
				}
			}
			walk(doc.Namespaces)
			for _, want := range []int{z.own, z.withID} {
				if !slices.Contains(pids, want) {
					t.Errorf("pids of net rows %v: %d missing", pids, want)
				}
			}
		}},
		{name: "host check by PATH", args: func(z *compatZoo) []string {
			return []string{"--task", itoa(z.own), "-o", "type,path", "-n"}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			var path string
			for l := range strings.SplitSeq(r.stdout, "\n") {
				if f := strings.Fields(l); len(f) == 2 && f[0] == "net" {
					path = f[1]
				}
			}
			if path != fmt.Sprintf("/proc/%d/ns/net", z.own) || path == "/proc/1/ns/net" {
				t.Errorf("net PATH %q: want the process's own, not the host's", path)
			}
		}},
		{name: "host check by PATH, of a host process", args: func(*compatZoo) []string {
			return []string{"--task", itoa(os.Getpid()), "-o", "type,path", "-n"}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			for l := range strings.SplitSeq(r.stdout, "\n") {
				if f := strings.Fields(l); len(f) == 2 && f[0] == "net" {
					if inodeAt(t, f[1]) != nsOf(t, os.Getpid(), "net") {
						t.Errorf("net PATH %q is not the host's network namespace", f[1])
					}
					return
				}
			}
			t.Errorf("no net row in %q", r.stdout)
		}},
		{name: "task of a process that exited", args: func(z *compatZoo) []string {
			return []string{"--task", itoa(z.gone), "--output=ns,type,path", "--noheadings", "--notruncate"}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			if r.stdout != "" || r.stderr != "" || r.code != 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and nothing, as lsns", r.code, r.stdout, r.stderr)
			}
		}},
		{name: "JSON of a process that exited", args: func(z *compatZoo) []string {
			return []string{"-J", "-p", itoa(z.gone)}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			if r.stdout != emptyJSON || r.code != 0 || !json.Valid([]byte(r.stdout)) {
				t.Errorf("exit %d, stdout %q; want 0 and %q", r.code, r.stdout, emptyJSON)
			}
		}},
		{name: "paths of a namespace's processes", args: func(z *compatZoo) []string {
			return []string{z.ns(t, z.own, "uts"), "-o", "path", "-n"}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			if want := fmt.Sprintf("/proc/%d/ns/uts\n", z.own); r.stdout != want {
				t.Errorf("stdout %q, want %q", r.stdout, want)
			}
		}},
		{name: "unknown type", args: func(*compatZoo) []string {
			return []string{"--type", "bogus"}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			if r.stderr != "lsns: unknown namespace type: bogus\n" || r.code != 1 || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
		}},
		{name: "JSON of every column as a normal user, 2>&1", merged: true, nobody: true, host: true, args: func(*compatZoo) []string {
			return []string{"-J", "--output-all"}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			out := strings.ReplaceAll(r.stdout, "SELF", "0")
			var doc struct{ Namespaces []json.RawMessage }
			if err := json.Unmarshal([]byte(out), &doc); err != nil || r.code != 0 || len(doc.Namespaces) == 0 {
				t.Fatalf("exit %d, not a JSON listing (%v):\n%s", r.code, err, r.stdout)
			}
			want := []string{"ns", "type", "path", "nprocs", "pid", "ppid", "command", "uid", "user", "netnsid", "nsfs", "pns", "ons"}
			for _, row := range doc.Namespaces {
				if keys := jsonKeys(t, row); !slices.Equal(keys, want) {
					t.Errorf("row keys %q, want lsns's %q", keys, want)
				}
			}
		}},
		{name: "default table split on blanks", host: true, args: func(*compatZoo) []string { return nil },
			check: func(t *testing.T, z *compatZoo, r lsnsRun) {
				lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
				if !slices.Equal(strings.Fields(lines[0]), []string{"NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND"}) {
					t.Fatalf("header %q", lines[0])
				}
				rows := map[string][]string{}
				for _, l := range lines[1:] {
					f := strings.Fields(l)
					rows[strings.TrimLeft(f[0], "│├└─|`- ")] = f
				}
				for _, typ := range []string{"uts", "ipc", "net", "pid", "mnt", "cgroup"} {
					f := rows[z.ns(t, z.own, typ)]
					if len(f) < 6 || f[1] != typ || f[2] != "1" || f[3] != itoa(z.own) || f[4] != "root" ||
						!strings.HasSuffix(strings.Join(f[5:], " "), "sleep 600") {
						t.Errorf("%s row %q: want %s 1 %d root ...sleep 600", typ, f, typ, z.own)
					}
				}
				id := strconv.FormatFloat(inodeAt(t, "/run/netns/"+z.bound), 'f', 0, 64)
				if bound := rows[id]; !slices.Equal(bound, []string{id, "net", "0", "root"}) {
					t.Errorf("the namespace without processes: row %q, want NS net 0 root", bound)
				}
			}},
		{name: "raw row of a namespace without processes", args: func(z *compatZoo) []string {
			return []string{"-nr", "-t", "net", "-o", "NS,NPROCS,PATH,NSFS", "-Q", "NS == " + strconv.FormatFloat(inodeAt(t, "/run/netns/"+z.bound), 'f', 0, 64)}
		}, check: func(t *testing.T, z *compatZoo, r lsnsRun) {
			want := fmt.Sprintf("%.0f 0  /run/netns/%s\n", inodeAt(t, "/run/netns/"+z.bound), z.bound)
			if r.stdout != want || r.code != 0 {
				t.Errorf("exit %d, stdout %q; want %q", r.code, r.stdout, want)
			}
		}},
	}
}

// jsonKeys returns the keys of a JSON object in their order.
func jsonKeys(t *testing.T, object json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(object))
	var keys []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestLsnsConsumers runs the consumers against nsinspect as lsns and, where
// NSINSPECT_LSNS names one, against lsns 2.42 byte for byte.
func TestLsnsConsumers(t *testing.T) {
	z := newCompatZoo(t)
	ours := asLsns(t, nsinspectBin)
	oracle := ""
	if path := os.Getenv("NSINSPECT_LSNS"); path != "" {
		oracle = asLsns(t, path)
	}
	for _, c := range compatCases(t) {
		t.Run(c.name, func(t *testing.T) {
			args := c.args(z)
			got := runLsns(t, ours, c.merged, c.nobody, args...)
			c.check(t, z, got)
			if oracle == "" {
				return
			}
			// Another program may change the host between two runs:
			// a host-wide listing is run again, both, until they agree.
			want := runLsns(t, oracle, c.merged, c.nobody, args...)
			for try := 0; c.host && got != want && try < 5; try++ {
				time.Sleep(100 * time.Millisecond)
				got = runLsns(t, ours, c.merged, c.nobody, args...)
				want = runLsns(t, oracle, c.merged, c.nobody, args...)
			}
			if got != want {
				t.Errorf("lsns %s differs from lsns 2.42:\nexit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr %q, want %q",
					strings.Join(args, " "), got.code, want.code, got.stdout, want.stdout, got.stderr, want.stderr)
			}
		})
	}
}
