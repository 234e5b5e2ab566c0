//go:build privileged

package main

// Tests on real namespaces: each creates its own with clone flags, keeps the
// process alive until the test ends, checks what nsinspect finds, and kills
// only its own processes. They need root; where NSINSPECT_REQUIRE_PRIVILEGED
// is set (CI) a skip is a failure.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// jsonRows runs nsinspect with args and returns its JSON rows.
func jsonRows(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
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

func TestFindsNewNamespaces(t *testing.T) {
	cmd := startSleeper(t, newNamespaces)
	pid := cmd.Process.Pid
	rows := jsonRows(t, "-J", "-l", "-o", "NS,TYPE,NPROCS,PID,PPID,UID,USER,COMMAND", "-p", strconv.Itoa(pid))

	got := map[string]map[string]any{}
	for _, r := range rows {
		got[r["type"].(string)] = r
	}
	if len(got) != 8 {
		t.Fatalf("got %d namespace types for pid %d, want 8: %v", len(got), pid, rows)
	}
	for _, typ := range []string{"uts", "ipc", "net", "pid", "mnt", "cgroup"} {
		want := map[string]any{
			"ns": nsOf(t, pid, typ), "type": typ, "nprocs": 2.0, "pid": float64(pid),
			"ppid": float64(os.Getpid()), "uid": 0.0, "user": "root",
			"command": "/bin/sh -c sleep 600 & echo ready; wait",
		}
		if diff := cmp.Diff(want, got[typ]); diff != "" {
			t.Errorf("%s namespace of pid %d (-want +got):\n%s", typ, pid, diff)
		}
	}
	for _, typ := range []string{"user", "time"} {
		if want, ns := nsOf(t, os.Getpid(), typ), got[typ]["ns"]; ns != want {
			t.Errorf("%s namespace: got %v, want the test's own %v", typ, ns, want)
		}
		if n := got[typ]["nprocs"].(float64); n < 3 {
			t.Errorf("%s namespace shared with the host: NPROCS %v, want many", typ, n)
		}
	}
}

func TestNamespaceProcessTree(t *testing.T) {
	cmd := startSleeper(t, syscall.CLONE_NEWUTS)
	pid := cmd.Process.Pid
	uts := strconv.FormatFloat(nsOf(t, pid, "uts"), 'f', 0, 64)

	var stdout, stderr bytes.Buffer
	if code := run([]string{uts}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want a header, the shell and its child:\n%s", len(lines), stdout.String())
	}
	if f := strings.Fields(lines[1]); f[0] != strconv.Itoa(pid) || f[1] != strconv.Itoa(os.Getpid()) || f[2] != "root" {
		t.Errorf("shell's line %q: want PID %d, PPID %d, USER root", lines[1], pid, os.Getpid())
	}
	for _, glyph := range []string{"└─sleep 600", "`-sleep 600"} {
		if strings.HasSuffix(lines[2], glyph) {
			return
		}
	}
	t.Errorf("child's line %q: want it nested under the shell as └─sleep 600", lines[2])
}

func TestUserOfUnnamedUID(t *testing.T) {
	testenv.RequireRoot(t)
	cmd := exec.Command("/bin/sh", "-c", "echo ready; exec sleep 600")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWUTS,
		Credential: &syscall.Credential{Uid: 4242, Gid: 4242},
		Setpgid:    true,
	}
	testenv.Start(t, cmd)
	rows := jsonRows(t, "-J", "-t", "uts", "-o", "NS,PID,UID,USER", "-p", strconv.Itoa(cmd.Process.Pid))
	want := []map[string]any{{"ns": nsOf(t, cmd.Process.Pid, "uts"), "pid": float64(cmd.Process.Pid), "uid": 4242.0, "user": "4242"}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestAgreesWithLsns uses lsns as an oracle: on namespaces this test made,
// both tools must print the same JSON, byte for byte, for every column lsns
// 2.38 has that nsinspect has too, and the same tables where lsns 2.38 and
// 2.42 print them alike. Tables leave out PID and PPID: 2.38 widens them to
// their hint, 5, where their cells are as wide as their header (a PID of 3
// digits, a PPID of 4), 2.42 does not, and CI has only 2.38. The golden
// files hold 2.42's widths; TestCompareWithLsns compares with 2.42 itself.
func TestAgreesWithLsns(t *testing.T) {
	lsns := testenv.RequireCommand(t, "lsns")
	cmd := startSleeper(t, newNamespaces)
	pid := cmd.Process.Pid
	const cols = "NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER"
	const tableCols = "NS,TYPE,PATH,NPROCS,COMMAND,UID,USER"

	t.Run("namespace rows", func(t *testing.T) {
		mine := map[float64]map[string]any{}
		for _, r := range jsonRows(t, "-J", "-l", "-o", cols) {
			mine[r["ns"].(float64)] = r
		}
		// lsns exits 1 where a process exits mid-scan (util-linux #2799):
		// lsnsOutput tries again.
		out := lsnsOutput(t, lsns, "-J", "-l", "-o", cols)
		var theirs struct{ Namespaces []map[string]any }
		if err := json.Unmarshal(out, &theirs); err != nil {
			t.Fatal(err)
		}
		compared := 0
		for _, r := range theirs.Namespaces {
			if r["pid"] != float64(pid) {
				continue // the host's: lsns and nsinspect count themselves
			}
			compared++
			if diff := cmp.Diff(r, mine[r["ns"].(float64)]); diff != "" {
				t.Errorf("namespace %v (-lsns +nsinspect):\n%s", r["ns"], diff)
			}
		}
		if compared != 6 {
			t.Errorf("lsns listed %d namespaces of pid %d, want 6", compared, pid)
		}
	})

	for _, args := range [][]string{
		{"-J"}, {"-J", "-l"}, {"-r"}, {"-o", tableCols}, {"-l", "-o", tableCols}, {"-J", "-o", cols},
	} {
		uts := strconv.FormatFloat(nsOf(t, pid, "uts"), 'f', 0, 64)
		args := append(args, uts)
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			want := lsnsOutput(t, lsns, args...)
			var got, stderr bytes.Buffer
			if code := run(args, &got, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("(-lsns +nsinspect):\n%s", diff)
			}
		})
	}
}

// TestUnprivilegedWarns runs the binary as nobody: it lists what it may read,
// exits 0 and says once how many processes it could not read, and why.
func TestUnprivilegedWarns(t *testing.T) {
	testenv.RequireRoot(t)
	startSleeper(t, syscall.CLONE_NEWUTS) // a root process nobody may not inspect
	// Other processes of uid 65534 may run on the host, with lower PIDs: -p
	// picks nsinspect's own namespaces whichever process represents them,
	// and a network namespace of its own has it as its only process.
	cmd := exec.Command("/bin/sh", "-c", `exec "$0" -J -l -p $$ -o NS,TYPE,NPROCS,PID,IFACES,UIDMAP`, buildBinary(t))
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET, Credential: nobody}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("as nobody: %v: %s", err, stderr.String())
	}
	checkWarning(t, stderr.String(), "processes could not be read (permission denied): nsinspect lacks CAP_SYS_PTRACE")
	var doc struct{ Namespaces []map[string]any }
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	types := map[string]bool{}
	for _, r := range doc.Namespaces {
		types[r["type"].(string)] = true
		// Its own /proc files need no privilege: those columns are filled.
		switch r["type"] {
		case "net":
			want := map[string]any{"pid": float64(cmd.Process.Pid), "nprocs": 1.0}
			if r["pid"] != want["pid"] || r["nprocs"] != want["nprocs"] || r["ifaces"] == nil {
				t.Errorf("row %v: want PID %v alone in it, and its network interfaces", r, want["pid"])
			}
		case "user":
			if r["uidmap"] == nil {
				t.Errorf("row %v: UIDMAP empty, want its uid map", r)
			}
		}
		if n, ok := r["nprocs"].(float64); !ok || n < 1 {
			t.Errorf("row %v: NPROCS %v, want at least nsinspect itself", r, r["nprocs"])
		}
	}
	if len(types) != 8 || len(doc.Namespaces) != 8 {
		t.Errorf("nsinspect as nobody listed %d of its own namespaces, want 8:\n%s", len(doc.Namespaces), stdout.String())
	}
}

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

// TestDocSetnsColumnsNeedRoot: the README says HOSTNAME, DOMAINNAME, IPCOBJS
// and CGROUPROOT need root for every namespace and are empty otherwise. As
// nobody they are null for every row; as root they are filled for
// nsinspect's own namespaces.
func TestDocSetnsColumnsNeedRoot(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const claim = "HOSTNAME, DOMAINNAME, IPCOBJS and CGROUPROOT are read inside the namespace, after setns(2), so they need root for every namespace, with processes or without; as another user they are empty, and one line on stderr says how many namespaces could not be entered."
	if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), claim) {
		t.Fatalf("README.md no longer says %q: update this test with it", claim)
	}
	testenv.RequireRoot(t)
	setpriv := testenv.RequireCommand(t, "setpriv")
	check := func(who string, out []byte, wantFilled bool) {
		var doc struct{ Namespaces []map[string]any }
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("%s: invalid JSON: %v\n%s", who, err, out)
		}
		cols := map[string]string{"hostname": "uts", "domainname": "uts", "ipcobjs": "ipc", "cgrouproot": "cgroup"}
		seen := 0
		for _, r := range doc.Namespaces {
			for col, typ := range cols {
				if r["type"] != typ {
					continue
				}
				seen++
				if filled := r[col] != nil; filled != wantFilled {
					t.Errorf("%s: %s of %v is %v, want filled %v", who, col, r["ns"], r[col], wantFilled)
				}
			}
		}
		if seen != len(cols) {
			t.Errorf("%s: saw %d of the %d cells", who, seen, len(cols))
		}
	}
	bin := buildBinary(t)
	// The shell's PID is the one nsinspect runs as, after exec.
	script := `exec "$0" -J -l -p $$ -o NS,TYPE,HOSTNAME,DOMAINNAME,IPCOBJS,CGROUPROOT`
	for _, who := range []struct {
		name   string
		prefix []string
		filled bool
	}{
		{"root", nil, true},
		{"nobody", []string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}, false},
	} {
		argv := append(append(who.prefix, "/bin/sh", "-c", script), bin)
		cmd := exec.Command(argv[0], argv[1:]...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", who.name, err)
		}
		check(who.name, out, who.filled)
		// And it says so: the three namespaces it could not enter.
		said := strings.Contains(stderr.String(), "nsinspect: 3 namespaces could not be entered (permission denied)")
		if said == who.filled {
			t.Errorf("%s: stderr %q; want the line on what could not be entered: %v", who.name, stderr.String(), !who.filled)
		}
	}
}
