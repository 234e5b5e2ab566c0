//go:build privileged

package e2e

// Tests that no process can hang or fool nsinspect through the paths it
// would resolve in that process's filesystem view: a FIFO, a forged file or
// a symlink loop where a joined mount namespace's /proc/thread-self/mountinfo
// would be, and a FUSE filesystem whose server never answers, mounted over
// that place or over the path to a bind-mounted namespace.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// hostileLimit is how long a run may take where a stalled read costs one
// deadline (DefaultStallTimeout, 2 s): far more than that, far less than
// for ever.
const hostileLimit = 30 * time.Second

// runBounded runs the nsinspect binary with args and fails the test where it
// has not exited within hostileLimit.
func runBounded(t *testing.T, args ...string) (stdout, stderr string, elapsed time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hostileLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, nsinspectBin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	elapsed = time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("nsinspect %s hung: killed after %v", strings.Join(args, " "), hostileLimit)
	}
	if err != nil {
		t.Fatalf("nsinspect %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), errOut.String(), elapsed
}

// mountsOf returns the MOUNTS nsinspect shows for the mount namespace of pid.
func mountsOf(t *testing.T, pid int) (mounts any, stderr string) {
	t.Helper()
	id := nsOf(t, pid, "mnt")
	out, stderr, elapsed := runBounded(t, "-J", "-l", "-t", "mnt", "-o", "NS,MOUNTS")
	t.Logf("nsinspect -t mnt -o NS,MOUNTS took %v", elapsed)
	var doc struct{ Namespaces []map[string]any }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	for _, r := range doc.Namespaces {
		if r["ns"] == id {
			return r["mounts"], stderr
		}
	}
	t.Fatalf("mount namespace %v of pid %d not listed:\n%s", id, pid, out)
	return nil, ""
}

// checkMounts checks that MOUNTS of pid's mount namespace is the real count
// of its mounts, and that nothing was skipped.
func checkMounts(t *testing.T, pid int) {
	t.Helper()
	want := mountinfoLines(t, pid)
	got, stderr := mountsOf(t, pid)
	if got != want {
		t.Errorf("MOUNTS = %v, want %v (the lines of /proc/%d/mountinfo)", got, want, pid)
	}
	if stderr != "" {
		t.Errorf("stderr: %q, want nothing: nothing was skipped", stderr)
	}
}

// mountinfoLines counts the lines of /proc/PID/mountinfo: the mounts of the
// namespace, as PID's root (the namespace's) sees them.
func mountinfoLines(t *testing.T, pid int) float64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		t.Fatal(err)
	}
	return float64(bytes.Count(data, []byte{'\n'}))
}

// TestHostileMountinfo: an unprivileged user makes a user and mount
// namespace whose /proc is a tmpfs it fills: after setns(CLONE_NEWNS),
// /proc/thread-self/mountinfo is whatever it put there. MOUNTS must be the
// namespace's real count, and the run must not wait on a FIFO.
func TestHostileMountinfo(t *testing.T) {
	testenv.RequireRoot(t)
	setpriv := testenv.RequireCommand(t, "setpriv")
	unshare := testenv.RequireCommand(t, "unshare")
	forged := strings.Repeat("1 1 0:1 / / rw - tmpfs none rw\n", 1000)
	cases := []struct{ name, setup string }{
		{"fifo", "mkdir /proc/thread-self && mkfifo /proc/thread-self/mountinfo"},
		{"forged file", "mkdir /proc/thread-self && printf '" + forged + "' > /proc/thread-self/mountinfo"},
		{"symlink loop", "mkdir /proc/thread-self && ln -s mountinfo /proc/thread-self/mountinfo"},
		{"symlink elsewhere", "mkdir /proc/x && printf '" + forged + "' > /proc/x/mountinfo && ln -s /proc/x /proc/thread-self"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			script := "mount -t tmpfs none /proc && " + c.setup + " && echo ready && exec sleep 1000"
			cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
				unshare, "-Urm", "/bin/sh", "-c", script)
			testenv.Start(t, cmd)
			pid := cmd.Process.Pid
			waitExec(t, pid, "sleep")
			checkMounts(t, pid)
		})
	}
}

// TestHostileFUSE mounts a FUSE filesystem whose server never answers where
// nsinspect would look, in a mount namespace of a helper: over the joined
// namespace's /proc/thread-self, and over the directory that holds a
// bind-mounted network namespace, which nsinspect opens for its relations.
// Each run ends within a deadline or two, with the values it could read,
// and says on stderr what it skipped.
func TestHostileFUSE(t *testing.T) {
	testenv.RequireRoot(t)
	if _, err := os.Stat("/dev/fuse"); err != nil {
		testenv.Skip(t, "no /dev/fuse")
	}
	t.Run("thread-self", func(t *testing.T) {
		pid, _ := hungFUSEHelper(t, "proc", "")
		checkMounts(t, pid)
	})
	t.Run("bind mount path", func(t *testing.T) {
		dir := nsiTempDir(t)
		_, printed := hungFUSEHelper(t, "netns", dir)
		netns, err := strconv.ParseFloat(strings.Join(printed, ""), 64)
		if err != nil {
			t.Fatalf("helper printed %q, want an inode", printed)
		}
		out, stderr, elapsed := runBounded(t, "-J", "-l", "-t", "net", "-o", "NS,TYPE,NPROCS,NSFS,NETNSID,PNS,ONS")
		t.Logf("took %v; stderr %q", elapsed, stderr)
		var doc struct{ Namespaces []map[string]any }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, out)
		}
		var row map[string]any
		for _, r := range doc.Namespaces {
			if r["ns"] == netns {
				row = r
			}
		}
		if row == nil {
			t.Fatalf("the bind-mounted network namespace %v is not listed:\n%s", netns, out)
		}
		wantPath := filepath.Join(dir, "d", "netns")
		if row["nsfs"] != wantPath || row["nprocs"] != 0.0 {
			t.Errorf("row %v, want nsfs %q and nprocs 0", row, wantPath)
		}
		// Nothing could open it: what it would have told stays unknown.
		if row["netnsid"] != nil || row["ons"] != nil {
			t.Errorf("row %v: netnsid and ons must be null, nothing answered", row)
		}
		if !strings.HasPrefix(stderr, "nsinspect: ") || !strings.Contains(stderr, strconv.Quote(wantPath)) ||
			strings.Count(stderr, "\n") != 1 {
			t.Errorf("stderr %q, want one line that names the skipped mount %s", stderr, wantPath)
		}
	})
}

// hungFUSEHelper starts TestHelperHungFUSE in a mount namespace of its own
// and waits until it has mounted; mode "proc" mounts over /proc/thread-self,
// "netns" bind-mounts a new network namespace on dir/d/netns and then mounts
// over dir/d. It returns the helper's PID and what it printed. The mounts go
// with the helper's mount namespace; the FUSE connection ends with the
// helper.
func hungFUSEHelper(t *testing.T, mode, dir string) (pid int, printed []string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHungFUSE$")
	cmd.Env = append(os.Environ(), helperVar+"=fuse-"+mode, "NSI_HELPER_DIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS}
	printed = testenv.Start(t, cmd)
	return cmd.Process.Pid, printed
}

// TestHelperHungFUSE is not a test: run by hungFUSEHelper as a process of
// its own, it sets up the mounts and waits for stdin to close.
func TestHelperHungFUSE(t *testing.T) {
	mode := os.Getenv(helperVar)
	if mode != "fuse-proc" && mode != "fuse-netns" {
		return
	}
	// The namespace is new, but its mounts share propagation with the
	// host's: nothing made here may reach the host.
	helperCheck(unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""))
	var target string
	switch mode {
	case "fuse-proc":
		helperCheck(unix.Mount("none", "/proc", "tmpfs", 0, ""))
		target = "/proc/thread-self"
		helperCheck(os.Mkdir(target, 0o755))
	case "fuse-netns":
		dir := os.Getenv("NSI_HELPER_DIR")
		helperCheck(unix.Mount("none", dir, "tmpfs", 0, ""))
		target = filepath.Join(dir, "d")
		helperCheck(os.Mkdir(target, 0o755))
		file := filepath.Join(target, "netns")
		helperCheck(os.WriteFile(file, nil, 0o644))
		ino := bindNewNetns(file)
		fmt.Println(ino)
	}
	fuse, err := unix.Open("/dev/fuse", unix.O_RDWR|unix.O_CLOEXEC, 0)
	helperCheck(err)
	// A FUSE connection that never answers its INIT request: every
	// request on the mount then waits, killably, for good.
	helperCheck(unix.Mount("nsinspect-hung", target, "fuse", unix.MS_NOSUID|unix.MS_NODEV,
		fmt.Sprintf("fd=%d,rootmode=40000,user_id=0,group_id=0", fuse)))
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

// bindNewNetns makes a network namespace on a thread of its own, bind-mounts
// it on file (as ip netns add does) and returns its inode. The thread, left
// in that namespace, is thrown away after (onOtherThread keeps it off the
// main thread, which the runtime would keep).
func bindNewNetns(file string) uint64 {
	ino := make(chan uint64)
	onOtherThread(func() {
		helperCheck(unix.Unshare(unix.CLONE_NEWNET))
		var st unix.Stat_t
		helperCheck(unix.Stat("/proc/thread-self/ns/net", &st))
		helperCheck(unix.Mount("/proc/thread-self/ns/net", file, "", unix.MS_BIND, ""))
		ino <- st.Ino
	})
	return <-ino
}
