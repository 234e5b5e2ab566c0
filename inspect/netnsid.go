package inspect

import (
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// netNSIDs asks the kernel, over rtnetlink, for the id that nsinspect's own
// network namespace has given each network namespace in nss (the NETNSID of
// `ip link` link-netnsid), once per namespace.
func (s *Snapshot) netNSIDs(nss []*Namespace) {
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
