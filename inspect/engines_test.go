package inspect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ids of the engines' alphabets for the tests of each engine.
var (
	testID    = strings.Repeat("0123456789abcdef", 4)
	testPodID = strings.Repeat("fedcba9876543210", 4)
)

// engineRoot lays out files (path below the root: content) as a host's
// root file system, and returns the engines' state on it.
func engineRoot(t *testing.T, files map[string]string) *engineState {
	t.Helper()
	root := t.TempDir()
	for rel, data := range files {
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &engineState{root: root}
}

// resolveCase is a process's cgroup and how it must be shown.
type resolveCase struct {
	name, cgroup, container, id, pod string
}

func checkResolve(t *testing.T, e *engineState, tests []resolveCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			container, id, pod := e.resolve(parseContainer([]byte(tt.cgroup + "\n")))
			if container != tt.container || id != tt.id || pod != tt.pod {
				t.Errorf("got (%q, %q, %q), want (%q, %q, %q)", container, id, pod, tt.container, tt.id, tt.pod)
			}
		})
	}
}

// TestEngineNoName: a cgroup of no engine's, or one that would lead out
// of the root, names nothing.
func TestEngineNoName(t *testing.T) {
	e := engineRoot(t, map[string]string{
		containerdTasks + "/default/web3/config.json": `{"linux":{"cgroupsPath":"/default/web3"}}`,
	})
	checkResolve(t, e, []resolveCase{
		{"no bundle", "0::/user.slice/x", "", "", ""},
		{"path escapes", "0::/../web3", "", "", ""},
	})
}

// TestEngineStateBeneathRoot: a symlink in the engines' state, absolute
// or relative, resolves below the root, never to the file system's own
// files of that name.
func TestEngineStateBeneathRoot(t *testing.T) {
	outside := t.TempDir()
	cfg := filepath.Join(outside, dockerContainers, testID, "config.v2.json")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(`{"Name":"/outside"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"absolute": filepath.Join(outside, "var"),
		"relative": strings.Repeat("../", 40) + strings.TrimPrefix(filepath.Join(outside, "var"), "/"),
	} {
		t.Run(name, func(t *testing.T) {
			e := engineRoot(t, nil)
			if err := os.Symlink(target, filepath.Join(e.root, "var")); err != nil {
				t.Fatal(err)
			}
			checkResolve(t, e, []resolveCase{{"docker", "0::/docker/" + testID, "docker:" + testID[:12], testID, ""}})
		})
	}
	// Within the root, a symlink leads where it would on the host.
	e := engineRoot(t, map[string]string{"data/docker/containers/" + testID + "/config.v2.json": `{"Name":"/web2"}`})
	if err := os.MkdirAll(filepath.Join(e.root, "var/lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/data/docker", filepath.Join(e.root, "var/lib/docker")); err != nil {
		t.Fatal(err)
	}
	checkResolve(t, e, []resolveCase{{"docker through a symlink", "0::/docker/" + testID, "docker:web2", testID, ""}})
}
