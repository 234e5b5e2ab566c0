package main

// The shell completions in completions/ are written by hand, for bash, zsh
// and fish. These tests keep them in step with the Go code: every option of
// newFlagSet, every column of the registry and every namespace type must be
// completable, and the bash completion is run for real.

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/internal/testenv"
	"github.com/nsinspect/nsinspect/render"
)

// completionFiles are the completion scripts, by shell.
var completionFiles = map[string]string{
	"bash": "completions/nsinspect.bash",
	"zsh":  "completions/_nsinspect",
	"fish": "completions/nsinspect.fish",
}

func readCompletion(t *testing.T, shell string) string {
	t.Helper()
	b, err := os.ReadFile(completionFiles[shell])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// flagNames returns the options nsinspect takes, as typed: "--json", "-J".
func flagNames() []string {
	var names []string
	newFlagSet(&options{}).VisitAll(func(f *pflag.Flag) {
		names = append(names, "--"+f.Name)
		if f.Shorthand != "" {
			names = append(names, "-"+f.Shorthand)
		}
	})
	return names
}

func columnNames() []string {
	names := make([]string, len(query.Columns()))
	for i, c := range query.Columns() {
		names[i] = c.Name
	}
	return names
}

func typeNames() []string {
	names := make([]string, inspect.NumTypes)
	for t := range inspect.NumTypes {
		names[t] = inspect.Type(t).String()
	}
	return names
}

// optionWord finds options in bash and zsh scripts: "-J", "--json" in
// "-J --json", "{-o+,--output=}", "{-T-,--tree=-}".
var optionWord = regexp.MustCompile(`(?:^|[^\w-])(--?[A-Za-z][\w-]*)`)

// fishOption finds the options of fish's complete commands: "-s J", "-l json".
var fishOption = regexp.MustCompile(`\s-([sl])\s+([\w-]+)`)

// completedOptions returns the options a completion script names.
func completedOptions(shell, script string) map[string]bool {
	found := map[string]bool{}
	if shell == "fish" {
		for _, line := range strings.Split(script, "\n") {
			if !strings.HasPrefix(line, "complete -c nsinspect ") {
				continue
			}
			for _, m := range fishOption.FindAllStringSubmatch(line, -1) {
				if m[1] == "s" {
					found["-"+m[2]] = true
				} else {
					found["--"+m[2]] = true
				}
			}
		}
		return found
	}
	for _, m := range optionWord.FindAllStringSubmatch(script, -1) {
		// zsh's "-T-" and "--tree=-": an argument in the same word.
		found[strings.TrimRight(m[1], "-")] = true
	}
	return found
}

func TestCompletionOptions(t *testing.T) {
	for shell := range completionFiles {
		t.Run(shell, func(t *testing.T) {
			found := completedOptions(shell, readCompletion(t, shell))
			for _, name := range flagNames() {
				if !found[name] {
					t.Errorf("%s does not complete %s", completionFiles[shell], name)
				}
			}
		})
	}
}

// fallbackList finds the static list of columns that a completion script
// falls back on where nsinspect -H cannot be run.
var fallbackList = map[string]*regexp.Regexp{
	"bash": regexp.MustCompile(`fallback=\(([^)]*)\)`),
	"zsh":  regexp.MustCompile(`fallback=\(([^)]*)\)`),
	"fish": regexp.MustCompile(`set -l fallback((?:[^\n]*\\\n)*[^\n]*)`),
}

// TestCompletionColumns checks that each script asks nsinspect for its
// columns and that its fallback list is the registry's.
func TestCompletionColumns(t *testing.T) {
	asks := map[string]*regexp.Regexp{
		"bash": regexp.MustCompile(`"\$1" -H -r`),
		"zsh":  regexp.MustCompile(`_call_program columns \$\{words\[1\]\} -H`),
		"fish": regexp.MustCompile(`command nsinspect -H`),
	}
	for shell := range completionFiles {
		t.Run(shell, func(t *testing.T) {
			script := readCompletion(t, shell)
			if !asks[shell].MatchString(script) {
				t.Errorf("%s does not ask nsinspect for its columns (%s)", completionFiles[shell], asks[shell])
			}
			m := fallbackList[shell].FindStringSubmatch(script)
			if m == nil {
				t.Fatalf("%s has no fallback list of columns (%s)", completionFiles[shell], fallbackList[shell])
			}
			got := strings.Fields(strings.ReplaceAll(m[1], "\\\n", " "))
			if diff := cmp.Diff(columnNames(), got); diff != "" {
				t.Errorf("%s: fallback columns differ from query.Columns() (-want +got):\n%s", completionFiles[shell], diff)
			}
		})
	}
}

var wordRE = regexp.MustCompile(`[\w-]+`)

// TestCompletionTypes checks that each script lists every namespace type on
// one line, the list -t completes from.
func TestCompletionTypes(t *testing.T) {
	for shell := range completionFiles {
		t.Run(shell, func(t *testing.T) {
			best := typeNames()
			for _, line := range strings.Split(readCompletion(t, shell), "\n") {
				words := wordRE.FindAllString(line, -1)
				var missing []string
				for _, name := range typeNames() {
					if !slices.Contains(words, name) {
						missing = append(missing, name)
					}
				}
				if len(missing) < len(best) {
					best = missing
				}
			}
			if len(best) > 0 {
				t.Errorf("%s has no line that lists every namespace type; the best lacks %v", completionFiles[shell], best)
			}
		})
	}
}

// TestCompletionSyntax has each shell that is installed parse its script.
// zsh and fish are not installed for the tests: without them, the static
// tests above are what checks their scripts.
func TestCompletionSyntax(t *testing.T) {
	check := map[string][]string{
		"bash": {"bash", "-n"},
		"zsh":  {"zsh", "-n"},
		"fish": {"fish", "--no-execute"},
	}
	for shell, file := range completionFiles {
		t.Run(shell, func(t *testing.T) {
			testenv.RequireCommand(t, check[shell][0])
			out, err := exec.Command(check[shell][0], append(check[shell][1:], file)...).CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Errorf("%s %s: %v\n%s", strings.Join(check[shell], " "), file, err, out)
			}
		})
	}
}

// fakeColumn is a column that only the fake nsinspect knows: completing it
// shows that the script asked the binary, not its fallback list.
const fakeColumn = "ZZFAKE"

// fakeNsinspect writes a shell script named nsinspect to a new directory and
// returns the directory: for "-H -r" it prints the registry's columns as
// nsinspect does, and fakeColumn; for a listing (-o NS), fixed inodes.
func fakeNsinspect(t *testing.T) string {
	t.Helper()
	var columns bytes.Buffer
	if err := render.WriteColumnList(&columns, query.Columns(), render.FormatRaw, render.JSONPretty); err != nil {
		t.Fatal(err)
	}
	columns.WriteString(fakeColumn + " <string> only\\x20in\\x20the\\x20fake\n")
	script := "#!/bin/sh\n" +
		"case \"$*\" in\n" +
		"'-H -r') cat <<'EOF'\n" + columns.String() + "EOF\n;;\n" +
		"*'-o NS') printf '%s\\n' 4026531835 4026531840 4026532001 ;;\n" +
		"*) exit 1 ;;\n" +
		"esac\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nsinspect"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// bashComplete sources the bash completion and completes words, the last
// being the word under the cursor, split as bash splits a command line
// ("--tree=" is "--tree" "="). It returns COMPREPLY.
func bashComplete(t *testing.T, bash, path string, words ...string) []string {
	t.Helper()
	const script = `source "$1" || exit
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_nsinspect nsinspect "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
`
	abs, err := filepath.Abs(completionFiles["bash"])
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, append([]string{"-c", script, "bash", abs}, words...)...)
	cmd.Env = []string{"PATH=" + path, "HOME=" + t.TempDir(), "LC_ALL=C"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("complete %q: %v\n%s", words, err, stderr.String())
	}
	return strings.Fields(string(out))
}

func TestCompletionBash(t *testing.T) {
	bash := testenv.RequireCommand(t, "bash")
	// The fallback's find, sed and sort; not nsinspect, which is only where
	// a test puts it.
	system := "/usr/bin:/bin"
	fake := fakeNsinspect(t) + ":" + system
	procfs := t.TempDir()
	for _, pid := range []string{"1", "42", "4711", "self"} {
		if err := os.Mkdir(filepath.Join(procfs, pid), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	withPrefix := func(prefix string, names []string) []string {
		var out []string
		for _, n := range names {
			out = append(out, prefix+n)
		}
		return out
	}
	allBut := func(skip string) []string {
		return slices.DeleteFunc(columnNames(), func(n string) bool { return n == skip })
	}
	sorted := func(s []string) []string {
		s = slices.Clone(s)
		slices.Sort(s)
		return s
	}
	// The options offered: newFlagSet's, and those being added to it.
	options := flagNames()
	for _, o := range []string{"-Q", "--filter", "--metrics"} {
		if !slices.Contains(options, o) {
			options = append(options, o)
		}
	}
	tests := []struct {
		name  string
		path  string
		words []string
		want  []string
	}{
		{"column after comma", fake, []string{"nsinspect", "-o", "NS,TY"}, []string{"NS,TYPE"}},
		{"column after plus", fake, []string{"nsinspect", "-o", "+NS,TY"}, []string{"+NS,TYPE"}},
		{"column case-insensitive", fake, []string{"nsinspect", "--output", "=", "ns,ty"}, []string{"ns,TYPE"}},
		{"column glued to -o", fake, []string{"nsinspect", "-oNS,TY"}, []string{"-oNS,TYPE"}},
		{"columns not yet listed", fake, []string{"nsinspect", "-o", "NS,"}, append(withPrefix("NS,", allBut("NS")), "NS,"+fakeColumn)},
		{"column from the binary", fake, []string{"nsinspect", "-o", "+NS,ZZ"}, []string{"+NS," + fakeColumn}},
		{"columns without the binary", t.TempDir(), []string{"nsinspect", "-o", ""}, columnNames()},
		{"column without the binary", t.TempDir(), []string{"nsinspect", "-o", "NS,TY"}, []string{"NS,TYPE"}},
		{"types", fake, []string{"nsinspect", "-t", ""}, typeNames()},
		{"type after comma", fake, []string{"nsinspect", "--type", "net,u"}, []string{"net,user", "net,uts"}},
		{"tree relations", fake, []string{"nsinspect", "--tree", "="}, []string{"owner", "parent", "process"}},
		{"tree relation", fake, []string{"nsinspect", "-T", "=", "pa"}, []string{"parent"}},
		{"namespace after -T", fake, []string{"nsinspect", "-T", "40265318"}, []string{"4026531835", "4026531840"}},
		{"graph formats", fake, []string{"nsinspect", "--graph", "="}, []string{"dot", "mermaid"}},
		{"graph format", fake, []string{"nsinspect", "--graph", "=", "m"}, []string{"mermaid"}},
		{"namespace after --graph", fake, []string{"nsinspect", "--graph", "40265318"}, []string{"4026531835", "4026531840"}},
		{"namespaces", fake, []string{"nsinspect", ""}, []string{"4026531835", "4026531840", "4026532001"}},
		{"pids", fake, []string{"nsinspect", "--procfs", procfs, "-p", "4"}, []string{"42", "4711"}},
		{"long option", fake, []string{"nsinspect", "--thr"}, []string{"--threads"}},
		{"options", fake, []string{"nsinspect", "-"}, options},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bashComplete(t, bash, tt.path, tt.words...)
			if diff := cmp.Diff(sorted(tt.want), sorted(got)); diff != "" {
				t.Errorf("complete %q (-want +got):\n%s", tt.words, diff)
			}
		})
	}
}

// TestCompletionFish completes for real in fish, with the real binary on
// PATH for the column names.
func TestCompletionFish(t *testing.T) {
	fish := testenv.RequireCommand(t, "fish")
	path := filepath.Dir(testenv.Nsinspect(t)) + ":" + os.Getenv("PATH")
	tests := []struct {
		line string
		want []string
	}{
		{"nsinspect -t ", typeNames()},
		{"nsinspect --tree=", []string{"--tree=owner", "--tree=parent", "--tree=process"}},
		{"nsinspect --graph=", []string{"--graph=dot", "--graph=mermaid"}},
		{"nsinspect -o NS,TY", []string{"NS,TYPE"}},
		{"nsinspect -o +HOST", []string{"+HOST", "+HOSTNAME"}},
		{"nsinspect --fil", []string{"--filter"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, completionFiles["fish"], tt.line)
			cmd.Env = append(os.Environ(), "PATH="+path)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("fish: %v", err)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				got = append(got, strings.SplitN(line, "\t", 2)[0])
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("completing %q offers %q, want %q among them", tt.line, got, w)
				}
			}
		})
	}
}
