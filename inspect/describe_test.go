package inspect

import (
	"os"
	"path/filepath"
	"testing"
)

// command shows the command line with NULs as spaces, or the comm where the
// command line is empty, as lsns does.
func TestCommand(t *testing.T) {
	tests := []struct {
		name          string
		cmdline, comm *string
		want          string
	}{
		{name: "arguments", cmdline: ptr("sleep\x003600\x00"), comm: ptr("sleep\n"), want: "sleep 3600"},
		{name: "empty argument kept", cmdline: ptr("sh\x00\x00-c\x00"), want: "sh  -c"},
		{name: "no trailing NUL (setproctitle)", cmdline: ptr("nginx: worker process"), want: "nginx: worker process"},
		{name: "kernel thread", cmdline: ptr(""), comm: ptr("kthreadd\n"), want: "kthreadd"},
		{name: "only NULs", cmdline: ptr("\x00\x00"), comm: ptr("zombie\n"), want: "zombie"},
		{name: "escapes kept for the renderer", cmdline: ptr("a\x1b[31m\x00b\x00"), want: "a\x1b[31m b"},
		{name: "gone", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range map[string]*string{"cmdline": tt.cmdline, "comm": tt.comm} {
				if data != nil {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(*data), 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}
			if got := command(dir); got != tt.want {
				t.Errorf("command = %q, want %q", got, tt.want)
			}
		})
	}
}

func ptr(s string) *string { return &s }
