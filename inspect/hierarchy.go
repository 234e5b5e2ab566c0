package inspect

import (
	"errors"
	"strconv"
	"sync"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// ErrNoNSIoctl means the kernel lacks the NS_GET_* ioctls (Linux < 4.9), so
// parents and owners of namespaces cannot be known.
var ErrNoNSIoctl = errors.New("the kernel lacks the NS_GET_PARENT and NS_GET_USERNS ioctls")

// Relate finds the parent and the owner of each namespace in nss, and the
// creator of each user namespace, with one open and a few ioctls per
// namespace. Parents and owners that nothing else keeps visible (no process,
// fd or mount: "ghosts", such as the user namespace between a container's
// and the host's) are added to the snapshot, so that trees stay connected.
func (s *Snapshot) Relate(nss []*Namespace) error {
	added := len(s.Namespaces)
	defer func() {
		if len(s.Namespaces) != added {
			s.sortNamespaces()
		}
	}()
	for _, ns := range nss {
		if ns.related {
			continue
		}
		fd, err := s.open(ns)
		if err != nil {
			ns.related = true // gone since the scan
			continue
		}
		err = s.relate(ns, fd)
		unix.Close(fd)
		if err != nil {
			return err
		}
	}
	return nil
}

// relate fills ns's relations through fd, an open nsfs file of ns.
func (s *Snapshot) relate(ns *Namespace, fd int) error {
	ns.related = true
	if ns.Type == PID || ns.Type == User {
		pfd, err := unix.IoctlRetInt(fd, unix.NS_GET_PARENT)
		switch {
		case err == nil:
			ns.Parent = s.relative(pfd, ns.Type)
		case errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.ENOSYS):
			return ErrNoNSIoctl
		}
		// EPERM: the parent is outside our user namespace; we see the
		// top of the tree.
	}
	ofd, err := unix.IoctlRetInt(fd, unix.NS_GET_USERNS)
	switch {
	case err == nil:
		ns.Owner = s.relative(ofd, User)
	case errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.ENOSYS):
		return ErrNoNSIoctl
	}
	if ns.Type == User {
		if uid, err := unix.IoctlGetUint32(fd, unix.NS_GET_OWNER_UID); err == nil {
			ns.Creator, ns.HasCreator = uid, true
		}
	}
	ns.relatedOK = true
	return nil
}

// relative returns the namespace open at fd, which it closes. One not seen
// before is a ghost: it is added, and related now, while fd still reaches it.
func (s *Snapshot) relative(fd int, t Type) *Namespace {
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		return nil
	}
	ns := s.byID[NSID(st.Ino)]
	if ns == nil {
		ns = s.add(t, NSID(st.Ino))
		_ = s.relate(ns, fd) // the ioctls worked on its child
	}
	return ns
}

// NetNSIDs asks the kernel, over rtnetlink, for the id that nsinspect's own
// network namespace has given each network namespace in nss (the NETNSID of
// `ip link` link-netnsid), once per namespace.
func (s *Snapshot) NetNSIDs(nss []*Namespace) {
	for _, ns := range nss {
		if ns.Type != Net || ns.HasNetNSID {
			continue
		}
		fd, err := s.open(ns)
		if err != nil {
			continue
		}
		if id, err := netlink.GetNetNsIdByFd(fd); err == nil {
			ns.NetNSID, ns.HasNetNSID = id, true
		}
		unix.Close(fd)
	}
}

// open opens ns's nsfs file through a member process or a holder, and checks
// that it is still ns: PIDs and fds are reused.
func (s *Snapshot) open(ns *Namespace) (int, error) {
	var paths []string
	if rep := ns.Rep(); rep != nil {
		paths = append(paths, s.Root+"/"+strconv.Itoa(rep.PID)+"/ns/"+ns.Type.String())
	}
	for _, h := range ns.Holders {
		switch h.Kind {
		case HeldByFD:
			paths = append(paths, s.Root+"/"+strconv.Itoa(h.PID)+"/fd/"+strconv.Itoa(h.FD))
		case HeldByMount:
			// The path is as the holder sees it; its root leads there.
			paths = append(paths, s.Root+"/"+strconv.Itoa(h.PID)+"/root"+h.Path)
		case HeldBySocket:
			if fd, err := openSocket(h); err == nil {
				if isNamespace(fd, ns.ID) {
					return fd, nil
				}
				unix.Close(fd)
			}
		}
	}
	for _, p := range paths {
		fd, err := unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		if isNamespace(fd, ns.ID) {
			return fd, nil
		}
		unix.Close(fd)
	}
	return -1, unix.ENOENT
}

func openSocket(h Holder) (int, error) {
	pidfd, err := unix.PidfdOpen(h.PID, 0)
	if err != nil {
		return -1, err
	}
	defer unix.Close(pidfd)
	return openSocketNetNS(pidfd, h.FD)
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
			if id, ok := selfMntNS(); ok && id == h.MountNS {
				return h.Path
			}
			return s.Root + "/" + strconv.Itoa(h.PID) + "/root" + h.Path
		case HeldByFD:
			return s.Root + "/" + strconv.Itoa(h.PID) + "/fd/" + strconv.Itoa(h.FD)
		}
	}
	return ""
}

// selfMntNS is nsinspect's own mount namespace.
var selfMntNS = sync.OnceValues(func() (NSID, bool) {
	var st unix.Stat_t
	if unix.Stat("/proc/self/ns/mnt", &st) != nil {
		return 0, false
	}
	return NSID(st.Ino), true
})

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
