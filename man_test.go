package main

// The manual page man/nsinspect.8 is written by hand in roff. This test
// renders it with groff, as man(1) does, fails on any warning, and checks
// that it documents every option of newFlagSet and every column of the
// registry with its JSON type.

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/internal/testenv"
)

const manPage = "man/nsinspect.8"

// groffMan renders the page with groff's man macros and extra arguments,
// and fails t on an error or anything on stderr: with -ww, every warning.
func groffMan(t *testing.T, groff string, args ...string) string {
	t.Helper()
	cmd := exec.Command(groff, append(append([]string{"-t", "-man", "-ww"}, args...), manPage)...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("groff %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func TestManPage(t *testing.T) {
	groff := testenv.RequireCommand(t, "groff")
	// As man(1) renders it for a UTF-8 terminal; -z: the warnings only.
	groffMan(t, groff, "-Tutf8", "-z")
	// Plain text (no bold, no underline), never hyphenated, to check.
	text := groffMan(t, groff, "-Tascii", "-P-cbou", "-rHY=0")

	section := func(name string) string {
		_, rest, ok := strings.Cut(text, "\n"+name+"\n")
		if !ok {
			t.Fatalf("%s has no section %s", manPage, name)
		}
		// The next section heading starts in column 1.
		if i := regexp.MustCompile(`\n[A-Z]`).FindStringIndex(rest); i != nil {
			rest = rest[:i[0]]
		}
		return rest
	}
	for _, name := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "OUTPUT COLUMNS",
		"FILTER", "NOTES", "EXAMPLES", "EXIT STATUS", "SEE ALSO"} {
		section(name)
	}

	// Each option heads an item of OPTIONS: "-J, --json", "--output-all",
	// "-T, --tree[=rel]", "--procfs path".
	opts := section("OPTIONS")
	newFlagSet(&options{}).VisitAll(func(f *pflag.Flag) {
		item := "--" + regexp.QuoteMeta(f.Name)
		if f.Shorthand != "" {
			item = "-" + regexp.QuoteMeta(f.Shorthand) + ", " + item
		}
		if !regexp.MustCompile(`(?m)^ +` + item + `(?:[ \[]|$)`).MatchString(opts) {
			t.Errorf("%s: OPTIONS has no item %q", manPage, strings.ReplaceAll(item, `\`, ""))
		}
	})

	// Each column heads an item of OUTPUT COLUMNS with its JSON type:
	// "NS (integer)", as -H and the schema name it.
	cols := section("OUTPUT COLUMNS")
	for _, c := range query.Columns() {
		item := fmt.Sprintf("%s (%s)", c.Name, c.Kind.JSONType())
		if !regexp.MustCompile(`(?m)^ +` + regexp.QuoteMeta(item) + `$`).MatchString(cols) {
			t.Errorf("%s: OUTPUT COLUMNS has no item %q", manPage, item)
		}
	}

	for _, code := range []string{"0", "1", "2"} {
		if !regexp.MustCompile(`(?m)^ +` + code + ` +\S`).MatchString(section("EXIT STATUS")) {
			t.Errorf("%s: EXIT STATUS does not explain %s", manPage, code)
		}
	}
	seeAlso := strings.Join(strings.Fields(section("SEE ALSO")), " ")
	for _, page := range []string{"lsns(8)", "nsenter(1)", "unshare(1)", "namespaces(7)"} {
		if !strings.Contains(seeAlso, page) {
			t.Errorf("%s: SEE ALSO lacks %s", manPage, page)
		}
	}
}
