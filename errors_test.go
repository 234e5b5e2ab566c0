package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nsinspect/nsinspect/internal/fixture"
)

// usageHint ends the message of a usage error, on a line of its own.
const usageHint = "\\nTry 'nsinspect --help' for more information."

// TestBadInput checks every way to call nsinspect wrongly: exit status 1,
// nothing on stdout, and one line on stderr that says what is wrong.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		// fixture is the proc tree given with --procfs: "host" for
		// cases about what the host holds, else "empty".
		fixture string
		// args follow --procfs; $DIR is a fresh empty directory.
		args    []string
		wantErr string // what the line after "nsinspect: " must hold
	}{
		{"unknown column", "empty", []string{"-o", "NS,BOGUS"}, "unknown column: BOGUS"},
		{"unknown column after +", "empty", []string{"-o", "+bogus"}, "unknown column: bogus"},
		{"empty column in list", "empty", []string{"-o", "NS,,TYPE"}, `empty column name in "NS,,TYPE"`},
		{"empty column list", "empty", []string{"-o", "+"}, `empty column name in ""`},
		{"unknown type", "empty", []string{"-t", "bogus"}, "unknown namespace type: bogus"},
		{"unknown type in a list", "empty", []string{"-t", "net,bogus"}, "unknown namespace type: bogus"},
		{"type in upper case", "empty", []string{"-t", "NET"}, "unknown namespace type: NET"},
		{"PID not a number", "empty", []string{"-p", "abc"}, `invalid PID argument: 'abc'`},
		{"PID 0", "empty", []string{"-p", "0"}, `invalid PID argument: '0'`},
		{"negative PID", "empty", []string{"-p", "-5"}, `invalid PID argument: '-5'`},
		{"empty PID", "empty", []string{"-p", ""}, `invalid PID argument: ''`},
		{"empty type", "empty", []string{"-t", ""}, "unknown namespace type: "},
		{"type list ending in a comma", "empty", []string{"-t", "net,"}, "unknown namespace type: net,"},
		{"empty tree", "empty", []string{"--tree="}, "unknown tree type: "},
		{"tree in the same word", "empty", []string{"-Tl"}, "unknown tree type: l"},
		{"empty column list given", "empty", []string{"-o", ""}, `empty column name in ""`},
		{"empty metrics file", "empty", []string{"--metrics", ""}, "--metrics needs a file name"},
		{"interval without metrics", "empty", []string{"--interval", "1s"}, "--interval goes with --metrics"},
		{"interval zero", "empty", []string{"--metrics", "-", "--interval", "0s"}, "--interval must be positive: 0s"},
		{"interval negative", "empty", []string{"--metrics", "-", "--interval", "-5s"}, "--interval must be positive: -5s"},
		{"interval not a duration", "empty", []string{"--metrics", "-", "--interval", "soon"}, `invalid argument "soon" for "--interval" flag`},
		{"PID not in the fixture", "host", []string{"-p", "5"}, "no such process: 5"},
		{"PID of a missing process with a type", "host", []string{"-t", "net", "-p", "999999"}, "no such process: 999999"},
		{"namespace not a number", "empty", []string{"net:[4026531833]"}, `invalid namespace argument: 'net:[4026531833]'`},
		{"namespace 0", "empty", []string{"0"}, `invalid namespace argument: '0'`},
		{"negative namespace", "empty", []string{"--", "-1"}, `invalid namespace argument: '-1'`},
		{"namespace not found", "host", []string{"4026531831"}, "not found namespace: 4026531831"},
		// The namespace exists, but not among the types asked for.
		{"namespace of another type", "host", []string{"-t", "net", "4026531832"}, "not found namespace: 4026531832"},
		{"json and raw", "empty", []string{"-J", "-r"}, "options --json and --raw cannot be combined"},
		{"raw and json", "empty", []string{"-r", "-J"}, "options --raw and --json cannot be combined"},
		{"json and raw with -H", "empty", []string{"-H", "-J", "-r"}, "options --json and --raw cannot be combined"},
		{"task and namespace", "host", []string{"-p", "1", "4026531836"}, "--task is mutually exclusive with <namespace>"},
		{"two namespaces", "host", []string{"4026531836", "4026531837"}, "too many arguments: 4026531837"},
		{"unknown flag", "empty", []string{"--bogus"}, "unrecognized option '--bogus'" + usageHint},
		{"unknown shorthand", "empty", []string{"-Z"}, "invalid option -- 'Z'" + usageHint},
		{"missing value", "empty", []string{"-o"}, "option requires an argument -- 'o'" + usageHint},
		{"missing long value", "empty", []string{"--output"}, "option '--output' requires an argument" + usageHint},
		{"value not taken", "empty", []string{"--json=1"}, "option '--json' doesn't allow an argument" + usageHint},
		{"ambiguous", "empty", []string{"--t"}, "option '--t' is ambiguous; possibilities: '--task' '--type' '--tree' '--threads'" + usageHint},
		{"filter syntax", "empty", []string{"-Q", "NS =="}, `filter: position 6: expected a value after "=="`},
		{"filter unknown column", "empty", []string{"-Q", "FOO == 1"}, "unknown column: FOO"},
		{"filter bad regexp", "empty", []string{"-Q", `COMMAND =~ "("`}, "bad regular expression"},
		{"unknown tree", "empty", []string{"--tree=sideways"}, "unknown tree type: sideways"},
		{"persistent and task", "empty", []string{"-P", "-p", "1"}, "options --persistent and --task cannot be combined"},
		{"unknown graph format", "empty", []string{"--graph=svg"}, "unknown graph format: svg"},
		{"empty graph format", "empty", []string{"--graph="}, "unknown graph format: "},
		// The format goes in the same word: a separate one is the
		// <namespace> argument, as after -T.
		{"graph format in the next word", "empty", []string{"--graph", "mermaid"}, "invalid namespace argument: 'mermaid'"},
		{"graph and json", "empty", []string{"--graph", "-J"}, "options --graph and --json cannot be combined"},
		{"raw and graph", "empty", []string{"-r", "--graph=mermaid"}, "options --raw and --graph cannot be combined"},
		{"graph and output", "empty", []string{"--gr", "-o", "NS"}, "options --graph and --output cannot be combined"},
		{"graph and output-all", "empty", []string{"--graph", "--output-all"}, "options --graph and --output-all cannot be combined"},
		{"tree and graph", "empty", []string{"-Towner", "--graph"}, "options --tree and --graph cannot be combined"},
		{"graph and metrics", "empty", []string{"--graph", "--metrics", "-"}, "options --graph and --metrics cannot be combined"},
		{"procfs missing", "empty", []string{"--procfs", "$DIR/missing"}, "proc filesystem $DIR/missing: no such file or directory"},
		{"procfs a file", "empty", []string{"--procfs", "$DIR/file"}, `proc filesystem $DIR/file: not a directory`},
		// A directory that is no proc filesystem would list nothing, or
		// count nothing, as if the host ran no process.
		{"procfs an empty directory", "empty", []string{"--procfs", "$DIR"}, "$DIR: not a proc filesystem"},
		{"procfs sysfs", "empty", []string{"--procfs", "/sys"}, "/sys: not a proc filesystem"},
		{"procfs an empty directory, metrics", "empty", []string{"--procfs", "$DIR", "--metrics", "-"}, "$DIR: not a proc filesystem"},
		{"procfs sysfs, metrics to a file", "empty", []string{"--procfs", "/sys", "--metrics", "$DIR/nsinspect.prom"}, "/sys: not a proc filesystem"},
		// A wrong --rootfs would show no container names, silently.
		{"rootfs missing", "empty", []string{"--rootfs", "$DIR/missing"}, "root file system $DIR/missing: no such file or directory"},
		{"rootfs a file", "empty", []string{"--rootfs", "$DIR/file"}, "root file system $DIR/file: not a directory"},
		{"rootfs missing, metrics", "empty", []string{"--rootfs", "$DIR/missing", "--metrics", "-"}, "root file system $DIR/missing: no such file or directory"},
	}
	for _, fix := range []string{"empty", "host"} {
		t.Run(fix, func(t *testing.T) {
			root := fixture.Build(t, filepath.Join("testdata", fix+".txtar"))
			for _, tc := range tests {
				if tc.fixture != fix {
					continue
				}
				t.Run(tc.name, func(t *testing.T) {
					dir := t.TempDir()
					if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
						t.Fatal(err)
					}
					args := []string{"--procfs", root}
					for _, a := range tc.args {
						args = append(args, strings.ReplaceAll(a, "$DIR", dir))
					}
					wantErr := strings.ReplaceAll(tc.wantErr, "$DIR", dir)

					code, stdout, stderr := runNoPanic(t, args)
					if code != 1 {
						t.Errorf("exit status %d, want 1", code)
					}
					if stdout != "" {
						t.Errorf("stdout %q, want nothing", stdout)
					}
					// A usage error has lsns's pointer to --help as a
					// second line, and no other error has one.
					line, ok := strings.CutSuffix(stderr, "\n")
					line, hint := strings.CutSuffix(line, strings.ReplaceAll(usageHint, `\n`, "\n"))
					wantErr, wantHint := strings.CutSuffix(wantErr, usageHint)
					msg, prefixed := strings.CutPrefix(line, "nsinspect: ")
					if !ok || strings.Contains(line, "\n") || !prefixed || !strings.Contains(msg, wantErr) || hint != wantHint {
						t.Errorf("stderr %q, want \"nsinspect: ...%s...\", then the hint to --help: %v", stderr, wantErr, wantHint)
					}
					// Nor does it write a metrics file.
					if entries, err := os.ReadDir(dir); err != nil || len(entries) != 1 {
						t.Errorf("$DIR holds %v (%v), want only the file the test made", entries, err)
					}
				})
			}
		})
	}
}

// runNoPanic calls run and fails the test, rather than the whole binary,
// when it panics: bad input must end in an error message.
func runNoPanic(t *testing.T, args []string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("nsinspect %s panicked: %v", strings.Join(args, " "), r)
		}
	}()
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}
