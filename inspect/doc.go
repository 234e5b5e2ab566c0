// Package inspect finds the Linux namespaces of a host by walking a proc
// filesystem, groups processes per namespace, relates them and reads what is
// inside them. It returns values; it never prints and never exits, and
// importing it has no side effect.
//
// A run is up to three calls. Scan reads every process's namespace links
// (and, with Options.FindHolders, what else keeps namespaces alive) into a
// Snapshot: its Namespaces, each with the Processes in it and its Holders.
// Relate asks the kernel for the parents and owners of some of them, which
// adds the namespaces that only relations reveal: it alone can fail
// (ErrNoNSIoctl) or add namespaces, so a caller relates before it selects.
// Fill then reads what a caller shows of the namespaces and processes it
// selected, as a Need: facts about processes (command line, parent,
// container), NETNSIDs, and contents (host name, id maps, interfaces, clock
// offsets, mounts, IPC objects, cgroup root). Fill cannot fail: what it
// could not read stays unknown on the values. Each fact has a reader of its
// own, in a table (contents.go, describe.go), and is read once however often
// it is asked; IsHost and Parent read what they need.
//
// One file per source of namespaces and per concern:
//
//	procs.go      the scan: /proc/PID/ns/* of every process
//	tasks.go      threads alone in a namespace (Options.Threads)
//	fds.go        namespaces held by an open fd
//	sockets.go    network namespaces held by a socket
//	mounts.go     namespaces bind-mounted on a file (ip netns add)
//	relations.go  parents, owners, creators: the NS_GET_* ioctls
//	netnsid.go    NETNSIDs over rtnetlink
//	contents.go   what is inside, some of it read after setns(2)
//	describe.go   facts about processes
//	cgroup.go     cgroup paths: a container's engine and id, a namespace's root
//	engines.go    the container engines' table, their state below Options.RootFS
//	engine_*.go   one engine each: its cgroup patterns and what names its containers
//	host.go       which namespaces are the host's
//	view.go       what the scan could not see, and why
//	open.go       opening a namespace through a process, fd or mount
//	guard.go      bounding the reads that a process can stall
//	sys.go        the raw syscalls of the scan
//
// Everything a process controls is untrusted: its files below /proc, its
// mounts (a FIFO or a FUSE mount that never answers where a path would
// lead), its command line's size, the moment it exits. Paths that a process
// controls are resolved with openat2 below a root and without symlinks, or
// not at all; reads it can stall run under a deadline (guard.go); a process
// that exits mid-scan is left out; PIDs and fds reused meanwhile are caught
// by checking inodes.
//
// The package reads /proc with raw syscalls and small parsers of its own,
// not with prometheus/procfs: the scan is the hot path (a readlinkat per
// link with reused buffers, no allocation per process), where procfs's
// Proc.Namespaces was 2.2 times slower (and returns the *_for_children
// links too, and fails whole on one failed readlink); and the few other
// files it reads (stat, status, cgroup, mountinfo, the socket tables) are
// read line by line in bounded memory, which procfs does not offer for
// mountinfo and the socket tables: it took 845 ms and 211 MB for a
// 100,000-mount table that eachLine counts in 14.6 ms.
//
// procfs serves in the tests instead, as the differential oracle of these
// parsers (oracle_*_test.go): a fuzzer per /proc file gives the same bytes
// to ours and to procfs's and fails where the two read them differently,
// but for named exceptions, each of which says by the kernel's source who
// is right (lsns's compatibility, bounded reads, what the kernel never
// writes). It is a test-only dependency: the command does not link it.
package inspect
