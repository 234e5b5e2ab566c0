package inspect

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Contents are what a namespace holds, as Snapshot.Fill read them; each
// field is nil (or zero) where it was not asked for or could not be read.
type Contents struct {
	UTS     *UTSNames    // uts
	IDMaps  *IDMaps      // user
	Ifaces  []string     // net: interface names
	Offsets *TimeOffsets // time
	Root    string       // mnt: the representative's root directory, as our mount namespace sees it
	Mounts  int          // mnt: mounts in the namespace
	IPC     *IPCObjects  // ipc
	// CgroupRoot is the cgroup that is a cgroup namespace's root, as
	// nsinspect's own cgroup namespace names it.
	CgroupRoot string
}

// UTSNames are a UTS namespace's names, as uname(2) reports them inside.
type UTSNames struct{ Hostname, Domainname string }

// IDMaps are a user namespace's uid and gid maps.
type IDMaps struct{ UID, GID []IDRange }

// IDRange maps Count ids from Inside the user namespace to Outside, as seen
// from the user namespace of the process that reads the map (nsinspect's).
type IDRange struct{ Inside, Outside, Count uint32 }

// TimeOffsets are a time namespace's clock offsets from the host's.
type TimeOffsets struct{ Monotonic, Boottime Offset }

// Offset is a clock offset.
type Offset struct {
	Sec  int64
	Nsec int64
}

// IPCObjects counts a IPC namespace's System V objects.
type IPCObjects struct{ Shm, Sem, Msg int }

// contentReader reads one of the ContentFacts: what it needs (a namespace
// of type typ and, where member is set, a member process whose files it
// reads: it reads nothing of a namespace without one) and how it reads it,
// into c. What it cannot read it leaves unknown: nil, "" or 0 mounts.
type contentReader struct {
	fact   ContentFacts
	typ    Type
	member bool
	read   func(s *Snapshot, ns *Namespace, c *Contents)
}

// contentReaders has an entry per ContentFacts. Those that need a namespace
// entered read on a new OS thread that joins it and is thrown away after
// (inNamespace): no thread that runs other goroutines ever changes
// namespace.
var contentReaders = []contentReader{
	{ReadUTS, UTS, false, (*Snapshot).readUTS},
	{ReadIDMaps, User, true, (*Snapshot).readIDMaps},
	{ReadIfaces, Net, false, (*Snapshot).readIfaces},
	{ReadTimeOffsets, Time, true, (*Snapshot).readTimeOffsets},
	{ReadRoot, Mnt, true, (*Snapshot).readRoot},
	{ReadMounts, Mnt, true, (*Snapshot).readMounts},
	{ReadIPC, IPC, false, (*Snapshot).readIPC},
	{ReadCgroupRoot, Cgroup, true, (*Snapshot).readCgroupRoot},
}

// inspect reads the contents f asks for of each namespace in nss, with the
// readers of its type, in parallel over the namespaces. Each fact is read
// once per namespace, whether it could be read or not: a namespace that
// refused to be entered is counted once in NotEntered, however often it is
// asked.
func (s *Snapshot) inspect(nss []*Namespace, f ContentFacts) {
	var todo []*Namespace
	seen := make(map[*Namespace]bool, len(nss))
	for _, ns := range nss {
		if ns.Contents == nil {
			ns.Contents = &Contents{}
		}
		if f&^ns.contentsRead != 0 && !seen[ns] {
			seen[ns] = true
			todo = append(todo, ns)
		}
	}
	parallel(len(todo), func(i int) {
		ns := todo[i]
		want := f &^ ns.contentsRead
		ns.contentsRead |= want
		for _, r := range contentReaders {
			if want&r.fact != 0 && ns.Type == r.typ && (!r.member || ns.Rep() != nil) {
				r.read(s, ns, ns.Contents)
			}
		}
	})
}

// procPath is the path of file name of process p.
func (s *Snapshot) procPath(p *Process, name string) string {
	return s.Root + "/" + strconv.Itoa(p.PID) + "/" + name
}

// readUTS reads a uts namespace's names as uname(2) reports them inside.
func (s *Snapshot) readUTS(ns *Namespace, c *Contents) {
	s.inNamespace(ns, unix.CLONE_NEWUTS, nil, func() {
		var u unix.Utsname
		if unix.Uname(&u) == nil {
			c.UTS = &UTSNames{Hostname: cstring(u.Nodename[:]), Domainname: cstring(u.Domainname[:])}
		}
	})
}

// readIDMaps reads a user namespace's uid and gid maps from a member's
// uid_map and gid_map; both, or neither.
func (s *Snapshot) readIDMaps(ns *Namespace, c *Contents) {
	uid, err1 := os.ReadFile(s.procPath(ns.Rep(), "uid_map"))
	gid, err2 := os.ReadFile(s.procPath(ns.Rep(), "gid_map"))
	if err1 != nil || err2 != nil {
		return
	}
	u, err1 := parseIDMap(uid)
	g, err2 := parseIDMap(gid)
	if err1 == nil && err2 == nil {
		c.IDMaps = &IDMaps{UID: u, GID: g}
	}
}

// readIfaces reads a network namespace's interfaces from a member's
// net/dev, else, without a member or where that cannot be read, from the
// net/dev of a thread that joins it: /proc/thread-self/net is the reading
// thread's network namespace.
func (s *Snapshot) readIfaces(ns *Namespace, c *Contents) {
	if rep := ns.Rep(); rep != nil {
		if data, err := os.ReadFile(s.procPath(rep, "net/dev")); err == nil {
			c.Ifaces = parseNetDev(data)
			return
		}
	}
	s.inNamespace(ns, unix.CLONE_NEWNET, nil, func() {
		if data, err := os.ReadFile("/proc/thread-self/net/dev"); err == nil {
			c.Ifaces = parseNetDev(data)
		}
	})
}

// readTimeOffsets reads a time namespace's clock offsets from a member's
// timens_offsets.
func (s *Snapshot) readTimeOffsets(ns *Namespace, c *Contents) {
	if data, err := os.ReadFile(s.procPath(ns.Rep(), "timens_offsets")); err == nil {
		if o, err := parseTimeOffsets(data); err == nil {
			c.Offsets = &o
		}
	}
}

// readRoot reads the root directory of a mount namespace's representative,
// its /proc/PID/root link. Outside our mount namespace, "/" is the
// namespace's own root, a container's after pivot_root; a chroot there
// shows as its path, as the namespace names it.
func (s *Snapshot) readRoot(ns *Namespace, c *Contents) {
	c.Root, _ = os.Readlink(s.procPath(ns.Rep(), "root"))
	if c.Root == "/" && s.ownMntNS != 0 && ns.ID != s.ownMntNS {
		c.Root = s.containerRoot(s.procPath(ns.Rep(), "mountinfo"))
	}
}

// readMounts counts a mount namespace's mounts as a thread that joins it
// sees them (countMounts); without the privilege to join, the
// representative's view, its mountinfo, is the best there is.
func (s *Snapshot) readMounts(ns *Namespace, c *Contents) {
	c.Mounts = s.countMounts(ns)
	if c.Mounts == 0 {
		c.Mounts, _ = countLines(s.procPath(ns.Rep(), "mountinfo"))
	}
}

// readIPC counts an ipc namespace's System V objects in /proc/sysvipc, as
// a thread that joins it sees them; all three, or none.
func (s *Snapshot) readIPC(ns *Namespace, c *Contents) {
	s.inNamespace(ns, unix.CLONE_NEWIPC, nil, func() {
		var o IPCObjects
		for _, f := range []struct {
			name string
			n    *int
		}{{"shm", &o.Shm}, {"sem", &o.Sem}, {"msg", &o.Msg}} {
			data, err := os.ReadFile("/proc/sysvipc/" + f.name)
			if err != nil {
				return
			}
			*f.n = max(0, bytes.Count(data, []byte{'\n'})-1) // a header line
		}
		c.IPC = &o
	})
}

// readCgroupRoot reads the cgroup that is a cgroup namespace's root: a
// member's cgroup read outside it and inside it, where it is relative to
// the namespace's root, so that the root is the outside path less that.
func (s *Snapshot) readCgroupRoot(ns *Namespace, c *Contents) {
	path := s.procPath(ns.Rep(), "cgroup")
	outside, err := os.ReadFile(path)
	if err != nil {
		return
	}
	s.inNamespace(ns, unix.CLONE_NEWCGROUP, nil, func() {
		if inside, err := os.ReadFile(path); err == nil {
			c.CgroupRoot = cgroupRoot(outside, inside)
		}
	})
}

// inNamespace runs f on a new OS thread that has joined ns, and throws the
// thread away after: the goroutine locks its thread and never unlocks it, so
// the runtime ends the thread with the goroutine. before, if not nil, runs
// on that thread before it joins, and f only where before returns true. f
// must not start goroutines (they would run elsewhere). A mount namespace
// can only be joined by a thread that shares no filesystem context (root,
// cwd) with the others: the thread unshares it first.
func (s *Snapshot) inNamespace(ns *Namespace, nstype int, before func() bool, f func()) {
	fd, err := s.open(ns)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	join := func() {
		if nstype == unix.CLONE_NEWNS && unix.Unshare(unix.CLONE_FS) != nil {
			return
		}
		if before != nil && !before() {
			return
		}
		if err := unix.Setns(fd, nstype); err != nil {
			// A mount namespace's count has a fallback; the rest is lost.
			if isDenied(err) && nstype != unix.CLONE_NEWNS {
				s.notEntered.Add(1)
			}
			return
		}
		f()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		if unix.Gettid() != unix.Getpid() {
			join()
			return
		}
		// The main thread cannot end: the runtime would park it for good,
		// still in the namespace it joined, and /proc/self/ns/* (the main
		// thread's) would then lie about this process. Hold it meanwhile,
		// so that the goroutine that joins gets another thread.
		other := make(chan struct{})
		go func() {
			defer close(other)
			runtime.LockOSThread()
			join()
		}()
		<-other
		runtime.UnlockOSThread()
	}()
	<-done
}

// countMounts counts the mounts of mount namespace ns as a thread that joins
// it sees them: a member's mountinfo leaves out the mounts outside its root
// (a chroot), a joining thread's root is the namespace's. But once joined,
// every path the thread resolves is the namespace's to forge or stall: its
// /proc may be a tmpfs with a FIFO or a FUSE mount at thread-self/mountinfo.
// So the thread reaches its own mountinfo through our proc filesystem, open
// before it joins, by the name that proc gives the thread there, resolving
// nothing outside that filesystem. It returns 0 where it cannot join or read.
func (s *Snapshot) countMounts(ns *Namespace) int {
	procfd, err := unix.Open(DefaultRoot, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(procfd)
	var self string // "PID/task/TID" of the joining thread, in our proc
	n := 0
	s.inNamespace(ns, unix.CLONE_NEWNS, func() bool {
		buf := make([]byte, 64)
		l, err := unix.Readlinkat(procfd, "thread-self", buf)
		if err != nil {
			return false
		}
		self = string(buf[:l])
		return true
	}, func() {
		fd, err := unix.Openat2(procfd, self+"/mountinfo", &unix.OpenHow{
			Flags: unix.O_RDONLY | unix.O_CLOEXEC,
			Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_XDEV |
				unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS,
		})
		if err != nil {
			return
		}
		defer unix.Close(fd)
		n, _ = countLinesFD(fd)
	})
	return n
}

func cstring(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// parseIDMap parses a /proc/PID/uid_map or gid_map: lines of three numbers,
// inside, outside and count, padded with spaces.
func parseIDMap(data []byte) ([]IDRange, error) {
	ranges := []IDRange{}
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, errParse
		}
		var n [3]uint32
		for i := range n {
			v, err := strconv.ParseUint(f[i], 10, 32)
			if err != nil {
				return nil, errParse
			}
			n[i] = uint32(v)
		}
		ranges = append(ranges, IDRange{Inside: n[0], Outside: n[1], Count: n[2]})
	}
	return ranges, nil
}

// parseNetDev returns the interface names of a /proc/PID/net/dev table: two
// header lines, then "name: counters..." per interface, the name padded
// with spaces to six bytes ("%6s:", dev_seq_printf_stats). Only the
// spaces are cut: a name may end in other bytes that Unicode calls blank
// (U+0085, U+2028), which dev_valid_name lets through.
func parseNetDev(data []byte) []string {
	names := []string{}
	for i, line := range strings.Split(string(data), "\n") {
		if i < 2 {
			continue
		}
		if name, _, ok := strings.Cut(line, ":"); ok {
			names = append(names, strings.Trim(name, " "))
		}
	}
	return names
}

// parseTimeOffsets parses /proc/PID/timens_offsets: "monotonic SECS NSECS"
// and "boottime SECS NSECS".
func parseTimeOffsets(data []byte) (TimeOffsets, error) {
	var o TimeOffsets
	seen := 0
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return o, errParse
		}
		sec, err1 := strconv.ParseInt(f[1], 10, 64)
		nsec, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil || nsec < 0 || nsec >= 1e9 {
			return o, errParse
		}
		switch f[0] {
		case "monotonic":
			o.Monotonic = Offset{sec, nsec}
		case "boottime":
			o.Boottime = Offset{sec, nsec}
		default:
			return o, errParse
		}
		seen++
	}
	if seen == 0 {
		return o, errParse
	}
	return o, nil
}
