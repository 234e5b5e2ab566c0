// Package testenv tells tests what this machine lets them do, and starts the
// processes in fresh namespaces that privileged tests inspect.
package testenv

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// RequireVar, when set (CI sets it), turns every skip of a privileged test
// into a failure: those tests must really run there.
const RequireVar = "NSINSPECT_REQUIRE_PRIVILEGED"

// Skip skips t for reason, or fails it where RequireVar is set.
func Skip(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv(RequireVar) != "" {
		t.Fatalf("%s, but %s is set: this test must run", reason, RequireVar)
	}
	t.Skip(reason)
}

// RequireRoot skips t unless it runs as root.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Skip(t, "needs root to create namespaces")
	}
}

// RequireCommand returns the path of a program, or skips t without it.
func RequireCommand(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Skip(t, name+" is not installed")
	}
	return path
}

// Start runs a command in the namespaces that cloneflags (syscall.CLONE_*)
// create and kills it, and only it, when the test ends. The command must
// stay alive until killed; Start returns once it has written its first line
// on stdout, so that it has set up what it inspects.
func Start(t testing.TB, cloneflags uintptr, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: cloneflags, Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		// The process group is the one Setpgid made for this command:
		// its own children go with it, nothing else does.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	ready := make(chan error, 1)
	go func() {
		var b [1]byte
		_, err := io.ReadFull(stdout, b[:])
		ready <- err
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatalf("%s did not get ready: %v", name, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not get ready in 10s", name)
	}
	return cmd
}

// BoundNetNS makes a network namespace that no process is in, bind-mounted
// on a file (as `ip netns add` does, with unshare --net=FILE), and returns
// the file; the mount goes when the test ends.
func BoundNetNS(t testing.TB) string {
	t.Helper()
	unshare := RequireCommand(t, "unshare")
	file := filepath.Join(t.TempDir(), "netns")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(unshare, "--net="+file, "true").CombinedOutput(); err != nil {
		t.Fatalf("unshare --net=%s: %v\n%s", file, err, out)
	}
	// Registered after t.TempDir: runs before the directory is removed.
	t.Cleanup(func() {
		if err := syscall.Unmount(file, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", file, err)
		}
	})
	return file
}
