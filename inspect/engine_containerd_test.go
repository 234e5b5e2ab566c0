package inspect

import "testing"

func TestContainerdNames(t *testing.T) {
	e := engineRoot(t, map[string]string{
		containerdTasks + "/default/web3/config.json":  `{"linux":{"cgroupsPath":"/default/web3"}}`,
		containerdTasks + "/default/other/config.json": `{"linux":{"cgroupsPath":"/elsewhere"}}`,
	})
	checkResolve(t, e, []resolveCase{
		{"ctr run", "0::/default/web3", "containerd:default/web3", "web3", ""},
		{"ctr bundle of another cgroup", "0::/default/other", "", "", ""},
	})
}
