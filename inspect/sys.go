package inspect

import (
	"bytes"
	"os"
	"slices"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The scan's syscalls on a proc filesystem (openat, readlinkat, getdents64,
// close) are issued raw, without telling the Go scheduler. procfs answers
// them from kernel memory in microseconds. Announced to the scheduler, as
// unix.Readlinkat does, a syscall that outlasts a sysmon tick (20 µs) lets
// sysmon hand the caller's P to another thread, and with every P busy
// scanning it does so every tick: on 2 CPUs that cost a quarter of the scan
// (make bench). A raw syscall keeps its P; nothing else needs it meanwhile.
//
// Names are NUL-terminated byte slices: built once (linkNames), or pointing
// into a getdents buffer, so that the scan does not allocate per name.

const (
	oPath = unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC
	oDir  = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC
)

// nulName returns s as a NUL-terminated name for the raw calls.
func nulName(s string) []byte { return append([]byte(s), 0) }

func openat(dirfd int, name []byte, flags int) (int, unix.Errno) {
	fd, _, errno := unix.RawSyscall6(unix.SYS_OPENAT, uintptr(dirfd),
		uintptr(unsafe.Pointer(&name[0])), uintptr(flags), 0, 0, 0)
	return int(fd), errno
}

func readlinkat(dirfd int, name []byte, buf []byte) (int, unix.Errno) {
	n, _, errno := unix.RawSyscall6(unix.SYS_READLINKAT, uintptr(dirfd),
		uintptr(unsafe.Pointer(&name[0])), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0)
	return int(n), errno
}

func getdents(fd int, buf []byte) (int, unix.Errno) {
	n, _, errno := unix.RawSyscall(unix.SYS_GETDENTS64, uintptr(fd),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	return int(n), errno
}

func closeFD(fd int) { unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0) }

// direntName is where a name starts in a linux_dirent64 record, after
// d_ino (8 bytes), d_off (8), d_reclen (2) and d_type (1).
const direntName = 19

// readDir calls f with the name of each entry of the directory open at fd,
// "." and ".." left out, NUL-terminated (name[len(name)-1] == 0). The name
// points into buf and is valid during the call only. It returns getdents's
// error, if any.
func readDir(fd int, buf []byte, f func(name []byte)) unix.Errno {
	for {
		n, errno := getdents(fd, buf)
		if errno != 0 || n <= 0 {
			return errno
		}
		for off := 0; off+direntName < n; {
			reclen := int(*(*uint16)(unsafe.Pointer(&buf[off+16])))
			if reclen <= direntName || off+reclen > n {
				return unix.EINVAL // malformed: never from the kernel
			}
			rec := buf[off+direntName : off+reclen]
			off += reclen
			end := 0
			for end < len(rec) && rec[end] != 0 {
				end++
			}
			if end == len(rec) || (end == 1 && rec[0] == '.') || (end == 2 && rec[0] == '.' && rec[1] == '.') {
				continue
			}
			f(rec[:end+1])
		}
	}
}

// atoi parses a name of decimal digits, NUL-terminated or not, as procfs
// writes PIDs and fd numbers: no sign, no leading zero (but "0" itself).
func atoi(name []byte) (int, bool) {
	if len(name) > 0 && name[len(name)-1] == 0 {
		name = name[:len(name)-1]
	}
	if len(name) == 0 || len(name) > 10 || (name[0] == '0' && len(name) > 1) {
		return 0, false
	}
	v := 0
	for _, c := range name {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if v > 1<<31-1 {
		return 0, false
	}
	return v, true
}

// readFile reads a /proc file whole with plain open, read and close:
// os.ReadFile adds an fstat, fcntls and an epoll registration per file, which
// double the syscalls for the small files read per representative and per
// mount namespace. These calls are announced to the scheduler, unlike the
// scan's: reading a process's cmdline can wait on its memory.
func readFile(path string) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	buf := make([]byte, 0, 4096)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, cap(buf))
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

// readFileInto reads the file at path into buf, up to len(buf) bytes, and
// returns the part of buf it filled: for files whose length their writer
// sets, where what is read must not grow with what is written.
func readFileInto(path string, buf []byte) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	n := 0
	for n < len(buf) {
		m, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if m == 0 {
			break
		}
		n += m
	}
	return buf[:n], nil
}

// eachLine calls f with each line of the file at path, without its newline,
// reading 64 KiB at a time: the socket tables of a busy namespace run to
// many megabytes. The line is valid during the call only.
func eachLine(path string, f func(line []byte)) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return eachLineFD(fd, f)
}

// countLines counts the lines of the file at path, in bounded memory: a
// mount namespace may hold a hundred thousand mounts.
func countLines(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	return countLinesFD(fd)
}

// countLinesFD counts the lines of the file open at fd.
func countLinesFD(fd int) (int, error) {
	n := 0
	err := eachLineFD(fd, func([]byte) { n++ })
	return n, err
}

// eachLineFD is eachLine on the file open at fd.
func eachLineFD(fd int, f func(line []byte)) error {
	buf := make([]byte, 64<<10)
	held := 0 // bytes of an unfinished line at the start of buf
	for {
		if held == len(buf) {
			buf = slices.Grow(buf, len(buf))[:2*len(buf)] // a line longer than buf
		}
		n, err := unix.Read(fd, buf[held:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			if held > 0 {
				f(buf[:held])
			}
			return nil
		}
		data := buf[:held+n]
		for {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				break
			}
			f(data[:i])
			data = data[i+1:]
		}
		held = copy(buf, data)
	}
}
