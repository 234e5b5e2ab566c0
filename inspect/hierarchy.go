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
// namespace, asked in parallel. Parents and owners that nothing else keeps
// visible (no process, fd or mount: "ghosts", such as the user namespace
// between a container's and the host's) are added to the snapshot, so that
// trees stay connected.
func (s *Snapshot) Relate(nss []*Namespace) error {
	var todo []*Namespace
	seen := make(map[*Namespace]bool, len(nss))
	for _, ns := range nss {
		if !ns.related && !seen[ns] {
			seen[ns] = true
			todo = append(todo, ns)
		}
	}
	// Asking only reads the snapshot; linking the answers, which may add
	// ghosts to it, is done after, in order.
	answers := make([]answer, len(todo))
	parallel(len(todo), func(i int) {
		answers[i] = answer{parent: kin{fd: -1}, owner: kin{fd: -1}}
		if fd, err := s.open(todo[i]); err == nil { // else gone since the scan
			answers[i] = s.ask(fd, todo[i].Type)
			unix.Close(fd)
		}
	})
	added := len(s.Namespaces)
	var err error
	for i, ns := range todo {
		if answers[i].err != nil {
			err = answers[i].err
		}
		s.link(ns, answers[i])
	}
	if len(s.Namespaces) != added {
		s.sortNamespaces()
	}
	return err
}

// answer is what the kernel said of a namespace's relations.
type answer struct {
	ok            bool
	err           error
	parent, owner kin
	creator       uint32
	hasCreator    bool
}

// kin is a relative's inode (0 for none) and, where the snapshot did not know
// it when asked, an fd on it: a ghost is reachable only through that fd.
type kin struct {
	id NSID
	fd int
}

// nsIoctl is the ioctl that returns a relative's fd; tests stand in a
// kernel without it (Linux < 4.9).
var nsIoctl = unix.IoctlRetInt

// ask asks the kernel, through fd on a namespace of type t, for its
// relations.
func (s *Snapshot) ask(fd int, t Type) answer {
	a := answer{parent: kin{fd: -1}, owner: kin{fd: -1}}
	if t == PID || t == User {
		pfd, err := nsIoctl(fd, unix.NS_GET_PARENT)
		switch {
		case err == nil:
			a.parent = s.kin(pfd)
		case errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.ENOSYS):
			a.err = ErrNoNSIoctl
			return a
		}
		// EPERM: the parent is outside our user namespace; we see the
		// top of the tree.
	}
	ofd, err := nsIoctl(fd, unix.NS_GET_USERNS)
	switch {
	case err == nil:
		a.owner = s.kin(ofd)
	case errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.ENOSYS):
		a.err = ErrNoNSIoctl
		return a
	}
	if t == User {
		if uid, err := unix.IoctlGetUint32(fd, unix.NS_GET_OWNER_UID); err == nil {
			a.creator, a.hasCreator = uid, true
		}
	}
	a.ok = true
	return a
}

// kin reads the relative open at fd, and closes fd unless the relative is
// new to the snapshot.
func (s *Snapshot) kin(fd int) kin {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		unix.Close(fd)
		return kin{fd: -1}
	}
	k := kin{id: NSID(st.Ino), fd: fd}
	if s.byID[k.id] != nil {
		unix.Close(fd)
		k.fd = -1
	}
	return k
}

// link records answer a for ns, adding the ghosts it names.
func (s *Snapshot) link(ns *Namespace, a answer) {
	ns.related = true
	parent, owner := s.linkKin(a.parent, ns.Type), s.linkKin(a.owner, User)
	if !a.ok {
		return
	}
	ns.Parent, ns.Owner = parent, owner
	ns.Creator, ns.HasCreator = a.creator, a.hasCreator
	ns.relatedOK = true
}

// linkKin returns the namespace k names, adding it, asked at once through
// k's fd, where it is a ghost. It closes k's fd.
func (s *Snapshot) linkKin(k kin, t Type) *Namespace {
	if k.fd >= 0 {
		defer unix.Close(k.fd)
	}
	if k.id == 0 {
		return nil
	}
	ns := s.byID[k.id]
	if ns == nil && k.fd >= 0 {
		ns = s.add(t, k.id)
		s.link(ns, s.ask(k.fd, t))
	}
	return ns
}

// NetNSIDs asks the kernel, over rtnetlink, for the id that nsinspect's own
// network namespace has given each network namespace in nss (the NETNSID of
// `ip link` link-netnsid), once per namespace.
func (s *Snapshot) NetNSIDs(nss []*Namespace) {
	var nets []*Namespace
	for _, ns := range nss {
		if ns.Type == Net && !ns.HasNetNSID {
			nets = append(nets, ns)
		}
	}
	// Each request opens its own netlink socket: they run in parallel.
	parallel(len(nets), func(i int) {
		ns := nets[i]
		fd, err := s.open(ns)
		if err != nil {
			return
		}
		defer unix.Close(fd)
		if id, err := netlink.GetNetNsIdByFd(fd); err == nil {
			ns.NetNSID, ns.HasNetNSID = id, true
		}
	})
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
