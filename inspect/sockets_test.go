package inspect

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Lines as Linux 6.x writes them, with the field socketTables names.
func TestSocketInodes(t *testing.T) {
	tests := []struct {
		name  string
		table string
		field int
		want  []string
	}{
		{
			name: "tcp", field: 9,
			table: "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
				"   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 47 1 000000008e6fa523 100 0 0 10 0\n" +
				// TIME_WAIT: no socket, inode 0.
				"   1: 0100007F:9C40 0100007F:07E8 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n" +
				"  12: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 4294967295 1 00000000f0e1d2c3 100 0 0 10 0\n",
			want: []string{"47", "4294967295"},
		},
		{
			name: "udp6", field: 9,
			table: "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
				"  100: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000   104        0 31337 2 00000000a1b2c3d4 0\n",
			want: []string{"31337"},
		},
		{
			name: "unix", field: 6,
			table: "Num       RefCount Protocol Flags    Type St Inode Path\n" +
				"00000000b1e95066: 00000003 00000000 00000000 0001 03    44\n" +
				"000000005a6b7c8d: 00000002 00000000 00010000 0001 01 5138190 /run/a socket with spaces 99\n" +
				"00000000deadbeef: 00000002 00000000 00000000 0002 01 77 @abstract",
			want: []string{"44", "5138190", "77"},
		},
		{
			name: "netlink", field: 9,
			table: "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n" +
				"000000002164a426 0   0          00000000 0        0        0     2        0        4\n" +
				"00000000a5a5a5a5 0   4242       00000011 0        0        0     2        0        90210   \n",
			want: []string{"4", "90210"},
		},
		{
			name: "packet", field: 8,
			table: "sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n" +
				"00000000c0ffee00 3      3    0003   2     1 0      0      12345\n",
			want: []string{"12345"},
		},
		{name: "header only", field: 9, table: "  sl  local_address rem_address   st\n"},
		{name: "empty", field: 9, table: ""},
		{
			name: "short and odd lines", field: 6,
			table: "Num RefCount Protocol Flags Type St Inode Path\n" +
				"\n" +
				"0000: 2 0 0 1 1\n" + // no inode field
				"0000: 2 0 0 1 1 0123\n" + // leading zero: not the kernel's
				"0000: 2 0 0 1 1 12x\n" +
				"0000: 2 0 0 1 1 -5\n" +
				"0000: 2 0 0 1 1 99999999999999999999999\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Through a file, as nsinspect reads tables.
			path := filepath.Join(t.TempDir(), "table")
			if err := os.WriteFile(path, []byte(tt.table), 0o600); err != nil {
				t.Fatal(err)
			}
			var got []string
			header := true
			err := eachLine(path, func(line []byte) {
				if header {
					header = false
					return
				}
				if inode, ok := socketInode(line, tt.field); ok {
					got = append(got, string(inode))
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("inodes (-want +got):\n%s", diff)
			}
		})
	}
}

// socketsInOwnNetNS reads the socket tables of a holder's namespace only where
// its processes hold enough sockets, and trusts them only while the holder
// is still in the namespace the scan saw.
func TestSocketsAtHome(t *testing.T) {
	const netns NSID = 4026531993
	listed := func(n int) string { // a unix table listing inodes 1000..1000+n-1
		var b strings.Builder
		b.WriteString("Num       RefCount Protocol Flags    Type St Inode Path\n")
		for i := range n {
			fmt.Fprintf(&b, "0000000000000000: 00000002 00000000 00000000 0001 03 %d\n", 1000+i)
		}
		return b.String()
	}
	held := func(n int) []heldFD { // sockets 1000.. held by PID 100, plus one elsewhere
		var h []heldFD
		for i := range n {
			h = append(h, heldFD{pid: 100, fd: 3 + i, typ: Net, socket: fmt.Sprint(1000 + i)})
		}
		return append(h, heldFD{pid: 100, fd: 3 + n, typ: Net, socket: "7"})
	}
	tests := []struct {
		name   string
		link   string // PID 100's ns/net when the tables are read
		listed int
		held   int
		want   int // sockets at home
	}{
		{name: "many sockets, tables read", link: "net:[4026531993]", listed: 2 * socketTableMin, held: 2 * socketTableMin, want: 2 * socketTableMin},
		{name: "only the listed ones", link: "net:[4026531993]", listed: socketTableMin, held: 2 * socketTableMin, want: socketTableMin},
		{name: "few sockets: asked one by one", link: "net:[4026531993]", listed: socketTableMin, held: socketTableMin / 2, want: 0},
		{name: "holder moved to another namespace", link: "net:[4026532000]", listed: 2 * socketTableMin, held: 2 * socketTableMin, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "100")
			for _, d := range []string{"net", "ns"} {
				if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "net", "unix"), []byte(listed(tt.listed)), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(tt.link, filepath.Join(dir, "ns", "net")); err != nil {
				t.Fatal(err)
			}
			p := &Process{PID: 100}
			p.NS[Net] = netns
			s := &Snapshot{Root: root, byPID: map[int]*Process{100: p}}
			home := s.socketsInOwnNetNS(held(tt.held))
			if len(home) != tt.want {
				t.Errorf("%d sockets at home, want %d", len(home), tt.want)
			}
			if home["7"] {
				t.Error("socket 7, in no table, is at home")
			}
			for _, inode := range slices.Sorted(maps.Keys(home)) {
				if !strings.Contains(listed(tt.listed), " "+inode+"\n") {
					t.Errorf("socket %s is at home but not listed", inode)
				}
			}
		})
	}
}

// Socket tables are written by the kernel, but a hostile /proc (a FUSE
// mount passed as --procfs) may write anything: no panic, and only inode
// numbers come out.
func FuzzSocketInode(f *testing.F) {
	f.Add([]byte("0000: 2 0 0 1 1 44 /x"), 6)
	f.Add([]byte("   0: 0:0 0:0 0A 0:0 00:0 0 0 0 47 1 0"), 9)
	f.Fuzz(func(t *testing.T, line []byte, field int) {
		if inode, ok := socketInode(line, field); ok && !isInode(inode) {
			t.Fatalf("field %d of %q gave %q", field, line, inode)
		}
	})
}
