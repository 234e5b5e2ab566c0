package inspect

import "testing"

func TestCRINames(t *testing.T) {
	e := engineRoot(t, map[string]string{
		containerdTasks + "/k8s.io/" + testID + "/config.json": `{"annotations":{"io.kubernetes.cri.container-name":"nginx",
		"io.kubernetes.cri.sandbox-namespace":"default","io.kubernetes.cri.sandbox-name":"web-5d4f"}}`,
	})
	checkResolve(t, e, []resolveCase{
		{"kubernetes", "0::/kubepods.slice/kubepods-pod0f3a9b2c_1d4e_4f5a_8b6c_7d8e9f0a1b2c.slice/cri-containerd-" + testID + ".scope",
			"containerd:nginx", testID, "default/web-5d4f"},
	})
}
