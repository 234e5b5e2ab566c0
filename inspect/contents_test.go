package inspect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseIDMap(t *testing.T) {
	tests := []struct {
		name, in string
		want     []IDRange
		wantErr  bool
	}{
		{"initial", "         0          0 4294967295\n", []IDRange{{0, 0, 4294967295}}, false},
		{"rootless", "         0       1000          1\n         1     100000      65536\n",
			[]IDRange{{0, 1000, 1}, {1, 100000, 65536}}, false},
		{"not written yet", "", []IDRange{}, false},
		{"two fields", "0 1000\n", nil, true},
		{"negative", "0 -1 1\n", nil, true},
		{"overflow", "0 4294967296 1\n", nil, true},
		{"junk", "a b c\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseIDMap([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseNetDev(t *testing.T) {
	in := `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
  eth0: 1234 5 0 0 0 0 0 0 1234 5 0 0 0 0 0 0
veth-a@if2: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
`
	want := []string{"lo", "eth0", "veth-a@if2"}
	if diff := cmp.Diff(want, parseNetDev([]byte(in))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := parseNetDev([]byte("header only\n")); len(got) != 0 {
		t.Errorf("header only: got %q, want none", got)
	}
	// The kernel pads names with spaces; a name's own bytes stay, those
	// Unicode calls blank too.
	blanks := "h\nh\n  a\u2028: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n\u0085b\u0085: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	if diff := cmp.Diff([]string{"a\u2028", "\u0085b\u0085"}, parseNetDev([]byte(blanks))); diff != "" {
		t.Errorf("names with Unicode blanks (-want +got):\n%s", diff)
	}
}

func TestParseTimeOffsets(t *testing.T) {
	tests := []struct {
		name, in string
		want     TimeOffsets
		wantErr  bool
	}{
		{"host", "monotonic           0         0\nboottime            0         0\n", TimeOffsets{}, false},
		{"shifted", "monotonic        3600         0\nboottime     -86400 500000000\n",
			TimeOffsets{Monotonic: Offset{3600, 0}, Boottime: Offset{-86400, 500000000}}, false},
		{"unknown clock", "realtime 1 0\n", TimeOffsets{}, true},
		{"nsec out of range", "monotonic 1 1000000000\n", TimeOffsets{Monotonic: Offset{}}, true},
		{"empty", "", TimeOffsets{}, true},
		{"short line", "monotonic 1\n", TimeOffsets{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseTimeOffsets([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCgroupRoot(t *testing.T) {
	tests := []struct {
		name, outside, inside, want string
	}{
		{"v2 nested", "0::/system.slice/box/child\n", "0::/child\n", "/system.slice/box"},
		{"at the root", "0::/system.slice/box\n", "0::/\n", "/system.slice/box"},
		{"host", "0::/\n", "0::/\n", "/"},
		{"hybrid picks unified", "4:memory:/a/b\n0::/x/y\n", "4:memory:/b\n0::/y\n", "/x"},
		{"v1 named", "2:cpu:/k/c\n1:name=systemd:/k/c\n", "2:cpu:/c\n1:name=systemd:/c\n", "/k"},
		{"moved above root", "0::/a\n", "0::/../a\n", ""},
		{"does not fit", "0::/a/b\n", "0::/c\n", ""},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cgroupRoot([]byte(tt.outside), []byte(tt.inside)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseContainer(t *testing.T) {
	id := strings.Repeat("0123456789abcdef", 4)
	short := id[:12]
	const podUID = "0f3a9b2c-1d4e-4f5a-8b6c-7d8e9f0a1b2c"
	podSystemd := strings.ReplaceAll(podUID, "-", "_")
	tests := []struct {
		name, cgroup, container, pod string
	}{
		{"docker cgroupfs v1", "12:memory:/docker/" + id + "\n", "docker:" + short, ""},
		{"docker cgroupfs v2", "0::/docker/" + id + "\n", "docker:" + short, ""},
		{"docker systemd", "0::/system.slice/docker-" + id + ".scope\n", "docker:" + short, ""},
		{"podman", "0::/machine.slice/libpod-" + id + ".scope/container\n", "podman:" + short, ""},
		{"podman conmon", "0::/machine.slice/libpod-conmon-" + id + ".scope\n", "podman:" + short, ""},
		{"containerd systemd pod", "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + podSystemd +
			".slice/cri-containerd-" + id + ".scope\n", "containerd:" + short, podUID},
		{"crio", "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + podSystemd +
			".slice/crio-" + id + ".scope\n", "crio:" + short, podUID},
		{"kubepods cgroupfs v1", "11:cpu:/kubepods/burstable/pod" + podUID + "/" + id + "\n", "containerd:" + short, podUID},
		{"guaranteed pod cgroupfs", "0::/kubepods/pod" + podUID + "/" + id + "\n", "containerd:" + short, podUID},
		{"podman pod cgroupfs", "0::/libpod_parent/" + strings.Repeat("f", 64) + "/libpod-" + id + "\n", "podman:" + short, "ffffffffffff"},
		{"podman pod systemd", "0::/machine.slice/machine-libpod_pod_" + strings.Repeat("f", 64) + ".slice/libpod-" + id + ".scope\n", "podman:" + short, "ffffffffffff"},
		{"lxc v2", "0::/lxc.payload.web1/init.scope\n", "lxc:web1", ""},
		{"lxc v1", "5:cpuset:/lxc/db\n", "lxc:db", ""},
		{"nspawn", "0::/machine.slice/machine-my\\x2dbox.scope/payload\n", "nspawn:my-box", ""},
		{"nspawn service", "0::/system.slice/system-systemd\\x2dnspawn.slice/systemd-nspawn@web\\x2d7.service/payload\n", "nspawn:web-7", ""},
		{"host", "0::/user.slice/user-1000.slice/session-2.scope\n", "", ""},
		{"short docker id is not one", "0::/docker/abc\n", "", ""},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fixture *engineState // knows no names
			container, _, pod := fixture.resolve(parseContainer([]byte(tt.cgroup)))
			if container != tt.container || pod != tt.pod {
				t.Errorf("got (%q, %q), want (%q, %q)", container, pod, tt.container, tt.pod)
			}
		})
	}
}

func TestUnescapeMountPath(t *testing.T) {
	tests := map[string]string{
		`/run/netns/x`:           "/run/netns/x",
		`/tmp/a\040b`:            "/tmp/a b",
		`/tmp/tab\011nl\012end`:  "/tmp/tab\tnl\nend",
		`/tmp/back\134slash`:     `/tmp/back\slash`,
		`/tmp/not\9octal`:        `/tmp/not\9octal`,
		`/tmp/short\04`:          `/tmp/short\04`,
		`/tmp/too\777big`:        `/tmp/too\777big`,
		`\040`:                   " ",
		`/trailing\`:             `/trailing\`,
		`/two\040\040spaces\040`: "/two  spaces ",
	}
	for in, want := range tests {
		if got := unescapeMountPath(in); got != want {
			t.Errorf("unescapeMountPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// The parsers read files that processes in other namespaces shape (paths,
// names): they must never panic, whatever the bytes.

func FuzzParseIDMap(f *testing.F) {
	f.Add("         0       1000          1\n         1     100000      65536\n")
	f.Add("0 0 4294967295")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		ranges, err := parseIDMap([]byte(in))
		if err != nil {
			return
		}
		// What parses re-parses to the same ranges from its own text.
		var b strings.Builder
		for _, r := range ranges {
			fmt.Fprintf(&b, "%d %d %d\n", r.Inside, r.Outside, r.Count)
		}
		again, err := parseIDMap([]byte(b.String()))
		if err != nil || !cmp.Equal(ranges, again) {
			t.Errorf("%q: round trip gave %v, %v; want %v", in, again, err, ranges)
		}
	})
}

func FuzzParseTimeOffsets(f *testing.F) {
	f.Add("monotonic        3600         0\nboottime            0         0\n")
	f.Add("boottime -1 999999999\n")
	f.Fuzz(func(t *testing.T, in string) {
		o, err := parseTimeOffsets([]byte(in))
		if err == nil && (o.Monotonic.Nsec < 0 || o.Monotonic.Nsec >= 1e9 || o.Boottime.Nsec < 0 || o.Boottime.Nsec >= 1e9) {
			t.Errorf("%q: nanoseconds out of range: %+v", in, o)
		}
	})
}

func FuzzCgroup(f *testing.F) {
	f.Add("0::/system.slice/docker-"+strings.Repeat("ab", 32)+".scope\n", "0::/\n")
	f.Add("12:memory:/kubepods/burstable/pod0f3a9b2c-1d4e-4f5a-8b6c-7d8e9f0a1b2c/x\n", "12:memory:/x\n")
	f.Add("0::/machine.slice/machine-a\\x2d.scope\n", "0::/../..\n")
	f.Fuzz(func(t *testing.T, outside, inside string) {
		var fixture *engineState
		container, _, pod := fixture.resolve(parseContainer([]byte(outside)))
		if container != "" && !strings.Contains(container, ":") {
			t.Errorf("%q: container %q has no engine", outside, container)
		}
		if pod != "" && len(pod) != 36 && len(pod) != 12 {
			t.Errorf("%q: pod %q is not a UID", outside, pod)
		}
		// A root is the outside path, or a prefix of it.
		if root := cgroupRoot([]byte(outside), []byte(inside)); root != "" && root != "/" && !strings.Contains(outside, root) {
			t.Errorf("root %q is not part of %q", root, outside)
		}
	})
}

func FuzzUnescapeMountPath(f *testing.F) {
	f.Add(`/tmp/a\040b\134`)
	f.Add(`\`)
	f.Fuzz(func(t *testing.T, in string) {
		out := unescapeMountPath(in)
		if len(out) > len(in) {
			t.Errorf("%q: unescaping grew it to %q", in, out)
		}
		if !strings.Contains(in, `\`) && out != in {
			t.Errorf("%q: changed without escapes: %q", in, out)
		}
	})
}

func TestParseNSFSMount(t *testing.T) {
	tests := []struct {
		name, line string
		want       nsfsMount
		ok         bool
	}{
		{"ip netns", `690 27 0:4 net:[4026532177] /run/netns/web rw shared:1 - nsfs nsfs rw`,
			nsfsMount{Net, 4026532177, "/run/netns/web"}, true},
		{"no optional fields", `690 27 0:4 uts:[4026532178] /tmp/a\040b rw - nsfs nsfs rw`,
			nsfsMount{UTS, 4026532178, "/tmp/a b"}, true},
		{"several optional fields", `1 2 0:4 ipc:[4026532179] /x rw shared:1 master:2 - nsfs nsfs rw`,
			nsfsMount{IPC, 4026532179, "/x"}, true},
		{"not nsfs", `22 27 0:21 / /proc rw,relatime - proc proc rw`, nsfsMount{}, false},
		{"nsfs as a source only", `22 27 0:21 / /x rw - tmpfs nsfs rw`, nsfsMount{}, false},
		{"root not a namespace", `690 27 0:4 / /run/netns/x rw - nsfs nsfs rw`, nsfsMount{}, false},
		{"too few fields", `690 net:[4026532177] /x - nsfs nsfs rw`, nsfsMount{}, false},
		// The kernel escapes space, tab, newline and backslash only: any
		// other blank is part of the path, which must not end there.
		{"a line separator in the mount point", "690 27 0:4 net:[4026532177] /run/netns/web\u2028x rw - nsfs nsfs rw",
			nsfsMount{Net, 4026532177, "/run/netns/web\u2028x"}, true},
		{"a no-break space, \\r, \\v and \\f in the mount point", "690 27 0:4 net:[4026532177] /a\u00a0b\rc\vd\fe rw - nsfs nsfs rw",
			nsfsMount{Net, 4026532177, "/a\u00a0b\rc\vd\fe"}, true},
		{"a raw tab", "690 27 0:4 net:[4026532177] /a\tb rw - nsfs nsfs rw", nsfsMount{}, false},
		{"empty", ``, nsfsMount{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseNSFSMount([]byte(tt.line))
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseNSFSMount(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseNSFSMount(f *testing.F) {
	f.Add([]byte(`690 27 0:4 net:[4026532177] /run/netns/web rw shared:1 - nsfs nsfs rw`))
	f.Add([]byte(`1 2 0:4 ipc:[1] /a\134b rw - nsfs nsfs rw`))
	f.Fuzz(func(t *testing.T, line []byte) {
		m, ok := parseNSFSMount(line)
		if ok && (m.id == 0 || int(m.typ) >= NumTypes) {
			t.Errorf("parseNSFSMount(%q) = %+v: no namespace", line, m)
		}
	})
}
