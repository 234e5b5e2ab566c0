//go:build privileged

package schema_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// TestValidateLive validates nsinspect's output for this host, with a
// process in new namespaces of every type (time offsets, uid maps, a nested
// pid namespace) and a network namespace held by a bind mount only.
func TestValidateLive(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireCommand(t, "unshare")
	rows := compile(t, rowsSchema)

	testenv.BoundNetNS(t) // a network namespace held by a mount only
	testenv.Start(t, testenv.Command(0, unshare, "--user", "--map-root-user", "--time", "--monotonic", "3600", "--boottime", "7",
		"--uts", "--ipc", "--net", "--pid", "--fork", "--mount", "--cgroup",
		"sh", "-c", "echo ready; exec sleep 600"))

	// seen are the keys that had a value other than null in some row.
	seen := map[string]bool{}
	for _, args := range [][]string{
		{"-J", "--output-all"},
		{"-J", "--tree=owner", "--output-all"},
	} {
		out := run(t, args...)
		if err := validate(rows, out); err != nil {
			t.Errorf("nsinspect %s does not validate: %v", strings.Join(args, " "), err)
		}
		var doc struct {
			Namespaces []map[string]any `json:"namespaces"`
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("nsinspect %s: %v", strings.Join(args, " "), err)
		}
		var walk func([]map[string]any)
		walk = func(rows []map[string]any) {
			for _, r := range rows {
				for k, v := range r {
					if v != nil {
						seen[k] = true
					}
				}
				if children, ok := r["children"].([]any); ok {
					for _, c := range children {
						walk([]map[string]any{c.(map[string]any)})
					}
				}
			}
		}
		walk(doc.Namespaces)
	}
	// The schema was checked on values of every shape, not on nulls.
	for _, key := range []string{"uidmap", "gidmap", "timeoffsets", "ipcobjs", "ifaces", "nspid",
		"nsfs", "netnsid", "host", "level", "mounts", "hostname", "children"} {
		if !seen[key] {
			t.Errorf("no row has a value for %q", key)
		}
	}
}
