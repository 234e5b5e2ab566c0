//go:build privileged

package e2e

// Tests of the columns that show what is inside a namespace (HOSTNAME,
// DOMAINNAME, UIDMAP, GIDMAP, CREATOR, LEVEL, IFACES, TIMEOFFSETS, CONTAINER,
// POD, ROOT, MOUNTS, IPCOBJS, CGROUPROOT, HOST, NSPID) on real namespaces.
// Each test makes its own namespaces, cgroups and mounts under names of its
// own (nsi-*, with this process's PID), removes them and kills only its own
// processes when it ends. They need root; where NSINSPECT_REQUIRE_PRIVILEGED
// is set (CI) a skip is a failure.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/internal/testenv"
)

// The inodes the kernel fixes for the initial namespaces
// (PROC_*_INIT_INO in include/linux/proc_ns.h).
const (
	insideInitIPC    = 0xEFFFFFFF
	insideInitUTS    = 0xEFFFFFFE
	insideInitUser   = 0xEFFFFFFD
	insideInitPID    = 0xEFFFFFFC
	insideInitCgroup = 0xEFFFFFFB
	insideInitTime   = 0xEFFFFFFA
)

// insideSeq numbers the names these tests give what they create.
var insideSeq atomic.Int64

// insideName returns a name no other test process uses: prefix, this
// process's PID and a sequence number.
func insideName(prefix string) string {
	return fmt.Sprintf("%s%d-%d", prefix, os.Getpid(), insideSeq.Add(1))
}

// insideOutput runs the nsinspect binary with args and returns its stdout;
// it fails the test on a non-zero exit or anything on stderr.
func insideOutput(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := runBinary(t, args, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
		t.Fatalf("nsinspect %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr.String())
	}
	return stdout.String()
}

// insideRaw runs nsinspect -r with args and returns its rows, cells by
// column name (cells are escaped, so a space only separates them).
func insideRaw(t *testing.T, args ...string) []map[string]string {
	t.Helper()
	out := insideOutput(t, append([]string{"-r"}, args...)...)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		return nil
	}
	header := strings.Split(lines[0], " ")
	var rows []map[string]string
	for _, l := range lines[1:] {
		cells := strings.Split(l, " ")
		if len(cells) != len(header) {
			t.Fatalf("nsinspect -r %s: line %q has %d cells, header %q has %d", strings.Join(args, " "), l, len(cells), lines[0], len(header))
		}
		row := map[string]string{}
		for i, h := range header {
			row[h] = cells[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// insideLineOf returns the fields of the table line that shows namespace
// ns (its first field with a digit, after any tree glyphs, is the inode),
// from that field on.
func insideLineOf(t *testing.T, out string, ns float64) []string {
	t.Helper()
	id := insideID(ns)
	for l := range strings.Lines(out) {
		f := strings.Fields(l)
		i := slices.IndexFunc(f, func(cell string) bool { return strings.ContainsAny(cell, "0123456789") })
		if i >= 0 && strings.TrimLeft(f[i], "|`-├└─│ ") == id {
			f[i] = id
			return f[i:]
		}
	}
	t.Fatalf("no line for namespace %s in:\n%s", id, out)
	return nil
}

// insideRowsOf returns the JSON rows whose representative is pid.
func insideRowsOf(rows []map[string]any, pid int) []map[string]any {
	var mine []map[string]any
	for _, r := range rows {
		if r["pid"] == float64(pid) {
			mine = append(mine, r)
		}
	}
	return mine
}

// insideByType compares lists of rows of distinct types in any order.
var insideByType = cmp.Transformer("byType", func(rows []map[string]any) []map[string]any {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b map[string]any) int {
		at, _ := a["type"].(string)
		bt, _ := b["type"].(string)
		return strings.Compare(at, bt)
	})
	return rows
})

// insideShell returns a /bin/sh -ec command in a process group of its own,
// in the namespaces cloneflags create, for startCmd: the script must print
// a line once ready; if a command of it fails, the shell exits and startCmd
// fails the test.
func insideShell(cloneflags uintptr, script string) *exec.Cmd {
	cmd := exec.Command("/bin/sh", "-ec", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: cloneflags, Setpgid: true}
	cmd.Stderr = os.Stderr
	return cmd
}

// insideComm waits until pid runs comm (has exec'd it).
func insideComm(t *testing.T, pid int, comm string) {
	t.Helper()
	insideEventually(t, fmt.Sprintf("pid %d runs %s", pid, comm), func() bool {
		name, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		return err == nil && strings.TrimSpace(string(name)) == comm
	})
}

// insideRunCmd runs a command to its end and fails the test if it fails.
func insideRunCmd(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
}

// insideHex returns n random bytes in hex.
func insideHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// insideSet returns the items of a JSON array of strings, sorted.
func insideSet(t *testing.T, v any) []string {
	t.Helper()
	items, ok := v.([]any)
	if !ok {
		t.Fatalf("%#v is not a JSON array", v)
	}
	var s []string
	for _, item := range items {
		str, ok := item.(string)
		if !ok {
			t.Fatalf("%#v: item %#v is not a string", v, item)
		}
		s = append(s, str)
	}
	slices.Sort(s)
	return s
}

// insideCgroup2 returns where the unified (v2) cgroup hierarchy is mounted,
// as /proc/self/mountinfo says, or skips the test without one.
func insideCgroup2(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.Lines(string(data)) {
		pre, post, ok := strings.Cut(l, " - ")
		f, g := strings.Fields(pre), strings.Fields(post)
		if ok && len(f) >= 5 && len(g) >= 1 && g[0] == "cgroup2" {
			return f[4]
		}
	}
	testenv.Skip(t, "no cgroup2 mount in /proc/self/mountinfo")
	return ""
}

// insideMkCgroup makes the cgroup dirs (each below the one before), or
// skips the test where cgroups cannot be made; they are removed, deepest
// first, when the test ends.
func insideMkCgroup(t *testing.T, dirs ...string) {
	t.Helper()
	for i, dir := range dirs {
		if err := os.Mkdir(dir, 0o755); err != nil {
			if i == 0 && (errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)) {
				testenv.Skip(t, "cannot make a cgroup: "+err.Error())
			}
			t.Fatal(err)
		}
		t.Cleanup(func() {
			// A cgroup is busy a moment after its last process was reaped.
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				err := syscall.Rmdir(dir)
				if err == nil || errors.Is(err, syscall.ENOENT) {
					return
				}
				if !errors.Is(err, syscall.EBUSY) || time.Now().After(deadline) {
					t.Errorf("remove cgroup %s: %v", dir, err)
					return
				}
			}
		})
	}
}

// insideMove moves pid into the cgroup dir.
func insideMove(t *testing.T, dir string, pid int) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0); err != nil {
		t.Fatalf("move %d to %s: %v", pid, dir, err)
	}
}

// insideCgroupPath returns pid's cgroup in the unified hierarchy, the 0::
// line of /proc/PID/cgroup, as the test's cgroup namespace names it.
func insideCgroupPath(t *testing.T, pid int) string {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.Lines(string(data)) {
		if path, ok := strings.CutPrefix(strings.TrimSuffix(l, "\n"), "0::"); ok {
			return path
		}
	}
	t.Fatalf("no 0:: line in /proc/%d/cgroup:\n%s", pid, data)
	return ""
}

// TestInsideUTSNames pins down that hostname and domain name are per UTS
// namespace (sethostname(2) and /proc/sys/kernel/domainname change only the
// writer's), and that a hostname, which any root in the namespace may set to
// any bytes, reaches JSON exactly and text outputs escaped.
func TestInsideUTSNames(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "hostname")
	testenv.RequireCommand(t, "sleep")

	t.Run("names", func(t *testing.T) {
		host := insideName("nsi-")
		cmd := insideShell(syscall.CLONE_NEWUTS,
			"hostname "+host+"; echo nsi-dom > /proc/sys/kernel/domainname; echo ready; exec sleep 600")
		testenv.Start(t, cmd)
		pid := cmd.Process.Pid
		ns := nsOf(t, pid, "uts")

		rows := jsonRows(t, "-J", "-t", "uts", "-p", strconv.Itoa(pid), "-o", "NS,HOSTNAME,DOMAINNAME")
		want := []map[string]any{{"ns": ns, "hostname": host, "domainname": "nsi-dom"}}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("-J (-want +got):\n%s", diff)
		}
		// The test's own names are untouched.
		if got := insideOutput(t, "-n", "-t", "uts", "-p", strconv.Itoa(os.Getpid()), "-o", "HOSTNAME"); strings.TrimSpace(got) == host {
			t.Errorf("the test's own UTS namespace shows the new namespace's hostname %q", host)
		}

		table := insideOutput(t, "-l", "-t", "uts", "-p", strconv.Itoa(pid), "-o", "NS,HOSTNAME,DOMAINNAME")
		if diff := cmp.Diff([]string{insideID(ns), host, "nsi-dom"}, insideLineOf(t, table, ns)); diff != "" {
			t.Errorf("table (-want +got):\n%s\n%s", diff, table)
		}
		// The process tree (COMMAND shown, no -l).
		tree := insideOutput(t, "-t", "uts", "-p", strconv.Itoa(pid), "-o", "NS,HOSTNAME,DOMAINNAME,COMMAND")
		if got := insideLineOf(t, tree, ns); len(got) < 3 || got[1] != host || got[2] != "nsi-dom" {
			t.Errorf("tree line %q: want hostname %s, domain name nsi-dom\n%s", got, host, tree)
		}
	})

	t.Run("escape sequence", func(t *testing.T) {
		const hostile = "a\x1b[31mb"
		cmd := insideShell(syscall.CLONE_NEWUTS,
			`printf 'a\033[31mb' > /proc/sys/kernel/hostname; echo ready; exec sleep 600`)
		testenv.Start(t, cmd)
		pid := strconv.Itoa(cmd.Process.Pid)
		ns := nsOf(t, cmd.Process.Pid, "uts")

		rows := jsonRows(t, "-J", "-t", "uts", "-p", pid, "-o", "NS,HOSTNAME")
		if diff := cmp.Diff([]map[string]any{{"ns": ns, "hostname": hostile}}, rows); diff != "" {
			t.Errorf("-J (-want +got):\n%s", diff)
		}
		if out := insideOutput(t, "-J", "-t", "uts", "-p", pid, "-o", "HOSTNAME"); !strings.Contains(out, `"a\u001b[31mb"`) {
			t.Errorf("-J: want the hostname as \"a\\u001b[31mb\":\n%s", out)
		}
		for _, args := range [][]string{
			{"-n", "-t", "uts", "-p", pid, "-o", "HOSTNAME"},
			{"-r", "-n", "-t", "uts", "-p", pid, "-o", "HOSTNAME"},
			{"-l", "-n", "-t", "uts", "-p", pid, "-o", "NS,HOSTNAME"},
			{"-t", "uts", "-p", pid, "-o", "NS,HOSTNAME,COMMAND"},
		} {
			out := insideOutput(t, args...)
			insideNoControl(t, strings.Join(args, " "), out, true)
			if !strings.Contains(out, `a\x1b[31mb`) {
				t.Errorf("%s: want the hostname as a\\x1b[31mb:\n%s", strings.Join(args, " "), out)
			}
		}
	})
}

// TestInsideBoundUTSNamespace pins down that a UTS namespace kept only by an
// nsfs bind mount keeps the hostname set in it, and that nsinspect reads it
// through the mount (setns into a namespace no process is in).
func TestInsideBoundUTSNamespace(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	testenv.RequireCommand(t, "hostname")
	file := filepath.Join(t.TempDir(), "utsfile")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Before the mount: cleanups run last first, so the unmount comes
	// before the temporary directory is removed.
	t.Cleanup(func() {
		if err := syscall.Unmount(file, syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) {
			t.Errorf("unmount %s: %v", file, err)
		}
	})
	host := insideName("nsi-bound-")
	insideRunCmd(t, unshare, "--uts="+file, "hostname", host)
	var st syscall.Stat_t
	if err := syscall.Stat(file, &st); err != nil {
		t.Fatal(err)
	}
	ns := float64(st.Ino)

	var got []map[string]any
	for _, r := range jsonRows(t, "-J", "-t", "uts", "-o", "NS,NPROCS,HOSTNAME,NSFS") {
		if r["ns"] == ns {
			got = append(got, r)
		}
	}
	want := []map[string]any{{"ns": ns, "nprocs": 0.0, "hostname": host, "nsfs": file}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("-J (-want +got):\n%s", diff)
	}

	var raw []map[string]string
	for _, r := range insideRaw(t, "-P", "-t", "uts", "-o", "NS,NPROCS,HOSTNAME,NSFS") {
		if r["NS"] == insideID(ns) {
			raw = append(raw, r)
		}
	}
	wantRaw := []map[string]string{{"NS": insideID(ns), "NPROCS": "0", "HOSTNAME": host, "NSFS": file}}
	if diff := cmp.Diff(wantRaw, raw); diff != "" {
		t.Errorf("-r -P (-want +got):\n%s", diff)
	}
}

// TestInsideUserNamespace pins down /proc/PID/uid_map and gid_map as the
// parent user namespace sees them, NS_GET_OWNER_UID (the creator's euid) and
// the NS_GET_PARENT chain of a user namespace (LEVEL): a user namespace made
// by root that maps 0..65535 to 100000.. is one level below the test's.
func TestInsideUserNamespace(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "sleep")
	idmap := []syscall.SysProcIDMap{{ContainerID: 0, HostID: 100000, Size: 65536}}
	cmd := exec.Command("/bin/sh", "-c", "echo ready; exec sleep 600")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER,
		UidMappings: idmap,
		GidMappings: idmap,
		Setpgid:     true,
	}
	testenv.Start(t, cmd)
	pid := cmd.Process.Pid
	ns := nsOf(t, pid, "user")
	own := nsOf(t, os.Getpid(), "user")
	mapped := []any{map[string]any{"inside": 0.0, "outside": 100000.0, "count": 65536.0}}

	rows := jsonRows(t, "-J", "-t", "user", "-p", strconv.Itoa(pid), "-o", "NS,UIDMAP,GIDMAP,CREATOR,LEVEL,PNS")
	want := []map[string]any{{"ns": ns, "uidmap": mapped, "gidmap": mapped, "creator": "root", "level": 1.0, "pns": own}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("-J new user namespace (-want +got):\n%s", diff)
	}

	raw := insideRaw(t, "-t", "user", "-p", strconv.Itoa(pid), "-o", "NS,UIDMAP,GIDMAP,CREATOR,LEVEL")
	wantRaw := []map[string]string{{"NS": insideID(ns), "UIDMAP": "0:100000:65536", "GIDMAP": "0:100000:65536", "CREATOR": "root", "LEVEL": "1"}}
	if diff := cmp.Diff(wantRaw, raw); diff != "" {
		t.Errorf("-r (-want +got):\n%s", diff)
	}
	tree := insideOutput(t, "--tree=owner", "-o", "NS,TYPE,UIDMAP,GIDMAP,CREATOR,LEVEL")
	if diff := cmp.Diff([]string{insideID(ns), "user", "0:100000:65536", "0:100000:65536", "root", "1"}, insideLineOf(t, tree, ns)); diff != "" {
		t.Errorf("-T owner line (-want +got):\n%s", diff)
	}

	if own != insideInitUser {
		t.Logf("the test runs in user namespace %v, not the initial one: not checking the host's maps", own)
		return
	}
	all := []any{map[string]any{"inside": 0.0, "outside": 0.0, "count": 4294967295.0}}
	rows = jsonRows(t, "-J", "-t", "user", "-p", strconv.Itoa(os.Getpid()), "-o", "NS,UIDMAP,GIDMAP,CREATOR,LEVEL")
	want = []map[string]any{{"ns": own, "uidmap": all, "gidmap": all, "creator": "root", "level": 0.0}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("-J host user namespace (-want +got):\n%s", diff)
	}
	raw = insideRaw(t, "-t", "user", "-p", strconv.Itoa(os.Getpid()), "-o", "UIDMAP,LEVEL")
	if diff := cmp.Diff([]map[string]string{{"UIDMAP": "0:0:4294967295", "LEVEL": "0"}}, raw); diff != "" {
		t.Errorf("-r host user namespace (-want +got):\n%s", diff)
	}
}

// TestInsideIfaces pins down that a network namespace has its own
// interfaces: one end of a veth pair moved into it is there (with lo) and
// not in the host's; nsinspect reads them with setns when no process is in
// the namespace, and from /proc/PID/net/dev when one is.
func TestInsideIfaces(t *testing.T) {
	testenv.RequireRoot(t)
	ip := testenv.RequireCommand(t, "ip")
	testenv.RequireCommand(t, "sleep")
	netns := insideName("nsi-in-")
	n := insideSeq.Add(1)
	// At most 15 bytes (IFNAMSIZ less the NUL): nsiA, 7 digits, -, 2.
	outer := fmt.Sprintf("nsiA%d-%d", os.Getpid(), n%100)
	inner := fmt.Sprintf("nsiB%d-%d", os.Getpid(), n%100)
	t.Cleanup(func() {
		if _, err := os.Stat("/run/netns/" + netns); err == nil {
			if out, err := exec.Command(ip, "netns", "delete", netns).CombinedOutput(); err != nil {
				t.Errorf("ip netns delete %s: %v: %s", netns, err, out)
			}
		}
	})
	insideRunCmd(t, ip, "netns", "add", netns)
	t.Cleanup(func() {
		// Gone with the namespace, which takes its peer along, unless
		// the test failed before moving it.
		if exec.Command(ip, "link", "show", outer).Run() == nil {
			_ = exec.Command(ip, "link", "delete", outer).Run()
		}
	})
	insideRunCmd(t, ip, "link", "add", outer, "type", "veth", "peer", "name", inner)
	insideRunCmd(t, ip, "link", "set", inner, "netns", netns)
	var st syscall.Stat_t
	if err := syscall.Stat("/run/netns/"+netns, &st); err != nil {
		t.Fatal(err)
	}
	ns := float64(st.Ino)
	want := []string{"lo", inner}

	check := func(t *testing.T, nprocs float64) {
		t.Helper()
		var got []map[string]any
		for _, r := range jsonRows(t, "-J", "-t", "net", "-o", "NS,NPROCS,IFACES") {
			if r["ns"] == ns {
				got = append(got, r)
			}
		}
		if len(got) != 1 {
			t.Fatalf("-J: %d rows for namespace %v, want 1: %v", len(got), ns, got)
		}
		if got[0]["nprocs"] != nprocs {
			t.Errorf("nprocs %v, want %v", got[0]["nprocs"], nprocs)
		}
		if diff := cmp.Diff(want, insideSet(t, got[0]["ifaces"])); diff != "" {
			t.Errorf("-J ifaces (-want +got):\n%s", diff)
		}
		table := insideOutput(t, "-l", "-t", "net", "-o", "NS,IFACES")
		line := insideLineOf(t, table, ns)
		if len(line) != 2 {
			t.Fatalf("-l line %q: want NS and IFACES", line)
		}
		ifaces := strings.Split(line[1], ",")
		slices.Sort(ifaces)
		if diff := cmp.Diff(want, ifaces); diff != "" {
			t.Errorf("-l ifaces (-want +got):\n%s", diff)
		}
	}
	t.Run("without process", func(t *testing.T) { check(t, 0) })

	// The host's network namespace does not have the moved end.
	for _, r := range jsonRows(t, "-J", "-t", "net", "-p", strconv.Itoa(os.Getpid()), "-o", "IFACES") {
		if host := insideSet(t, r["ifaces"]); slices.Contains(host, inner) || !slices.Contains(host, outer) || !slices.Contains(host, "lo") {
			t.Errorf("host ifaces %q: want lo and %s, not %s", host, outer, inner)
		}
	}

	t.Run("with process", func(t *testing.T) {
		cmd := exec.Command(ip, "netns", "exec", netns, "/bin/sh", "-c", "echo ready; exec sleep 600")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		testenv.Start(t, cmd)
		if got := nsOf(t, cmd.Process.Pid, "net"); got != ns {
			t.Fatalf("ip netns exec: process in %v, want %v", got, ns)
		}
		check(t, 1)
		raw := insideRaw(t, "-t", "net", "-p", strconv.Itoa(cmd.Process.Pid), "-o", "PID,IFACES")
		if len(raw) != 1 || raw[0]["PID"] != strconv.Itoa(cmd.Process.Pid) {
			t.Fatalf("-r: %v, want the process's namespace", raw)
		}
		ifaces := strings.Split(raw[0]["IFACES"], ",")
		slices.Sort(ifaces)
		if diff := cmp.Diff(want, ifaces); diff != "" {
			t.Errorf("-r ifaces (-want +got):\n%s", diff)
		}
	})
}

// TestInsideTimeOffsets pins down /proc/PID/timens_offsets: offsets set
// before the first process enters a new time namespace are its clocks'
// offsets, and the initial time namespace has none.
func TestInsideTimeOffsets(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	testenv.RequireCommand(t, "sleep")
	if _, err := os.Stat("/proc/self/ns/time"); err != nil {
		testenv.Skip(t, "no time namespaces (Linux < 5.6)")
	}
	cmd := exec.Command(unshare, "--time", "--monotonic", "3600", "--boottime", "7", "--fork",
		"/bin/sh", "-c", "echo ready; exec sleep 600")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = os.Stderr
	testenv.Start(t, cmd)
	child := insideChild(t, cmd.Process.Pid, "sleep")
	ns := nsOf(t, child, "time")
	if ns == nsOf(t, os.Getpid(), "time") {
		t.Fatalf("unshare --time --fork: child %d in the test's time namespace", child)
	}

	rows := jsonRows(t, "-J", "-t", "time", "-p", strconv.Itoa(child), "-o", "NS,PID,TIMEOFFSETS")
	want := []map[string]any{{"ns": ns, "pid": float64(child), "timeoffsets": map[string]any{"monotonic": 3600.0, "boottime": 7.0}}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("-J (-want +got):\n%s", diff)
	}
	raw := insideRaw(t, "-t", "time", "-p", strconv.Itoa(child), "-o", "NS,TIMEOFFSETS")
	wantRaw := []map[string]string{{"NS": insideID(ns), "TIMEOFFSETS": "monotonic=+3600s,boottime=+7s"}}
	if diff := cmp.Diff(wantRaw, raw); diff != "" {
		t.Errorf("-r (-want +got):\n%s", diff)
	}

	own := nsOf(t, os.Getpid(), "time")
	if own != insideInitTime {
		t.Logf("the test runs in time namespace %v, not the initial one: not checking the host's offsets", own)
		return
	}
	rows = jsonRows(t, "-J", "-t", "time", "-p", strconv.Itoa(os.Getpid()), "-o", "NS,TIMEOFFSETS")
	want = []map[string]any{{"ns": own, "timeoffsets": map[string]any{"monotonic": 0.0, "boottime": 0.0}}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("-J host (-want +got):\n%s", diff)
	}
	table := insideOutput(t, "-l", "-t", "time", "-p", strconv.Itoa(os.Getpid()), "-o", "NS,TIMEOFFSETS")
	if diff := cmp.Diff([]string{insideID(own), "monotonic=+0s,boottime=+0s"}, insideLineOf(t, table, own)); diff != "" {
		t.Errorf("table host (-want +got):\n%s", diff)
	}
}

// TestInsideContainerAndPod pins down that a process's cgroup path, which
// /proc/PID/cgroup shows and cgroup.procs sets, is how container engines
// and the kubelet mark their containers: docker's systemd scope and a
// containerd container in a Kubernetes pod slice.
func TestInsideContainerAndPod(t *testing.T) {
	testenv.RequireRoot(t)
	sleep := testenv.RequireCommand(t, "sleep")
	v2 := insideCgroup2(t)
	base := filepath.Join(v2, fmt.Sprintf("nsi-test-%d", os.Getpid()))
	insideMkCgroup(t, base)

	// check starts a sleep in new namespaces, so that it represents them,
	// moves it into the cgroup leaf and checks the rows it represents.
	check := func(t *testing.T, leaf, container, pod string) {
		t.Helper()
		cmd := exec.Command(sleep, "600")
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: newNamespaces}
		testenv.Launch(t, cmd)
		pid := cmd.Process.Pid
		insideMove(t, leaf, pid)

		rows := insideRowsOf(jsonRows(t, "-J", "-p", strconv.Itoa(pid), "-o", "TYPE,PID,CONTAINER,POD"), pid)
		var want []map[string]any
		for _, typ := range []string{"mnt", "net", "pid", "uts", "ipc", "cgroup"} {
			want = append(want, map[string]any{"type": typ, "pid": float64(pid), "container": container, "pod": nil})
			if pod != "" {
				want[len(want)-1]["pod"] = pod
			}
		}
		if diff := cmp.Diff(want, rows, insideByType); diff != "" {
			t.Errorf("-J rows of pid %d (-want +got):\n%s", pid, diff)
		}

		table := insideOutput(t, "-l", "-n", "-t", "uts", "-p", strconv.Itoa(pid), "-o", "PID,CONTAINER,POD")
		wantLine := []string{strconv.Itoa(pid), container}
		if pod != "" {
			wantLine = append(wantLine, pod)
		}
		if diff := cmp.Diff(wantLine, strings.Fields(table)); diff != "" {
			t.Errorf("-l table (-want +got):\n%s", diff)
		}
	}

	t.Run("docker", func(t *testing.T) {
		id := insideHex(t, 32)
		leaf := filepath.Join(base, "docker-"+id+".scope")
		insideMkCgroup(t, leaf)
		check(t, leaf, "docker:"+id[:12], "")
	})
	t.Run("kubepods", func(t *testing.T) {
		id := insideHex(t, 32)
		u := insideHex(t, 16)
		uid := u[:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:]
		kubepods := filepath.Join(base, "kubepods.slice")
		qos := filepath.Join(kubepods, "kubepods-burstable.slice")
		podDir := filepath.Join(qos, "kubepods-burstable-pod"+strings.ReplaceAll(uid, "-", "_")+".slice")
		leaf := filepath.Join(podDir, "cri-containerd-"+id+".scope")
		insideMkCgroup(t, kubepods, qos, podDir, leaf)
		check(t, leaf, "containerd:"+id[:12], uid)
	})
}

// TestInsideRootAndMounts pins down that /proc/PID/root is a process's root
// directory as the reader's root names it (a chroot into a bind mount made
// in another mount namespace), and that MOUNTS counts every mount of the
// namespace, not only those the chrooted representative's mountinfo shows:
// joining a mount namespace resets the thread's root to the namespace's.
func TestInsideRootAndMounts(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	testenv.RequireCommand(t, "mount")
	testenv.RequireCommand(t, "sleep")
	dir := t.TempDir()
	// The bind mount is in a private mount namespace that ends with the
	// process; the temporary directory is removed after.
	cmd := exec.Command(unshare, "--mount", "--propagation", "private", "/bin/sh", "-ec",
		`mount --bind / "$1"; exec unshare --root="$1" /bin/sh -c 'echo ready; exec sleep 600'`, "sh", dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = os.Stderr
	testenv.Start(t, cmd)
	pid := cmd.Process.Pid
	insideComm(t, pid, "sleep")
	ns := nsOf(t, pid, "mnt")
	root, err := os.Readlink(fmt.Sprintf("/proc/%d/root", pid))
	if err != nil {
		t.Fatal(err)
	}
	// As the test's root names it: the same path, since the new mount
	// namespace is a copy of the test's.
	if real, err := filepath.EvalSymlinks(dir); err != nil || root != real {
		t.Fatalf("/proc/%d/root is %q, want the chroot %s (%v)", pid, root, real, err)
	}
	nsenter := testenv.RequireCommand(t, "nsenter")
	mountinfo, err := exec.Command(nsenter, fmt.Sprintf("--mount=/proc/%d/ns/mnt", pid), "cat", "/proc/self/mountinfo").Output()
	if err != nil {
		t.Fatal(err)
	}
	mounts := float64(bytes.Count(mountinfo, []byte("\n")))
	chrooted, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		t.Fatal(err)
	}
	if seen := float64(bytes.Count(chrooted, []byte("\n"))); seen >= mounts {
		t.Fatalf("the chrooted process sees %v mounts of %v: the test needs it to see fewer", seen, mounts)
	}

	rows := jsonRows(t, "-J", "-t", "mnt", "-p", strconv.Itoa(pid), "-o", "NS,PID,ROOT,MOUNTS")
	want := []map[string]any{{"ns": ns, "pid": float64(pid), "root": root, "mounts": mounts}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("-J (-want +got):\n%s", diff)
	}
	raw := insideRaw(t, "-t", "mnt", "-p", strconv.Itoa(pid), "-o", "NS,ROOT,MOUNTS")
	wantRaw := []map[string]string{{"NS": insideID(ns), "ROOT": root, "MOUNTS": strconv.Itoa(int(mounts))}}
	if diff := cmp.Diff(wantRaw, raw); diff != "" {
		t.Errorf("-r (-want +got):\n%s", diff)
	}

	// The test's own mount namespace: its representative's mounts, which
	// other programs may change meanwhile: a few tries.
	own := nsOf(t, os.Getpid(), "mnt")
	var diff string
	for range 3 {
		rows = jsonRows(t, "-J", "-l", "-t", "mnt", "-o", "NS,PID,ROOT,MOUNTS")
		var got map[string]any
		for _, r := range rows {
			if r["ns"] == own {
				got = r
			}
		}
		if got == nil {
			t.Fatalf("no row for the test's mount namespace %v", own)
		}
		rep := int(got["pid"].(float64))
		data, err1 := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", rep))
		repRoot, err2 := os.Readlink(fmt.Sprintf("/proc/%d/root", rep))
		if err1 != nil || err2 != nil {
			continue // the representative ended
		}
		want := map[string]any{"ns": own, "pid": float64(rep), "root": repRoot, "mounts": float64(bytes.Count(data, []byte("\n")))}
		if diff = cmp.Diff(want, got); diff == "" {
			break
		}
	}
	if diff != "" {
		t.Errorf("-J the test's mount namespace (-want +got):\n%s", diff)
	}
}

// TestInsideIPCObjects pins down that System V shared memory segments,
// semaphore sets and message queues belong to the IPC namespace they were
// made in: /proc/sysvipc/* lists those of the reader's namespace.
func TestInsideIPCObjects(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "ipcmk")
	testenv.RequireCommand(t, "sleep")
	cmd := insideShell(syscall.CLONE_NEWIPC,
		"ipcmk -M 4096 >/dev/null; ipcmk -M 4096 >/dev/null; ipcmk -Q >/dev/null; echo ready; exec sleep 600")
	testenv.Start(t, cmd)
	pid := cmd.Process.Pid
	ns := nsOf(t, pid, "ipc")

	rows := jsonRows(t, "-J", "-t", "ipc", "-p", strconv.Itoa(pid), "-o", "NS,IPCOBJS")
	want := []map[string]any{{"ns": ns, "ipcobjs": map[string]any{"shm": 2.0, "sem": 0.0, "msg": 1.0}}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("-J (-want +got):\n%s", diff)
	}
	table := insideOutput(t, "-l", "-n", "-t", "ipc", "-p", strconv.Itoa(pid), "-o", "IPCOBJS")
	if diff := cmp.Diff("shm=2,sem=0,msg=1", strings.TrimSpace(table)); diff != "" {
		t.Errorf("-l table (-want +got):\n%s", diff)
	}

	// The test's own namespace: as many as /proc/sysvipc shows the test,
	// which other programs may change meanwhile: a few tries.
	own := nsOf(t, os.Getpid(), "ipc")
	count := func(name string) float64 {
		data, err := os.ReadFile("/proc/sysvipc/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return float64(max(0, bytes.Count(data, []byte("\n"))-1))
	}
	var diff string
	for range 3 {
		want := []map[string]any{{"ns": own, "ipcobjs": map[string]any{"shm": count("shm"), "sem": count("sem"), "msg": count("msg")}}}
		rows := jsonRows(t, "-J", "-t", "ipc", "-p", strconv.Itoa(os.Getpid()), "-o", "NS,IPCOBJS")
		if diff = cmp.Diff(want, rows); diff == "" {
			break
		}
	}
	if diff != "" {
		t.Errorf("-J the test's IPC namespace (-want +got):\n%s", diff)
	}
}

// TestInsideCgroupRoot pins down that a new cgroup namespace's root is the
// cgroup its creator was in at unshare(CLONE_NEWCGROUP): inside it that
// cgroup shows as "/", outside under its full path.
func TestInsideCgroupRoot(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "unshare")
	testenv.RequireCommand(t, "sleep")
	v2 := insideCgroup2(t)
	cg := filepath.Join(v2, fmt.Sprintf("nsi-test-%d-cg", os.Getpid()))
	insideMkCgroup(t, cg)

	cmd := exec.Command("/bin/sh", "-ec", "echo started; read go; exec unshare --cgroup --fork sleep 600")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	testenv.Launch(t, cmd)
	pid := cmd.Process.Pid
	insideMove(t, cg, pid)
	if _, err := io.WriteString(stdin, "go\n"); err != nil {
		t.Fatal(err)
	}
	child := insideChild(t, pid, "sleep")
	ns := nsOf(t, child, "cgroup")
	own := nsOf(t, os.Getpid(), "cgroup")
	if ns == own {
		t.Fatalf("unshare --cgroup: child %d in the test's cgroup namespace", child)
	}
	path := insideCgroupPath(t, child)
	if !strings.HasSuffix(path, "/"+filepath.Base(cg)) {
		t.Fatalf("child %d is in cgroup %s, want %s", child, path, cg)
	}

	rows := jsonRows(t, "-J", "-t", "cgroup", "-p", strconv.Itoa(child), "-o", "NS,CGROUPROOT")
	want := []map[string]any{{"ns": ns, "cgrouproot": path}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("-J (-want +got):\n%s", diff)
	}
	raw := insideRaw(t, "-t", "cgroup", "-p", strconv.Itoa(child), "-o", "NS,CGROUPROOT")
	if diff := cmp.Diff([]map[string]string{{"NS": insideID(ns), "CGROUPROOT": path}}, raw); diff != "" {
		t.Errorf("-r (-want +got):\n%s", diff)
	}

	// The root of the test's own cgroup namespace is "/" as the test
	// sees it, whichever cgroup that is.
	rows = jsonRows(t, "-J", "-t", "cgroup", "-p", strconv.Itoa(os.Getpid()), "-o", "NS,CGROUPROOT")
	if diff := cmp.Diff([]map[string]any{{"ns": own, "cgrouproot": "/"}}, rows); diff != "" {
		t.Errorf("-J the test's cgroup namespace (-want +got):\n%s", diff)
	}
}

// insideKthreadd returns the namespace of kthreadd (PID 2, child of PID 0),
// which is in the initial namespaces, or 0 where /proc has no kthreadd.
func insideKthreadd(t *testing.T, typ string) float64 {
	t.Helper()
	stat, err := os.ReadFile("/proc/2/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(stat))
	if len(f) < 4 || f[1] != "(kthreadd)" || f[3] != "0" {
		return 0
	}
	return nsOf(t, 2, typ)
}

// TestInsideHost pins down the inodes the kernel fixes for the initial
// user, pid, uts, ipc, cgroup and time namespaces, and that the initial
// network and mount namespaces are kthreadd's: the test's own namespaces are
// the host's where it runs in the initial ones, and namespaces a process
// was cloned into are not.
func TestInsideHost(t *testing.T) {
	testenv.RequireRoot(t)
	initial := map[string]float64{
		"ipc": insideInitIPC, "uts": insideInitUTS, "user": insideInitUser, "pid": insideInitPID,
		"cgroup": insideInitCgroup, "time": insideInitTime,
	}
	// want is the HOST value of pid's namespace of type typ: nil where the
	// initial network and mount namespaces cannot be known.
	want := func(pid int, typ string) any {
		ns := nsOf(t, pid, typ)
		if id, ok := initial[typ]; ok {
			return ns == id
		}
		if k := insideKthreadd(t, typ); k != 0 {
			return ns == k
		}
		return nil
	}

	own := os.Getpid()
	if nsOf(t, own, "user") == insideInitUser {
		rows := jsonRows(t, "-J", "-l", "-p", strconv.Itoa(own), "-o", "NS,TYPE,HOST")
		var wantRows []map[string]any
		for _, r := range rows {
			typ := r["type"].(string)
			wantRows = append(wantRows, map[string]any{"ns": nsOf(t, own, typ), "type": typ, "host": want(own, typ)})
		}
		if diff := cmp.Diff(wantRows, rows); diff != "" {
			t.Errorf("-J the test's namespaces (-want +got):\n%s", diff)
		}
		if len(rows) < 7 {
			t.Errorf("-J: %d rows for the test's namespaces, want 8 (7 without time namespaces)", len(rows))
		}
		hostAll := true
		for _, r := range rows {
			hostAll = hostAll && r["host"] == true
		}
		t.Logf("the test runs in the initial user namespace; all its namespaces the host's: %v", hostAll)
	} else {
		t.Logf("the test runs in user namespace %v, not the initial one: not checking its namespaces are the host's", nsOf(t, own, "user"))
	}

	cmd := startSleeper(t, newNamespaces)
	pid := cmd.Process.Pid
	rows := insideRowsOf(jsonRows(t, "-J", "-l", "-p", strconv.Itoa(pid), "-o", "NS,TYPE,PID,HOST"), pid)
	var wantRows []map[string]any
	for _, typ := range []string{"mnt", "net", "pid", "uts", "ipc", "cgroup"} {
		host := want(pid, typ)
		if host == true {
			t.Fatalf("the cloned %s namespace counts as the host's", typ)
		}
		wantRows = append(wantRows, map[string]any{"ns": nsOf(t, pid, typ), "type": typ, "pid": float64(pid), "host": host})
	}
	if diff := cmp.Diff(wantRows, rows, insideByType); diff != "" {
		t.Errorf("-J namespaces of pid %d (-want +got):\n%s", pid, diff)
	}
	for _, r := range insideRaw(t, "-l", "-p", strconv.Itoa(pid), "-o", "TYPE,PID,HOST") {
		if r["PID"] != strconv.Itoa(pid) {
			continue
		}
		wantText := "false"
		if want(pid, r["TYPE"]) == nil {
			wantText = ""
		}
		if r["HOST"] != wantText {
			t.Errorf("-r: %s namespace of pid %d: HOST %q, want %q", r["TYPE"], pid, r["HOST"], wantText)
		}
	}
}

// TestInsideNestedPIDNamespaces pins down /proc/PID/status NSpid (a
// process's PID in each pid namespace it is in, outermost first) and
// NS_GET_PARENT on pid namespaces: a sleep two pid namespaces down is PID 1
// in the innermost, whose parent is the middle one, at level 2.
func TestInsideNestedPIDNamespaces(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	testenv.RequireCommand(t, "sleep")
	cmd := exec.Command(unshare, "--pid", "--fork", "--mount-proc",
		unshare, "--pid", "--fork", "--mount-proc", "/bin/sh", "-c", "echo ready; exec sleep 600")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = os.Stderr
	testenv.Start(t, cmd)
	middle := insideChild(t, cmd.Process.Pid, "unshare")
	inner := insideChild(t, middle, "sleep")
	innerNS, middleNS := nsOf(t, inner, "pid"), nsOf(t, middle, "pid")
	if innerNS == middleNS || middleNS == nsOf(t, os.Getpid(), "pid") {
		t.Fatalf("pid namespaces: inner %v, middle %v, the test's %v: want three", innerNS, middleNS, nsOf(t, os.Getpid(), "pid"))
	}
	// The kernel's own account, to compare with.
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", inner))
	if err != nil {
		t.Fatal(err)
	}
	var nspid []any
	var nspidText []string
	for l := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(l, "NSpid:"); ok {
			for _, f := range strings.Fields(rest) {
				n, err := strconv.Atoi(f)
				if err != nil {
					t.Fatal(err)
				}
				nspid = append(nspid, float64(n))
				nspidText = append(nspidText, f)
			}
		}
	}
	if len(nspid) != 3 || nspid[0] != float64(inner) || nspid[2] != 1.0 {
		t.Fatalf("/proc/%d/status NSpid %v: want [%d x 1]", inner, nspid, inner)
	}

	id := insideID(innerNS)
	rows := jsonRows(t, "-J", id, "-o", "PID,NSPID")
	want := []map[string]any{{"pid": float64(inner), "nspid": nspid}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("-J %s (-want +got):\n%s", id, diff)
	}
	raw := insideRaw(t, id, "-o", "PID,NSPID")
	wantRaw := []map[string]string{{"PID": strconv.Itoa(inner), "NSPID": strings.Join(nspidText, "/")}}
	if diff := cmp.Diff(wantRaw, raw); diff != "" {
		t.Errorf("-r %s (-want +got):\n%s", id, diff)
	}

	rows = jsonRows(t, "-J", "-t", "pid", "-p", strconv.Itoa(inner), "-o", "NS,LEVEL,PNS")
	if diff := cmp.Diff([]map[string]any{{"ns": innerNS, "level": 2.0, "pns": middleNS}}, rows); diff != "" {
		t.Errorf("-J inner pid namespace (-want +got):\n%s", diff)
	}
	rows = jsonRows(t, "-J", "-t", "pid", "-p", strconv.Itoa(middle), "-o", "NS,LEVEL,PNS")
	if diff := cmp.Diff([]map[string]any{{"ns": middleNS, "level": 1.0, "pns": nsOf(t, os.Getpid(), "pid")}}, rows); diff != "" {
		t.Errorf("-J middle pid namespace (-want +got):\n%s", diff)
	}
	tree := insideOutput(t, "--tree=parent", "-t", "pid", "-o", "NS,LEVEL,PNS")
	if diff := cmp.Diff([]string{id, "2", insideID(middleNS)}, insideLineOf(t, tree, innerNS)); diff != "" {
		t.Errorf("-T parent line (-want +got):\n%s", diff)
	}
}

// TestInsideOutputAll asks for every column at once on the live host, in
// every format, with a process whose hostname and command line hold escape
// sequences: whatever the kernel shows, nsinspect exits 0, says nothing on
// stderr, prints valid JSON with every column's key, and no text output
// carries a raw control character.
func TestInsideOutputAll(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "sleep")
	// The shell stays, with its hostile $0 in its command line: ESC, a
	// C1 CSI (U+009B) and a bidi override (U+202E).
	const argv0 = "nsi-\x1b[2J-\u009b31m-\u202e"
	cmd := exec.Command("/bin/sh", "-c", `printf 'x\033]0;owned\007y' > /proc/sys/kernel/hostname; sleep 600 & echo ready; wait`, argv0)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: newNamespaces, Setpgid: true}
	testenv.Start(t, cmd)

	// That the threads that join namespaces are never the main thread, a
	// process's own after the run, is the root package's TestNoLeaks,
	// in-process, over these arguments.

	var keys []string
	for _, c := range query.Columns() {
		keys = append(keys, c.JSONKey())
	}
	slices.Sort(keys)
	for _, args := range [][]string{
		{"--output-all", "-J"},
		{"--output-all", "-J", "-l"},
		{"--output-all", "-J", "--tree=owner"},
		{"--output-all", "-r"},
		{"--output-all"},
		{"--output-all", "-l"},
		{"--output-all", "-T"}, // owner
		{"--output-all", "--tree=parent"},
		{"--output-all", "--tree=process"},
		{"--output-all", "-W"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out := insideOutput(t, args...)
			isJSON := slices.Contains(args, "-J")
			insideNoControl(t, strings.Join(args, " "), out, !isJSON)
			if !isJSON {
				if !strings.Contains(out, `x\x1b]0;owned\x07y`) {
					t.Errorf("the hostile hostname is not shown escaped:\n%s", out)
				}
				if !strings.Contains(out, `nsi-\x1b[2J-\xc2\x9b31m-\xe2\x80\xae`) {
					t.Errorf("the hostile command line is not shown escaped:\n%s", out)
				}
				return
			}
			var doc struct{ Namespaces []map[string]any }
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("invalid JSON: %v\n%s", err, out)
			}
			if len(doc.Namespaces) == 0 {
				t.Fatal("no namespaces")
			}
			found, foundCommand := false, false
			var walk func(rows []map[string]any)
			walk = func(rows []map[string]any) {
				for _, r := range rows {
					var got []string
					for k := range r {
						if k != "children" {
							got = append(got, k)
						}
					}
					slices.Sort(got)
					if diff := cmp.Diff(keys, got); diff != "" {
						t.Fatalf("row keys (-want +got):\n%s", diff)
					}
					found = found || r["hostname"] == "x\x1b]0;owned\x07y"
					command, _ := r["command"].(string)
					foundCommand = foundCommand || strings.HasSuffix(command, " "+argv0)
					if children, ok := r["children"]; ok {
						var nested []map[string]any
						for _, c := range children.([]any) {
							nested = append(nested, c.(map[string]any))
						}
						walk(nested)
					}
				}
			}
			walk(doc.Namespaces)
			if !found || !foundCommand {
				t.Errorf("hostile hostname found exactly: %v; hostile command line: %v", found, foundCommand)
			}
			if !utf8.ValidString(out) {
				t.Errorf("JSON output is not UTF-8")
			}
		})
	}
}
