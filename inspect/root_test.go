package inspect

import "testing"

func TestHostPath(t *testing.T) {
	own := []mountRoot{
		{"8:1", "/", "/"},
		{"0:39", "/", "/var/lib/docker/overlay2/abc/merged"},
		{"8:1", "/var/lib/docker/containers/x/hosts", "/etc/hosts"},
		{"8:2", "/", "/srv"},
		{"8:2", "/lxc", "/var/lib/lxc"},
		{"0:50", "/a b", "/mnt/a b"},
	}
	tests := []struct{ name, dev, root, want string }{
		{"overlay", "0:39", "/", "/var/lib/docker/overlay2/abc/merged"},
		{"bind of a directory", "8:1", "/var/lib/lxc/web6/rootfs", "/var/lib/lxc/web6/rootfs"},
		{"the longest root wins", "8:2", "/lxc/web6/rootfs", "/var/lib/lxc/web6/rootfs"},
		{"a prefix that is no parent", "8:1", "/var/lib/docker/containers/x/hostsfile", "/var/lib/docker/containers/x/hostsfile"},
		{"the host's root", "8:1", "/", "/"},
		{"not mounted here", "0:99", "/", ""},
		{"below a root not mounted here", "0:50", "/a", ""},
	}
	for _, tt := range tests {
		if got := hostPath(own, tt.dev, tt.root); got != tt.want {
			t.Errorf("%s: hostPath(%s, %q) = %q, want %q", tt.name, tt.dev, tt.root, got, tt.want)
		}
	}
}

func TestParseMountRoot(t *testing.T) {
	got, ok := parseMountRoot([]byte(`74 49 0:39 /a\040b / rw,relatime master:3 - overlay overlay rw,upperdir=/x`))
	if want := (mountRoot{"0:39", "/a b", "/"}); !ok || got != want {
		t.Errorf("parseMountRoot = %+v, %v, want %+v", got, ok, want)
	}
	if _, ok := parseMountRoot([]byte("74 49 0:39 /")); ok {
		t.Error("parseMountRoot accepted a short line")
	}
	// Fields are split at spaces only: the kernel escapes space, tab,
	// newline and backslash, and writes any other byte as it is.
	got, ok = parseMountRoot([]byte("74 49 0:39 /a\u00a0b /c\u2028d\re rw - overlay overlay rw"))
	if want := (mountRoot{"0:39", "/a\u00a0b", "/c\u2028d\re"}); !ok || got != want {
		t.Errorf("parseMountRoot = %+v, %v, want %+v", got, ok, want)
	}
	if _, ok := parseMountRoot([]byte("74 49 0:39 /a\tb / rw - overlay overlay rw")); ok {
		t.Error("parseMountRoot accepted a raw tab, which the kernel escapes")
	}
}
