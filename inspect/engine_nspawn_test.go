package inspect

import "testing"

// TestNspawnNames: a machine's scope or service names it, unescaped; its
// name is its id.
func TestNspawnNames(t *testing.T) {
	checkResolve(t, engineRoot(t, nil), []resolveCase{
		{"machine", "0::/machine.slice/machine-web7.scope/payload", "nspawn:web7", "web7", ""},
		{"escaped", "0::/machine.slice/machine-my\\x2dbox.scope/payload", "nspawn:my-box", "my-box", ""},
		{"service", "0::/system.slice/system-systemd\\x2dnspawn.slice/systemd-nspawn@web\\x2d7.service/payload", "nspawn:web-7", "web-7", ""},
		// A machine of podman's (libpod) is podman's.
		{"podman pod slice", "0::/machine.slice/machine-libpod_pod_" + testPodID + ".slice/libpod-" + testID + ".scope",
			"podman:" + testID[:12], testID, testPodID[:12]},
	})
}
