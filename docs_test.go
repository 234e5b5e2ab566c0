package main

// Statements of the documentation that the code could drift away from, each
// checked against what the code does: the man page on bare filter columns,
// the schema on PATH, the README on what the setns columns need.

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/nsinspect/nsinspect/internal/filter"
)

// TestDocBareFilterColumn: the man page says a bare number column means
// "not zero" and a bare column "not empty"; the filter must do so.
func TestDocBareFilterColumn(t *testing.T) {
	page, err := os.ReadFile(manPage)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(page)), " ")
	const claim = "A bare column name means that the column is not empty; for a number column, not zero"
	if !strings.Contains(text, claim) {
		t.Fatalf("%s no longer says %q: update this test with the page", manPage, claim)
	}
	if strings.Contains(text, `bare number column means "not empty"`) {
		t.Errorf("%s still lists the bare number column among the differences", manPage)
	}
	for _, tc := range []struct {
		expr  string
		value any
		want  bool
	}{
		{"NPROCS", int64(0), false}, {"NPROCS", int64(3), true}, {"NPROCS", nil, false},
		{"COMMAND", "", false}, {"COMMAND", "sh", true}, {"COMMAND", nil, false},
	} {
		f, err := filter.Parse(tc.expr, func(name string) (filter.Kind, bool) {
			if name == "NPROCS" {
				return filter.Number, true
			}
			return filter.String, true
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Match(func(string) any { return tc.value }); got != tc.want {
			t.Errorf("-Q %s on %#v: %v, want %v as the man page says", tc.expr, tc.value, got, tc.want)
		}
	}
}

// TestDocSchemaPath: the schema must not claim that PATH is null for every
// namespace without processes: a bind-mounted one has a path (checked live
// in TestDiscoveryNSFSAndNetNSID and schema's TestValidateLive).
func TestDocSchemaPath(t *testing.T) {
	data, err := os.ReadFile("schema/nsinspect.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"path": \{\s*"description": "([^"]*)"`).FindSubmatch(data)
	if m == nil {
		t.Fatal("the schema has no description of path")
	}
	desc := string(m[1])
	if !strings.Contains(desc, "bind mount") || !strings.Contains(desc, "/proc/PID/fd/N") {
		t.Errorf("path is described as %q: it must say that a holder's path stands for a namespace without processes", desc)
	}
}
