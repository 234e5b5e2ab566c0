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
