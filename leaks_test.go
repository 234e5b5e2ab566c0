//go:build privileged

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// The one privileged test of the command that runs it in the test's own
// process, as the hermetic ones do: what it checks is that process, after
// run() returns. The scenarios that run the built binary are in e2e.

// TestNoLeaks scans with every column, which opens namespaces, duplicates
// sockets and joins namespaces on throwaway threads: afterwards the process
// has the same fds, no extra goroutines, and every thread is still in the
// namespaces it started in, the main thread too (the runtime parks a main
// thread whose goroutine exits locked, for good, in whatever namespace it
// joined). The scans are in every format and tree, those that
// TestInsideOutputAll (e2e) makes of the binary.
func TestNoLeaks(t *testing.T) {
	testenv.RequireRoot(t)
	// A shell and its child in fresh namespaces, to be joined.
	sleeper := testenv.Command(syscall.CLONE_NEWUTS|syscall.CLONE_NEWIPC|syscall.CLONE_NEWNET|
		syscall.CLONE_NEWPID|syscall.CLONE_NEWNS|syscall.CLONE_NEWCGROUP,
		"/bin/sh", "-c", "sleep 600 & echo ready; wait")
	testenv.Start(t, sleeper)
	before := threadNamespaces(t)
	fds := openFDs(t)
	goroutines := runtime.NumGoroutine()
	for _, args := range [][]string{
		{"--output-all", "-J"}, {"--output-all", "--tree=owner"}, {"--output-all", "-P", "-r"},
		{"--output-all", "-J", "-l"}, {"--output-all", "-J", "--tree=owner"}, {"--output-all", "-r"},
		{"--output-all"}, {"--output-all", "-l"}, {"--output-all", "-T"}, {"--output-all", "--tree=parent"},
		{"--output-all", "--tree=process"}, {"--output-all", "-W"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
	}
	if got := openFDs(t); got != fds {
		t.Errorf("open fds: %d after the scans, %d before", got, fds)
	}
	// Threads that joined other namespaces end with their goroutines.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > goroutines {
		t.Errorf("goroutines: %d after the scans, %d before", got, goroutines)
	}
	// A thread that joined a namespace may take a moment to exit after its
	// goroutine; none may stay.
	var strays []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		strays = strays[:0]
		for tid, links := range threadNamespaces(t) {
			for typ, link := range links {
				if want := before[""][typ]; link != want {
					strays = append(strays, fmt.Sprintf("thread %s is in %s, want %s", tid, link, want))
				}
			}
		}
		if len(strays) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, s := range strays {
		t.Error(s)
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// threadNamespaces maps each thread of this process to its namespace links;
// the entry "" is the process's own.
func threadNamespaces(t *testing.T) map[string]map[string]string {
	t.Helper()
	read := func(dir string) map[string]string {
		links := map[string]string{}
		for _, typ := range []string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"} {
			if l, err := os.Readlink(filepath.Join(dir, "ns", typ)); err == nil {
				links[typ] = l
			}
		}
		return links
	}
	all := map[string]map[string]string{"": read("/proc/self")}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		all[task.Name()] = read(filepath.Join("/proc/self/task", task.Name()))
	}
	return all
}
