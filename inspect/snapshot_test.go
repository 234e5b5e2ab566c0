package inspect

import (
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

func TestParent(t *testing.T) {
	s := scanHost(t, 0)
	s.describe(s.Processes, ReadPPID)
	tests := []struct {
		pid, wantParent int // 0: no parent
	}{
		{1, 0},      // PPID 0: the kernel started it
		{2, 0},      // kthreadd too
		{57, 32701}, // PID reuse: the parent's PID is higher
		{1251, 1220},
		{1300, 1200},
		{1601, 1600}, // not the 77 that the comm holds
	}
	for _, tc := range tests {
		got := s.Parent(s.Process(tc.pid))
		gotPID := 0
		if got != nil {
			gotPID = got.PID
		}
		if gotPID != tc.wantParent {
			t.Errorf("Parent(%d) = %d, want %d", tc.pid, gotPID, tc.wantParent)
		}
	}
	// A parent outside the snapshot, and a process that claims to be its
	// own parent (a corrupt stat line), have none: walks up the tree end.
	for _, p := range []*Process{{PID: 9, PPID: 8, described: ReadPPID}, {PID: 1500, PPID: 1500, described: ReadPPID}} {
		if got := s.Parent(p); got != nil {
			t.Errorf("Parent(PID %d, PPID %d) = PID %d, want nil", p.PID, p.PPID, got.PID)
		}
	}
}
