package inspect

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// DefaultRoot is where the kernel's proc filesystem is normally mounted.
const DefaultRoot = "/proc"

// Options say what to scan.
type Options struct {
	// Root is the proc filesystem to scan; empty means DefaultRoot.
	Root string
	// Types are the namespace types to read; zero means all. Holders adds
	// mnt: the caller filters what it shows.
	Types TypeSet
	// Threads scans every task's links, /proc/PID/task/TID/ns: a thread
	// can be alone in a namespace (setns or unshare on one thread). Each
	// task then counts as a process with its TID as PID.
	Threads bool
	// FindHolders also finds namespaces without processes: those held by an
	// open fd or socket, and nsfs bind mounts (which also fill NSFS).
	FindHolders bool
	// StallTimeout bounds each read that a process can stall (guard.go);
	// zero means DefaultStallTimeout.
	StallTimeout time.Duration
	// RootFS is the host's root file system, below which the container
	// engines' state is read for container names (engines.go): "/" when
	// empty; the host's / mounted elsewhere when nsinspect runs in a
	// container. A fixture has no engines unless RootFS is given.
	RootFS string
}

// FixtureMarker is the file that makes a Root that is no proc filesystem a
// fixture: a fake tree that tests build (internal/fixture writes it), which
// Scan reads although it is no proc filesystem, taken to hide nothing.
// Anything else that is no proc filesystem is refused: scanned, an empty
// directory or /sys would pass for a host without processes. A proc
// filesystem cannot hold the file, and is never asked for it. A fixture's
// processes belong to root but for those its FixtureOwners file names, so
// that a tree that any user builds reads the same.
const FixtureMarker = ".nsinspect-fixture"

// FixtureOwners is the file of a fixture tree (FixtureMarker) that gives
// its processes' owners, "PID UID" a line: only root could chown them.
const FixtureOwners = ".owners"

// linkNames are the paths of the namespace links below /proc/PID, built once
// so that the scan does not allocate them per process.
var linkNames = func() (names [NumTypes][]byte) {
	for t := range names {
		names[t] = nulName("ns/" + typeNames[t])
	}
	return names
}()

// Scan reads the namespace links of every process below opts.Root. A process
// that exits during the scan is left out; one whose links are refused is left
// out and counted in Snapshot.Denied; Snapshot.View says what else may be
// missing. Only a proc filesystem that cannot be read at all, or a Root that
// is no proc filesystem and holds no FixtureMarker, is an error.
//
// The scan is bound by syscalls on /proc, which run in parallel: it splits
// the processes over one worker per CPU.
func Scan(opts Options) (*Snapshot, error) {
	root := opts.Root
	if root == "" {
		root = DefaultRoot
	}
	types := opts.Types
	if types == 0 {
		types = AllTypes
	}
	if opts.FindHolders {
		// Bind mounts are found through each mount namespace's table.
		types = types.With(Mnt)
	}
	if st, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("proc filesystem %s: %w", root, unwrapPath(err))
	} else if !st.IsDir() {
		return nil, fmt.Errorf("proc filesystem %s: not a directory", root)
	}
	var sfs unix.Statfs_t
	if err := unix.Statfs(root, &sfs); err != nil {
		return nil, fmt.Errorf("proc filesystem %s: %w", root, err)
	}
	fixture := sfs.Type != unix.PROC_SUPER_MAGIC
	if fixture && !isFixture(root) {
		return nil, fmt.Errorf("%s: not a proc filesystem", root)
	}
	rootfd, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("proc filesystem %s: %w", root, err)
	}
	defer unix.Close(rootfd)
	pids, err := listPIDs(rootfd)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", root, err)
	}

	workers := min(runtime.GOMAXPROCS(0), max(1, len(pids)/64))
	scans := make([]scanner, workers)
	var wg sync.WaitGroup
	for w := range scans {
		sc := &scans[w]
		*sc = scanner{rootfd: rootfd, types: types, threads: opts.Threads, fds: opts.FindHolders}
		// Contiguous chunks keep each worker's processes in PID order.
		chunk := pids[w*len(pids)/workers : (w+1)*len(pids)/workers]
		wg.Go(func() { sc.scan(chunk) })
	}
	wg.Wait()

	s := &Snapshot{Root: root, Processes: make([]*Process, 0, len(pids)), View: probeView(root, fixture)}
	s.guard.timeout = opts.StallTimeout
	if !fixture {
		s.ownMntNS = selfMntNS()
	}
	if s.engines, err = openEngines(opts, fixture); err != nil {
		return nil, err
	}
	self, _ := os.Readlink(root + "/self")
	s.ownPIDs = self == strconv.Itoa(os.Getpid())
	for i := range scans {
		s.Processes = append(s.Processes, scans[i].procs...)
		s.Denied += scans[i].denied
	}
	if opts.Threads {
		slices.SortFunc(s.Processes, func(a, b *Process) int { return a.PID - b.PID })
	}
	if fixture {
		owners := fixtureOwners(root)
		for _, p := range s.Processes {
			p.UID = owners[p.PID]
		}
	}
	s.group()
	if opts.FindHolders {
		var held []heldFD
		for i := range scans {
			held = append(held, scans[i].held...)
		}
		s.addFDHolders(held, types)
		s.scanMounts(types)
		s.sortNamespaces()
	}
	return s, nil
}

// listPIDs returns the numeric entries of the directory open at rootfd,
// ascending. The kernel lists thread-group leaders only; threads are
// reachable but not listed.
func listPIDs(rootfd int) ([]int, error) {
	fd, errno := openat(rootfd, dotName, oDir)
	if errno != 0 {
		return nil, errno
	}
	defer closeFD(fd)
	pids := make([]int, 0, 1024)
	buf := make([]byte, 64<<10)
	errno = readDir(fd, buf, func(name []byte) {
		if pid, ok := atoi(name); ok && pid > 0 {
			pids = append(pids, pid)
		}
	})
	if errno != 0 {
		return nil, errno
	}
	slices.Sort(pids)
	return pids, nil
}

var dotName = nulName(".")

// scanner is one worker's share of a scan, with its own buffers.
type scanner struct {
	rootfd  int
	types   TypeSet
	threads bool
	fds     bool

	procs  []*Process
	denied int
	held   []heldFD

	name [24]byte // a PID as a NUL-terminated name
	link [64]byte
	dir  [8192]byte
}

func (sc *scanner) scan(pids []int) {
	for _, pid := range pids {
		fd, errno := openat(sc.rootfd, sc.pidName(pid), oPath)
		if errno != 0 {
			if isDenied(errno) {
				sc.denied++
			}
			continue
		}
		p, denied := sc.process(fd, pid)
		if denied {
			sc.denied++
		}
		if p != nil {
			sc.procs = append(sc.procs, p)
			if sc.fds {
				sc.scanFDs(fd, pid)
			}
			if sc.threads {
				sc.tasks(fd, pid)
			}
		}
		closeFD(fd)
	}
}

// pidName returns pid as a NUL-terminated name, in the scanner's buffer.
func (sc *scanner) pidName(pid int) []byte {
	return append(strconv.AppendInt(sc.name[:0], int64(pid), 10), 0)
}

// process reads the namespace links of the process or task whose /proc
// directory is open at dirfd. It returns nil when the process is gone or none
// of its links could be read, and denied when the kernel refused any.
func (sc *scanner) process(dirfd, pid int) (p *Process, denied bool) {
	var st unix.Stat_t
	if err := unix.Fstat(dirfd, &st); err != nil {
		return nil, false
	}
	p = &Process{PID: pid, UID: st.Uid}
	found := false
	for t := range NumTypes {
		if !sc.types.Has(Type(t)) {
			continue
		}
		n, errno := readlinkat(dirfd, linkNames[t], sc.link[:])
		if errno != 0 {
			// ENOENT: the process is gone, or the kernel lacks the type.
			denied = denied || isDenied(errno)
			continue
		}
		lt, id, err := parseLink(string(sc.link[:n]))
		if err != nil || int(lt) != t {
			continue
		}
		p.NS[t] = id
		found = true
	}
	if !found {
		return nil, denied
	}
	return p, denied
}

func isDenied(err error) bool {
	return errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM)
}

// unwrapPath drops the path from a *PathError: callers name the path
// themselves.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ErrNoProcess means that a process does not exist.
var ErrNoProcess = errors.New("no such process")

// Missing says why the process pid is not in the snapshot: ErrNoProcess
// where it does not exist, an error that is os.ErrPermission where its
// namespaces may not be read (lsns prints an empty list for both). A
// process that exists but has none of the links of types is in no
// namespace of those types, which is no error (nil): a kernel without time
// namespaces (before Linux 5.6) has no ns/time link, and a zombie has left
// its namespaces already.
func (s *Snapshot) Missing(pid int, types TypeSet) error {
	dir := s.Root + "/" + strconv.Itoa(pid)
	var st unix.Stat_t
	err := unix.Stat(dir, &st)
	switch {
	case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH):
		return ErrNoProcess
	case err != nil:
		return err
	}
	if types == 0 {
		types = AllTypes
	}
	buf := make([]byte, 64)
	for t := range NumTypes {
		if !types.Has(Type(t)) {
			continue
		}
		if _, err := unix.Readlink(dir+"/ns/"+Type(t).String(), buf); isDenied(err) {
			return err
		}
	}
	return nil
}

// isFixture reports whether the directory root holds a FixtureMarker, a
// regular file.
func isFixture(root string) bool {
	st, err := os.Lstat(root + "/" + FixtureMarker)
	return err == nil && st.Mode().IsRegular()
}

// fixtureOwners reads a fixture tree's FixtureOwners file.
func fixtureOwners(root string) map[int]uint32 {
	owners := map[int]uint32{}
	data, _ := readFile(root + "/" + FixtureOwners)
	for line := range strings.Lines(string(data)) {
		var pid int
		var uid uint32
		if n, _ := fmt.Sscan(line, &pid, &uid); n == 2 {
			owners[pid] = uid
		}
	}
	return owners
}
