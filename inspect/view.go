package inspect

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// What a scan may see of the processes. The kernel shows a process's
// namespace links (/proc/PID/ns/*) to a reader that ptrace_may_access allows
// to read it (PTRACE_MODE_READ_FSCREDS): one with the same uids, of a
// dumpable process in its own user namespace, or one with CAP_SYS_PTRACE in
// the process's user namespace. Other processes are refused, and counted
// (Snapshot.Denied). A proc filesystem mounted with hidepid= applies the same
// test to /proc/PID itself: noaccess refuses to enter the directory (refused
// and counted too), invisible and ptraceable leave the process out of the
// listing, so that it cannot even be counted. Members of the mount's gid=
// group pass noaccess and invisible.
//
// Only CAP_SYS_PTRACE in the initial user namespace reaches every process.
// Capabilities held in any other user namespace (the root of a rootless
// container, `unshare -Ur`) reach only the processes of that namespace and
// its descendants.

// Hidepid is the hidepid= option of a proc filesystem: which processes it
// keeps from a reader that may not ptrace them.
type Hidepid uint8

// The hidepid modes, as the kernel names them in mountinfo since Linux 5.8
// (hidepid=0, 1, 2 and 4 before).
const (
	HidepidOff        Hidepid = iota // every process is listed and may be entered
	HidepidNoAccess                  // listed, but /proc/PID is refused
	HidepidInvisible                 // not listed
	HidepidPtraceable                // not listed, gid= or not
	// HidepidUnknown: the mount of the scanned proc filesystem was not
	// found in our mount table (reached through /proc/PID/root), or its
	// hidepid= value is one this code does not know.
	HidepidUnknown
)

var hidepidNames = [...]string{"off", "noaccess", "invisible", "ptraceable", "unknown"}

func (h Hidepid) String() string {
	if int(h) < len(hidepidNames) {
		return hidepidNames[h]
	}
	return "Hidepid(" + strconv.Itoa(int(h)) + ")"
}

// hides reports whether h may leave processes out of the listing.
func (h Hidepid) hides() bool {
	return h == HidepidInvisible || h == HidepidPtraceable || h == HidepidUnknown
}

// View is what limits a scan's view of the processes, besides the refusals
// it counts in Snapshot.Denied.
type View struct {
	// InitialUserNS: nsinspect runs in the host's user namespace, the one
	// in which capabilities reach every process.
	InitialUserNS bool
	// SysPtrace: CAP_SYS_PTRACE is in nsinspect's effective set.
	SysPtrace bool
	// Hidepid is the scanned proc filesystem's hidepid= as it applies to
	// nsinspect: off where its gid= exempts us. It is read only where we
	// are not Privileged, whom hidepid does not stop.
	Hidepid Hidepid
}

// Privileged reports whether nsinspect holds CAP_SYS_PTRACE in the initial
// user namespace: then the kernel shows it every process, hidepid or not,
// but for the few that refuse even that (PID 1 of some sandboxes, whose
// capabilities we lack).
func (v View) Privileged() bool { return v.InitialUserNS && v.SysPtrace }

// Complete reports whether the scan saw every process there is to see:
// nothing refused and nothing hidden, or a Privileged scan, whose rare
// refusals lsns passes over in silence too (they are still counted in
// Denied). Where it is false, a namespace in which no process was seen may
// have processes all the same.
func (s *Snapshot) Complete() bool {
	return s.View.Privileged() || (s.Denied == 0 && !s.View.Hidepid.hides())
}

// Shortfall says in one line what the scan could not see and why, for a
// warning; "" where it is Complete.
func (s *Snapshot) Shortfall() string {
	if s.Complete() {
		return ""
	}
	var what []string
	switch h := s.View.Hidepid; {
	case h == HidepidUnknown:
		what = append(what, "processes may be hidden (the hidepid= of "+s.Root+" is unknown)")
	case h.hides():
		what = append(what, fmt.Sprintf("processes are hidden (hidepid=%s on %s)", h, s.Root))
	}
	if s.Denied > 0 {
		noun := "processes"
		if s.Denied == 1 {
			noun = "process"
		}
		why := "permission denied"
		if s.View.Hidepid == HidepidNoAccess {
			why = "hidepid=noaccess on " + s.Root
		}
		what = append(what, fmt.Sprintf("%d %s could not be read (%s)", s.Denied, noun, why))
	}
	lack := "nsinspect lacks CAP_SYS_PTRACE"
	if !s.View.InitialUserNS {
		lack = "nsinspect runs in a user namespace, without CAP_SYS_PTRACE in the initial one"
	}
	return strings.Join(what, " and ") + ": " + lack
}

// probeView finds what limits a scan of the proc filesystem at root by this
// process. A fixture (FixtureMarker) is taken to hide nothing.
func probeView(root string, fixture bool) View {
	v := View{InitialUserNS: inInitialUserNS(root), SysPtrace: hasSysPtrace()}
	if v.Privileged() || fixture {
		return v
	}
	v.Hidepid = HidepidUnknown
	var st unix.Stat_t
	if unix.Stat(root, &st) != nil {
		return v
	}
	dev := fmt.Sprintf("%d:%d", unix.Major(st.Dev), unix.Minor(st.Dev))
	for _, self := range selfDirs(root) {
		data, err := readFile(self + "/mountinfo")
		if err != nil {
			continue
		}
		if opts, ok := procMountOptions(data, dev); ok {
			v.Hidepid = hidepidFor(opts, v.InitialUserNS, inGroup)
		}
		break
	}
	return v
}

// hidepidFor is the hidepid= of a proc filesystem with options opts as it
// applies to a reader whose groups inGroup tells: off where gid= exempts it.
// The kernel prints gid= as an id of the initial user namespace, and only
// there does getgroups(2) give ours in the same terms: elsewhere the
// exemption cannot be told, and hidepid is taken to apply.
func hidepidFor(opts string, initialUserNS bool, inGroup func(gid uint32) bool) Hidepid {
	h, gid := parseProcOptions(opts)
	if initialUserNS && (h == HidepidNoAccess || h == HidepidInvisible) && inGroup(gid) {
		return HidepidOff
	}
	return h
}

// selfDirs are where to find our own /proc/PID: in the proc filesystem at
// /proc, else in the one scanned (a host's /proc seen from a container
// without its own).
func selfDirs(root string) []string {
	return []string{DefaultRoot + "/self", root + "/self"}
}

// inInitialUserNS reports whether this process is in the initial user
// namespace, whose inode the kernel fixes (PROC_USER_INIT_INO).
func inInitialUserNS(root string) bool {
	for _, self := range selfDirs(root) {
		var st unix.Stat_t
		if unix.Stat(self+"/ns/user", &st) == nil {
			return NSID(st.Ino) == initialIDs[User]
		}
	}
	return false
}

// hasSysPtrace reports whether CAP_SYS_PTRACE is in this process's effective
// set, in whichever user namespace it runs.
func hasSysPtrace() bool {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData // version 3: capabilities 0-31, then 32-63
	if unix.Capget(&hdr, &data[0]) != nil {
		return false
	}
	return data[unix.CAP_SYS_PTRACE/32].Effective&(1<<(unix.CAP_SYS_PTRACE%32)) != 0
}

// inGroup reports whether gid is this process's effective group or one of
// its supplementary groups, as the kernel's in_group_p asks (of the
// filesystem gid, which follows the effective one).
func inGroup(gid uint32) bool {
	if uint32(os.Getegid()) == gid {
		return true
	}
	groups, err := os.Getgroups()
	return err == nil && slices.Contains(groups, int(gid))
}

// procMountOptions returns the options of the proc filesystem mounted from
// device dev ("major:minor") in mountinfo, the text of /proc/PID/mountinfo:
// its per-mount options and its filesystem's, comma-separated. Every mount of
// one proc filesystem shares its filesystem options, hidepid= among them.
func procMountOptions(mountinfo []byte, dev string) (opts string, ok bool) {
	for line := range bytes.Lines(mountinfo) {
		// ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
		f := mountFields(bytes.TrimSuffix(line, []byte{'\n'}))
		if len(f) < 10 || string(f[2]) != dev {
			continue
		}
		sep := slices.IndexFunc(f[6:], func(field []byte) bool { return string(field) == "-" })
		if sep < 0 || 6+sep+3 >= len(f) {
			continue
		}
		if rest := f[6+sep+1:]; string(rest[0]) == "proc" {
			return string(f[5]) + "," + string(rest[2]), true
		}
	}
	return "", false
}

// parseProcOptions reads hidepid= and gid= from a proc filesystem's options.
// Without gid= the exempt group is root's (gid 0), which the kernel does not
// print.
func parseProcOptions(opts string) (h Hidepid, gid uint32) {
	for _, o := range strings.Split(opts, ",") {
		key, value, _ := strings.Cut(o, "=")
		switch key {
		case "hidepid":
			switch value {
			case "0", "off":
				h = HidepidOff
			case "1", "noaccess":
				h = HidepidNoAccess
			case "2", "invisible":
				h = HidepidInvisible
			case "4", "ptraceable":
				h = HidepidPtraceable
			default:
				h = HidepidUnknown
			}
		case "gid":
			if n, err := strconv.ParseUint(value, 10, 32); err == nil {
				gid = uint32(n)
			}
		}
	}
	return h, gid
}
