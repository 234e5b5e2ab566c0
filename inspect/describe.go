package inspect

import (
	"bytes"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// processReader reads one of the ProcessFacts of process p, whose /proc
// directory is dir: each reads a file or two there (and ReadContainer the
// engines' state). What it cannot read it leaves zero: a process that exits
// meanwhile keeps zero values.
type processReader struct {
	fact ProcessFacts
	read func(s *Snapshot, p *Process, dir string)
}

// processReaders has an entry per ProcessFacts.
var processReaders = []processReader{
	{ReadPPID, (*Snapshot).readPPID},
	{ReadCommand, (*Snapshot).readCommand},
	{ReadContainer, (*Snapshot).readContainer},
	{ReadComm, (*Snapshot).readComm},
	{ReadNSpid, (*Snapshot).readNSpid},
}

// describe reads the facts f of each process in procs that it has not
// read yet, in parallel over the processes. The scan reads only namespace
// links; these files are read for the few processes that are shown
// (representatives, a namespace's members).
func (s *Snapshot) describe(procs []*Process, f ProcessFacts) {
	// A process may stand for several namespaces: read it once.
	var todo []*Process
	seen := make(map[*Process]bool, len(procs))
	for _, p := range procs {
		if want := f &^ p.described; want != 0 && !seen[p] {
			seen[p] = true
			todo = append(todo, p)
		}
	}
	parallel(len(todo), func(i int) {
		p := todo[i]
		want := f &^ p.described
		p.described |= want
		dir := filepath.Join(s.Root, strconv.Itoa(p.PID))
		for _, r := range processReaders {
			if want&r.fact != 0 {
				r.read(s, p, dir)
			}
		}
	})
}

// readPPID reads the parent's PID from stat.
func (s *Snapshot) readPPID(p *Process, dir string) {
	if data, err := readFile(filepath.Join(dir, "stat")); err == nil {
		p.PPID, _ = parseStatPPID(data)
	}
}

// readCommand reads the command line (command). It is read from the
// process's memory, which it may map from a file that never answers: the
// read is bounded, and the comm, which the kernel keeps, stands in where it
// is given up.
func (s *Snapshot) readCommand(p *Process, dir string) {
	var ok bool
	p.Command, ok = bounded(&s.guard, func() string { return "command line of process " + strconv.Itoa(p.PID) },
		func() (string, bool) { return command(dir), true }, nil)
	if !ok {
		p.Command = comm(dir)
	}
}

// readContainer reads the container and pod from cgroup's path, named
// where the engines' state names them.
func (s *Snapshot) readContainer(p *Process, dir string) {
	if data, err := readFile(filepath.Join(dir, "cgroup")); err == nil {
		p.Container, p.ContainerID, p.Pod = s.engines.resolve(parseContainer(data))
	}
}

// readComm reads the kernel's name of the process (comm).
func (s *Snapshot) readComm(p *Process, dir string) { p.Comm = comm(dir) }

// readNSpid reads the PIDs in each pid namespace from status.
func (s *Snapshot) readNSpid(p *Process, dir string) {
	if data, err := readFile(filepath.Join(dir, "status")); err == nil {
		p.NSpid = parseNSpid(data)
	}
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

// parseNSpid returns the NSpid line of a /proc/PID/status: the process's PID
// in each pid namespace it is in, outermost first; nil where the line is
// missing or malformed.
func parseNSpid(status []byte) []uint64 {
	for line := range strings.Lines(string(status)) {
		rest, ok := strings.CutPrefix(line, "NSpid:")
		if !ok {
			continue
		}
		var pids []uint64
		for _, f := range strings.Fields(rest) {
			pid, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				return nil
			}
			pids = append(pids, pid)
		}
		return pids
	}
	return nil
}
