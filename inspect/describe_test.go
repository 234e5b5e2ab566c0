package inspect

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// A command line longer than MaxCommand is read up to MaxCommand bytes, and
// no more is allocated for it than the bytes kept: a 2 MB argv costs what
// 128 KiB costs.
func TestCommandCapped(t *testing.T) {
	var args []string
	for i := range 20 { // 2 MB, as execve allows by default
		args = append(args, strings.Repeat(string(rune('a'+i)), 100000))
	}
	cmdline := strings.Join(args, "\x00") + "\x00"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cmdline"), []byte(cmdline), 0o600); err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(cmdline[:MaxCommand], "\x00", " ")
	if got := command(dir); got != want {
		t.Fatalf("command = %d bytes (%.20q...), want the first %d of the command line", len(got), got, MaxCommand)
	}

	const calls = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range calls {
		if got := command(dir); len(got) != MaxCommand {
			t.Fatalf("command = %d bytes, want %d", len(got), MaxCommand)
		}
	}
	runtime.ReadMemStats(&after)
	// The string kept, and now and then a read buffer again when a
	// collection has emptied the pool; a buffer a call would double it.
	// Under the race detector the pool drops a quarter of its buffers.
	bound := uint64(MaxCommand * 5 / 4)
	if raceEnabled {
		bound = MaxCommand * 7 / 4
	}
	if perCall := (after.TotalAlloc - before.TotalAlloc) / calls; perCall > bound {
		t.Errorf("command allocates %d bytes a call, want at most %d", perCall, bound)
	}
}

func ptr(s string) *string { return &s }
