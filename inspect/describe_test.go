package inspect

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
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

// member returns a snapshot of a fake proc tree and its one process, PID
// 7, with files (memberNS).
func member(t *testing.T, files map[string]string) (*Snapshot, *Process) {
	t.Helper()
	s, ns := memberNS(t, PID, files)
	return s, ns.Procs[0]
}

// TestProcessReaders: one reader per fact, and every fact has one.
func TestProcessReaders(t *testing.T) {
	var all ProcessFacts
	for _, r := range processReaders {
		if all&r.fact != 0 || r.fact == 0 || r.fact&(r.fact-1) != 0 {
			t.Errorf("reader of %#x: a fact read twice, or not one fact", r.fact)
		}
		all |= r.fact
	}
	if want := ReadComm<<1 - 1; all != want {
		t.Errorf("the readers read %#x, want every fact %#x", all, want)
	}
}

func TestReadPPID(t *testing.T) {
	for _, tt := range []struct {
		name, stat string
		want       int
	}{
		{"parent", "1251 (nginx) S 1220 1220 1220 0 -1 4194560\n", 1220},
		{"comm with ) and spaces", "1601 (my) S 77 (app) S 1600 1600\n", 1600},
		{"malformed", "1601 (x\n", 0},
		{"gone", "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.stat != "" {
				files["stat"] = tt.stat
			}
			s, p := member(t, files)
			s.readPPID(p, filepath.Join(s.Root, "7"))
			if p.PPID != tt.want {
				t.Errorf("PPID = %d, want %d", p.PPID, tt.want)
			}
		})
	}
}

// TestReadCommand: the command line, and the comm where the guard gives
// up on it (a command line mapped from a file that never answers).
func TestReadCommand(t *testing.T) {
	files := map[string]string{"cmdline": "sleep\x00600\x00", "comm": "sleep\n"}
	s, p := member(t, files)
	s.readCommand(p, filepath.Join(s.Root, "7"))
	if p.Command != "sleep 600" {
		t.Errorf("Command = %q, want %q", p.Command, "sleep 600")
	}
	s, p = member(t, map[string]string{"cmdline": "sleep\x00600\x00", "comm": "stalled\n"})
	s.guard.abandoned = maxAbandoned // as after four stalled reads
	s.readCommand(p, filepath.Join(s.Root, "7"))
	if want := []string{"command line of process 7"}; p.Command != "stalled" || !slices.Equal(s.Skipped(), want) {
		t.Errorf("given up: Command %q, skipped %q; want the comm and %q", p.Command, s.Skipped(), want)
	}
}

func TestReadContainer(t *testing.T) {
	id := strings.Repeat("0123456789abcdef", 4)
	for _, tt := range []struct {
		name, cgroup, container, id string
	}{
		{"docker", "0::/system.slice/docker-" + id + ".scope\n", "docker:" + id[:12], id},
		{"host", "0::/user.slice/user-1000.slice/session-2.scope\n", "", ""},
		{"gone", "", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.cgroup != "" {
				files["cgroup"] = tt.cgroup
			}
			s, p := member(t, files) // a fixture: no engines' state
			s.readContainer(p, filepath.Join(s.Root, "7"))
			if p.Container != tt.container || p.ContainerID != tt.id || p.Pod != "" {
				t.Errorf("got (%q, %q, %q), want (%q, %q, \"\")", p.Container, p.ContainerID, p.Pod, tt.container, tt.id)
			}
		})
	}
}

func TestReadComm(t *testing.T) {
	for _, tt := range []struct {
		name, comm, want string
	}{
		{"name", "my) S 77 (app\n", "my) S 77 (app"},
		{"trailing blank kept", "a \n", "a "},
		{"gone", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.comm != "" {
				files["comm"] = tt.comm
			}
			s, p := member(t, files)
			s.readComm(p, filepath.Join(s.Root, "7"))
			if p.Comm != tt.want {
				t.Errorf("Comm = %q, want %q", p.Comm, tt.want)
			}
		})
	}
}

func TestReadNSpid(t *testing.T) {
	for _, tt := range []struct {
		name, status string
		want         []uint64
	}{
		{"nested", "Name:\tsh\nNSpid:\t4711\t12\t1\nNSsid:\t1\n", []uint64{4711, 12, 1}},
		{"host", "NSpid:\t1\n", []uint64{1}},
		{"no line (before Linux 4.1)", "Name:\tsh\nPid:\t4711\n", nil},
		{"malformed", "NSpid:\t4711\tx\n", nil},
		{"gone", "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.status != "" {
				files["status"] = tt.status
			}
			s, p := member(t, files)
			s.readNSpid(p, filepath.Join(s.Root, "7"))
			if !slices.Equal(p.NSpid, tt.want) {
				t.Errorf("NSpid = %v, want %v", p.NSpid, tt.want)
			}
		})
	}
}
