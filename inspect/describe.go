package inspect

import (
	"bytes"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/procfs"
)

// Detail says which facts about a process Describe reads.
type Detail uint32

// The details that a scan does not read for every process, and the facts
// about namespaces that cost a syscall or more per namespace.
const (
	DetailPPID      Detail = 1 << iota // Process.PPID, from /proc/PID/stat
	DetailCommand                      // Process.Command, from cmdline or comm
	DetailRelations                    // Namespace.Parent, Owner, Creator: Snapshot.Relate
	DetailNetNSID                      // Namespace.NetNSID: Snapshot.NetNSIDs
	DetailCgroup                       // Process.Container, Pod, from /proc/PID/cgroup
	DetailNSpid                        // Process.NSpid, from /proc/PID/status
)

// processDetails are the details Describe reads.
const processDetails = DetailPPID | DetailCommand | DetailCgroup | DetailNSpid

// Describe reads the details d of each process in procs that it has not read
// yet. The scan reads only namespace links; these files are read for the few
// processes that are shown (representatives, a namespace's members). A
// process that exits meanwhile keeps zero values.
func (s *Snapshot) Describe(procs []*Process, d Detail) {
	fs, err := procfs.NewFS(s.Root)
	if err != nil {
		return
	}
	// A process may stand for several namespaces: read it once.
	var todo []*Process
	seen := make(map[*Process]bool, len(procs))
	for _, p := range procs {
		if want := d & processDetails &^ p.described; want != 0 && !seen[p] {
			seen[p] = true
			todo = append(todo, p)
		}
	}
	parallel(len(todo), func(i int) {
		p := todo[i]
		want := d & processDetails &^ p.described
		if want == 0 {
			return
		}
		p.described |= want
		if want&DetailPPID != 0 {
			if data, err := readFile(filepath.Join(s.Root, strconv.Itoa(p.PID), "stat")); err == nil {
				p.PPID, _ = parseStatPPID(data)
			}
		}
		if want&DetailCommand != 0 {
			// The command line is read from the process's memory, which
			// it may map from a file that never answers: bounded.
			dir := filepath.Join(s.Root, strconv.Itoa(p.PID))
			var ok bool
			p.Command, ok = bounded(&s.guard, "command line of process "+strconv.Itoa(p.PID),
				func() (string, bool) { return command(dir), true }, nil)
			if !ok {
				p.Command = comm(dir)
			}
		}
		if want&DetailCgroup != 0 {
			if data, err := readFile(filepath.Join(s.Root, strconv.Itoa(p.PID), "cgroup")); err == nil {
				p.Container, p.Pod = ParseContainer(data)
			}
		}
		if want&DetailNSpid != 0 {
			if status, err := fs.Proc(p.PID); err == nil {
				if st, err := status.NewStatus(); err == nil {
					p.NSpid = st.NSpids
				}
			}
		}
	})
}

// MaxCommand is the most of a command line that is read, in bytes. execve
// takes arguments and environment up to a quarter of the stack limit (2 MB
// under the default 8 MB limit, 6 MB at most), and a process with
// CAP_SYS_RESOURCE can point its cmdline at any of its memory with
// prctl(PR_SET_MM_ARG_START/END): what a process puts there must not set
// what nsinspect reads, keeps and prints for it.
const MaxCommand = 128 << 10

// commandBufs are the buffers command lines are read into, one per worker
// at a time: a fresh MaxCommand bytes per process would be garbage at once,
// as only the bytes read are kept.
var commandBufs = sync.Pool{New: func() any { return new([MaxCommand]byte) }}

// command returns the command line of the process whose /proc directory is
// dir, at most MaxCommand bytes of it, NULs turned into spaces, or its comm
// where the command line is empty, as lsns shows it.
func command(dir string) string {
	buf := commandBufs.Get().(*[MaxCommand]byte)
	defer commandBufs.Put(buf)
	if args, err := readFileInto(dir+"/cmdline", buf[:]); err == nil {
		if args = bytes.TrimRight(args, "\x00"); len(args) > 0 {
			for i, c := range args {
				if c == 0 {
					args[i] = ' '
				}
			}
			return string(args)
		}
	}
	return comm(dir)
}

// comm returns the comm name of the process whose /proc directory is dir:
// the kernel keeps it in the task, so reading it never waits on the process.
func comm(dir string) string {
	comm, _ := readFile(dir + "/comm")
	// The kernel ends it with a newline; blanks before that are the name's.
	return strings.TrimSuffix(string(comm), "\n")
}

var errStat = errors.New("malformed stat line")

// parseStatPPID returns field 4 of a /proc/PID/stat line. Field 2, the comm,
// is set by the process and may hold spaces and parentheses; it ends at the
// last ')'.
func parseStatPPID(data []byte) (int, error) {
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return 0, errStat
	}
	fields := bytes.Fields(data[end+1:])
	if len(fields) < 2 {
		return 0, errStat
	}
	ppid, err := strconv.Atoi(string(fields[1]))
	if err != nil || ppid < 0 {
		return 0, errStat
	}
	return ppid, nil
}
