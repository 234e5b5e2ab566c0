package inspect

import (
	"sort"
	"sync"
	"sync/atomic"
)

// Process is a thread group as the proc filesystem shows it. PID, UID and NS
// come from the scan; the other fields only after Snapshot.Fill, for the
// details it was asked for.
type Process struct {
	PID int
	// UID owns /proc/PID: the process's effective uid, or root when the
	// process is not dumpable. lsns reports the same.
	UID uint32
	// NS holds the namespace of each type, 0 where the link was unreadable.
	NS [NumTypes]NSID

	PPID int
	// Command is the command line, its first MaxCommand bytes, with NULs
	// turned into spaces, or the comm name where the command line is empty
	// (kernel threads, zombies).
	Command string
	// Comm is the process's name as the kernel keeps it (at most 15
	// bytes, set by exec or prctl(PR_SET_NAME)), what ps and top show.
	Comm string
	// Container is the container the process runs in, from its cgroup
	// path: "engine:name" where the engine's files on the host name it,
	// else "engine:shortid". ContainerID is the engine's full id for it
	// (for lxc and nspawn, the name). Pod is its pod: "namespace/name" of
	// a Kubernetes pod, a podman pod's name, else the pod's UID or short
	// id.
	Container, ContainerID, Pod string
	// NSpid is the PID in each pid namespace the process is in, outermost
	// first.
	NSpid []uint64

	described ProcessFacts
	// task is a thread that is not its group's leader (Options.Threads).
	task bool
}

// Namespace is one namespace and the processes in it.
type Namespace struct {
	ID   NSID
	Type Type
	// Procs are the processes in the namespace, by ascending PID (with
	// Options.Threads, the tasks by ascending TID).
	Procs []*Process
	// Holders keep the namespace alive besides its processes: every nsfs
	// bind mount of it, and for a namespace without processes every open
	// fd and the first socket found to hold it.
	Holders []Holder

	// Filled by Snapshot.Relate:
	related, relatedOK bool
	// Parent is the parent pid or user namespace, nil for the others and
	// at the top of the tree we may see.
	Parent *Namespace
	// Owner is the user namespace that owns this one, nil where it is
	// outside our view.
	Owner *Namespace
	// Creator is the uid that created a user namespace (NS_GET_OWNER_UID).
	Creator    uint32
	HasCreator bool

	// Contents are filled by Snapshot.Fill, with Need.Contents.
	Contents *Contents
	// contentsRead are the facts Fill read of Contents, or tried to.
	contentsRead ContentFacts

	// Filled by Snapshot.Fill, with Need.NetNSID, for network namespaces:
	NetNSID    int
	HasNetNSID bool
}

// NetNSIDUnassigned is the NetNSID of a network namespace that nsinspect's
// own has given no id (the kernel's NETNSA_NSID_NOT_ASSIGNED): `ip link`
// shows no link-netnsid for it, lsns "unassigned".
const NetNSIDUnassigned = -1

// Related reports whether Relate could ask the kernel about ns's relations:
// only then is a nil Parent or Owner "none" (or beyond our view) rather
// than unknown.
func (n *Namespace) Related() bool { return n.relatedOK }

// Level is the nesting depth of a pid or user namespace: 0 for the top
// that nsinspect can see (the initial namespace, unless nsinspect runs in
// a user namespace), counted through the parents. known is false for other
// types and where a namespace on the way could not be asked.
func (n *Namespace) Level() (level int, known bool) {
	if n.Type != PID && n.Type != User {
		return 0, false
	}
	// The kernel nests at most 32 deep: a longer chain is no chain.
	for ns := n; level <= 64; ns = ns.Parent {
		if !ns.Related() {
			return 0, false
		}
		if ns.Parent == nil {
			return level, true
		}
		level++
	}
	return 0, false
}

// AdminUID is the uid that may administer ns: the creator of the user
// namespace that owns it (of ns itself, for a user namespace). It stands in
// for the owner of a process for a namespace without processes (lsns shows
// 0 there for all but user namespaces). known is false where the owner or
// its creator is unknown.
func (n *Namespace) AdminUID() (uid uint32, known bool) {
	owner := n.Owner
	if n.Type == User {
		owner = n
	}
	if owner == nil || !owner.HasCreator {
		return 0, false
	}
	return owner.Creator, true
}

// Rep returns the namespace's representative, its lowest PID, or nil when no
// process is in it.
func (n *Namespace) Rep() *Process {
	if len(n.Procs) == 0 {
		return nil
	}
	return n.Procs[0]
}

// HolderKind says how a holder keeps a namespace alive.
type HolderKind uint8

// The kinds of holder.
const (
	HeldByMount  HolderKind = iota // an nsfs bind mount (ip netns add, unshare --net=FILE)
	HeldByFD                       // an open file descriptor on the nsfs file
	HeldBySocket                   // a socket created in the network namespace
)

// Holder is something other than a member process that keeps a namespace
// alive, and through which it can be opened.
type Holder struct {
	Kind HolderKind
	// PID holds the fd or socket; for a mount, it is a process of the
	// mount namespace that has the mount.
	PID int
	FD  int
	// Path is the mount point as seen inside MountNS.
	Path    string
	MountNS NSID
}

// Snapshot is what one scan of a proc filesystem found.
type Snapshot struct {
	// Root is the proc filesystem that was scanned, such as "/proc".
	Root string
	// Namespaces are by ascending ID.
	Namespaces []*Namespace
	// Processes are by ascending PID.
	Processes []*Process
	// Denied counts the processes whose namespaces were, wholly or in
	// part, refused to us (EACCES, EPERM).
	Denied int
	// View says what else may have kept processes from the scan; see
	// Complete.
	View View

	// ownPIDs is true where Root's PIDs are those of nsinspect's own pid
	// namespace, which pidfd_open takes.
	ownPIDs  bool
	byPID    map[int]*Process
	byID     map[NSID]*Namespace
	hostOnce sync.Once
	host     [NumTypes]NSID // the initial net and mnt namespaces
	// guard bounds the reads that processes can stall.
	guard guard
	// notEntered counts the namespaces Fill could not join to read what
	// only their inside shows (NotEntered).
	notEntered atomic.Int64
	// ownMntNS is nsinspect's own mount namespace, where a bind mount's
	// path is the path nsinspect sees; 0 for a fixture, which is no host.
	ownMntNS NSID
	// mounts are nsinspect's own, for the host side of a container's root.
	mountsOnce sync.Once
	mounts     []mountRoot
	// engines reads container names from the host; nil for a fixture.
	engines *engineState
}

// add records a namespace found without a process.
func (s *Snapshot) add(t Type, id NSID) *Namespace {
	ns := &Namespace{ID: id, Type: t}
	s.byID[id] = ns
	s.Namespaces = append(s.Namespaces, ns)
	return ns
}

func (s *Snapshot) sortNamespaces() {
	sort.Slice(s.Namespaces, func(i, j int) bool { return s.Namespaces[i].ID < s.Namespaces[j].ID })
}

// NotEntered is how many namespaces Fill was refused to join (setns(2)
// needs CAP_SYS_ADMIN over the namespace), so that their UTS names, IPC
// objects, cgroup root or, without processes, interfaces stay unknown.
func (s *Snapshot) NotEntered() int { return int(s.notEntered.Load()) }

// Process returns the process with the given PID, or nil.
func (s *Snapshot) Process(pid int) *Process { return s.byPID[pid] }

// Namespace returns the namespace with the given ID, or nil.
func (s *Snapshot) Namespace(id NSID) *Namespace { return s.byID[id] }

// Parent returns p's parent process, or nil when it was not scanned. It
// reads p's PPID where that was not read yet.
func (s *Snapshot) Parent(p *Process) *Process {
	s.describe([]*Process{p}, ReadPPID)
	if p.PPID == 0 || p.PPID == p.PID {
		return nil
	}
	return s.byPID[p.PPID]
}

// group builds the namespaces from the scanned processes, which must be in
// ascending PID order so that each namespace's Procs are too.
func (s *Snapshot) group() {
	s.byPID = make(map[int]*Process, len(s.Processes))
	s.byID = make(map[NSID]*Namespace)
	for _, p := range s.Processes {
		s.byPID[p.PID] = p
		for t, id := range p.NS {
			if id == 0 {
				continue
			}
			ns := s.byID[id]
			if ns == nil {
				ns = s.add(Type(t), id)
			}
			ns.Procs = append(ns.Procs, p)
		}
	}
	s.sortNamespaces()
}
