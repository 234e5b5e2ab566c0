//go:build privileged

package e2e

// Tests with command lines as long as execve allows: what a process writes
// there must not set nsinspect's time, memory or output. Each test starts its
// own shells in fresh ipc namespaces and kills only them. They need root;
// where NSINSPECT_REQUIRE_PRIVILEGED is set (CI) a skip is a failure.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/testenv"
	"github.com/nsinspect/nsinspect/render"
)

// lsnsCommandBytes is the most of a command line lsns shows: it reads
// cmdline into a BUFSIZ (8192) buffer and ends the text with a NUL.
const lsnsCommandBytes = 8191

// longArgv is the argv of a shell that stays alive holding it: a script and
// n arguments of 100,000 bytes (execve takes at most 128 KiB in one), the
// first all a, the next all b, and so on. The ":" after sleep keeps dash
// from exec'ing sleep in the shell's place, which would drop the argv.
func longArgv(n int) []string {
	args := []string{"-c", "echo ready; sleep 600; :", "sh"}
	for i := range n {
		args = append(args, strings.Repeat(string(rune('a'+i%26)), 100000))
	}
	return args
}

// commandLine returns the command line of pid as lsns and nsinspect show
// it, whole: NULs as spaces, the last one left out.
func commandLine(t *testing.T, pid int) string {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(strings.TrimRight(string(data), "\x00"), "\x00", " ")
}

// commandCell returns the part of a text line from start, the beginning of
// the shell's command, on: after any tree glyphs. "" if start is not there.
func commandCell(line, start string) string {
	if i := strings.Index(line, start); i >= 0 {
		return line[i:]
	}
	return ""
}

// TestLongCommandLines runs nsinspect on 200 processes with a 2 MB argv,
// each the representative of its own ipc namespace: each run ends in time,
// stays under 64 MiB, tables show lsns's 8191 bytes of each command line,
// raw and JSON output its first 128 KiB.
func TestLongCommandLines(t *testing.T) {
	testenv.RequireRoot(t)
	bin := nsinspectBin
	const procs = 200
	argv := longArgv(20)
	pids := map[string]bool{}
	var pid int
	for range procs {
		cmd := testenv.Command(syscall.CLONE_NEWIPC, "/bin/sh", argv...)
		testenv.Start(t, cmd)
		pid = cmd.Process.Pid
		pids[strconv.Itoa(pid)] = true
	}
	full := commandLine(t, pid)
	if len(full) < 2_000_000 {
		t.Fatalf("setup: the command line is %d bytes, want 2 MB", len(full))
	}
	table, long := full[:lsnsCommandBytes], full[:inspect.MaxCommand]
	const start = "/bin/sh -c echo ready"

	for _, args := range [][]string{{}, {"-J"}, {"-r"}, {"--output-all"}} {
		t.Run(strings.Join(append([]string{"nsinspect"}, args...), " "), func(t *testing.T) {
			pidField := 3 // NS TYPE NPROCS PID USER COMMAND
			if len(args) == 1 && args[0] == "--output-all" {
				pidField = 4 // NS TYPE PATH NPROCS PID PPID COMMAND ...
			}
			out, rss := runMeasured(t, bin, 30*time.Second, args...)
			if rss >= 64<<10 {
				t.Errorf("peak RSS %.1f MiB, want under 64 MiB", float64(rss)/1024)
			}
			// Each row is checked; the first wrong one is reported, and
			// how many there are.
			found, wrong, first := 0, 0, ""
			check := func(ok bool, format string, a ...any) {
				found++
				if !ok {
					if wrong == 0 {
						first = fmt.Sprintf(format, a...)
					}
					wrong++
				}
			}
			switch {
			case len(args) == 1 && args[0] == "-J":
				var doc struct{ Namespaces []map[string]any }
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatalf("invalid JSON: %v", err)
				}
				walkRows(doc.Namespaces, 0, func(r map[string]any, _ float64) {
					if pid, ok := r["pid"].(float64); !ok || !pids[strconv.Itoa(int(pid))] {
						return
					}
					got, _ := r["command"].(string)
					check(got == long, "pid %v: command of %d bytes (%.30q...), want the first %d bytes of its command line",
						r["pid"], len(got), got, len(long))
				})
			case len(args) == 1 && args[0] == "-r":
				for _, l := range strings.Split(string(out), "\n") {
					f := strings.Split(l, " ")
					if len(f) != 6 || !pids[f[3]] {
						continue
					}
					got := commandCell(f[5], render.Raw(start))
					check(got == render.Raw(long), "pid %s: raw COMMAND of %d bytes, want the first %d bytes of its command line, escaped",
						f[3], len(got), len(long))
				}
			default: // tables: the default columns, --output-all's
				for _, l := range strings.Split(string(out), "\n") {
					f := strings.Fields(l)
					if len(f) <= pidField || !pids[f[pidField]] {
						continue
					}
					// At the end of the line, or padded (--output-all).
					got := commandCell(l, start)
					rest, ok := strings.CutPrefix(got, table)
					check(ok && (rest == "" || rest[0] == ' '), "pid %s: COMMAND %.30q...%q, want the first %d bytes of its command line",
						f[pidField], got, got[max(0, len(got)-20):], lsnsCommandBytes)
				}
			}
			if found != procs {
				t.Errorf("%d rows of the long-argv processes, want %d", found, procs)
			}
			if wrong > 0 {
				t.Errorf("%d of %d rows wrong; the first: %s", wrong, found, first)
			}
		})
	}
}

// TestCommandLine100KB: a command line shorter than 128 KiB is carried whole
// in raw and JSON output; tables show it as lsns does, byte for byte.
func TestCommandLine100KB(t *testing.T) {
	lsns := testenv.RequireCommand(t, "lsns")
	testenv.RequireRoot(t)
	cmd := testenv.Command(syscall.CLONE_NEWIPC, "/bin/sh", longArgv(1)...)
	testenv.Start(t, cmd)
	pid := cmd.Process.Pid
	full := commandLine(t, pid)
	if len(full) < 100000 || len(full) >= inspect.MaxCommand {
		t.Fatalf("setup: the command line is %d bytes, want 100 KB", len(full))
	}
	ipc := strconv.FormatFloat(nsOf(t, pid, "ipc"), 'f', 0, 64)

	// Without PID and PPID, whose widths lsns 2.38 and 2.42 set apart
	// (see TestAgreesWithLsns).
	for _, args := range [][]string{{"-o", "USER,COMMAND", ipc}, {"-l", "-o", "USER,COMMAND", ipc}} {
		t.Run("table "+strings.Join(args, " "), func(t *testing.T) {
			want := lsnsOutput(t, lsns, args...)
			var got, stderr bytes.Buffer
			if code := runBinary(t, args, &got, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("(-lsns +nsinspect):\n%.2000s", diff)
			}
		})
	}

	rows := jsonRows(t, "-J", ipc)
	if len(rows) != 1 {
		t.Fatalf("JSON: %d rows, want the shell's", len(rows))
	}
	if got, _ := rows[0]["command"].(string); got != full {
		t.Errorf("JSON command of %d bytes, want the whole command line, %d bytes", len(got), len(full))
	}
	// lsns shows the first 8191 bytes here too: nsinspect differs on
	// purpose.
	if theirs := lsnsRows(t, lsns, "-J", ipc); len(theirs) != 1 || theirs[0]["command"] != full[:lsnsCommandBytes] {
		t.Errorf("lsns -J: want the first %d bytes of the command line", lsnsCommandBytes)
	}

	var out, stderr bytes.Buffer
	if code := runBinary(t, []string{"-r", ipc}, &out, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	// PID PPID USER COMMAND: the shell, then its sleep.
	shell := strconv.Itoa(pid) + " " + strconv.Itoa(os.Getpid()) + " root " + render.Raw(full) + "\n"
	if !strings.Contains(out.String(), "\n"+shell) {
		t.Errorf("raw output of %d bytes, want the shell's line with the whole command line, escaped", out.Len())
	}
}

// runMeasured runs the nsinspect binary with args through TestHelperRusage
// and returns its stdout and its peak RSS in KiB. It fails t if the run
// takes more than limit, and then kills it.
func runMeasured(t *testing.T, bin string, limit time.Duration, args ...string) (stdout []byte, maxRSS int64) {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^TestHelperRusage$", "--", bin}, args...)...)
	cmd.Env = append(os.Environ(), helperVar+"=rusage")
	// The helper and nsinspect in a process group of their own, to kill
	// both when the time is up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nsinspect %s did not finish in %v", strings.Join(args, " "), limit)
	}
	if err != nil {
		t.Fatalf("nsinspect %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	report := strings.TrimSpace(stderr.String())
	if _, err := fmt.Sscanf(report[strings.LastIndexByte(report, '\n')+1:], "maxrss %d", &maxRSS); err != nil {
		t.Fatalf("helper said %q: %v", report, err)
	}
	if stdout, err = os.ReadFile(out.Name()); err != nil {
		t.Fatal(err)
	}
	return stdout, maxRSS
}

// TestHelperRusage is not a test: run by runMeasured with helperVar=rusage,
// it runs the command after "--" on its own stdout and stderr, then prints
// the command's peak RSS in KiB. A child's
// ru_maxrss starts at the peak RSS of the process it was forked from (exec
// records the old memory's high-water mark, and Go forks with vfork, in the
// parent's memory): the test process, which holds outputs of many
// megabytes, may not start nsinspect itself. This one is fresh and small.
func TestHelperRusage(t *testing.T) {
	if os.Getenv(helperVar) != "rusage" {
		return
	}
	argv := flag.Args()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "\nmaxrss %d\n", cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	os.Exit(0)
}
