package inspect

import (
	"strconv"
	"sync"

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
	what := func() string { return "fd " + strconv.Itoa(fd) + " of process " + strconv.Itoa(pid) }
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
	what := func() string { return "mount " + strconv.Quote(path) + " of process " + strconv.Itoa(pid) }
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

// open opens ns's nsfs file through a member process or a holder, and checks
// that it is still ns: PIDs and fds are reused. Holders are opened as
// open.go says: the processes that hold them choose where their paths lead.
func (s *Snapshot) open(ns *Namespace) (int, error) {
	if rep := ns.Rep(); rep != nil {
		// A namespace link is the kernel's: it always leads to nsfs.
		fd, err := unix.Open(s.Root+"/"+strconv.Itoa(rep.PID)+"/ns/"+ns.Type.String(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err == nil {
			if isNamespace(fd, ns.ID) {
				return fd, nil
			}
			unix.Close(fd)
		}
	}
	for _, h := range ns.Holders {
		var f nsfsFile
		var ok bool
		switch h.Kind {
		case HeldByFD:
			f, ok = s.openHolderFD(h.PID, h.FD)
		case HeldByMount:
			f, ok = s.openHolderMount(h.PID, h.Path)
		case HeldBySocket:
			if fd, err := openSocket(h); err == nil {
				f, ok = nsfsFile{fd: fd, id: ns.ID}, isNamespace(fd, ns.ID)
				if !ok {
					unix.Close(fd)
				}
			}
		}
		if !ok {
			continue
		}
		if f.id == ns.ID {
			return f.fd, nil
		}
		unix.Close(f.fd)
	}
	return -1, unix.ENOENT
}

// Path returns a path through which ns can be opened (with nsenter, say):
// /proc/PID/ns/TYPE of its representative, else a bind mount (as nsinspect
// sees it: through the holder's root where the mount is in another mount
// namespace), else /proc/PID/fd/FD of a holding fd. A namespace that only a
// socket or its children keep alive has none: "".
func (s *Snapshot) Path(ns *Namespace) string {
	if rep := ns.Rep(); rep != nil {
		return s.Root + "/" + strconv.Itoa(rep.PID) + "/ns/" + ns.Type.String()
	}
	for _, h := range ns.Holders {
		switch h.Kind {
		case HeldByMount:
			if s.ownMntNS != 0 && s.ownMntNS == h.MountNS {
				return h.Path
			}
			return s.Root + "/" + strconv.Itoa(h.PID) + "/root" + h.Path
		case HeldByFD:
			return s.Root + "/" + strconv.Itoa(h.PID) + "/fd/" + strconv.Itoa(h.FD)
		}
	}
	return ""
}

// selfMntNS is nsinspect's own mount namespace, 0 where unknown.
func selfMntNS() NSID {
	var st unix.Stat_t
	if unix.Stat("/proc/self/ns/mnt", &st) != nil {
		return 0
	}
	return NSID(st.Ino)
}

// isNamespace reports whether fd is the nsfs file of namespace id.
func isNamespace(fd int, id NSID) bool {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || NSID(st.Ino) != id {
		return false
	}
	dev, ok := nsfsDev()
	return !ok || st.Dev == dev
}

// nsfsDev is the device of the nsfs filesystem, which holds every
// namespace file: an inode number alone could be any file's.
var nsfsDev = sync.OnceValues(func() (uint64, bool) {
	var st unix.Stat_t
	if unix.Stat("/proc/self/ns/user", &st) != nil {
		return 0, false
	}
	return st.Dev, true
})
