package inspect

import (
	"bytes"

	"golang.org/x/sys/unix"
)

// heldFD is an open fd that may keep a namespace alive: an fd on an nsfs
// file (a runtime that holds a network namespace for later), or a socket,
// which pins the network namespace it was created in even after every
// process left it.
type heldFD struct {
	pid, fd int
	typ     Type
	id      NSID   // of an nsfs fd
	socket  string // inode of a socket
	// detached is an fd whose link reads "/": an nsfs file opened through
	// a bind mount that was unmounted since (ip netns delete while a
	// process holds it open) reads so. Only a stat can tell.
	detached bool
}

var fdName = nulName("fd")

// scanFDs notes the nsfs and socket fds of the process open at dirfd.
// Threads share their leader's fd table: it is read once per process.
func (sc *scanner) scanFDs(dirfd, pid int) {
	fdfd, errno := openat(dirfd, fdName, oDir)
	if errno != 0 {
		return // gone, or not ours to read
	}
	defer closeFD(fdfd)
	readDir(fdfd, sc.dir[:], func(name []byte) {
		n, errno := readlinkat(fdfd, name, sc.link[:])
		if errno != 0 || n == 0 {
			return
		}
		target := sc.link[:n]
		fd, ok := atoi(name)
		if !ok {
			return
		}
		if n == 1 && target[0] == '/' {
			sc.held = append(sc.held, heldFD{pid: pid, fd: fd, detached: true})
			return
		}
		if target[0] == '/' || target[n-1] != ']' {
			return // a path: most fds are files
		}
		if inode, ok := bytes.CutPrefix(target, socketPrefix); ok {
			if sc.types.Has(Net) {
				sc.held = append(sc.held, heldFD{pid: pid, fd: fd, typ: Net, socket: string(inode[:len(inode)-1])})
			}
			return
		}
		if t, id, err := parseLink(string(target)); err == nil && sc.types.Has(t) {
			sc.held = append(sc.held, heldFD{pid: pid, fd: fd, typ: t, id: id})
		}
	})
}

var socketPrefix = []byte("socket:[")

// addFDHolders adds the namespaces that only fds hold, with all their
// holders. A socket's network namespace takes a syscall round (pidfd_open,
// pidfd_getfd, SIOCGSKNS) to learn: it is asked once per socket, for the
// sockets that their holders' namespace does not list (socketsInOwnNetNS).
func (s *Snapshot) addFDHolders(held []heldFD, types TypeSet) {
	pidfd, pidfdOf := -1, 0
	defer func() {
		if pidfd >= 0 {
			unix.Close(pidfd)
		}
	}()
	seen := map[string]bool{}
	var home map[string]bool
	if s.ownPIDs {
		home = s.socketsInOwnNetNS(held)
	}
	for _, h := range held {
		holder := Holder{PID: h.pid, FD: h.fd}
		if h.detached {
			var ok bool
			if h.typ, h.id, ok = s.detachedNSFS(h.pid, h.fd); !ok {
				continue
			}
		}
		if h.socket != "" {
			// pidfd_open takes a PID of our pid namespace: through
			// another namespace's /proc, it would name another process.
			if !s.ownPIDs || home[h.socket] || seen[h.socket] {
				continue
			}
			seen[h.socket] = true
			if pidfdOf != h.pid {
				if pidfd >= 0 {
					unix.Close(pidfd)
				}
				var err error
				if pidfd, err = unix.PidfdOpen(h.pid, 0); err != nil {
					pidfd, pidfdOf = -1, 0
					continue
				}
				pidfdOf = h.pid
			}
			id, ok := socketNetNS(pidfd, h.fd)
			if !ok {
				continue
			}
			h.id, holder.Kind = id, HeldBySocket
		} else {
			holder.Kind = HeldByFD
		}
		if !types.Has(h.typ) {
			continue
		}
		// Every holder of a namespace without processes: any one may
		// close its fd before the namespace is opened through it.
		switch ns := s.byID[h.id]; {
		case ns == nil:
			s.add(h.typ, h.id).Holders = []Holder{holder}
		case len(ns.Procs) == 0:
			ns.Holders = append(ns.Holders, holder)
		}
	}
}

// cloneTypes maps NS_GET_NSTYPE's answers to types.
var cloneTypes = map[int]Type{
	unix.CLONE_NEWNS: Mnt, unix.CLONE_NEWNET: Net, unix.CLONE_NEWPID: PID, unix.CLONE_NEWUTS: UTS,
	unix.CLONE_NEWIPC: IPC, unix.CLONE_NEWUSER: User, unix.CLONE_NEWCGROUP: Cgroup, unix.CLONE_NEWTIME: Time,
}

// detachedNSFS tells whether fd of pid, whose link reads "/", is an nsfs
// file, and of which namespace. A process's root directory reads "/" too,
// and may be anything: the fd is opened as open.go says.
func (s *Snapshot) detachedNSFS(pid, fd int) (Type, NSID, bool) {
	f, ok := s.openHolderFD(pid, fd)
	if !ok {
		return 0, 0, false
	}
	defer unix.Close(f.fd)
	kind, err := unix.IoctlRetInt(f.fd, unix.NS_GET_NSTYPE)
	t, ok := cloneTypes[kind]
	if err != nil || !ok {
		return 0, 0, false
	}
	return t, f.id, true
}
