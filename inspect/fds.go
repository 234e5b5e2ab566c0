package inspect

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// scanFDs finds namespaces that no process is in but that an open file
// descriptor keeps alive: an fd on an nsfs file (a runtime that holds a
// network namespace for later), or a socket, which pins the network
// namespace it was created in even after every process left it.
func (s *Snapshot) scanFDs(types TypeSet) {
	sockets := map[string]bool{} // socket inodes already asked about
	buf := make([]byte, 64)
	for _, p := range s.Processes {
		if p.task {
			continue // threads share the fd table of their leader
		}
		s.scanProcessFDs(p.PID, types, sockets, buf)
	}
}

func (s *Snapshot) scanProcessFDs(pid int, types TypeSet, sockets map[string]bool, buf []byte) {
	dir := s.Root + "/" + strconv.Itoa(pid) + "/fd"
	d, err := os.Open(dir)
	if err != nil {
		return // gone, or not ours to read
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	pidfd := -1
	defer func() {
		if pidfd >= 0 {
			unix.Close(pidfd)
		}
	}()
	for _, name := range names {
		n, err := unix.Readlink(dir+"/"+name, buf)
		if err != nil {
			continue
		}
		target := string(buf[:n])
		fd, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		if inode, ok := strings.CutPrefix(target, "socket:["); ok {
			if !types.Has(Net) || sockets[inode] {
				continue
			}
			sockets[inode] = true
			if pidfd < 0 {
				if pidfd, err = unix.PidfdOpen(pid, 0); err != nil {
					return
				}
			}
			if id, ok := socketNetNS(pidfd, fd); ok && s.byID[id] == nil {
				s.add(Net, id).Holders = []Holder{{Kind: HeldBySocket, PID: pid, FD: fd}}
			}
			continue
		}
		t, id, err := parseLink(target)
		if err != nil || !types.Has(t) || s.byID[id] != nil {
			continue
		}
		s.add(t, id).Holders = []Holder{{Kind: HeldByFD, PID: pid, FD: fd}}
	}
}

// socketNetNS returns the network namespace of socket fd of the process
// behind pidfd. It duplicates the socket into this process for one ioctl;
// the duplicate is closed at once and the owner's socket is untouched.
func socketNetNS(pidfd, fd int) (NSID, bool) {
	nsfd, err := openSocketNetNS(pidfd, fd)
	if err != nil {
		return 0, false
	}
	defer unix.Close(nsfd)
	var st unix.Stat_t
	if unix.Fstat(nsfd, &st) != nil {
		return 0, false
	}
	return NSID(st.Ino), true
}

// openSocketNetNS opens the network namespace of socket fd of the process
// behind pidfd (pidfd_getfd needs ptrace access to it, SIOCGSKNS needs
// CAP_NET_ADMIN over the namespace).
func openSocketNetNS(pidfd, fd int) (int, error) {
	sk, err := unix.PidfdGetfd(pidfd, fd, 0)
	if err != nil {
		return -1, err
	}
	defer unix.Close(sk)
	return unix.IoctlRetInt(sk, unix.SIOCGSKNS)
}
