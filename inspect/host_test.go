package inspect

import "testing"

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
