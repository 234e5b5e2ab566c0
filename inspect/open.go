package inspect

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// A namespace without processes is opened through what holds it: an fd of
// some process (/proc/PID/fd/N) or a bind mount, reached through the root of
// a process that sees it (/proc/PID/root/PATH). The process chooses what
// those paths lead to by the time we open them: the fd may have become a
// FIFO (open blocks until a writer comes) or a file on a FUSE mount (open,
// stat and lookups wait on its server), the path may cross such a mount or
// a symlink. So these opens take O_PATH first, which runs no open handler,
// resolve below the process's root without following any symlink, check
// the result is an nsfs file without asking its filesystem for fresh
// attributes, and only then open it for the ioctls; all of it bounded by
// the snapshot's guard.

// nsfsFile is an open namespace file and its inode.
type nsfsFile struct {
	fd int
	id NSID
}

func closeNSFS(f nsfsFile) { unix.Close(f.fd) }

// openHolderFD opens the namespace that fd of process pid holds.
func (s *Snapshot) openHolderFD(pid, fd int) (nsfsFile, bool) {
	path := s.Root + "/" + strconv.Itoa(pid) + "/fd/" + strconv.Itoa(fd)
	what := "fd " + strconv.Itoa(fd) + " of process " + strconv.Itoa(pid)
	return bounded(&s.guard, what, func() (nsfsFile, bool) {
		o, err := unix.Open(path, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			return nsfsFile{}, false
		}
		return reopenNSFS(o)
	}, closeNSFS)
}

// openHolderMount opens the namespace bind-mounted on path as process pid
// sees it.
func (s *Snapshot) openHolderMount(pid int, path string) (nsfsFile, bool) {
	root := s.Root + "/" + strconv.Itoa(pid) + "/root"
	what := "mount " + strconv.Quote(path) + " of process " + strconv.Itoa(pid)
	return bounded(&s.guard, what, func() (nsfsFile, bool) {
		rootfd, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nsfsFile{}, false
		}
		defer unix.Close(rootfd)
		o, err := unix.Openat2(rootfd, path, &unix.OpenHow{
			Flags:   unix.O_PATH | unix.O_CLOEXEC,
			Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS,
		})
		if err != nil {
			return nsfsFile{}, false
		}
		return reopenNSFS(o)
	}, closeNSFS)
}

// reopenNSFS takes an O_PATH fd, and where it is an nsfs file returns it
// opened for reading (setns and the NS_GET ioctls refuse O_PATH fds). It
// closes o.
func reopenNSFS(o int) (nsfsFile, bool) {
	defer unix.Close(o)
	// AT_STATX_DONT_SYNC: filesystems that would ask a server (FUSE)
	// answer from what they hold; nsfs holds everything.
	var stx unix.Statx_t
	if unix.Statx(o, "", unix.AT_EMPTY_PATH|unix.AT_STATX_DONT_SYNC, unix.STATX_INO, &stx) != nil {
		return nsfsFile{}, false
	}
	dev, ok := nsfsDev()
	if !ok || unix.Mkdev(stx.Dev_major, stx.Dev_minor) != dev {
		return nsfsFile{}, false
	}
	// Reopening through our own fd table reopens that very file, not
	// whatever the holder's path or fd leads to by now.
	fd, err := unix.Open("/proc/self/fd/"+strconv.Itoa(o), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nsfsFile{}, false
	}
	if !isNamespace(fd, NSID(stx.Ino)) {
		unix.Close(fd)
		return nsfsFile{}, false
	}
	return nsfsFile{fd: fd, id: NSID(stx.Ino)}, true
}
