package inspect

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestDockerNames(t *testing.T) {
	e := engineRoot(t, map[string]string{
		dockerContainers + "/" + testID + "/config.v2.json": `{"ID":"` + testID + `","Name":"/web2"}`,
	})
	// A FIFO where a name would be must not block the read.
	fifo := filepath.Join(e.root, dockerContainers, strings.Repeat("a", 64), "config.v2.json")
	if err := os.MkdirAll(filepath.Dir(fifo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	checkResolve(t, e, []resolveCase{
		{"docker", "0::/docker/" + testID, "docker:web2", testID, ""},
		{"docker without state", "0::/docker/" + strings.Repeat("b", 64), "docker:bbbbbbbbbbbb", strings.Repeat("b", 64), ""},
		{"docker state a FIFO", "0::/docker/" + strings.Repeat("a", 64), "docker:aaaaaaaaaaaa", strings.Repeat("a", 64), ""},
	})
}
