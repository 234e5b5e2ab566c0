//go:build privileged

package e2e

// Tests of how nsinspect discovers namespaces that lsns 2.38 cannot see, or
// sees only in part: relations through the NS_GET_* ioctls, namespaces held
// by an fd, a socket or a bind mount, mounts of other mount namespaces,
// namespaces that only a thread is in. Each test creates its own namespaces
// (network namespaces named nsi-test-<pid>-<n>, temporary directories named
// nsi-test-*), and undoes exactly what it created. They need root; where
// NSINSPECT_REQUIRE_PRIVILEGED is set (CI) a skip is a failure.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// TestDiscoveryOwnerAndParent pins down how the kernel relates the namespaces
// of `unshare --user --pid --fork`: the new user namespace's parent and owner
// are both the creator's user namespace; the new pid namespace's parent is
// the creator's pid namespace and its owner the new user namespace (it was
// created with the new user's credentials); only user and pid namespaces have
// a parent (NS_GET_PARENT), the others show 0.
func TestDiscoveryOwnerAndParent(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "unshare")
	cmd := exec.Command("unshare", "--user", "--map-root-user", "--pid", "--mount-proc", "--fork",
		"/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, cmd)
	child := onlyChildOf(t, cmd.Process.Pid)

	hostUser, hostPID := nsOf(t, os.Getpid(), "user"), nsOf(t, os.Getpid(), "pid")
	childUser := nsOf(t, child, "user")
	want := map[string]map[string]any{}
	for _, typ := range nsTypes(t, child) {
		pns, ons := 0.0, hostUser
		switch typ {
		case "user":
			pns = hostUser
		case "pid":
			pns, ons = hostPID, childUser
		case "mnt": // --mount-proc made it, as the new user
			ons = childUser
		}
		want[typ] = map[string]any{"ns": nsOf(t, child, typ), "type": typ, "pns": pns, "ons": ons}
	}
	got := map[string]map[string]any{}
	for _, r := range jsonRows(t, "-J", "-l", "-o", "NS,TYPE,PNS,ONS", "-p", strconv.Itoa(child)) {
		got[r["type"].(string)] = r
	}
	if diff := cmp.Diff(want, got, exactNumbers); diff != "" {
		t.Errorf("namespaces of pid %d by type (-want +got):\n%s", child, diff)
	}
}

// TestDiscoveryGhostUserNamespace pins down that a user namespace lives on
// while a child user namespace does, with no process in it: `unshare --user
// unshare --user` leaves U1 empty between the host's user namespace and U2.
// NS_GET_PARENT on U2 is the only way to reach U1; nsinspect must show it,
// with 0 processes, wherever relations are asked for.
func TestDiscoveryGhostUserNamespace(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "unshare")
	cmd := exec.Command("unshare", "--user", "--map-root-user", "unshare", "--user",
		"/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, cmd)
	pid := cmd.Process.Pid // both unshares exec: this is the sleep
	host := nsOf(t, os.Getpid(), "user")
	u2 := nsOf(t, pid, "user")
	u1 := parentNS(t, fmt.Sprintf("/proc/%d/ns/user", pid))
	if u1 == host || u1 == u2 {
		t.Fatalf("setup: the parent of the user namespace %.0f is %.0f, want a new one (host %.0f)", u2, u1, host)
	}

	t.Run("owner tree", func(t *testing.T) {
		rows := jsonRows(t, "-J", "--tree=owner", "-t", "user", "-o", "NS,TYPE,NPROCS,PID,PNS")
		above := map[float64]float64{}
		var ghost map[string]any
		walkRows(rows, 0, func(r map[string]any, parent float64) {
			ns := r["ns"].(float64)
			above[ns] = parent
			if ns == u1 {
				ghost = r
			}
		})
		if above[u1] != host || above[u2] != u1 {
			t.Errorf("nested under: %.0f under %.0f and %.0f under %.0f, want host %.0f > U1 %.0f > U2 %.0f",
				u1, above[u1], u2, above[u2], host, u1, u2)
		}
		want := map[string]any{
			"ns": u1, "type": "user", "nprocs": 0.0, "pid": nil, "pns": host,
			"children": []any{map[string]any{
				"ns": u2, "type": "user", "nprocs": 1.0, "pid": float64(pid), "pns": u1,
			}},
		}
		if diff := cmp.Diff(want, ghost, exactNumbers); diff != "" {
			t.Errorf("U1's subtree (-want +got):\n%s", diff)
		}
	})

	t.Run("flat list", func(t *testing.T) {
		want := map[float64]map[string]any{
			u1: {"ns": u1, "type": "user", "nprocs": 0.0, "pns": host},
			u2: {"ns": u2, "type": "user", "nprocs": 1.0, "pns": u1},
		}
		got := rowsByNS(jsonRows(t, "-J", "-l", "-o", "NS,TYPE,NPROCS,PNS"), u1, u2)
		if diff := cmp.Diff(want, got, exactNumbers); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// TestDiscoveryFDHeldNetns pins down that an open fd on a namespace's nsfs
// file keeps the namespace alive after its last process and its bind mount
// are gone (lsns's own test: `ip netns add`, fd 4 on /run/netns/X, `ip netns
// delete`). The kernel gives such an fd two shapes of /proc/PID/fd link:
// opened through a bind mount, the link is the mount's path (and "/" once
// the mount is detached), since the fd's dentry is the root of that mount;
// opened through a /proc/PID/ns link, it reads "net:[inode]". Both are the
// same nsfs file (same st_dev and st_ino) and must be found.
func TestDiscoveryFDHeldNetns(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "ip")
	for _, tc := range []struct {
		name string
		// start starts a process outside netns that holds it on fd 4.
		start func(t *testing.T, netns string) *exec.Cmd
	}{
		{"opened through the bind mount", func(t *testing.T, netns string) *exec.Cmd {
			cmd := exec.Command("/bin/sh", "-c", `exec 4<"$1"; echo ready; exec sleep 600`, "sh", "/run/netns/"+netns)
			testenv.Start(t, cmd)
			return cmd
		}},
		{"opened through /proc/PID/ns", func(t *testing.T, netns string) *exec.Cmd {
			nsenter := testenv.RequireCommand(t, "nsenter")
			// The shell opens its own netns (link "net:[inode]"), then
			// leaves it for the test's. ip netns exec also gives it a
			// mount namespace of its own, a slave of ours.
			cmd := exec.Command("ip", "netns", "exec", netns, "/bin/sh", "-c",
				`exec 4</proc/self/ns/net; exec "$1" --net=/proc/"$2"/ns/net /bin/sh -c 'echo ready; exec sleep 600'`,
				"sh", nsenter, strconv.Itoa(os.Getpid()))
			testenv.Start(t, cmd)
			return cmd
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			netns := addNetns(t)
			id := inodeAt(t, "/run/netns/"+netns)
			holder := tc.start(t, netns)
			if link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/4", holder.Process.Pid)); err != nil {
				t.Fatal(err)
			} else if inodeAt(t, fmt.Sprintf("/proc/%d/fd/4", holder.Process.Pid)) != id {
				t.Fatalf("setup: fd 4 (%s) of pid %d is not netns %.0f", link, holder.Process.Pid, id)
			} else {
				t.Logf("fd 4 of pid %d -> %s", holder.Process.Pid, link)
			}
			runIPNetns(t, "delete", netns)
			if nsOf(t, holder.Process.Pid, "net") == id {
				t.Fatalf("setup: pid %d is in netns %.0f, want it held by fd only", holder.Process.Pid, id)
			}

			want := map[string]any{"ns": id, "type": "net", "nprocs": 0.0, "pid": nil, "user": "root"}
			for _, args := range [][]string{
				{"-J", "-l", "-o", "NS,TYPE,NPROCS,PID,USER"},
				{"-J", "-P", "-o", "NS,TYPE,NPROCS,PID,USER"},
				{"-J", "-P", "-t", "net", "-o", "NS,TYPE,NPROCS,PID,USER"},
			} {
				got := rowsByNS(jsonRows(t, args...), id)[id]
				if diff := cmp.Diff(want, got, exactNumbers); diff != "" {
					t.Errorf("nsinspect %s: netns %.0f (-want +got):\n%s", strings.Join(args, " "), id, diff)
				}
			}

			// The default table: NS TYPE NPROCS PID USER COMMAND.
			var stdout, stderr bytes.Buffer
			if code := runBinary(t, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("nsinspect: exit %d: %s", code, stderr.String())
			}
			wantLine := []string{strconv.FormatFloat(id, 'f', 0, 64), "net", "0", "root"}
			found := false
			for _, line := range strings.Split(stdout.String(), "\n") {
				if f := strings.Fields(line); len(f) > 0 && f[0] == wantLine[0] {
					found = true
					if !slices.Equal(f, wantLine) {
						t.Errorf("nsinspect: line %q, want the fields %q", line, wantLine)
					}
				}
			}
			if !found {
				t.Errorf("nsinspect: netns %.0f not listed", id)
			}
		})
	}
}

// TestDiscoverySocketHeldNetns pins down that a socket pins the network
// namespace it was created in: no process is in the namespace, no fd is on
// its nsfs file, no mount holds it, yet it lives while the socket does, and
// the kernel tells which it is only through ioctl(SIOCGSKNS) on the socket.
// lsns 2.38 does not list such a namespace (2.41 does); nsinspect must,
// also where its holder holds enough sockets of its own namespace for
// nsinspect to read that namespace's socket tables rather than ask about
// each socket.
func TestDiscoverySocketHeldNetns(t *testing.T) {
	testenv.RequireRoot(t)
	for _, mode := range []string{"socket", "socket+home"} {
		t.Run(mode, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSocketHolder$")
			cmd.Env = append(os.Environ(), helperVar+"="+mode)
			lines := testenv.Start(t, cmd)
			if len(lines) != 1 {
				t.Fatalf("helper printed %q, want the netns inode", lines)
			}
			id, err := strconv.ParseFloat(lines[0], 64)
			if err != nil {
				t.Fatalf("helper printed %q, want the netns inode", lines[0])
			}
			for _, p := range []int{os.Getpid(), cmd.Process.Pid} {
				if nsOf(t, p, "net") == id {
					t.Fatalf("setup: pid %d is in the socket's netns %.0f", p, id)
				}
			}

			want := map[string]any{"ns": id, "type": "net", "nprocs": 0.0, "pid": nil}
			for _, args := range [][]string{
				{"-J", "-l", "-o", "NS,TYPE,NPROCS,PID"},
				{"-J", "-l", "-t", "net", "-o", "NS,TYPE,NPROCS,PID"},
				{"-J", "-P", "-o", "NS,TYPE,NPROCS,PID"},
			} {
				got := rowsByNS(jsonRows(t, args...), id)[id]
				if diff := cmp.Diff(want, got, exactNumbers); diff != "" {
					t.Errorf("nsinspect %s: netns %.0f (-want +got):\n%s", strings.Join(args, " "), id, diff)
				}
			}
		})
	}
}

// TestHelperSocketHolder is not a test: run by TestDiscoverySocketHeldNetns
// with helperVar=socket, it creates a socket in a new network namespace,
// returns to its own, prints the new namespace's inode and "ready", and
// keeps the socket open until its stdin closes. With helperVar=socket+home
// it also holds 300 sockets of its own namespace (unix socket pairs, bound
// UDP sockets): more than inspect reads socket tables for. With
// helperVar=socket+10k (TestAdversarialSockets) it holds 10,000: 100 in the
// new namespace (listening TCP sockets and unix socket pairs besides the
// UDP one), the others in its own.
func TestHelperSocketHolder(t *testing.T) {
	// Sockets in the new namespace, and rounds of three in the helper's.
	away, rounds := 0, 0
	switch os.Getenv(helperVar) {
	case "socket":
	case "socket+home":
		rounds = 100
	case "socket+10k":
		away, rounds = 100, 3300
	default:
		return
	}
	// unshare and setns act on the calling thread only.
	runtime.LockOSThread()
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	helperCheck(err)
	helperCheck(unix.Unshare(unix.CLONE_NEWNET))
	var st unix.Stat_t
	helperCheck(unix.Stat("/proc/thread-self/ns/net", &st))
	sock, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	helperCheck(err)
	for made := 1; made < away; made += 3 {
		// A listening TCP socket (on any address: the namespace's
		// loopback is down) and a unix socket pair.
		tcp, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		helperCheck(err)
		helperCheck(unix.Listen(tcp, 1))
		_, err = unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		helperCheck(err)
	}
	helperCheck(unix.Setns(orig, unix.CLONE_NEWNET))
	helperCheck(unix.Close(orig))
	runtime.UnlockOSThread() // back where it was: any goroutine may use it
	for range rounds {
		_, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		helperCheck(err)
		udp, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		helperCheck(err)
		helperCheck(unix.Bind(udp, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}))
	}
	fmt.Printf("%d\nready\n", st.Ino)
	_, _ = io.Copy(io.Discard, os.Stdin)
	unix.Close(sock)
	os.Exit(0)
}

// TestDiscoveryNSFSAndNetNSID pins down that one namespace can be bind-mounted
// at several places, each a line of mountinfo with the root "net:[inode]",
// and that a netns id set with `ip netns set` (RTM_NEWNSID) is what
// RTM_GETNSID returns and what `ip link` shows as the link-netnsid of a veth
// whose peer is in that namespace.
func TestDiscoveryNSFSAndNetNSID(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "ip")
	netns := addNetns(t)
	id := inodeAt(t, "/run/netns/"+netns)
	nsid := setNetnsID(t, netns)

	dir := nsiTempDir(t)
	second := filepath.Join(dir, "y")
	if err := os.WriteFile(second, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(second, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
			t.Errorf("umount %s: %v", second, err)
		}
	})
	if err := unix.Mount("/run/netns/"+netns, second, "", unix.MS_BIND, ""); err != nil {
		t.Fatalf("mount --bind /run/netns/%s %s: %v", netns, second, err)
	}

	for _, tc := range []struct {
		args []string
		sep  string
	}{
		{[]string{"-J", "-t", "net", "-o", "NS,NETNSID,NSFS"}, "\n"},
		{[]string{"-J", "-W", "-t", "net", "-o", "NS,NETNSID,NSFS"}, ","},
	} {
		want := map[string]any{"ns": id, "netnsid": strconv.Itoa(nsid), "nsfs": "/run/netns/" + netns + tc.sep + second}
		got := rowsByNS(jsonRows(t, tc.args...), id)[id]
		if diff := cmp.Diff(want, got, exactNumbers); diff != "" {
			t.Errorf("nsinspect %s: netns %.0f (-want +got):\n%s", strings.Join(tc.args, " "), id, diff)
		}
	}

	t.Run("veth link-netnsid", func(t *testing.T) {
		n := netnsSeq.Add(1)
		host, peer := fmt.Sprintf("nsi%dh%d", os.Getpid(), n), fmt.Sprintf("nsi%dp%d", os.Getpid(), n)
		t.Cleanup(func() {
			// Deleting either end deletes the pair; the netns's deletion
			// would too.
			if _, err := os.Stat("/sys/class/net/" + host); err == nil {
				runIP(t, "link", "delete", host)
			}
		})
		runIP(t, "link", "add", host, "type", "veth", "peer", "name", peer)
		runIP(t, "link", "set", peer, "netns", netns)
		// ip -o prints the netns's name (link-netns NAME) where it has
		// one; its JSON always has the id.
		var links []struct {
			NetNSID *int `json:"link_netnsid"`
		}
		out := runIP(t, "-j", "link", "show", host)
		if err := json.Unmarshal([]byte(out), &links); err != nil || len(links) != 1 || links[0].NetNSID == nil {
			t.Fatalf("ip -j link show %s: no link_netnsid in %q (%v)", host, out, err)
		}
		linkID := strconv.Itoa(*links[0].NetNSID)
		if linkID != strconv.Itoa(nsid) {
			t.Errorf("setup: link-netnsid of %s is %s, want %d as set", host, linkID, nsid)
		}
		rows := rowsByNS(jsonRows(t, "-J", "-t", "net", "-o", "NS,NETNSID"), id)
		if got := rows[id]["netnsid"]; got != linkID {
			t.Errorf("NETNSID of netns %.0f is %v, want %s as ip link's link-netnsid of %s", id, got, linkID, host)
		}
	})
}

// TestDiscoveryNSFSInOtherMountNamespace pins down that mounts are per mount
// namespace: a bind mount of a uts namespace made inside a private mount
// namespace is in that namespace's mountinfo only, under the path that
// namespace sees, and nsinspect must read it there.
func TestDiscoveryNSFSInOtherMountNamespace(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "unshare")
	dir := nsiTempDir(t)
	target := filepath.Join(dir, "f")
	cmd := exec.Command("unshare", "--mount", "--propagation", "private", "--uts", "/bin/sh", "-c",
		`touch "$1" && mount --bind /proc/self/ns/uts "$1" && echo ready && exec sleep 600`, "sh", target)
	testenv.Start(t, cmd)
	pid := cmd.Process.Pid // unshare execs: this is the sleep
	uts := nsOf(t, pid, "uts")

	own, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(own, []byte(target)) {
		t.Fatalf("setup: the mount on %s leaked into the test's mount namespace", target)
	}
	theirs, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(theirs, []byte(target)) {
		t.Fatalf("setup: no mount on %s in pid %d's mount namespace", target, pid)
	}

	want := map[string]any{"ns": uts, "nsfs": target}
	got := rowsByNS(jsonRows(t, "-J", "-o", "NS,NSFS", "-t", "uts"), uts)[uts]
	if diff := cmp.Diff(want, got, exactNumbers); diff != "" {
		t.Errorf("uts namespace %.0f (-want +got):\n%s", uts, diff)
	}
}

// TestDiscoveryThreadOnlyNamespace pins down that unshare(2) acts on the
// calling thread: a thread can be alone in a namespace that its thread-group
// leader, and so /proc/PID/ns, is not in. Only /proc/PID/task/TID/ns shows
// it. lsns never reads tasks; nsinspect does with --threads.
func TestDiscoveryThreadOnlyNamespace(t *testing.T) {
	testenv.RequireRoot(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperThreadUTS$")
	cmd.Env = append(os.Environ(), helperVar+"=thread")
	lines := testenv.Start(t, cmd)
	var tid int
	var uts float64
	if len(lines) != 1 {
		t.Fatalf("helper printed %q, want its TID and uts inode", lines)
	}
	if _, err := fmt.Sscan(lines[0], &tid, &uts); err != nil {
		t.Fatalf("helper printed %q, want its TID and uts inode: %v", lines[0], err)
	}
	if nsOf(t, cmd.Process.Pid, "uts") == uts {
		t.Fatalf("setup: the helper's leader is in the thread's uts namespace %.0f", uts)
	}

	if got := rowsByNS(jsonRows(t, "-J", "-l", "-t", "uts", "-o", "NS,NPROCS,PID"), uts); len(got) != 0 {
		t.Errorf("without --threads: uts namespace %.0f listed: %v", uts, got)
	}
	want := map[string]any{"ns": uts, "nprocs": 1.0, "pid": float64(tid)}
	got := rowsByNS(jsonRows(t, "--threads", "-J", "-t", "uts", "-o", "NS,NPROCS,PID"), uts)[uts]
	if diff := cmp.Diff(want, got, exactNumbers); diff != "" {
		t.Errorf("--threads: uts namespace %.0f (-want +got):\n%s", uts, diff)
	}
}

// TestHelperThreadUTS is not a test: run by TestDiscoveryThreadOnlyNamespace
// with helperVar=thread, it moves one thread into a new uts namespace, prints
// that thread's TID and the namespace's inode, then "ready", and lives until
// its stdin closes.
func TestHelperThreadUTS(t *testing.T) {
	if os.Getenv(helperVar) != "thread" {
		return
	}
	ready := make(chan string)
	onOtherThread(func() {
		helperCheck(unix.Unshare(unix.CLONE_NEWUTS))
		helperCheck(unix.Sethostname([]byte("nsi-thread")))
		var st unix.Stat_t
		helperCheck(unix.Stat("/proc/thread-self/ns/uts", &st))
		ready <- fmt.Sprintf("%d %d", unix.Gettid(), st.Ino)
	})
	fmt.Printf("%s\nready\n", <-ready)
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

// TestDiscoveryAgreesWithLsns uses lsns 2.38 as an oracle on the relations
// and network columns: for namespaces this test created that have processes
// (lsns 2.38 misses the others), both tools must report the same values of
// every column they share, the same owner and parent subtrees, and, for
// -p of a test process (whose tree holds host namespaces, without NPROCS,
// which the two runs count differently), the same JSON byte for byte. It pins
// down what NS_GET_USERNS, NS_GET_PARENT and RTM_GETNSID return for the
// namespaces of `unshare --user --pid --net --uts --ipc --mount --cgroup` and
// of `ip netns exec`.
func TestDiscoveryAgreesWithLsns(t *testing.T) {
	testenv.RequireRoot(t)
	lsns := testenv.RequireCommand(t, "lsns")
	testenv.RequireCommand(t, "ip")
	testenv.RequireCommand(t, "unshare")
	const cols = "NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER,NETNSID,NSFS,PNS,ONS"

	netns := addNetns(t)
	inNetns := exec.Command("ip", "netns", "exec", netns, "/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, inNetns)
	unshared := exec.Command("unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
		"--net", "--uts", "--ipc", "--cgroup", "/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, unshared)
	child := onlyChildOf(t, unshared.Process.Pid)
	// COMMAND is compared: both shells must have become the sleep.
	waitExec(t, inNetns.Process.Pid, "sleep")
	waitExec(t, child, "sleep")

	created := map[float64]bool{}
	for _, pid := range []int{inNetns.Process.Pid, unshared.Process.Pid, child} {
		for _, typ := range nsTypes(t, pid) {
			if id := nsOf(t, pid, typ); id != nsOf(t, os.Getpid(), typ) {
				created[id] = true
			}
		}
	}
	// ip netns exec: net, mnt; unshare: user, mnt, net, uts, ipc, cgroup;
	// its child: pid.
	if len(created) != 9 {
		t.Fatalf("setup: %d new namespaces, want 9", len(created))
	}

	t.Run("list", func(t *testing.T) {
		mine := rowsByNS(jsonRows(t, "-J", "-l", "-o", cols), sortedIDs(created)...)
		theirs := rowsByNS(lsnsRows(t, lsns, "-J", "-l", "-o", cols), sortedIDs(created)...)
		if len(theirs) != len(created) {
			t.Errorf("lsns listed %d of the %d new namespaces", len(theirs), len(created))
		}
		if diff := cmp.Diff(theirs, mine, exactNumbers); diff != "" {
			t.Errorf("(-lsns +nsinspect):\n%s", diff)
		}
	})

	for _, rel := range []string{"owner", "parent"} {
		t.Run("subtrees of --tree="+rel, func(t *testing.T) {
			args := []string{"-J", "--tree=" + rel, "-o", cols}
			// A row of a new namespace holds its subtree: its children.
			mine := rowsByNS(jsonRows(t, args...), sortedIDs(created)...)
			theirs := rowsByNS(lsnsRows(t, lsns, args...), sortedIDs(created)...)
			if len(theirs) != len(created) {
				t.Errorf("lsns showed %d of the %d new namespaces", len(theirs), len(created))
			}
			if diff := cmp.Diff(theirs, mine, exactNumbers); diff != "" {
				t.Errorf("(-lsns +nsinspect):\n%s", diff)
			}
		})
		for _, pid := range []int{inNetns.Process.Pid, child} {
			args := []string{"-J", "--tree=" + rel, "-p", strconv.Itoa(pid), "-o", strings.Replace(cols, "NPROCS,", "", 1)}
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				want := lsnsOutput(t, lsns, args...)
				var got, stderr bytes.Buffer
				if code := runBinary(t, args, &got, &stderr); code != 0 {
					t.Fatalf("exit %d: %s", code, stderr.String())
				}
				if diff := cmp.Diff(string(want), got.String()); diff != "" {
					t.Errorf("(-lsns +nsinspect):\n%s", diff)
				}
			})
		}
	}
}

// sortedIDs returns the namespaces of the set m in ascending order.
func sortedIDs(m map[float64]bool) []float64 { return slices.Sorted(maps.Keys(m)) }

// TestDiscoveryRowsIndependentOfColumns: which rows appear depends on what
// selects rows, never on the columns shown. A network namespace that only a
// bind mount holds, owned by a user namespace that nothing holds but it (a
// ghost), is listed with its owner whether or not a column needs the owner,
// as lsns 2.42 lists what it finds through nsfs files with their owners.
func TestDiscoveryRowsIndependentOfColumns(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "unshare")
	cmd := exec.Command("unshare", "--user", "--map-root-user", "--net", "/bin/sh", "-c", "echo ready; exec sleep 600")
	testenv.Start(t, cmd)
	pid := cmd.Process.Pid
	waitExec(t, pid, "sleep")
	userns, netns := nsOf(t, pid, "user"), nsOf(t, pid, "net")
	file := filepath.Join(nsiTempDir(t), "netns")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount(fmt.Sprintf("/proc/%d/ns/net", pid), file, "", syscall.MS_BIND, ""); err != nil {
		t.Fatal(err)
	}
	// Registered after nsiTempDir: runs before the directory is removed.
	t.Cleanup(func() {
		if err := syscall.Unmount(file, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", file, err)
		}
	})
	_ = syscall.Kill(pid, syscall.SIGKILL)
	_ = cmd.Wait()

	// Only the test's two namespaces: what else the host runs comes and
	// goes between runs.
	ours := fmt.Sprintf("NS == %.0f || NS == %.0f", userns, netns)
	want := []float64{userns, netns}
	slices.Sort(want)
	for _, sel := range [][]string{{"-P"}, {}, {"-t", "net,user"}} {
		for _, cols := range []string{"NS,TYPE", "NS,TYPE,NPROCS,PID,USER,COMMAND", "NS,USER", "NS,NETNSID,NSFS"} {
			args := append([]string{"-J", "-l", "-o", cols, "-Q", ours}, sel...)
			var got []float64
			for _, r := range jsonRows(t, args...) {
				got = append(got, r["ns"].(float64))
			}
			if !slices.Equal(got, want) {
				t.Errorf("nsinspect %s: rows %v, want the ghost user namespace and the bound netns %v",
					strings.Join(args, " "), got, want)
			}
		}
	}
}
