package inspect

// Need says what Fill reads beyond what Scan found: facts about the
// processes shown, what is inside namespaces, and NETNSIDs. Each costs a
// file or a syscall or more per process or namespace, so a caller asks only
// for what it shows. Relations are not among them: Relate reads those, as
// it alone can fail and add namespaces.
type Need struct {
	Process  ProcessFacts
	Contents ContentFacts
	// NetNSID is Namespace.NetNSID, for network namespaces.
	NetNSID bool
}

// Union returns what n or m needs.
func (n Need) Union(m Need) Need {
	return Need{
		Process:  n.Process | m.Process,
		Contents: n.Contents | m.Contents,
		NetNSID:  n.NetNSID || m.NetNSID,
	}
}

// ProcessFacts are facts about a process that the scan does not read.
type ProcessFacts uint8

// The facts Fill can read about a process.
const (
	ReadPPID      ProcessFacts = 1 << iota // Process.PPID, from /proc/PID/stat
	ReadCommand                            // Process.Command, from cmdline or comm
	ReadContainer                          // Process.Container, ContainerID, Pod, from /proc/PID/cgroup and engines' files
	ReadNSpid                              // Process.NSpid, from /proc/PID/status
	ReadComm                               // Process.Comm, from /proc/PID/comm
)

// ContentFacts are what Fill can read inside a namespace, into
// Namespace.Contents; each concerns one type.
type ContentFacts uint16

// The contents Fill can read.
const (
	ReadUTS         ContentFacts = 1 << iota // uts: Contents.UTS, setns on a throwaway thread
	ReadIDMaps                               // user: Contents.IDMaps, uid_map and gid_map of a member
	ReadIfaces                               // net: Contents.Ifaces, net/dev of a member, or setns
	ReadTimeOffsets                          // time: Contents.Offsets, timens_offsets of a member
	ReadRoot                                 // mnt: Contents.Root, the /proc/PID/root link
	ReadMounts                               // mnt: Contents.Mounts, mountinfo after setns
	ReadIPC                                  // ipc: Contents.IPC, /proc/sysvipc after setns
	ReadCgroupRoot                           // cgroup: Contents.CgroupRoot, cgroup inside and out
)

// ReadInside are the contents read only from inside the namespace, by
// setns: unknown where it cannot be entered (Snapshot.NotEntered).
const ReadInside = ReadUTS | ReadIPC | ReadCgroupRoot

// Fill reads what need asks of the namespaces nss and of the processes
// procs (typically their representatives), each fact once per namespace or
// process however often it is asked, whether it could be read or not. It
// cannot fail and adds no namespace: what could not be read stays unknown
// (nil, "", HasNetNSID false), and NotEntered and Skipped say why where a
// namespace refused us or a read stalled. Relate the namespaces first
// where their relations are shown: Fill does not read them.
func (s *Snapshot) Fill(nss []*Namespace, procs []*Process, need Need) {
	if need.NetNSID {
		s.netNSIDs(nss)
	}
	if need.Contents != 0 {
		s.inspect(nss, need.Contents)
	}
	if need.Process != 0 {
		s.describe(procs, need.Process)
	}
}
