// Package testenv tells tests what this machine lets them do, and starts the
// processes in fresh namespaces that privileged tests inspect.
package testenv

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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

// Command returns a command for name and args that runs in the namespaces
// cloneflags (syscall.CLONE_*) create, for Start.
func Command(cloneflags uintptr, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: cloneflags}
	return cmd
}

// Launch starts cmd in a process group of its own and kills that group,
// and only it, when the test ends: cmd's children go with it, in whatever
// pid namespace, nothing else does. Its stderr is the test's; its stdin, if
// not set, a pipe that stays open until then (helpers wait for its end).
func Launch(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	if cmd.Stdin == nil {
		if _, err := cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", cmd.Args, err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
}

// readyTimeout bounds how long Start waits for a command to set up what a
// test inspects: generous, since some set up much (99,990 mounts) on a
// loaded machine, under the race detector; it only shows when one hangs.
const readyTimeout = 2 * time.Minute

// Start launches cmd (Launch) and returns once it has printed "ready" on a
// line of its own, so that it has set up what the test inspects, with the
// lines it printed before.
func Start(t testing.TB, cmd *exec.Cmd) []string {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	Launch(t, cmd)
	type result struct {
		lines []string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var lines []string
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "ready" {
				done <- result{lines, nil}
				return
			}
			lines = append(lines, sc.Text())
		}
		done <- result{lines, fmt.Errorf("no ready line (%v)", sc.Err())}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("%v: %v; printed %q", cmd.Args, r.err, r.lines)
		}
		return r.lines
	case <-time.After(readyTimeout):
		t.Fatalf("%v did not get ready in %v", cmd.Args, readyTimeout)
	}
	return nil
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

var (
	builtMu sync.Mutex
	built   string // the binary, once built
)

// Nsinspect builds the nsinspect command, once per test binary, in a
// directory that other users may enter (tests run it as nobody), and
// returns its path. TestMain removes it with RemoveBuilt.
func Nsinspect(t testing.TB) string {
	t.Helper()
	builtMu.Lock()
	defer builtMu.Unlock()
	if built != "" {
		return built
	}
	dir, err := BinDir()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "nsinspect")
	if err := Build(bin, false); err != nil {
		t.Fatal(err)
	}
	built = bin
	return bin
}

// RemoveBuilt removes what Nsinspect built; TestMain calls it after the
// tests.
func RemoveBuilt() {
	builtMu.Lock()
	defer builtMu.Unlock()
	if built != "" {
		os.RemoveAll(filepath.Dir(built))
	}
}

// BinDir makes a temporary directory for built binaries that other users
// may enter, as the tests that run nsinspect as nobody need.
func BinDir() (string, error) {
	dir, err := os.MkdirTemp("", "nsinspect-bin-")
	if err != nil {
		return "", err
	}
	return dir, os.Chmod(dir, 0o755)
}

// Build builds the nsinspect command as bin, with the race detector where
// race is set.
func Build(bin string, race bool) error {
	args := []string{"build", "-o", bin}
	if race {
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, "github.com/nsinspect/nsinspect")...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// Dot runs Graphviz's dot, at the path dot, on a graph and returns what it
// writes in format (svg, json); a warning on stderr fails t, as an error
// does.
func Dot(t testing.TB, dot, format string, graph []byte) []byte {
	t.Helper()
	cmd := exec.Command(dot, "-T"+format)
	cmd.Stdin = bytes.NewReader(graph)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -T%s: %v\n%s", format, err, stderr.String())
	}
	return out
}
