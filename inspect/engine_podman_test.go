package inspect

import "testing"

func TestPodmanNames(t *testing.T) {
	e := engineRoot(t, map[string]string{
		podmanStorage + "/overlay-containers/containers.json": `[{"id":"` + testID + `","names":["web1"]}]`,
		podmanStorage + "/libpod/bolt_state.db":               "\x00\x01pod\x00{\"id\":\"" + testPodID + "\",\"name\":\"pod1\",\"namespace\":\"\"}\x00",
	})
	checkResolve(t, e, []resolveCase{
		{"podman", "0::/libpod_parent/libpod-" + testID, "podman:web1", testID, ""},
		{"podman pod", "0::/libpod_parent/" + testPodID + "/libpod-" + testID, "podman:web1", testID, "pod1"},
		{"podman unknown pod", "0::/libpod_parent/" + testID + "/libpod-" + testID, "podman:web1", testID, testID[:12]},
	})
}
