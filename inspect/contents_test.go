package inspect

import (
	"fmt"
	"os"
	"path/filepath"
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

// memberNS returns a snapshot of a fake proc tree and a namespace of type
// typ whose one member, PID 7, has files (links where the content starts
// with "->"), as the readers of contents see them: a namespace that cannot
// be opened (its ns link leads nowhere) and so cannot be entered.
func memberNS(t *testing.T, typ Type, files map[string]string) (*Snapshot, *Namespace) {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		path := filepath.Join(root, "7", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(data, "->"); ok {
			err = os.Symlink(target, path)
		} else {
			err = os.WriteFile(path, []byte(data), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return &Snapshot{Root: root}, &Namespace{ID: 4026532999, Type: typ, Procs: []*Process{{PID: 7}}}
}

// TestContentReaders: one reader per fact, and every fact has one.
func TestContentReaders(t *testing.T) {
	var all ContentFacts
	for _, r := range contentReaders {
		if all&r.fact != 0 || r.fact == 0 || r.fact&(r.fact-1) != 0 {
			t.Errorf("reader of %#x: a fact read twice, or not one fact", r.fact)
		}
		all |= r.fact
	}
	if want := ReadCgroupRoot<<1 - 1; all != want {
		t.Errorf("the readers read %#x, want every fact %#x", all, want)
	}
}

func TestReadIDMaps(t *testing.T) {
	const rootless = "         0       1000          1\n         1     100000      65536\n"
	tests := []struct {
		name  string
		files map[string]string
		want  *IDMaps
	}{
		{"rootless", map[string]string{"uid_map": rootless, "gid_map": "0 1000 1\n"},
			&IDMaps{UID: []IDRange{{0, 1000, 1}, {1, 100000, 65536}}, GID: []IDRange{{0, 1000, 1}}}},
		{"not written yet", map[string]string{"uid_map": "", "gid_map": ""}, &IDMaps{UID: []IDRange{}, GID: []IDRange{}}},
		{"no gid_map", map[string]string{"uid_map": rootless}, nil},
		{"malformed gid_map", map[string]string{"uid_map": rootless, "gid_map": "0 1000\n"}, nil},
		{"gone", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ns := memberNS(t, User, tt.files)
			var c Contents
			s.readIDMaps(ns, &c)
			if diff := cmp.Diff(tt.want, c.IDMaps); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadTimeOffsets(t *testing.T) {
	tests := []struct {
		name, file string
		want       *TimeOffsets
	}{
		{"shifted", "monotonic 3600 0\nboottime -1 5\n", &TimeOffsets{Monotonic: Offset{3600, 0}, Boottime: Offset{-1, 5}}},
		{"malformed", "monotonic 1\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ns := memberNS(t, Time, map[string]string{"timens_offsets": tt.file})
			var c Contents
			s.readTimeOffsets(ns, &c)
			if diff := cmp.Diff(tt.want, c.Offsets); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadIfaces: a member's net/dev names the interfaces; without one
// that can be read, the namespace is entered, and one that cannot even be
// opened stays unknown, without counting as refused.
func TestReadIfaces(t *testing.T) {
	const netDev = "Inter-| Receive | Transmit\n face |bytes|bytes\n    lo: 0 0\n  eth0: 1 2\n"
	for _, tt := range []struct {
		name   string
		files  map[string]string
		member bool
		want   []string
	}{
		{"member", map[string]string{"net/dev": netDev}, true, []string{"lo", "eth0"}},
		{"member without net/dev", nil, true, nil},
		{"no member", map[string]string{"net/dev": netDev}, false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, ns := memberNS(t, Net, tt.files)
			if !tt.member {
				ns.Procs = nil
			}
			var c Contents
			s.readIfaces(ns, &c)
			if diff := cmp.Diff(tt.want, c.Ifaces); diff != "" || s.NotEntered() != 0 {
				t.Errorf("not entered %d, ifaces (-want +got):\n%s", s.NotEntered(), diff)
			}
		})
	}
}

func TestReadRoot(t *testing.T) {
	for _, tt := range []struct {
		name, link, want string
	}{
		{"chroot", "->/srv/box", "/srv/box"},
		// A fixture is no host: "/" is not looked up in our mounts.
		{"own root", "->/", "/"},
		{"gone", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.link != "" {
				files["root"] = tt.link
			}
			s, ns := memberNS(t, Mnt, files)
			var c Contents
			s.readRoot(ns, &c)
			if c.Root != tt.want {
				t.Errorf("Root = %q, want %q", c.Root, tt.want)
			}
		})
	}
}

// TestReadMounts: a namespace that cannot be joined counts its
// representative's mountinfo; one whose mountinfo is gone too, 0 (unknown:
// every mount namespace has a mount).
func TestReadMounts(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  int
	}{
		{"representative's view", map[string]string{"mountinfo": "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:5 / /proc rw - proc proc rw\n"}, 2},
		{"gone", nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, ns := memberNS(t, Mnt, tt.files)
			var c Contents
			s.readMounts(ns, &c)
			if c.Mounts != tt.want {
				t.Errorf("Mounts = %d, want %d", c.Mounts, tt.want)
			}
		})
	}
}

// TestReadInsideUnopened: what is read inside a namespace stays unknown
// where the namespace cannot be opened (gone since the scan), and that is
// no refusal. TestReadInside (privileged) reads them inside.
func TestReadInsideUnopened(t *testing.T) {
	for _, tt := range []struct {
		typ  Type
		read func(*Snapshot, *Namespace, *Contents)
	}{
		{UTS, (*Snapshot).readUTS},
		{IPC, (*Snapshot).readIPC},
		{Cgroup, (*Snapshot).readCgroupRoot},
	} {
		t.Run(tt.typ.String(), func(t *testing.T) {
			s, ns := memberNS(t, tt.typ, map[string]string{"cgroup": "0::/a/b\n"})
			var c Contents
			tt.read(s, ns, &c)
			if diff := cmp.Diff(Contents{}, c); diff != "" || s.NotEntered() != 0 {
				t.Errorf("not entered %d, contents (-want +got):\n%s", s.NotEntered(), diff)
			}
		})
	}
}

// TestInspectReadsOnce: each fact is read once per namespace, whether it
// could be read or not, and only by the readers of its type; a namespace
// without processes is not given to the readers that need a member.
func TestInspectReadsOnce(t *testing.T) {
	s, ns := memberNS(t, Mnt, map[string]string{"root": "->/srv/box"})
	orphan := &Namespace{ID: 4026532998, Type: Mnt}
	s.inspect([]*Namespace{ns, orphan, ns}, ReadMounts|ReadUTS)
	if c := ns.Contents; c == nil || c.Mounts != 0 || c.Root != "" || c.UTS != nil {
		t.Fatalf("after ReadMounts without a mountinfo: %+v; want nothing read", c)
	}
	if err := os.WriteFile(filepath.Join(s.Root, "7", "mountinfo"), []byte("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.inspect([]*Namespace{ns, orphan}, ReadMounts|ReadRoot)
	if c := ns.Contents; c.Mounts != 0 || c.Root != "/srv/box" {
		t.Errorf("asked again: Mounts %d, Root %q; want 0 (read once) and the root asked for now", c.Mounts, c.Root)
	}
	if c := orphan.Contents; c == nil || !cmp.Equal(*c, Contents{}) {
		t.Errorf("without a member: %+v, want nothing read", c)
	}
}
