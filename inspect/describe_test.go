package inspect

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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

func TestDescribe(t *testing.T) {
	s := scanHost(t, 0)
	tests := []struct {
		name        string
		pid         int
		wantPPID    int
		wantCommand string
	}{
		{"arguments joined by spaces", 1, 0, "/sbin/init splash"},
		{"kernel thread: comm", 2, 0, "kthreadd"},
		{"comm longer than 15 bytes", 6, 2, "kworker/0:0H-events_highpri"},
		{"parent with a higher PID", 57, 32701, "/sbin/modprobe -q -- net-pf-10"},
		// The one argument that nginx rewrites its command line to.
		{"single argument", 1220, 1200, "nginx: master process nginx -g daemon off;"},
		// ')' and spaces in the comm: the PPID follows the last ')'.
		{"comm with ) and spaces", 1601, 1600, "./my) S 77 (app --serve"},
		// describe passes a command line on as it is; escaping is the
		// renderer's job.
		{"hostile command line", 1600, 1, "evil \x1b]0;pwned\x07 tab\there new\nline \\x41 \xff\xfebytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := s.Process(tc.pid)
			if p == nil {
				t.Fatalf("no process %d", tc.pid)
			}
			s.describe([]*Process{p}, ReadPPID|ReadCommand)
			if p.PPID != tc.wantPPID {
				t.Errorf("PPID of %d = %d, want %d", tc.pid, p.PPID, tc.wantPPID)
			}
			if p.Command != tc.wantCommand {
				t.Errorf("Command of %d = %q, want %q", tc.pid, p.Command, tc.wantCommand)
			}
		})
	}
}

// TestDescribeReadsOnce checks that describe reads only the details asked
// for, and each of them once: a process described again keeps what was
// read, even when its files have changed since.
func TestDescribeReadsOnce(t *testing.T) {
	s := scanHost(t, 0)
	p := s.Process(1600)
	s.describe([]*Process{p}, ReadPPID)
	if p.PPID != 1 || p.Command != "" {
		t.Fatalf("after ReadPPID: PPID %d, Command %q; want 1 and no command", p.PPID, p.Command)
	}
	if err := os.WriteFile(filepath.Join(s.Root, "1600", "stat"), []byte("1600 (x) S 99 1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.describe([]*Process{p}, ReadPPID|ReadCommand)
	if p.PPID != 1 {
		t.Errorf("PPID read again: %d, want 1", p.PPID)
	}
	if p.Command == "" {
		t.Errorf("Command not read when asked for")
	}
}

// TestDescribeComm checks that ReadComm reads the kernel's name of a
// process, without the newline the kernel ends it with, whatever its
// command line says.
func TestDescribeComm(t *testing.T) {
	s := scanHost(t, 0)
	for pid, want := range map[int]string{1: "systemd", 2: "kthreadd", 1220: "nginx", 1601: "my) S 77 (app"} {
		p := s.Process(pid)
		s.describe([]*Process{p}, ReadComm)
		if p.Comm != want || p.Command != "" {
			t.Errorf("process %d: Comm %q, Command %q; want %q and no command", pid, p.Comm, p.Command, want)
		}
	}
}

func TestParseStatPPID(t *testing.T) {
	// The fields after the comm of a real line (kernel 6.x), less the ppid.
	const rest = " 1234 1234 34816 1240 4194560 1311 0 0 0 2 1 0 0 20 0 1 0 1067 7925760 1202 18446744073709551615\n"
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr bool
	}{
		{name: "normal", in: "1234 (bash) S 1" + rest, want: 1},
		{name: "init", in: "1 (systemd) S 0" + rest, want: 0},
		{name: "kthreadd", in: "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 10", want: 0},
		{name: "large ppid", in: "99 (x) R 4194304" + rest, want: 4194304},
		{name: "no newline", in: "1234 (bash) S 17", want: 17},
		{name: "comm with spaces", in: "1234 (tmux: server) S 1" + rest, want: 1},
		// The comm is chosen by the process (prctl PR_SET_NAME, the
		// executable's name): it ends at the last ')', whatever it holds.
		{name: "comm with parentheses", in: "1234 (a) b) (c) S 1" + rest, want: 1},
		{name: "comm faking fields", in: "1234 (x) S 99) S 5" + rest, want: 5},
		{name: "comm of parentheses", in: "1234 ()) S 6" + rest, want: 6},
		{name: "comm empty", in: "1234 () S 7" + rest, want: 7},
		{name: "comm with newline", in: "1234 (a\nb) S 8" + rest, want: 8},
		{name: "comm with non-ASCII", in: "1234 (\xff\u00a0\u2028) S 9" + rest, want: 9},
		{name: "empty", in: "", wantErr: true},
		{name: "no parenthesis", in: "1234 bash S 1" + rest, wantErr: true},
		{name: "unterminated comm", in: "1234 (bash S 1", wantErr: true},
		{name: "ends after comm", in: "1234 (bash)", wantErr: true},
		{name: "ends after state", in: "1234 (bash) S", wantErr: true},
		{name: "ends after state and blank", in: "1234 (bash) S \n", wantErr: true},
		{name: "negative", in: "1234 (bash) S -1" + rest, wantErr: true},
		{name: "not a number", in: "1234 (bash) S abc" + rest, wantErr: true},
		{name: "number with junk", in: "1234 (bash) S 1a" + rest, wantErr: true},
		{name: "hex", in: "1234 (bash) S 0x10" + rest, wantErr: true},
		{name: "overflow", in: "1234 (bash) S 99999999999999999999" + rest, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatPPID([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseStatPPID(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("parseStatPPID(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseStatPPID(f *testing.F) {
	f.Add(1234, "bash", 1)
	f.Add(1, "systemd", 0)
	f.Add(1234, "a) b) (c", 1)
	f.Add(1234, "x) S 99", 5)
	f.Add(1234, "", -1)
	f.Add(-5, "(", 9223372036854775807)
	f.Add(0, "a\nb\x00\xff", -9223372036854775808)
	f.Add(7, "1234 (bash) S", 3)
	f.Fuzz(func(t *testing.T, pid int, comm string, ppid int) {
		// A line as the kernel writes it, for any comm: the ppid must come
		// back whatever the comm holds.
		in := fmt.Sprintf("%d (%s) S %d 1234 1234 0 -1 4194560 ...\n", pid, comm, ppid)
		got, err := parseStatPPID([]byte(in))
		switch {
		case ppid < 0 && err == nil:
			t.Fatalf("parseStatPPID(%q) = %d, want an error", in, got)
		case ppid >= 0 && (err != nil || got != ppid):
			t.Fatalf("parseStatPPID(%q) = %d, %v, want %d", in, got, err, ppid)
		}
		// And anything at all, here the comm alone, must not panic and
		// must agree with the reference.
		for _, in := range []string{in, comm} {
			got, err := parseStatPPID([]byte(in))
			want, wantOK := refStatPPID(in)
			if (err == nil) != wantOK || got != want {
				t.Fatalf("parseStatPPID(%q) = %d, %v, want %d, ok %v", in, got, err, want, wantOK)
			}
		}
	})
}

// refStatPPID is parseStatPPID written another way: the ppid is the second
// blank-separated word after the last ')', a non-negative decimal int.
func refStatPPID(s string) (int, bool) {
	i := strings.LastIndex(s, ")")
	if i < 0 {
		return 0, false
	}
	words := strings.Fields(s[i+1:])
	if len(words) < 2 {
		return 0, false
	}
	v, err := strconv.ParseInt(words[1], 10, strconv.IntSize)
	if err != nil || v < 0 {
		return 0, false
	}
	return int(v), true
}

func TestParseNSpid(t *testing.T) {
	tests := []struct {
		status string
		want   []uint64
	}{
		{"Name:\tsleep\nNSpid:\t4711\t12\t1\nNSpgid:\t1\n", []uint64{4711, 12, 1}},
		{"NSpid:\t1\n", []uint64{1}},
		{"Name:\tsleep\n", nil},
		{"NSpid:\t12\tx\n", nil},
		{"NSpid:\n", nil},
	}
	for _, tt := range tests {
		if got := parseNSpid([]byte(tt.status)); !slices.Equal(got, tt.want) {
			t.Errorf("parseNSpid(%q) = %v, want %v", tt.status, got, tt.want)
		}
	}
}

func FuzzParseNSpid(f *testing.F) {
	f.Add([]byte("NSpid:\t4711\t12\t1\n"))
	f.Add([]byte("Name:\tx\nNSpid:\t1\n"))
	f.Fuzz(func(t *testing.T, status []byte) {
		pids := parseNSpid(status)
		if pids == nil {
			return
		}
		// What parses is the fields of an NSpid line, as decimal numbers.
		var line string
		for l := range strings.Lines(string(status)) {
			if strings.HasPrefix(l, "NSpid:") {
				line = l
				break
			}
		}
		fields := strings.Fields(strings.TrimPrefix(line, "NSpid:"))
		if len(fields) != len(pids) {
			t.Fatalf("parseNSpid(%q) = %v from fields %q", status, pids, fields)
		}
		for i, f := range fields {
			if v, err := strconv.ParseUint(f, 10, 64); err != nil || v != pids[i] {
				t.Errorf("field %q parsed as %d", f, pids[i])
			}
		}
	})
}

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
