package inspect

// The inodes of the initial namespaces that the kernel fixes at build time
// (PROC_*_INIT_INO in include/linux/proc_ns.h). The initial network and mount
// namespaces get theirs at boot, like any other.
var initialIDs = map[Type]NSID{
	IPC: 0xEFFFFFFF, UTS: 0xEFFFFFFE, User: 0xEFFFFFFD, PID: 0xEFFFFFFC,
	Cgroup: 0xEFFFFFFB, Time: 0xEFFFFFFA,
}

// IsHost reports whether ns is the host's initial namespace of its type;
// known is false where that cannot be told: the initial network and mount
// namespaces are those of kthreadd (PID 2, a kernel thread, whose parent is
// PID 0) or else of PID 1 when it is in the initial pid namespace (not a
// container's init), and neither may be readable (hidepid, another pid
// namespace's /proc, no privileges).
func (s *Snapshot) IsHost(ns *Namespace) (host, known bool) {
	if id, ok := initialIDs[ns.Type]; ok {
		return ns.ID == id, true
	}
	s.hostOnce.Do(s.findHost)
	id := s.host[ns.Type]
	return ns.ID == id, id != 0
}

// findHost finds the initial network and mount namespaces.
func (s *Snapshot) findHost() {
	var candidates []*Process
	if kthreadd := s.byPID[2]; kthreadd != nil {
		s.describe([]*Process{kthreadd}, ReadPPID)
		if kthreadd.PPID == 0 {
			candidates = append(candidates, kthreadd)
		}
	}
	if init := s.byPID[1]; init != nil && init.NS[PID] == initialIDs[PID] {
		candidates = append(candidates, init)
	}
	for _, p := range candidates {
		for _, t := range []Type{Net, Mnt} {
			if s.host[t] == 0 {
				s.host[t] = p.NS[t]
			}
		}
	}
}
