//go:build privileged

package inspect

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// TestReadInside: the readers that enter a namespace read what its inside
// shows, on namespaces this test makes: a process in new uts, ipc, cgroup
// and network namespaces, with a host name and a shared memory segment of
// its own, and a network namespace that no process is in (bind-mounted),
// whose interfaces only a thread that joins it can read.
func TestReadInside(t *testing.T) {
	testenv.RequireRoot(t)
	ipcmk := testenv.RequireCommand(t, "ipcmk")
	hostname := fmt.Sprintf("nsi-inside-%d", os.Getpid())
	cmd := testenv.Command(syscall.CLONE_NEWUTS|syscall.CLONE_NEWIPC|syscall.CLONE_NEWCGROUP|syscall.CLONE_NEWNET,
		"/bin/sh", "-c", `hostname "$1" && "$2" -M 4096 >/dev/null && echo ready && exec sleep 600`, "sh", hostname, ipcmk)
	testenv.Start(t, cmd)
	bound := testenv.BoundNetNS(t)
	var st syscall.Stat_t
	if err := syscall.Stat(bound, &st); err != nil {
		t.Fatal(err)
	}

	s, err := Scan(Options{FindHolders: true})
	if err != nil {
		t.Fatal(err)
	}
	p := s.Process(cmd.Process.Pid)
	if p == nil {
		t.Fatalf("process %d not scanned", cmd.Process.Pid)
	}
	cgroup, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", p.PID))
	if err != nil {
		t.Fatal(err)
	}
	// A new uts namespace starts with its creator's names.
	var own syscall.Utsname
	if err := syscall.Uname(&own); err != nil {
		t.Fatal(err)
	}
	var domain []byte
	for _, c := range own.Domainname {
		if c == 0 {
			break
		}
		domain = append(domain, byte(c))
	}
	// unshare(CLONE_NEWCGROUP) makes the process's cgroup the root.
	line, _ := hierarchy(parseCgroup(cgroup))
	for _, tt := range []struct {
		name string
		ns   *Namespace
		read func(*Snapshot, *Namespace, *Contents)
		want Contents
	}{
		{"uts", s.Namespace(p.NS[UTS]), (*Snapshot).readUTS, Contents{UTS: &UTSNames{Hostname: hostname, Domainname: string(domain)}}},
		{"ipc", s.Namespace(p.NS[IPC]), (*Snapshot).readIPC, Contents{IPC: &IPCObjects{Shm: 1}}},
		{"cgroup", s.Namespace(p.NS[Cgroup]), (*Snapshot).readCgroupRoot, Contents{CgroupRoot: line.path}},
		{"net of a member", s.Namespace(p.NS[Net]), (*Snapshot).readIfaces, Contents{Ifaces: []string{"lo"}}},
		{"net without a member", s.Namespace(NSID(st.Ino)), (*Snapshot).readIfaces, Contents{Ifaces: []string{"lo"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ns == nil {
				t.Fatal("namespace not scanned")
			}
			var c Contents
			tt.read(s, tt.ns, &c)
			if diff := cmp.Diff(tt.want, c); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if line.path == "" || strings.HasPrefix(line.path, "/..") || s.NotEntered() != 0 {
		t.Errorf("cgroup %q, not entered %d: want a path, and every namespace entered", line.path, s.NotEntered())
	}
}
