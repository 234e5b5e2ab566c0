package inspect

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestLevel(t *testing.T) {
	top := &Namespace{Type: User, relatedOK: true}
	mid := &Namespace{Type: User, relatedOK: true, Parent: top}
	leaf := &Namespace{Type: PID, relatedOK: true, Parent: &Namespace{Type: PID, relatedOK: true}}
	unknown := &Namespace{Type: User, relatedOK: true, Parent: &Namespace{Type: User}} // parent not asked
	cycle := &Namespace{Type: PID, relatedOK: true}
	cycle.Parent = cycle
	tests := []struct {
		name      string
		ns        *Namespace
		want      int
		wantKnown bool
	}{
		{"top", top, 0, true},
		{"nested", mid, 1, true},
		{"pid", leaf, 1, true},
		{"unknown on the way", unknown, 0, false},
		{"not related", &Namespace{Type: User}, 0, false},
		{"other type", &Namespace{Type: Net, relatedOK: true}, 0, false},
		{"a cycle is no chain", cycle, 0, false},
	}
	for _, tt := range tests {
		if got, known := tt.ns.Level(); got != tt.want || known != tt.wantKnown {
			t.Errorf("%s: Level() = %d, %v; want %d, %v", tt.name, got, known, tt.want, tt.wantKnown)
		}
	}
}

func TestAdminUID(t *testing.T) {
	owner := &Namespace{Type: User, Creator: 4242, HasCreator: true}
	tests := []struct {
		name      string
		ns        *Namespace
		want      uint32
		wantKnown bool
	}{
		{"owned", &Namespace{Type: Net, Owner: owner}, 4242, true},
		{"a user namespace is its own", &Namespace{Type: User, Creator: 7, HasCreator: true, Owner: owner}, 7, true},
		{"owner unknown", &Namespace{Type: Net}, 0, false},
		{"creator unknown", &Namespace{Type: Net, Owner: &Namespace{Type: User}}, 0, false},
	}
	for _, tt := range tests {
		if got, known := tt.ns.AdminUID(); got != tt.want || known != tt.wantKnown {
			t.Errorf("%s: AdminUID() = %d, %v; want %d, %v", tt.name, got, known, tt.want, tt.wantKnown)
		}
	}
}

func TestParseNSpid(t *testing.T) {
	tests := []struct {
		status string
		want   []uint64
	}{
		{"Name:\tsleep\nNSpid:\t4711\t12\t1\nNSpgid:\t1\n", []uint64{4711, 12, 1}},
		{"NSpid:\t1\n", []uint64{1}},
		{"Name:\tsleep\n", nil},
		{"NSpid:\t12\tx\n", nil},
		{"NSpid:\n", nil},
	}
	for _, tt := range tests {
		if got := parseNSpid([]byte(tt.status)); !slices.Equal(got, tt.want) {
			t.Errorf("parseNSpid(%q) = %v, want %v", tt.status, got, tt.want)
		}
	}
}

func FuzzParseNSpid(f *testing.F) {
	f.Add([]byte("NSpid:\t4711\t12\t1\n"))
	f.Add([]byte("Name:\tx\nNSpid:\t1\n"))
	f.Fuzz(func(t *testing.T, status []byte) {
		pids := parseNSpid(status)
		if pids == nil {
			return
		}
		// What parses is the fields of an NSpid line, as decimal numbers.
		var line string
		for l := range strings.Lines(string(status)) {
			if strings.HasPrefix(l, "NSpid:") {
				line = l
				break
			}
		}
		fields := strings.Fields(strings.TrimPrefix(line, "NSpid:"))
		if len(fields) != len(pids) {
			t.Fatalf("parseNSpid(%q) = %v from fields %q", status, pids, fields)
		}
		for i, f := range fields {
			if v, err := strconv.ParseUint(f, 10, 64); err != nil || v != pids[i] {
				t.Errorf("field %q parsed as %d", f, pids[i])
			}
		}
	})
}
