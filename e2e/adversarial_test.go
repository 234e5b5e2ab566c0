//go:build privileged

package e2e

// Tests on hostile hosts: a mount namespace filled to the kernel's limit of
// mounts, a process holding every fd it may open, ten thousand sockets, and
// names made of every byte. Each sets up its host in a pid namespace of its
// own (advBox), runs the nsinspect binary there under a bound on its time
// and on its peak memory, and checks the values it shows. Everything a test
// makes (processes, namespaces, mounts) dies with that namespace's init,
// which is killed when the test ends. They need root; where
// NSINSPECT_REQUIRE_PRIVILEGED is set (CI) a skip is a failure.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// The bounds on one run of nsinspect: generous, they prove that it neither
// hangs nor holds what it reads all at once.
const (
	advTimeLimit = 30 * time.Second
	advRSSLimit  = 64 << 20
)

// proc is the /proc directory of pid, a PID in the box, as the test reaches
// it: through the init's root, on the box's proc filesystem.
func (b *advBox) proc(pid int) string { return fmt.Sprintf("/proc/%d/root/proc/%d", b.pid, pid) }

// ns returns the inode of namespace typ of pid, a PID in the box.
func (b *advBox) ns(t *testing.T, pid int, typ string) float64 {
	t.Helper()
	return inodeAt(t, b.proc(pid)+"/ns/"+typ)
}

// run is measure, and logs what the run took.
func (b *advBox) run(t *testing.T, args ...string) advResult {
	t.Helper()
	r := b.measure(t, args...)
	t.Logf("nsinspect %s: exit %d, %v, peak RSS %.1f MiB, %d bytes of output", strings.Join(args, " "),
		r.Code, time.Duration(r.Elapsed).Round(time.Millisecond), float64(r.PeakRSS)/(1<<20), len(r.Stdout))
	return r
}

// output runs the nsinspect binary in the box and fails the test unless it
// exits 0 with nothing on stderr.
func (b *advBox) output(t *testing.T, args ...string) string {
	t.Helper()
	r := b.run(t, args...)
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("nsinspect %s: exit %d, stderr %q", strings.Join(args, " "), r.Code, r.Stderr)
	}
	return string(r.Stdout)
}

// json runs the nsinspect binary in the box with args that include -J, and
// returns its rows.
func (b *advBox) json(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	out := b.output(t, args...)
	var doc struct {
		Namespaces []map[string]any `json:"namespaces"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("nsinspect %s: invalid JSON: %v", strings.Join(args, " "), err)
	}
	if !utf8.ValidString(out) {
		t.Errorf("nsinspect %s: JSON output is not UTF-8", strings.Join(args, " "))
	}
	return doc.Namespaces
}

// advRows returns every row of a JSON tree that shows namespace id.
func advRows(rows []map[string]any, id float64) []map[string]any {
	var found []map[string]any
	walkRows(rows, 0, func(r map[string]any, _ float64) {
		if r["ns"] == id {
			found = append(found, r)
		}
	})
	return found
}

// advOnce checks that rows show namespace id exactly once, with the values
// of want (keys not in want are not compared).
func advOnce(t *testing.T, what string, rows []map[string]any, id float64, want map[string]any) {
	t.Helper()
	found := advRows(rows, id)
	if len(found) != 1 {
		t.Errorf("%s: namespace %.0f listed %d times, want once", what, id, len(found))
		if len(found) == 0 {
			return
		}
	}
	got := map[string]any{}
	for k := range want {
		got[k] = found[0][k]
	}
	if diff := cmp.Diff(want, got, exactNumbers); diff != "" {
		t.Errorf("%s: namespace %.0f (-want +got):\n%s", what, id, diff)
	}
}

// advTableLines returns the lines of a table whose NS cell (the first cell
// with a digit, after any tree glyphs) is id, each as its cells from NS on.
func advTableLines(out string, id float64) [][]string {
	var lines [][]string
	for l := range strings.Lines(out) {
		f := strings.Fields(l)
		i := slices.IndexFunc(f, func(cell string) bool { return strings.ContainsAny(cell, "0123456789") })
		if i >= 0 && strings.TrimLeft(f[i], "|`-├└─│ ") == insideID(id) {
			f[i] = insideID(id)
			lines = append(lines, f[i:])
		}
	}
	return lines
}

// advMountLimit is the most mounts TestAdversarialMounts makes a mount
// namespace hold: the kernel's limit (fs.mount-max, 100,000 by default)
// less a few, and no more than a default host allows.
func advMountLimit(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("/proc/sys/fs/mount-max")
	if err != nil {
		t.Fatal(err)
	}
	limit, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return min(limit, 100_000) - 10
}

// TestAdversarialMounts fills a mount namespace with mounts, up to just
// under the kernel's limit, one of them an nsfs bind mount of a network
// namespace no process is in (unshare --net=FILE): MOUNTS counts them all,
// NSFS finds the one, and scans that read every mount table (MOUNTS, nsfs
// discovery) stay within the bounds.
func TestAdversarialMounts(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	want := advMountLimit(t)
	dir := t.TempDir()
	// The helper's mount namespace, and every mount in it, goes with it.
	box, lines := advStartBox(t, syscall.CLONE_NEWNS, "TestHelperMounts", "mounts", dir, unshare, strconv.Itoa(want))
	var netns float64
	var file string
	if len(lines) != 1 {
		t.Fatalf("helper printed %q, want the netns inode and file", lines)
	}
	if _, err := fmt.Sscan(lines[0], &netns, &file); err != nil {
		t.Fatalf("helper printed %q, want the netns inode and file: %v", lines[0], err)
	}
	pid := box.inner
	mntns := box.ns(t, pid, "mnt")
	data, err := os.ReadFile(box.proc(pid) + "/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	mounts := bytes.Count(data, []byte{'\n'})
	t.Logf("mount namespace %.0f of pid %d: %d mounts, mountinfo of %d bytes", mntns, pid, mounts, len(data))
	if mounts != want {
		t.Fatalf("setup: %d mounts in the mountinfo of pid %d, want %d", mounts, pid, want)
	}

	out := box.output(t, "-t", "mnt", "-o", "NS,TYPE,MOUNTS")
	if got := advTableLines(out, mntns); !cmp.Equal(got, [][]string{{insideID(mntns), "mnt", strconv.Itoa(mounts)}}) {
		t.Errorf("-t mnt -o NS,TYPE,MOUNTS: lines %q, want NS mnt %d once", got, mounts)
	}
	out = box.output(t, "--output-all")
	if got := advTableLines(out, mntns); len(got) != 1 || !slices.Contains(got[0], strconv.Itoa(mounts)) {
		t.Errorf("--output-all: lines %q for the mount namespace, want one with MOUNTS %d", got, mounts)
	}
	if got := advTableLines(out, netns); len(got) != 1 || !slices.Contains(got[0], file) {
		t.Errorf("--output-all: lines %q for the network namespace, want one with NSFS %s", got, file)
	}

	rows := box.json(t, "--output-all", "-J")
	advOnce(t, "--output-all -J", rows, mntns, map[string]any{"type": "mnt", "mounts": float64(mounts), "pid": float64(pid)})
	advOnce(t, "--output-all -J", rows, netns, map[string]any{"type": "net", "nprocs": 0.0, "nsfs": file})
	wantNet := map[string]any{
		"type": "net", "nprocs": 0.0, "nsfs": file,
		// The mount is not in nsinspect's mount namespace: reached
		// through the root of a process that has it.
		"path": fmt.Sprintf("/proc/%d/root%s", pid, file),
	}
	for _, args := range [][]string{
		{"-J", "-P", "-o", "NS,TYPE,NPROCS,NSFS,PATH"},
		{"-J", "-t", "net", "-o", "NS,TYPE,NPROCS,NSFS,PATH"},
	} {
		advOnce(t, strings.Join(args, " "), box.json(t, args...), netns, wantNet)
	}
}

// TestHelperMounts is not a test: run by TestAdversarialMounts in a mount
// namespace of its own, with helperVar=mounts and a directory, unshare(1)
// and a number of mounts after "--", it mounts a tmpfs on the directory and
// bind mounts onto files in it until its mount table has that many lines,
// one of them a network namespace of unshare --net=FILE halfway. It prints
// the network namespace's inode and FILE, then "ready", and lives until its
// stdin closes.
func TestHelperMounts(t *testing.T) {
	if os.Getenv(helperVar) != "mounts" {
		return
	}
	args := helperArgs()
	dir, unshare := args[0], args[1]
	want, err := strconv.Atoi(args[2])
	helperCheck(err)
	// The box made its mounts private, and so are their copies here: none
	// of these shows in the test's mount namespace.
	helperCheck(unix.Mount("nsi-adv", dir, "tmpfs", 0, "mode=0755"))
	// Each bind mount scans the source mount's children
	// (has_locked_children): a source mount with none keeps each bind
	// cheap, where binding the directory's own tmpfs would take minutes.
	src := filepath.Join(dir, "src")
	helperCheck(os.Mkdir(src, 0o755))
	helperCheck(unix.Mount("nsi-adv-src", src, "tmpfs", 0, "mode=0755"))
	file := filepath.Join(dir, "netns")
	helperCheck(os.WriteFile(file, nil, 0o644))

	data, err := os.ReadFile("/proc/self/mountinfo")
	helperCheck(err)
	mounts := bytes.Count(data, []byte{'\n'})
	start := mounts
	for i := 0; mounts < want; i++ {
		if mounts == (start+want)/2 {
			out, err := exec.Command(unshare, "--net="+file, "true").CombinedOutput()
			if err != nil {
				helperCheck(fmt.Errorf("unshare --net=%s: %v: %s", file, err, out))
			}
			mounts++
			continue
		}
		target := filepath.Join(dir, strconv.Itoa(i))
		helperCheck(os.Mkdir(target, 0o755))
		helperCheck(unix.Mount(src, target, "", unix.MS_BIND, ""))
		mounts++
	}
	var st unix.Stat_t
	helperCheck(unix.Stat(file, &st))
	fmt.Printf("%d %s\nready\n", st.Ino, file)
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

// TestAdversarialFDs fills a process's fd table (up to RLIMIT_NOFILE, which
// only CAP_SYS_RESOURCE may raise) with nsfs fds on two namespaces: its own
// UTS namespace, which it is in, and a network namespace no process is in,
// which the fds alone keep. The first counts one process, however many fds
// are on it; the second is listed once, with no process, reached through
// one of its fds.
func TestAdversarialFDs(t *testing.T) {
	testenv.RequireRoot(t)
	box, lines := advStartBox(t, syscall.CLONE_NEWUTS, "TestHelperFDs", "fds")
	var netns float64
	if len(lines) != 1 {
		t.Fatalf("helper printed %q, want the netns inode", lines)
	}
	if _, err := fmt.Sscan(lines[0], &netns); err != nil {
		t.Fatalf("helper printed %q, want the netns inode: %v", lines[0], err)
	}
	pid := box.inner
	uts := box.ns(t, pid, "uts")
	if box.ns(t, pid, "net") == netns {
		t.Fatalf("setup: pid %d is in netns %.0f, want it held by fds only", pid, netns)
	}

	// The fds on each namespace, and the lowest on the network namespace:
	// nsinspect reaches a namespace without processes through its first
	// holder.
	fdDir := box.proc(pid) + "/fd"
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		t.Fatal(err)
	}
	onNet, onUTS, firstNet := 0, 0, -1
	for _, e := range entries {
		link, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		switch link {
		case fmt.Sprintf("net:[%.0f]", netns):
			onNet++
			if fd, _ := strconv.Atoi(e.Name()); firstNet < 0 || fd < firstNet {
				firstNet = fd
			}
		case fmt.Sprintf("uts:[%.0f]", uts):
			onUTS++
		}
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	t.Logf("pid %d holds %d fds (hard RLIMIT_NOFILE %d): %d on netns %.0f, %d on its uts namespace %.0f",
		pid, len(entries), rl.Max, onNet, netns, onUTS, uts)
	if onNet < 1000 || onUTS < 1000 {
		t.Fatalf("setup: %d fds on the netns, %d on the uts namespace, want thousands", onNet, onUTS)
	}

	wantNet := map[string]any{"type": "net", "nprocs": 0.0, "pid": nil, "path": fmt.Sprintf("/proc/%d/fd/%d", pid, firstNet)}
	wantUTS := map[string]any{"type": "uts", "nprocs": 1.0, "pid": float64(pid), "path": fmt.Sprintf("/proc/%d/ns/uts", pid)}
	rows := box.json(t, "-J", "-l", "-o", "NS,TYPE,NPROCS,PID,PATH")
	advOnce(t, "-J -l", rows, netns, wantNet)
	advOnce(t, "-J -l", rows, uts, wantUTS)
	rows = box.json(t, "-J", "-P", "-o", "NS,TYPE,NPROCS,PID,PATH")
	advOnce(t, "-J -P", rows, netns, wantNet)
	if got := advRows(rows, uts); len(got) != 0 {
		t.Errorf("-J -P: lists the uts namespace, which a process is in: %v", got)
	}
	rows = box.json(t, "-J", "-t", "net", "--output-all")
	advOnce(t, "-J -t net --output-all", rows, netns, map[string]any{
		"type": "net", "nprocs": 0.0, "pid": nil, "ifaces": []any{"lo"}, "nsfs": nil,
	})
	out := box.output(t)
	if got := advTableLines(out, netns); !cmp.Equal(got, [][]string{{insideID(netns), "net", "0", "root"}}) {
		t.Errorf("default table: lines %q for the netns, want NS net 0 root once", got)
	}
}

// TestHelperFDs is not a test: run by TestAdversarialFDs with helperVar=fds
// in a UTS namespace of its own, it makes a network namespace that it
// leaves at once, then opens fds on that namespace and on its own UTS
// namespace, in turn, until it may open no more, and closes a few for its
// own needs. It prints the network namespace's inode, then "ready", and
// lives until its stdin closes.
func TestHelperFDs(t *testing.T) {
	if os.Getenv(helperVar) != "fds" {
		return
	}
	// unshare and setns act on the calling thread only.
	runtime.LockOSThread()
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	helperCheck(err)
	helperCheck(unix.Unshare(unix.CLONE_NEWNET))
	held, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	helperCheck(err)
	helperCheck(unix.Setns(orig, unix.CLONE_NEWNET))
	helperCheck(unix.Close(orig))
	runtime.UnlockOSThread()
	own, err := unix.Open("/proc/self/ns/uts", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	helperCheck(err)
	var st unix.Stat_t
	helperCheck(unix.Fstat(held, &st))

	// Go raises the soft limit to the hard one at start.
	var dups []int
	for i := 0; ; i++ {
		fd, err := unix.Dup([]int{held, own}[i%2])
		if err == unix.EMFILE {
			break
		}
		helperCheck(err)
		dups = append(dups, fd)
	}
	for _, fd := range dups[len(dups)-8:] {
		helperCheck(unix.Close(fd))
	}
	fmt.Printf("%d\nready\n", st.Ino)
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

// TestAdversarialSockets has one process hold 10,000 sockets, 100 of them
// created in a network namespace that no process is in any more and that
// only they keep: nsinspect lists that namespace once, with no process,
// whatever else the process holds.
func TestAdversarialSockets(t *testing.T) {
	testenv.RequireRoot(t)
	box, lines := advStartBox(t, 0, "TestHelperSocketHolder", "socket+10k")
	var netns float64
	if len(lines) != 1 {
		t.Fatalf("helper printed %q, want the netns inode", lines)
	}
	if _, err := fmt.Sscan(lines[0], &netns); err != nil {
		t.Fatalf("helper printed %q, want the netns inode: %v", lines[0], err)
	}
	pid := box.inner
	if box.ns(t, pid, "net") == netns {
		t.Fatalf("setup: pid %d is in the sockets' netns %.0f", pid, netns)
	}
	fdDir := box.proc(pid) + "/fd"
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		t.Fatal(err)
	}
	sockets := 0
	for _, e := range entries {
		if link, err := os.Readlink(filepath.Join(fdDir, e.Name())); err == nil && strings.HasPrefix(link, "socket:[") {
			sockets++
		}
	}
	t.Logf("pid %d holds %d sockets, 100 of them in netns %.0f", pid, sockets, netns)
	if sockets != 10_000 {
		t.Fatalf("setup: pid %d holds %d sockets, want 10,000", pid, sockets)
	}

	want := map[string]any{"type": "net", "nprocs": 0.0, "pid": nil}
	for _, args := range [][]string{
		{"-J", "-l", "-o", "NS,TYPE,NPROCS,PID"},
		{"-J", "-P", "-o", "NS,TYPE,NPROCS,PID"},
		{"-J", "-t", "net", "-o", "NS,TYPE,NPROCS,PID"},
	} {
		advOnce(t, strings.Join(args, " "), box.json(t, args...), netns, want)
	}
	// Its interfaces are read inside it, joined through a socket.
	advOnce(t, "--output-all -J", box.json(t, "--output-all", "-J"), netns, map[string]any{
		"type": "net", "nprocs": 0.0, "pid": nil, "nsfs": nil, "ifaces": []any{"lo"},
	})
	// NS TYPE NPROCS PID USER NETNSID NSFS COMMAND: no id was given to it.
	out := box.output(t, "-t", "net")
	if got := advTableLines(out, netns); !cmp.Equal(got, [][]string{{insideID(netns), "net", "0", "root", "unassigned"}}) {
		t.Errorf("-t net: lines %q for the netns, want NS net 0 root unassigned once", got)
	}
}

// advHostname is a host name with every C0 control byte, DEL, escape
// sequences that clear the screen and retitle the window, a C1 CSI (valid
// UTF-8) and an invalid byte: 53 of the 64 bytes a host name may hold.
var advHostname = func() string {
	b := []byte("h")
	for c := byte(1); c < 0x20; c++ {
		b = append(b, c)
	}
	return string(b) + "\x7f\x1b[2J\x1b]0;pwned\x07\u009b31m\xff"
}()

// advEveryByte holds every byte but NUL, in order: as many bytes from 0x80
// on as there are, none of them starts a valid UTF-8 sequence here.
var advEveryByte = func() string {
	b := make([]byte, 0, 255)
	for c := 1; c < 256; c++ {
		b = append(b, byte(c))
	}
	return string(b)
}()

// advChunks cuts s into pieces of at most n bytes.
func advChunks(s string, n int) []string {
	var chunks []string
	for len(s) > n {
		chunks, s = append(chunks, s[:n]), s[n:]
	}
	return append(chunks, s)
}

// advTextEscaped is how table, list and tree output show s, for text with
// no valid UTF-8 beyond ASCII but C1 controls: printable ASCII as it is,
// a backslash before an 'x' and every other byte as \xHH.
func advTextEscaped(s string) string {
	return advEscaped(s, func(c byte, i int) bool {
		return c >= 0x20 && c < 0x7f && (c != '\\' || i+1 == len(s) || s[i+1] != 'x')
	})
}

// advRawEscaped is how raw output shows s: printable ASCII but space and
// backslash as it is, every other byte as \xHH.
func advRawEscaped(s string) string {
	return advEscaped(s, func(c byte, _ int) bool { return c > 0x20 && c < 0x7f && c != '\\' })
}

// advEscaped writes the bytes of s that keep says stay as they are, and
// every other byte as \xHH.
func advEscaped(s string, keep func(c byte, i int) bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; keep(c, i) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String()
}

// advJSONText is the text that JSON carries for s: s itself, each byte
// that is not part of valid UTF-8 as U+FFFD.
func advJSONText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// advComms are the comm names that TestHelperNames gives processes: for
// "every", every byte but NUL, 15 bytes (the most a comm holds) to a name;
// for "ends", white space at both ends of a name, none of it the kernel's
// newline after it.
func advComms(set string) []string {
	if set == "every" {
		return advChunks(advEveryByte, 15)
	}
	return []string{" \tends\v "}
}

// TestAdversarialControlBytes gives a UTS namespace a host name of control
// bytes and escape sequences, and processes a command line, and comm names,
// of every byte but NUL: no text output carries a raw control byte (each is
// \xHH), and JSON carries the exact text (an invalid byte as U+FFFD). It
// takes further what TestInsideUTSNames and TestInsideOutputAll check with
// a few escape sequences: every byte, through sethostname(2) (a write to
// /proc/sys/kernel/hostname ends at a newline), and comm names, which a
// process sets itself and which only show where its command line is empty.
func TestAdversarialControlBytes(t *testing.T) {
	testenv.RequireRoot(t)
	for _, tc := range []struct {
		name, comms, hostname string
		args                  []string
	}{
		{"every byte", "every", advHostname,
			append([]string{"/bin/sh", "-c", "echo ready; read line"}, advChunks(advEveryByte, 32)...)},
		{"comm with white space at its ends", "ends", "", []string{"/bin/sh", "-c", "echo ready; read line"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			box, _ := advStartBox(t, syscall.CLONE_NEWUTS, "TestHelperNames", "names", append([]string{tc.comms}, tc.args...)...)
			advCheckNames(t, box, strings.Join(tc.args, " "), tc.hostname, advComms(tc.comms))
		})
	}
}

// advCheckNames checks the names nsinspect shows, in every format, for the
// UTS namespace of the box's helper, whose command line is command and
// whose host name is hostname (unless empty), and for its children, each
// in a UTS namespace of its own with one of comms as its comm name and no
// command line.
func advCheckNames(t *testing.T, box *advBox, command, hostname string, comms []string) {
	t.Helper()
	pid := box.inner
	uts := box.ns(t, pid, "uts")
	type commProc struct {
		comm string
		pid  int
		uts  float64
	}
	var procs []commProc
	for _, child := range advChildren(t, box.proc(pid)) {
		comm, err := os.ReadFile(box.proc(child) + "/comm")
		if err != nil {
			t.Fatal(err)
		}
		if cmdline, err := os.ReadFile(box.proc(child) + "/cmdline"); err != nil || string(cmdline) != "\x00" {
			t.Fatalf("setup: command line of pid %d is %q (%v), want one NUL", child, cmdline, err)
		}
		procs = append(procs, commProc{strings.TrimSuffix(string(comm), "\n"), child, box.ns(t, child, "uts")})
	}
	var got []string
	for _, p := range procs {
		got = append(got, p.comm)
	}
	if !slices.Equal(got, comms) {
		t.Fatalf("setup: the helper's children have the comm names %q, want %q", got, comms)
	}

	for _, args := range [][]string{
		{"-J", "-t", "uts", "-o", "NS,PID,HOSTNAME,COMMAND"},
		{"-J", "-l"},
		{"-J", "--output-all", "--tree=process"},
	} {
		what := strings.Join(args, " ")
		rows := box.json(t, args...)
		want := map[string]any{"pid": float64(pid), "command": advJSONText(command)}
		if hostname != "" && (slices.Contains(args, "-t") || slices.Contains(args, "--output-all")) {
			want["hostname"] = advJSONText(hostname)
		}
		advOnce(t, what, rows, uts, want)
		for _, p := range procs {
			advOnce(t, what+": comm "+strconv.Quote(p.comm), rows, p.uts, map[string]any{"pid": float64(p.pid), "command": advJSONText(p.comm)})
		}
	}

	texts := append(slices.Clone(comms), command, hostname)
	for _, tc := range []struct {
		args  []string
		texts []string // what the output must show
	}{
		{[]string{"-t", "uts", "-o", "NS,PID,HOSTNAME,COMMAND"}, texts},
		{[]string{"-l", "-t", "uts", "-o", "NS,PID,HOSTNAME,COMMAND"}, texts},
		{[]string{"-r", "-t", "uts", "-o", "NS,PID,HOSTNAME,COMMAND"}, texts},
		{[]string{"-T", "-t", "uts", "-o", "NS,PID,HOSTNAME,COMMAND"}, texts},
		{[]string{"--tree=process", "-t", "uts", "-o", "NS,PID,HOSTNAME,COMMAND"}, texts},
		{[]string{"--output-all"}, texts},
		{[]string{"--output-all", "-r"}, texts},
		{[]string{insideID(uts)}, []string{command}}, // its processes as a tree
		{[]string{"-p", strconv.Itoa(pid), "-o", "+HOSTNAME"}, []string{command, hostname}},
	} {
		what := strings.Join(tc.args, " ")
		out := box.output(t, tc.args...)
		insideNoControl(t, what, out, true)
		escape := advTextEscaped
		if slices.Contains(tc.args, "-r") {
			escape = advRawEscaped
		}
		for _, text := range tc.texts {
			if w := escape(text); !strings.Contains(out, w) {
				t.Errorf("%s: %q not in the output", what, w)
			}
		}
	}
}

// TestHelperNames is not a test: run by TestAdversarialControlBytes with
// helperVar=names in a UTS namespace of its own, with a set of advComms and
// a command after "--", it starts a process for each comm name of the set,
// sets its namespace's host name to advHostname for the set "every", and
// execs the command, whose children the processes become.
func TestHelperNames(t *testing.T) {
	if os.Getenv(helperVar) != "names" {
		return
	}
	args := helperArgs()
	for _, comm := range advComms(args[0]) {
		helperArgless(comm)
	}
	if args[0] == "every" {
		helperCheck(unix.Sethostname([]byte(advHostname)))
	}
	helperCheck(syscall.Exec(args[1], args[1:], os.Environ()))
}

// helperArgless starts /bin/sh with no argument at all, not even a name
// (the kernel gives it an empty one: its command line is one NUL), in a UTS
// namespace of its own, and has it set its comm name, which nsinspect shows
// as COMMAND where the command line is empty. The shell then waits for more
// commands on a pipe whose write end this process and the command it execs
// keep open.
func helperArgless(comm string) {
	var in [2]int
	helperCheck(unix.Pipe2(in[:], 0))
	stdin := os.NewFile(uintptr(in[0]), "stdin")
	out, outW, err := os.Pipe()
	helperCheck(err)
	_, err = os.StartProcess("/bin/sh", []string{}, &os.ProcAttr{
		Files: []*os.File{stdin, outW, os.Stderr},
		Sys:   &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUTS},
	})
	helperCheck(err)
	stdin.Close()
	outW.Close()
	// printf's octal escapes write any byte; the shell writes its own comm
	// (printf is a builtin: no fork).
	var octal strings.Builder
	for i := 0; i < len(comm); i++ {
		fmt.Fprintf(&octal, `\%03o`, comm[i])
	}
	_, err = unix.Write(in[1], fmt.Appendf(nil, "printf '%s' >/proc/self/comm && echo ready\n", octal.String()))
	helperCheck(err)
	var ready [6]byte
	_, err = io.ReadFull(out, ready[:])
	helperCheck(err)
	if string(ready[:]) != "ready\n" {
		helperCheck(fmt.Errorf("argless shell printed %q", ready))
	}
	out.Close()
}
