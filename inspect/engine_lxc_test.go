package inspect

import "testing"

// TestLXCNames: the cgroup names an lxc container; its name is its id.
func TestLXCNames(t *testing.T) {
	checkResolve(t, engineRoot(t, nil), []resolveCase{
		{"lxc 4", "0::/lxc.payload.web6/init.scope", "lxc:web6", "web6", ""},
		{"lxc 3", "5:cpuset:/lxc/db", "lxc:db", "db", ""},
		// The monitor process, lxc.monitor.NAME, is no container's.
		{"monitor", "0::/lxc.monitor.web6", "", "", ""},
	})
}
