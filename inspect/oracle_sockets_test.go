package inspect

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// socketInput is one socket table of /proc/PID/net: its name (tcp, udp,
// unix) and its text.
type socketInput struct {
	table string
	data  []byte
}

// The socket tables as socketInode reads a line's inode (to tell the
// sockets that are at home in their holder's network namespace) and as
// procfs's NetTCP, NetUDP and NetUNIX do. procfs refuses a table for one
// line it cannot read: there is then nothing to compare. Where it reads
// one, ours must read each line's inode alike: none for inode 0 (a socket
// in TIME_WAIT), which socketInode refuses.
var socketOracle = oracle[socketInput]{
	compare: func(tb testing.TB, tree *procTree, in socketInput) string {
		if err := os.WriteFile(filepath.Join(tree.root, "net", in.table), in.data, 0o644); err != nil {
			tb.Fatal(err)
		}
		var inodes []uint64
		var err error
		field := 9
		switch in.table {
		case "tcp":
			// Deprecated for netlink's sock_diag, but the text table is
			// what is compared here.
			//lint:ignore SA1019 the parser of /proc/net/tcp is the oracle
			t, terr := catch(tree.fs.NetTCP)
			for _, l := range t {
				inodes = append(inodes, l.Inode)
			}
			err = terr
		case "udp":
			u, uerr := catch(tree.fs.NetUDP)
			for _, l := range u {
				inodes = append(inodes, l.Inode)
			}
			err = uerr
		case "unix":
			field = 6
			u, uerr := catch(tree.fs.NetUNIX)
			if err = uerr; err == nil {
				for _, l := range u.Rows {
					inodes = append(inodes, l.Inode)
				}
			}
		}
		switch {
		case errors.Is(err, errProcfsPanic):
			return err.Error()
		case err != nil:
			return ""
		}
		lines := linesOf(in.data)
		for i, want := range inodes {
			got, ok := socketInode([]byte(lines[i+1]), field)
			if ok != (want != 0) || ok && string(got) != strconv.FormatUint(want, 10) {
				return fmt.Sprintf("line %d: ours %q, %v; procfs %d", i+2, got, ok, want)
			}
		}
		return ""
	},
	exceptions: []exception[socketInput]{
		// procfs reads the inode of tcp and udp lines with base 0 ("0x1f",
		// "017" as octal) and of unix lines with leading zeros; the
		// kernel writes "%lu" (tcp4_seq_show and udp4_format_sock in
		// net/ipv4, unix_seq_show in net/unix/af_unix.c). Ours reads
		// those only: what it cannot read is asked about by ioctl.
		{
			name: "an inode the kernel does not write",
			applies: func(in socketInput) bool {
				field := map[string]int{"tcp": 9, "udp": 9, "unix": 6}[in.table]
				for _, l := range rows(in.data) {
					if f := strings.Fields(l); len(f) > field && !isDecimal(f[field]) {
						return true
					}
				}
				return false
			},
			example: socketInput{"tcp", []byte(tcpHeader + tcpLineWith("0x3039"))},
		},
		// procfs splits lines at any Unicode blank, ours at spaces, which
		// is what the kernel pads these tables with (the seq_printf
		// formats of tcp4_seq_show, udp4_format_sock, unix_seq_show).
		{
			name: "blanks other than spaces",
			applies: func(in socketInput) bool {
				return strings.ContainsFunc(string(in.data), func(r rune) bool { return r != ' ' && r != '\n' && unicode.IsSpace(r) })
			},
			example: socketInput{"tcp", []byte(tcpHeader + strings.Replace(tcpLineWith("12345"), " 12345", "\t12345", 1))},
		},
		// procfs reads no inode from a unix table whose header names
		// none, as before Linux 2.6; the kernel's has named one since
		// ("Num RefCount Protocol Flags Type St Inode Path").
		{
			name: "a unix table without the Inode header",
			applies: func(in socketInput) bool {
				first, _, _ := strings.Cut(string(in.data), "\n")
				return in.table == "unix" && !strings.Contains(first, "Inode")
			},
			example: socketInput{"unix", []byte("Num RefCount\n0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/x\n")},
		},
		// procfs reads a udp line's drops, its 13th field, having
		// counted 10, and panics on fewer than 13; the kernel writes 13
		// (udp4_format_sock, udp6_sock_seq_show). Ours reads the 10th.
		{
			name: "procfs panics: a udp line of fewer than 13 fields",
			applies: func(in socketInput) bool {
				for _, l := range rows(in.data) {
					if n := len(strings.Fields(l)); in.table == "udp" && n >= 10 && n < 13 {
						return true
					}
				}
				return false
			},
			example: socketInput{"udp", []byte("sl\n0: 00000000:0 00000000:0 0 0:0 0 0 0 0 12345\n")},
		},
		// procfs's line scanner drops a "\r" before the newline, and
		// with it the end of an inode that ends a line; the kernel's
		// lines end in none.
		{
			name:    "procfs drops a \\r before the newline",
			applies: func(in socketInput) bool { return hasCRLF(in.data) },
			example: socketInput{"unix", []byte("Num RefCount Protocol Flags Type St Inode Path\n0000000000000000: 00000002 00000000 00010000 0001 01 12345\r\n")},
		},
	},
}

// rows are the lines of a socket table after its header.
func rows(data []byte) []string {
	lines := linesOf(data)
	if len(lines) == 0 {
		return nil
	}
	return lines[1:]
}

const tcpHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

// tcpLineWith is a line of /proc/net/tcp with the given inode.
func tcpLineWith(inode string) string {
	return "   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 " + inode + " 1 0000000000000000 100 0 0 10 0\n"
}

func FuzzSocketOracle(f *testing.F) {
	for _, table := range []string{"tcp", "udp", "unix"} {
		if data, err := os.ReadFile("/proc/self/net/" + table); err == nil {
			f.Add(table, data)
		}
	}
	const udp = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
		"  123: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   991        0 23456 2 0000000000000000 0\n"
	const unix = "Num       RefCount Protocol Flags    Type St Inode Path\n" +
		"0000000000000000: 00000002 00000000 00010000 0001 01 34567 /run/systemd/notify\n" +
		"0000000000000000: 00000003 00000000 00000000 0001 03 34568\n" +
		"0000000000000000: 00000002 00000000 00010000 0005 01 34569 @/tmp/a b\n"
	for _, s := range [][2]string{
		{"tcp", tcpHeader + tcpLineWith("12345") + tcpLineWith("0")}, {"tcp", tcpHeader + tcpLineWith("012")},
		{"tcp", tcpHeader + tcpLineWith("18446744073709551616")}, {"tcp", tcpHeader}, {"tcp", ""},
		{"udp", udp}, {"unix", unix}, {"unix", "Num RefCount Protocol Flags Type St Inode Path\n"},
	} {
		f.Add(s[0], []byte(s[1]))
	}
	tree := newProcTree(f)
	f.Fuzz(func(t *testing.T, table string, data []byte) {
		if table != "tcp" && table != "udp" && table != "unix" {
			table = []string{"tcp", "udp", "unix"}[len(table)%3]
		}
		socketOracle.check(t, tree, socketInput{table, data})
	})
}
