package inspect

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"

	"github.com/prometheus/procfs"
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
	// Holders also finds namespaces without processes: those held by an
	// open fd or socket, and nsfs bind mounts (which also fill NSFS).
	Holders bool
}

// linkNames are the paths of the namespace links below /proc/PID, built once
// so that the scan does not allocate them per process.
var linkNames = func() (names [NumTypes]string) {
	for t := range names {
		names[t] = "ns/" + typeNames[t]
	}
	return names
}()

// Scan reads the namespace links of every process below opts.Root. A process
// that exits during the scan is left out; one whose links are refused is left
// out and counted in Snapshot.Denied. Only a proc filesystem that cannot be
// read at all is an error.
func Scan(opts Options) (*Snapshot, error) {
	root := opts.Root
	if root == "" {
		root = DefaultRoot
	}
	types := opts.Types
	if types == 0 {
		types = AllTypes
	}
	if opts.Holders {
		// Bind mounts are found through each mount namespace's table.
		types = types.With(Mnt)
	}
	fs, err := procfs.NewFS(root)
	if err != nil {
		return nil, fmt.Errorf("proc filesystem %s: %w", root, unwrapPath(err))
	}
	dirfd, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("proc filesystem %s: %w", root, err)
	}
	defer unix.Close(dirfd)
	pids, err := listPIDs(root)
	if err != nil {
		return nil, err
	}

	s := &Snapshot{Root: root, Processes: make([]*Process, 0, len(pids))}
	var buf [64]byte
	for _, pid := range pids {
		p, denied := scanProcess(dirfd, strconv.Itoa(pid), pid, types, buf[:])
		if denied {
			s.Denied++
		}
		if p != nil {
			s.Processes = append(s.Processes, p)
		}
		if opts.Threads {
			s.Processes = append(s.Processes, scanTasks(dirfd, root, pid, types, buf[:])...)
		}
	}
	if opts.Threads {
		slices.SortFunc(s.Processes, func(a, b *Process) int { return a.PID - b.PID })
	}
	s.group()
	if opts.Holders {
		s.scanFDs(types)
		s.scanMounts(fs, types)
		s.sortNamespaces()
	}
	return s, nil
}

// scanTasks reads the links of pid's threads other than the leader, which
// Scan reads as the process.
func scanTasks(dirfd int, root string, pid int, types TypeSet, buf []byte) []*Process {
	d, err := os.Open(root + "/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var tasks []*Process
	for _, name := range names {
		tid, err := strconv.Atoi(name)
		if err != nil || tid == pid {
			continue
		}
		if t, _ := scanProcess(dirfd, strconv.Itoa(pid)+"/task/"+name, tid, types, buf); t != nil {
			t.task = true
			tasks = append(tasks, t)
		}
	}
	return tasks
}

// listPIDs returns the numeric entries of root, ascending. The kernel lists
// thread-group leaders only; threads are reachable but not listed.
func listPIDs(root string) ([]int, error) {
	d, err := os.Open(root)
	if err != nil {
		return nil, fmt.Errorf("proc filesystem %s: %w", root, unwrapPath(err))
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", root, unwrapPath(err))
	}
	pids := make([]int, 0, len(names))
	for _, n := range names {
		if pid, err := strconv.Atoi(n); err == nil && pid > 0 {
			pids = append(pids, pid)
		}
	}
	slices.Sort(pids)
	return pids, nil
}

// scanProcess reads the namespace links of the process or task at path
// below the proc root. It returns nil when the process is gone or none of its
// links could be read, and denied when the kernel refused any of them.
func scanProcess(dirfd int, path string, pid int, types TypeSet, buf []byte) (p *Process, denied bool) {
	fd, err := unix.Openat(dirfd, path, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, isDenied(err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, false
	}
	p = &Process{PID: pid, UID: st.Uid}
	found := false
	for t := range NumTypes {
		if !types.Has(Type(t)) {
			continue
		}
		n, err := unix.Readlinkat(fd, linkNames[t], buf)
		if err != nil {
			// ENOENT: the process is gone, or the kernel lacks the type.
			denied = denied || isDenied(err)
			continue
		}
		lt, id, err := parseLink(string(buf[:n]))
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
