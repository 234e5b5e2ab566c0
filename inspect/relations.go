package inspect

import (
	"errors"

	"golang.org/x/sys/unix"
)

// ErrNoNSIoctl means the kernel lacks the NS_GET_* ioctls (Linux < 4.9), so
// parents and owners of namespaces cannot be known.
var ErrNoNSIoctl = errors.New("the kernel lacks the NS_GET_PARENT and NS_GET_USERNS ioctls")

// Relate finds the parent and the owner of each namespace in nss, and the
// creator of each user namespace, with one open and a few ioctls per
// namespace, asked in parallel; each namespace is asked once, however often
// it is related. It is the one call that adds namespaces to the snapshot
// after Scan: parents and owners that nothing else keeps visible (no
// process, fd or mount: "ghosts", such as the user namespace between a
// container's and the host's) are added, and asked at once, so that trees
// stay connected; nss may be s.Namespaces itself. It returns ErrNoNSIoctl
// where the kernel cannot tell relations; those stay unknown (Related
// false), and everything else it could ask is related then too.
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
	// namespaces to it, is done after, in order.
	answers := make([]answer, len(todo))
	parallel(len(todo), func(i int) {
		answers[i] = answer{parent: relative{fd: -1}, owner: relative{fd: -1}}
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
	parent, owner relative
	creator       uint32
	hasCreator    bool
}

// relative is a related namespace's inode (0 for none) and, where the
// snapshot did not know it when asked, an fd on it: a namespace that only
// its relatives reveal is reachable only through that fd.
type relative struct {
	id NSID
	fd int
}

// nsIoctl is the ioctl that returns a relative's fd; tests stand in a
// kernel without it (Linux < 4.9).
var nsIoctl = unix.IoctlRetInt

// ask asks the kernel, through fd on a namespace of type t, for its
// relations.
func (s *Snapshot) ask(fd int, t Type) answer {
	a := answer{parent: relative{fd: -1}, owner: relative{fd: -1}}
	if t == PID || t == User {
		pfd, err := nsIoctl(fd, unix.NS_GET_PARENT)
		switch {
		case err == nil:
			a.parent = s.readRelative(pfd)
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
		a.owner = s.readRelative(ofd)
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

// readRelative reads the namespace open at fd, and closes fd unless it is
// new to the snapshot.
func (s *Snapshot) readRelative(fd int) relative {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		unix.Close(fd)
		return relative{fd: -1}
	}
	k := relative{id: NSID(st.Ino), fd: fd}
	if s.byID[k.id] != nil {
		unix.Close(fd)
		k.fd = -1
	}
	return k
}

// link records answer a for ns, adding the relatives new to the snapshot.
func (s *Snapshot) link(ns *Namespace, a answer) {
	ns.related = true
	parent, owner := s.linkRelative(a.parent, ns.Type), s.linkRelative(a.owner, User)
	if !a.ok {
		return
	}
	ns.Parent, ns.Owner = parent, owner
	ns.Creator, ns.HasCreator = a.creator, a.hasCreator
	ns.relatedOK = true
}

// linkRelative returns the namespace k names, adding it, asked at once through
// k's fd, where it is new to the snapshot. It closes k's fd.
func (s *Snapshot) linkRelative(k relative, t Type) *Namespace {
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
