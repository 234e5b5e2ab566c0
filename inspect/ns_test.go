package inspect

import (
	"fmt"
	"math/big"
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
