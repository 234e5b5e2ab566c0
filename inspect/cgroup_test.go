package inspect

import (
	"strings"
	"testing"
)

func TestCgroupRoot(t *testing.T) {
	tests := []struct {
		name, outside, inside, want string
	}{
		{"v2 nested", "0::/system.slice/box/child\n", "0::/child\n", "/system.slice/box"},
		{"at the root", "0::/system.slice/box\n", "0::/\n", "/system.slice/box"},
		{"host", "0::/\n", "0::/\n", "/"},
		{"hybrid picks unified", "4:memory:/a/b\n0::/x/y\n", "4:memory:/b\n0::/y\n", "/x"},
		{"v1 named", "2:cpu:/k/c\n1:name=systemd:/k/c\n", "2:cpu:/c\n1:name=systemd:/c\n", "/k"},
		{"moved above root", "0::/a\n", "0::/../a\n", ""},
		{"does not fit", "0::/a/b\n", "0::/c\n", ""},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cgroupRoot([]byte(tt.outside), []byte(tt.inside)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseContainer(t *testing.T) {
	id := strings.Repeat("0123456789abcdef", 4)
	short := id[:12]
	const podUID = "0f3a9b2c-1d4e-4f5a-8b6c-7d8e9f0a1b2c"
	podSystemd := strings.ReplaceAll(podUID, "-", "_")
	tests := []struct {
		name, cgroup, container, pod string
	}{
		{"docker cgroupfs v1", "12:memory:/docker/" + id + "\n", "docker:" + short, ""},
		{"docker cgroupfs v2", "0::/docker/" + id + "\n", "docker:" + short, ""},
		{"docker systemd", "0::/system.slice/docker-" + id + ".scope\n", "docker:" + short, ""},
		{"podman", "0::/machine.slice/libpod-" + id + ".scope/container\n", "podman:" + short, ""},
		{"podman conmon", "0::/machine.slice/libpod-conmon-" + id + ".scope\n", "podman:" + short, ""},
		{"containerd systemd pod", "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + podSystemd +
			".slice/cri-containerd-" + id + ".scope\n", "containerd:" + short, podUID},
		{"crio", "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + podSystemd +
			".slice/crio-" + id + ".scope\n", "crio:" + short, podUID},
		{"kubepods cgroupfs v1", "11:cpu:/kubepods/burstable/pod" + podUID + "/" + id + "\n", "containerd:" + short, podUID},
		{"guaranteed pod cgroupfs", "0::/kubepods/pod" + podUID + "/" + id + "\n", "containerd:" + short, podUID},
		{"podman pod cgroupfs", "0::/libpod_parent/" + strings.Repeat("f", 64) + "/libpod-" + id + "\n", "podman:" + short, "ffffffffffff"},
		{"podman pod systemd", "0::/machine.slice/machine-libpod_pod_" + strings.Repeat("f", 64) + ".slice/libpod-" + id + ".scope\n", "podman:" + short, "ffffffffffff"},
		{"lxc v2", "0::/lxc.payload.web1/init.scope\n", "lxc:web1", ""},
		{"lxc v1", "5:cpuset:/lxc/db\n", "lxc:db", ""},
		{"nspawn", "0::/machine.slice/machine-my\\x2dbox.scope/payload\n", "nspawn:my-box", ""},
		{"nspawn service", "0::/system.slice/system-systemd\\x2dnspawn.slice/systemd-nspawn@web\\x2d7.service/payload\n", "nspawn:web-7", ""},
		{"host", "0::/user.slice/user-1000.slice/session-2.scope\n", "", ""},
		{"short docker id is not one", "0::/docker/abc\n", "", ""},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fixture *engineState // knows no names
			container, _, pod := fixture.resolve(parseContainer([]byte(tt.cgroup)))
			if container != tt.container || pod != tt.pod {
				t.Errorf("got (%q, %q), want (%q, %q)", container, pod, tt.container, tt.pod)
			}
		})
	}
}

func FuzzCgroup(f *testing.F) {
	f.Add("0::/system.slice/docker-"+strings.Repeat("ab", 32)+".scope\n", "0::/\n")
	f.Add("12:memory:/kubepods/burstable/pod0f3a9b2c-1d4e-4f5a-8b6c-7d8e9f0a1b2c/x\n", "12:memory:/x\n")
	f.Add("0::/machine.slice/machine-a\\x2d.scope\n", "0::/../..\n")
	f.Fuzz(func(t *testing.T, outside, inside string) {
		var fixture *engineState
		container, _, pod := fixture.resolve(parseContainer([]byte(outside)))
		if container != "" && !strings.Contains(container, ":") {
			t.Errorf("%q: container %q has no engine", outside, container)
		}
		if pod != "" && len(pod) != 36 && len(pod) != 12 {
			t.Errorf("%q: pod %q is not a UID", outside, pod)
		}
		// A root is the outside path, or a prefix of it.
		if root := cgroupRoot([]byte(outside), []byte(inside)); root != "" && root != "/" && !strings.Contains(outside, root) {
			t.Errorf("root %q is not part of %q", root, outside)
		}
	})
}
