package inspect

import (
	"bytes"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// A socket keeps its network namespace alive, and learning which namespace
// that is takes a round of syscalls per socket (socketNetNS): 16 µs each
// here, a third of a second for a proxy holding 20,000. But almost every
// socket is in its holder's own network namespace, which has processes and
// so needs no holder. The socket tables below /proc/PID/net list every
// socket of PID's network namespace by inode: a socket listed there is at
// home, and only the others are asked about one by one.

// socketTables are the files below /proc/PID/net that list sockets, and the
// field of their lines that holds a socket's inode. Families without a table
// (vsock, bluetooth, ...) are asked about one by one.
var socketTables = [...]struct {
	name  string
	field int
}{
	{"tcp", 9}, {"tcp6", 9}, {"udp", 9}, {"udp6", 9}, {"udplite", 9}, {"udplite6", 9},
	{"raw", 9}, {"raw6", 9}, {"icmp", 9}, {"icmp6", 9},
	{"unix", 6}, {"netlink", 9}, {"packet", 8},
}

// socketTableMin is how many sockets the processes of a network namespace
// must hold for its tables to be read: reading them costs about as much as
// asking about 16 sockets one by one, more where the namespace has many
// sockets that no process of ours holds.
const socketTableMin = 64

// socketsInOwnNetNS returns the inodes of the sockets in held that are in the
// network namespace of the process holding them. The namespaces' tables are
// read in parallel.
func (s *Snapshot) socketsInOwnNetNS(held []heldFD) map[string]bool {
	byNS := map[NSID][]heldFD{}
	for _, h := range held {
		if p := s.byPID[h.pid]; h.socket != "" && p != nil && p.NS[Net] != 0 {
			byNS[p.NS[Net]] = append(byNS[p.NS[Net]], h)
		}
	}
	var nets []NSID
	for netns, socks := range byNS {
		if len(socks) >= socketTableMin {
			nets = append(nets, netns)
		}
	}
	found := make([][]string, len(nets))
	parallel(len(nets), func(i int) { found[i] = s.listedSockets(nets[i], byNS[nets[i]]) })
	home := map[string]bool{}
	for _, inodes := range found {
		for _, inode := range inodes {
			home[inode] = true
		}
	}
	return home
}

// listedSockets returns the sockets of socks, all held by processes of
// network namespace netns, that its tables list, read through the first
// holder.
func (s *Snapshot) listedSockets(netns NSID, socks []heldFD) []string {
	want := make(map[string]bool, len(socks))
	for _, h := range socks {
		want[h.socket] = true
	}
	dir := s.Root + "/" + strconv.Itoa(socks[0].pid)
	var found []string
	for _, t := range socketTables {
		header := true
		_ = eachLine(dir+"/net/"+t.name, func(line []byte) {
			if header {
				header = false
				return
			}
			if inode, ok := socketInode(line, t.field); ok && want[string(inode)] {
				found = append(found, string(inode))
			}
		})
	}
	// The tables are those of the holder's namespace when they were read:
	// it must still be the one the scan saw.
	link, err := os.Readlink(dir + "/ns/net")
	if err != nil {
		return nil
	}
	if t, id, err := parseLink(link); err != nil || t != Net || id != netns {
		return nil
	}
	return found
}

// socketInode returns the given field of a socket table's line, where the
// line has it and it is an inode number (a socket in TIME_WAIT has 0).
func socketInode(line []byte, field int) ([]byte, bool) {
	for i := 0; len(line) > 0; i++ {
		line = bytes.TrimLeft(line, " ")
		end := bytes.IndexByte(line, ' ')
		if end < 0 {
			end = len(line)
		}
		if i == field {
			return line[:end], isInode(line[:end])
		}
		line = line[end:]
	}
	return nil, false
}

// isInode reports whether b is an inode number as the kernel writes it:
// decimal digits, no leading zero, not 0.
func isInode(b []byte) bool {
	if len(b) == 0 || len(b) > 20 || b[0] == '0' {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func openSocket(h Holder) (int, error) {
	pidfd, err := unix.PidfdOpen(h.PID, 0)
	if err != nil {
		return -1, err
	}
	defer unix.Close(pidfd)
	return openSocketNetNS(pidfd, h.FD)
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
