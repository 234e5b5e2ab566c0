package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nsinspect/nsinspect/internal/fixture"
)

// TestLsnsErrors: run as lsns, bad input gets lsns 2.42.2's stderr byte
// for byte and its exit status (each case as lsns 2.42.2 printed it): the
// getopt messages start with argv[0] as given, the rest with "lsns: ", and
// some say nothing at all. Where lsns exits 0 (a -p process that is gone,
// --help before a bad option), so does nsinspect.
func TestLsnsErrors(t *testing.T) {
	root := fixture.Build(t, filepath.Join("testdata", "host.txtar"))
	const try = "Try 'lsns --help' for more information.\n"
	for _, tt := range []struct {
		argv0  string
		args   []string
		stderr string
		code   int
	}{
		{"lsns", []string{"--bogus"}, "lsns: unrecognized option '--bogus'\n" + try, 1},
		{"/usr/local/bin/lsns", []string{"--bogus"}, "/usr/local/bin/lsns: unrecognized option '--bogus'\n" + try, 1},
		{"./lsns", []string{"-x"}, "./lsns: invalid option -- 'x'\n" + try, 1},
		{"lsns", []string{"-p"}, "lsns: option requires an argument -- 'p'\n" + try, 1},
		{"lsns", []string{"--json=1"}, "lsns: option '--json' doesn't allow an argument\n" + try, 1},
		{"lsns", []string{"--t"}, "lsns: option '--t' is ambiguous; possibilities: '--task' '--type' '--tree'\n" + try, 1},
		{"lsns", []string{"--th"}, "lsns: unrecognized option '--th'\n" + try, 1},
		{"lsns", []string{"--type", "bogus"}, "lsns: unknown namespace type: bogus\n", 1},
		{"lsns", []string{"-t", "net,ipc"}, "lsns: unknown namespace type: net,ipc\n", 1},
		{"lsns", []string{"-p", "abc"}, "lsns: invalid PID argument: 'abc'\n", 1},
		{"lsns", []string{"-J", "-r"}, "lsns: options --json and --raw cannot be combined\n", 1},
		{"lsns", []string{"-p", "1", "-P"}, "lsns: options --task and --persistent cannot be combined\n", 1},
		{"lsns", []string{"4026531840", "-p", "1"}, "lsns: --task is mutually exclusive with <namespace>\n", 1},
		{"lsns", []string{"-T", "bogus"}, "lsns: invalid namespace argument: 'bogus'\n", 1},
		{"lsns", []string{"-T=bogus"}, "lsns: unknown tree type: bogus\n", 1},
		{"lsns", []string{"a", "b"}, "lsns: invalid namespace argument: 'a'\n", 1},
		{"lsns", []string{"4026531840", "b"}, "lsns: not found namespace: 4026531840\n", 1},
		{"lsns", []string{"-o", "FOO"}, "lsns: unknown column: FOO\n", 1},
		{"lsns", []string{"-o", "BOGUS,NS"}, "lsns: unknown column: BOGUS,NS\n", 1},
		{"lsns", []string{"-o", "NS,"}, "lsns: unknown column: NS,\n", 1},
		{"lsns", []string{"-o", "NS,,TYPE"}, "", 1},
		{"lsns", []string{"-o", ""}, "", 1},
		{"lsns", []string{"-o", "+"}, "", 1},
		{"lsns", []string{"-Q", "FOO==1"}, "lsns: unknown column: FOO\nlsns: failed to initialize filter\n", 1},
		{"lsns", []string{"-Q", "NS=="}, "lsns: failed to parse \"NS==\": syntax error, unexpected end of file\n", 1},
		{"lsns", []string{"-Q", "NS==1 &&"}, "lsns: failed to parse \"NS==1 &&\": syntax error, unexpected end of file\n", 1},
		{"lsns", []string{"-p", "999999"}, "", 0},
		{"lsns", []string{"-h", "--bogus"}, "", 0},
		{"lsns", []string{"-V", "--bogus"}, "", 0},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"--procfs", root}, tt.args...)
		code := runAs(tt.argv0, args, &stdout, &stderr)
		if code != tt.code || stderr.String() != tt.stderr {
			t.Errorf("%s %s: exit %d, stderr %q; want %d, %q", tt.argv0, strings.Join(tt.args, " "), code, stderr.String(), tt.code, tt.stderr)
		}
		if tt.code != 0 && stdout.Len() > 0 {
			t.Errorf("%s %s: stdout %q, want nothing", tt.argv0, strings.Join(tt.args, " "), stdout.String())
		}
	}
}

// TestLsnsVersion: as lsns, --version is a line that scripts read as lsns
// 2.42.2 (its last word, the number after util-linux) and that
// says it is nsinspect.
func TestLsnsVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runAs("/usr/bin/lsns", []string{"-V"}, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	line := stdout.String()
	f := strings.Fields(line)
	if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 || len(f) != 5 ||
		f[len(f)-1] != "2.42.2" || f[3] != "util-linux" || !strings.Contains(line, "nsinspect") || !strings.HasPrefix(line, "lsns ") {
		t.Errorf("--version as lsns: %q", line)
	}
}

// TestPersona: only the name lsns, wherever it lives, makes nsinspect lsns.
func TestPersona(t *testing.T) {
	for argv0, lsns := range map[string]bool{
		"lsns": true, "/usr/local/bin/lsns": true, "./lsns": true,
		"nsinspect": false, "/usr/bin/nsinspect": false, "lsns-2.42": false, "xlsns": false, "lsns/nsinspect": false,
	} {
		if got := personaOf(argv0).lsns; got != lsns {
			t.Errorf("run as %q: lsns %v, want %v", argv0, got, lsns)
		}
	}
}
