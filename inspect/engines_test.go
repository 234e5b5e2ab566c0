package inspect

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestEngineNames(t *testing.T) {
	id := strings.Repeat("0123456789abcdef", 4)
	podID := strings.Repeat("fedcba9876543210", 4)
	root := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(dockerContainers+"/"+id+"/config.v2.json", `{"ID":"`+id+`","Name":"/web2"}`)
	write(podmanStorage+"/overlay-containers/containers.json", `[{"id":"`+id+`","names":["web1"]}]`)
	write(podmanStorage+"/libpod/bolt_state.db", "\x00\x01pod\x00{\"id\":\""+podID+"\",\"name\":\"pod1\",\"namespace\":\"\"}\x00")
	write(containerdTasks+"/default/web3/config.json", `{"linux":{"cgroupsPath":"/default/web3"}}`)
	write(containerdTasks+"/default/other/config.json", `{"linux":{"cgroupsPath":"/elsewhere"}}`)
	write(containerdTasks+"/k8s.io/"+id+"/config.json", `{"annotations":{"io.kubernetes.cri.container-name":"nginx",
		"io.kubernetes.cri.sandbox-namespace":"default","io.kubernetes.cri.sandbox-name":"web-5d4f"}}`)
	// A FIFO where a name would be must not block the read.
	fifo := filepath.Join(root, dockerContainers, strings.Repeat("a", 64), "config.v2.json")
	if err := os.MkdirAll(filepath.Dir(fifo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, cgroup, container, id, pod string
	}{
		{"docker", "0::/docker/" + id, "docker:web2", id, ""},
		{"docker without state", "0::/docker/" + strings.Repeat("b", 64), "docker:bbbbbbbbbbbb", strings.Repeat("b", 64), ""},
		{"docker state a FIFO", "0::/docker/" + strings.Repeat("a", 64), "docker:aaaaaaaaaaaa", strings.Repeat("a", 64), ""},
		{"podman", "0::/libpod_parent/libpod-" + id, "podman:web1", id, ""},
		{"podman pod", "0::/libpod_parent/" + podID + "/libpod-" + id, "podman:web1", id, "pod1"},
		{"podman unknown pod", "0::/libpod_parent/" + id + "/libpod-" + id, "podman:web1", id, id[:12]},
		{"ctr run", "0::/default/web3", "containerd:default/web3", "web3", ""},
		{"ctr bundle of another cgroup", "0::/default/other", "", "", ""},
		{"no bundle", "0::/user.slice/x", "", "", ""},
		{"path escapes", "0::/../web3", "", "", ""},
		{"kubernetes", "0::/kubepods.slice/kubepods-pod0f3a9b2c_1d4e_4f5a_8b6c_7d8e9f0a1b2c.slice/cri-containerd-" + id + ".scope",
			"containerd:nginx", id, "default/web-5d4f"},
	}
	e := &engineState{root: root}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			container, id, pod := e.resolve(parseContainer([]byte(tt.cgroup + "\n")))
			if container != tt.container || id != tt.id || pod != tt.pod {
				t.Errorf("got (%q, %q, %q), want (%q, %q, %q)", container, id, pod, tt.container, tt.id, tt.pod)
			}
		})
	}
}
