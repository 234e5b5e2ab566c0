package inspect

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

func TestParseLink(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantType Type
		wantID   NSID
		wantErr  bool
	}{
		{name: "net", in: "net:[4026531993]", wantType: Net, wantID: 4026531993},
		{name: "mnt", in: "mnt:[4026531841]", wantType: Mnt, wantID: 4026531841},
		{name: "pid", in: "pid:[4026531836]", wantType: PID, wantID: 4026531836},
		{name: "uts", in: "uts:[4026531838]", wantType: UTS, wantID: 4026531838},
		{name: "ipc", in: "ipc:[4026531839]", wantType: IPC, wantID: 4026531839},
		{name: "user", in: "user:[4026531837]", wantType: User, wantID: 4026531837},
		{name: "cgroup", in: "cgroup:[4026531835]", wantType: Cgroup, wantID: 4026531835},
		{name: "time", in: "time:[4026531834]", wantType: Time, wantID: 4026531834},
		{name: "one", in: "net:[1]", wantType: Net, wantID: 1},
		// st_ino is 64 bits: the largest inode must survive.
		{name: "max uint64", in: "net:[18446744073709551615]", wantType: Net, wantID: 18446744073709551615},
		{name: "overflow", in: "net:[18446744073709551616]", wantErr: true},
		// Accepted, though the kernel never writes it; see FuzzParseLink.
		{name: "leading zeros", in: "net:[007]", wantErr: true},
		{name: "plus sign", in: "net:[+7]", wantErr: true},
		// No namespace has inode 0: it would read as "none" everywhere.
		{name: "zero", in: "net:[0]", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "empty number", in: "net:[]", wantErr: true},
		// Names are as the kernel spells them, lower case; the
		// *_for_children links carry their type's plain name, never these.
		{name: "upper case type", in: "NET:[1]", wantErr: true},
		{name: "unknown type", in: "foo:[1]", wantErr: true},
		{name: "for_children name", in: "pid_for_children:[4026531836]", wantErr: true},
		{name: "no type", in: ":[1]", wantErr: true},
		// Other fd targets look alike.
		{name: "socket", in: "socket:[12345]", wantErr: true},
		{name: "pipe", in: "pipe:[12345]", wantErr: true},
		{name: "anon inode", in: "anon_inode:[eventfd]", wantErr: true},
		{name: "path", in: "/run/netns/a", wantErr: true},
		{name: "no colon", in: "net[1]", wantErr: true},
		{name: "no brackets", in: "net:1", wantErr: true},
		{name: "no closing bracket", in: "net:[1", wantErr: true},
		{name: "no opening bracket", in: "net:1]", wantErr: true},
		{name: "trailing junk", in: "net:[1]x", wantErr: true},
		{name: "trailing newline", in: "net:[1]\n", wantErr: true},
		{name: "double bracket", in: "net:[1]]", wantErr: true},
		{name: "two links", in: "net:[1]:[2]", wantErr: true},
		{name: "leading space", in: " net:[1]", wantErr: true},
		{name: "space in number", in: "net:[ 1]", wantErr: true},
		{name: "negative", in: "net:[-1]", wantErr: true},
		{name: "plus sign", in: "net:[+1]", wantErr: true},
		{name: "hex", in: "net:[0x10]", wantErr: true},
		{name: "underscore", in: "net:[1_000]", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotType, gotID, err := parseLink(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseLink(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if gotType != tt.wantType || gotID != tt.wantID {
				t.Errorf("parseLink(%q) = %v, %d, want %v, %d", tt.in, gotType, gotID, tt.wantType, tt.wantID)
			}
		})
	}
}

func FuzzParseLink(f *testing.F) {
	for _, s := range []string{
		"net:[4026531993]", "time:[1]", "net:[18446744073709551615]", "net:[18446744073709551616]",
		"net:[0]", "net:[01]", "net:[]", "", "net:[1]x", "net:[1]:[2]", "socket:[1]", "net:[+1]",
		"pid_for_children:[4026531836]", "net:[1", ":[1]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		gotType, gotID, err := parseLink(in)
		wantType, wantID, wantOK := refParseLink(in)
		if (err == nil) != wantOK {
			t.Fatalf("parseLink(%q) error = %v, want ok %v", in, err, wantOK)
		}
		if !wantOK {
			return
		}
		if gotType != wantType || gotID != wantID {
			t.Fatalf("parseLink(%q) = %v, %d, want %v, %d", in, gotType, gotID, wantType, wantID)
		}
		// Formatting the result gives the input back: parseLink accepts
		// exactly what the kernel writes.
		if canonical := fmt.Sprintf("%s:[%d]", gotType, gotID); canonical != in {
			t.Fatalf("parseLink(%q) = %v, %d, which formats as %q", in, gotType, gotID, canonical)
		}
	})
}

// refParseLink is parseLink written another way: TYPE:[DIGITS] for a known
// TYPE, DIGITS only ASCII decimal digits worth 1 to 2^64-1.
func refParseLink(s string) (Type, NSID, bool) {
	for t := range NumTypes {
		prefix := Type(t).String() + ":["
		if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, "]") {
			continue
		}
		digits := s[len(prefix) : len(s)-1]
		if digits == "" || digits[0] == '0' || strings.Trim(digits, "0123456789") != "" {
			return 0, 0, false
		}
		v, _ := new(big.Int).SetString(digits, 10)
		if v.Sign() == 0 || !v.IsUint64() {
			return 0, 0, false
		}
		return Type(t), NSID(v.Uint64()), true
	}
	return 0, 0, false
}

func TestParseStatPPID(t *testing.T) {
	// The fields after the comm of a real line (kernel 6.x), less the ppid.
	const rest = " 1234 1234 34816 1240 4194560 1311 0 0 0 2 1 0 0 20 0 1 0 1067 7925760 1202 18446744073709551615\n"
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr bool
	}{
		{name: "normal", in: "1234 (bash) S 1" + rest, want: 1},
		{name: "init", in: "1 (systemd) S 0" + rest, want: 0},
		{name: "kthreadd", in: "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 10", want: 0},
		{name: "large ppid", in: "99 (x) R 4194304" + rest, want: 4194304},
		{name: "no newline", in: "1234 (bash) S 17", want: 17},
		{name: "comm with spaces", in: "1234 (tmux: server) S 1" + rest, want: 1},
		// The comm is chosen by the process (prctl PR_SET_NAME, the
		// executable's name): it ends at the last ')', whatever it holds.
		{name: "comm with parentheses", in: "1234 (a) b) (c) S 1" + rest, want: 1},
		{name: "comm faking fields", in: "1234 (x) S 99) S 5" + rest, want: 5},
		{name: "comm of parentheses", in: "1234 ()) S 6" + rest, want: 6},
		{name: "comm empty", in: "1234 () S 7" + rest, want: 7},
		{name: "comm with newline", in: "1234 (a\nb) S 8" + rest, want: 8},
		{name: "comm with non-ASCII", in: "1234 (\xff\u00a0\u2028) S 9" + rest, want: 9},
		{name: "empty", in: "", wantErr: true},
		{name: "no parenthesis", in: "1234 bash S 1" + rest, wantErr: true},
		{name: "unterminated comm", in: "1234 (bash S 1", wantErr: true},
		{name: "ends after comm", in: "1234 (bash)", wantErr: true},
		{name: "ends after state", in: "1234 (bash) S", wantErr: true},
		{name: "ends after state and blank", in: "1234 (bash) S \n", wantErr: true},
		{name: "negative", in: "1234 (bash) S -1" + rest, wantErr: true},
		{name: "not a number", in: "1234 (bash) S abc" + rest, wantErr: true},
		{name: "number with junk", in: "1234 (bash) S 1a" + rest, wantErr: true},
		{name: "hex", in: "1234 (bash) S 0x10" + rest, wantErr: true},
		{name: "overflow", in: "1234 (bash) S 99999999999999999999" + rest, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatPPID([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseStatPPID(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("parseStatPPID(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseStatPPID(f *testing.F) {
	f.Add(1234, "bash", 1)
	f.Add(1, "systemd", 0)
	f.Add(1234, "a) b) (c", 1)
	f.Add(1234, "x) S 99", 5)
	f.Add(1234, "", -1)
	f.Add(-5, "(", 9223372036854775807)
	f.Add(0, "a\nb\x00\xff", -9223372036854775808)
	f.Add(7, "1234 (bash) S", 3)
	f.Fuzz(func(t *testing.T, pid int, comm string, ppid int) {
		// A line as the kernel writes it, for any comm: the ppid must come
		// back whatever the comm holds.
		in := fmt.Sprintf("%d (%s) S %d 1234 1234 0 -1 4194560 ...\n", pid, comm, ppid)
		got, err := parseStatPPID([]byte(in))
		switch {
		case ppid < 0 && err == nil:
			t.Fatalf("parseStatPPID(%q) = %d, want an error", in, got)
		case ppid >= 0 && (err != nil || got != ppid):
			t.Fatalf("parseStatPPID(%q) = %d, %v, want %d", in, got, err, ppid)
		}
		// And anything at all, here the comm alone, must not panic and
		// must agree with the reference.
		for _, in := range []string{in, comm} {
			got, err := parseStatPPID([]byte(in))
			want, wantOK := refStatPPID(in)
			if (err == nil) != wantOK || got != want {
				t.Fatalf("parseStatPPID(%q) = %d, %v, want %d, ok %v", in, got, err, want, wantOK)
			}
		}
	})
}

// refStatPPID is parseStatPPID written another way: the ppid is the second
// blank-separated word after the last ')', a non-negative decimal int.
func refStatPPID(s string) (int, bool) {
	i := strings.LastIndex(s, ")")
	if i < 0 {
		return 0, false
	}
	words := strings.Fields(s[i+1:])
	if len(words) < 2 {
		return 0, false
	}
	v, err := strconv.ParseInt(words[1], 10, strconv.IntSize)
	if err != nil || v < 0 {
		return 0, false
	}
	return int(v), true
}

func TestIsKthreadd(t *testing.T) {
	tests := []struct {
		name, stat string
		want       bool
	}{
		{"kthreadd", "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 8 0", true},
		{"exec'd into a container", "2 (sh) S 0 2 1 34816 2 4194560 0 0 0 0 0 0 0 0 20 0 1 0 8 0", false},
		{"kernel thread with a parent", "3 (rcu_gp) I 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 0 -20 1 0 8 0", false},
		{"comm with ) 0", "2 (x) S 0 0) S 0 0 0 0 -1 4194560 0 0", false},
		{"short", "2 (kthreadd) S 0 0", false},
		{"no comm", "2 kthreadd S 0 0 0 0 -1 2129984", false},
	}
	for _, tt := range tests {
		if got := isKthreadd([]byte(tt.stat)); got != tt.want {
			t.Errorf("%s: isKthreadd(%q) = %v, want %v", tt.name, tt.stat, got, tt.want)
		}
	}
}
