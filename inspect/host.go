package inspect

import (
	"bytes"
	"strconv"
)

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
// namespace's /proc, no privileges). In a container's pid namespace, PID 2
// with parent 0 is the first process exec'd into it from outside (setns
// gives it no parent there): only the kernel thread flag tells kthreadd.
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
		if data, err := readFile(s.Root + "/2/stat"); err == nil && isKthreadd(data) {
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

// pfKthread is PF_KTHREAD, the flag of a kernel thread in the flags field
// (9) of /proc/PID/stat (include/linux/sched.h).
const pfKthread = 0x00200000

// isKthreadd reports whether a /proc/PID/stat line is kthreadd's: a kernel
// thread whose parent is PID 0. Only the initial pid namespace holds
// kernel threads, whatever /proc shows it.
func isKthreadd(stat []byte) bool {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return false
	}
	// After the comm: state(3) ppid(4) pgrp session tty_nr tpgid flags(9).
	f := bytes.Fields(stat[end+1:])
	if len(f) < 7 || string(f[1]) != "0" {
		return false
	}
	flags, err := strconv.ParseUint(string(f[6]), 10, 32)
	return err == nil && flags&pfKthread != 0
}
