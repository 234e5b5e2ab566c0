package inspect

import (
	"slices"
	"strings"
	"testing"
)

// mountinfo has three proc mounts and what surrounds them; the lines are as
// Linux 6.18 writes them (hidepid by name) but for the one of 0:44, written
// as before Linux 5.8 (hidepid by number).
const mountinfo = `22 27 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
27 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
30 22 0:26 / /proc/sys/fs/binfmt_misc rw,relatime shared:13 - autofs systemd-1 rw,fd=29,pgrp=1
66 45 0:40 / /tmp/with\040space rw,relatime - proc proc rw,gid=5,hidepid=invisible
67 45 0:41 / /run/pidonly rw,relatime master:3 - proc proc rw,hidepid=noaccess,subset=pid
68 45 0:42 / /srv/host/proc ro,relatime - proc none rw,hidepid=ptraceable
69 45 0:43 / /srv/fake rw,relatime - tmpfs proc rw,hidepid=2
70 45 0:44 / /old rw - proc proc rw,hidepid=2
71 45 0:45 / /broken rw - proc
`

func TestProcMountOptions(t *testing.T) {
	tests := []struct {
		name, dev string
		want      string
		ok        bool
	}{
		{"plain /proc", "0:21", "rw,nosuid,nodev,noexec,relatime,rw", true},
		{"escaped mount point, optional fields absent", "0:40", "rw,relatime,rw,gid=5,hidepid=invisible", true},
		{"an optional field before the separator", "0:41", "rw,relatime,rw,hidepid=noaccess,subset=pid", true},
		{"another source name", "0:42", "ro,relatime,rw,hidepid=ptraceable", true},
		// Named proc, but tmpfs: its options are no proc filesystem's.
		{"not proc", "0:43", "", false},
		{"old kernel", "0:44", "rw,rw,hidepid=2", true},
		{"line cut short", "0:45", "", false},
		{"ext4", "8:1", "", false},
		{"no such device", "0:99", "", false},
		// A device number is matched whole, not as a prefix.
		{"prefix of a device", "0:2", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := procMountOptions([]byte(mountinfo), tt.dev)
			if got != tt.want || ok != tt.ok {
				t.Errorf("procMountOptions(%s) = %q, %v; want %q, %v", tt.dev, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestProcMountOptionsBlanks: fields are split at spaces only, as the
// kernel separates them; it escapes space, tab, newline and backslash, and
// writes any other byte as it is, as part of its field.
func TestProcMountOptionsBlanks(t *testing.T) {
	const mountinfo = "22 27 0:21 / /a\u00a0b\u2028c\rd rw,nosuid shared:12 - proc proc rw,hidepid=invisible\n" +
		"23 27 0:22 / /a\tb rw - proc proc rw,hidepid=noaccess\n"
	if got, ok := procMountOptions([]byte(mountinfo), "0:21"); got != "rw,nosuid,rw,hidepid=invisible" || !ok {
		t.Errorf("procMountOptions(0:21) = %q, %v; want the options after the mount point", got, ok)
	}
	if got, ok := procMountOptions([]byte(mountinfo), "0:22"); ok {
		t.Errorf("procMountOptions(0:22) = %q: a line with a raw tab is none of the kernel's", got)
	}
}

func TestParseProcOptions(t *testing.T) {
	tests := []struct {
		opts    string
		want    Hidepid
		wantGID uint32
	}{
		{"rw,nosuid,relatime,rw", HidepidOff, 0},
		{"rw,hidepid=off", HidepidOff, 0},
		{"rw,hidepid=0", HidepidOff, 0},
		{"rw,hidepid=noaccess", HidepidNoAccess, 0},
		{"rw,hidepid=1", HidepidNoAccess, 0},
		{"rw,gid=5,hidepid=invisible", HidepidInvisible, 5},
		{"rw,hidepid=2,gid=4294967294", HidepidInvisible, 4294967294},
		{"rw,hidepid=ptraceable", HidepidPtraceable, 0},
		{"rw,hidepid=4", HidepidPtraceable, 0},
		// subset=pid drops the files that are not a process's: it hides
		// none.
		{"rw,hidepid=noaccess,subset=pid", HidepidNoAccess, 0},
		{"rw,subset=pid", HidepidOff, 0},
		// A mode from a future kernel may hide: it is not taken for off.
		{"rw,hidepid=3", HidepidUnknown, 0},
		{"rw,hidepid=", HidepidUnknown, 0},
		{"rw,hidepid", HidepidUnknown, 0},
		// The last word counts, as the kernel parses a remount's.
		{"hidepid=2,hidepid=0", HidepidOff, 0},
		{"rw,gid=x", HidepidOff, 0},
		{"rw,gid=-1", HidepidOff, 0},
		{"", HidepidOff, 0},
		{"rw,nohidepid=2", HidepidOff, 0},
	}
	for _, tt := range tests {
		t.Run(tt.opts, func(t *testing.T) {
			h, gid := parseProcOptions(tt.opts)
			if h != tt.want || gid != tt.wantGID {
				t.Errorf("parseProcOptions(%q) = %v, gid %d; want %v, gid %d", tt.opts, h, gid, tt.want, tt.wantGID)
			}
		})
	}
}

func TestHidepidFor(t *testing.T) {
	in := func(groups ...uint32) func(uint32) bool {
		return func(gid uint32) bool { return slices.Contains(groups, gid) }
	}
	tests := []struct {
		name      string
		opts      string
		initialNS bool
		inGroup   func(uint32) bool
		want      Hidepid
	}{
		{"off", "rw", true, in(), HidepidOff},
		{"invisible", "rw,hidepid=invisible", true, in(65534), HidepidInvisible},
		{"noaccess", "rw,hidepid=noaccess", true, in(), HidepidNoAccess},
		{"member of gid=", "rw,gid=5,hidepid=invisible", true, in(100, 5), HidepidOff},
		{"member of gid=, noaccess", "rw,gid=5,hidepid=noaccess", true, in(5), HidepidOff},
		// Without gid= root's group is exempt, which the kernel does not
		// print.
		{"root's group", "rw,hidepid=invisible", true, in(0), HidepidOff},
		{"not a member", "rw,gid=5,hidepid=invisible", true, in(0), HidepidInvisible},
		// ptraceable asks ptrace alone, whatever the group.
		{"ptraceable ignores gid=", "rw,gid=5,hidepid=ptraceable", true, in(5), HidepidPtraceable},
		// In a user namespace our gids are not the ones the kernel prints.
		{"user namespace", "rw,gid=5,hidepid=invisible", false, in(5), HidepidInvisible},
		{"unknown mode", "rw,gid=5,hidepid=8", true, in(5), HidepidUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hidepidFor(tt.opts, tt.initialNS, tt.inGroup); got != tt.want {
				t.Errorf("hidepidFor(%q, %v) = %v, want %v", tt.opts, tt.initialNS, got, tt.want)
			}
		})
	}
}

func FuzzProcMountOptions(f *testing.F) {
	f.Add([]byte(mountinfo), "0:40")
	f.Add([]byte("1 2 0:1 / / rw - proc"), "0:1")
	f.Add([]byte("1 2 0:1 / / rw - - - - proc x y\n"), "0:1")
	f.Fuzz(func(t *testing.T, data []byte, dev string) {
		opts, ok := procMountOptions(data, dev)
		if !ok && opts != "" {
			t.Fatalf("procMountOptions = %q, false: want no options", opts)
		}
		// Options are never split from a line's fields: no blank in them.
		if strings.ContainsAny(opts, " \t\n") {
			t.Fatalf("procMountOptions = %q: options with a blank", opts)
		}
		if h, _ := parseProcOptions(opts); h > HidepidUnknown {
			t.Fatalf("parseProcOptions(%q) = %v", opts, h)
		}
	})
}

// The views a scan can have: root with CAP_SYS_PTRACE on the host; without
// it on the host (nobody, or root with a container's default capabilities);
// in a user namespace of its own (unshare -Ur, a rootless container).
var (
	hostRoot   = View{InitialUserNS: true, SysPtrace: true}
	noPtrace   = View{InitialUserNS: true}
	userNSRoot = View{SysPtrace: true}
)

const (
	lackPtrace = ": nsinspect lacks CAP_SYS_PTRACE"
	inUserNS   = ": nsinspect runs in a user namespace, without CAP_SYS_PTRACE in the initial one"
)

func withHidepid(v View, h Hidepid) View {
	v.Hidepid = h
	return v
}

func TestShortfall(t *testing.T) {
	tests := []struct {
		name   string
		denied int
		view   View
		want   string // "" for a complete view
	}{
		{"root, nothing refused", 0, hostRoot, ""},
		// PID 1 of a sandbox refuses even root: lsns is silent, so are we.
		{"root, refused anyway", 1, hostRoot, ""},
		{"root under hidepid", 3, withHidepid(hostRoot, HidepidInvisible), ""},
		{"nobody, nothing refused", 0, noPtrace, ""},
		{"nobody, one refused", 1, noPtrace, "1 process could not be read (permission denied)" + lackPtrace},
		{"nobody, many refused", 37, noPtrace, "37 processes could not be read (permission denied)" + lackPtrace},
		{"root without the capability", 5, noPtrace, "5 processes could not be read (permission denied)" + lackPtrace},
		{"root of a user namespace", 146, userNSRoot, "146 processes could not be read (permission denied)" + inUserNS},
		{"user namespace, no capability", 2, View{}, "2 processes could not be read (permission denied)" + inUserNS},
		{"user namespace, alone in its pid namespace", 0, userNSRoot, ""},
		{"hidepid=noaccess", 4, withHidepid(noPtrace, HidepidNoAccess),
			"4 processes could not be read (hidepid=noaccess on /proc)" + lackPtrace},
		// noaccess lists every process: none refused, none missed.
		{"hidepid=noaccess, nothing refused", 0, withHidepid(noPtrace, HidepidNoAccess), ""},
		{"hidepid=invisible", 0, withHidepid(noPtrace, HidepidInvisible),
			"processes are hidden (hidepid=invisible on /proc)" + lackPtrace},
		{"hidepid=ptraceable", 0, withHidepid(userNSRoot, HidepidPtraceable),
			"processes are hidden (hidepid=ptraceable on /proc)" + inUserNS},
		{"hidepid=invisible and refused", 2, withHidepid(noPtrace, HidepidInvisible),
			"processes are hidden (hidepid=invisible on /proc) and 2 processes could not be read (permission denied)" + lackPtrace},
		{"hidepid unknown", 0, withHidepid(noPtrace, HidepidUnknown),
			"processes may be hidden (the hidepid= of /proc is unknown)" + lackPtrace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Snapshot{Root: "/proc", Denied: tt.denied, View: tt.view}
			if got := s.Shortfall(); got != tt.want {
				t.Errorf("Shortfall() = %q, want %q", got, tt.want)
			}
			if got := s.Complete(); got != (tt.want == "") {
				t.Errorf("Complete() = %v, want %v", got, tt.want == "")
			}
		})
	}
}

// TestProbeView checks the view of this test process on the real /proc, as
// far as it can be known: the default /proc of a test machine hides nothing.
func TestProbeView(t *testing.T) {
	v := probeView(DefaultRoot, false)
	if !v.Privileged() && v.Hidepid == HidepidUnknown {
		t.Errorf("probeView(/proc) = %+v: the mount of /proc not found", v)
	}
	if f := probeView(t.TempDir(), true); f.Hidepid != HidepidOff {
		t.Errorf("probeView of a fixture = %+v, want it to hide nothing", f)
	}
}
