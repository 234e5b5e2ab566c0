package inspect

// prometheus/procfs as the differential oracle of our /proc parsers. Each
// oracle_FILE_test.go feeds the same bytes of one /proc file to ours and to
// procfs's parser and compares what the two read, field by field, where
// both claim success (and, where an oracle says so, where only one does).
// Every difference that was looked into and decided is an exception: named,
// with the kernel's word on who is right in its comment, covering the
// inputs it applies to and no others, and with an example on which the two
// disagree for that reason, which TestOracleExceptions checks. Any other
// difference fails the fuzzer.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/procfs"

	"github.com/nsinspect/nsinspect/internal/fixture"
)

// procTree is a proc tree of one process, PID 1, that procfs reads: the
// oracles write the bytes under test into it, ours read them from there
// too where they read a path.
type procTree struct {
	root string // the tree, procfs's FS
	dir  string // root/1
	fs   procfs.FS
	proc procfs.Proc
}

// newProcTree lays out an empty tree in a directory of tb's, once per
// fuzzing process: a fuzzer's inputs overwrite its files one after the
// other.
func newProcTree(tb testing.TB) *procTree {
	tb.Helper()
	root := tb.TempDir()
	dir := filepath.Join(root, "1")
	for _, d := range []string{dir + "/ns", dir + "/net", root + "/net"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	fs, err := procfs.NewFS(root)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := fs.Proc(1)
	if err != nil {
		tb.Fatal(err)
	}
	return &procTree{root: root, dir: dir, fs: fs, proc: p}
}

// write writes data to the file name of PID 1 and returns its path.
func (p *procTree) write(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// errProcfsPanic is a panic of procfs's parser, caught: procfs panics on
// some bytes that the kernel never writes, and an oracle names those cases
// rather than dying on them.
var errProcfsPanic = errors.New("procfs panicked")

// catch calls f, a procfs parser, and turns its panic into errProcfsPanic.
func catch[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errProcfsPanic, r)
		}
	}()
	return f()
}

// An oracle compares one of our parsers, or a few that read the same file,
// with procfs's, on inputs of type In.
type oracle[In any] struct {
	// compare gives in to both and says how what they read differs; ""
	// where it does not, or where one of them refuses in and the oracle
	// does not hold the other to refuse it too.
	compare    func(tb testing.TB, tree *procTree, in In) string
	exceptions []exception[In]
}

// An exception is a difference from procfs that is known and decided. Its
// comment says who is right and why.
type exception[In any] struct {
	name string
	// applies tells, from the input alone, whether it is one that the
	// exception covers.
	applies func(In) bool
	// example is an input on which the two disagree, and which applies
	// covers.
	example In
}

// check fails t where ours and procfs's differ on in and no exception
// covers in.
func (o *oracle[In]) check(t *testing.T, tree *procTree, in In) {
	t.Helper()
	diff := o.compare(t, tree, in)
	if diff == "" {
		return
	}
	for _, e := range o.exceptions {
		if e.applies(in) {
			return
		}
	}
	t.Fatalf("ours and procfs disagree on %s: %s", quote(in), diff)
}

// checkExceptions fails t where an exception's example does not show the
// difference it names, or is not covered by it: an exception that covers
// nothing the two disagree on is dead.
func (o *oracle[In]) checkExceptions(t *testing.T, tree *procTree) {
	for _, e := range o.exceptions {
		t.Run(e.name, func(t *testing.T) {
			if diff := o.compare(t, tree, e.example); diff == "" {
				t.Errorf("example %s: ours and procfs agree", quote(e.example))
			} else {
				t.Logf("%s: %s", quote(e.example), diff)
			}
			if !e.applies(e.example) {
				t.Errorf("example %s: not covered", quote(e.example))
			}
		})
	}
}

// quote shows an input, its bytes escaped.
func quote(in any) string { return fmt.Sprintf("%q", in) }

// TestOracleExceptions checks every oracle's exceptions on their examples.
func TestOracleExceptions(t *testing.T) {
	for name, o := range map[string]interface {
		checkExceptions(*testing.T, *procTree)
	}{
		"link": &linkOracle, "stat": &statOracle, "status": &statusOracle, "cgroup": &cgroupOracle,
		"mountinfo": &mountinfoOracle, "cmdline": &cmdlineOracle, "net/dev": &netDevOracle,
		"sockets": &socketOracle,
	} {
		t.Run(name, func(t *testing.T) { o.checkExceptions(t, newProcTree(t)) })
	}
}

// TestProcfsOnlyInTests holds procfs to the tests: the nsinspect command
// must not link it (doc.go says why).
func TestProcfsOnlyInTests(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/nsinspect/nsinspect").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for pkg := range strings.Lines(string(out)) {
		if strings.HasPrefix(pkg, "github.com/prometheus/procfs") {
			t.Errorf("nsinspect links %s", strings.TrimSpace(pkg))
		}
	}
}

// hostFiles returns the file name below /proc/PID of up to limit of this
// machine's processes, as far as they may be read, each content once: real
// kernel output for the seed corpora. Which processes run does not matter:
// the two parsers must read any of them alike.
func hostFiles(name string, limit int) [][]byte {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var files [][]byte
	seen := map[string]bool{}
	for _, dir := range dirs {
		if len(files) == limit {
			break
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || seen[string(data)] {
			continue
		}
		seen[string(data)] = true
		files = append(files, data)
	}
	return files
}

// fixtureRoot lays out the hostile fixture host, testdata/host.txtar (a
// comm with ")" and blanks, a command line with control bytes and invalid
// UTF-8, a mount point with \040, optional fields), in a directory of tb's.
func fixtureRoot(tb testing.TB) string {
	tb.Helper()
	return fixture.Build(tb, filepath.Join("..", "testdata", "host.txtar"))
}

// fixtureFiles returns the files named name of the fixture host's
// processes.
func fixtureFiles(tb testing.TB, name string) [][]byte {
	tb.Helper()
	paths, _ := filepath.Glob(filepath.Join(fixtureRoot(tb), "[0-9]*", name))
	var files [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, data)
	}
	if len(files) == 0 {
		tb.Fatalf("host.txtar has no file %s", name)
	}
	return files
}

// isDecimal reports whether s is a number as the kernel's %d, %u and
// seq_put_decimal_* write one: digits, no sign, no leading zero.
func isDecimal(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}

// linesOf splits data into lines without their newlines, as eachLine does,
// for the oracles that pair our lines with procfs's.
func linesOf(data []byte) []string {
	var lines []string
	for line := range bytes.Lines(data) {
		lines = append(lines, string(bytes.TrimSuffix(line, []byte("\n"))))
	}
	return lines
}

// hasCRLF reports whether a line of data ends in "\r": bufio.ScanLines,
// with which procfs reads most files, drops a "\r" before a newline (and
// at the end of the data), which the kernel writes as part of a name or
// path where one holds it.
func hasCRLF(data []byte) bool {
	return bytes.Contains(data, []byte("\r\n")) || bytes.HasSuffix(data, []byte("\r"))
}
