package main

// Statements of the documentation that the code could drift away from, each
// checked against what the code does: the man page on bare filter columns,
// the schema on PATH, the README on what the setns columns need.

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/nsinspect/nsinspect/filter"
	"github.com/nsinspect/nsinspect/internal/testenv"
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

// TestDocSetnsColumnsNeedRoot: the README says HOSTNAME, DOMAINNAME, IPCOBJS
// and CGROUPROOT need root for every namespace and are empty otherwise. As
// nobody they are null for every row; as root they are filled for
// nsinspect's own namespaces.
func TestDocSetnsColumnsNeedRoot(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const claim = "HOSTNAME, DOMAINNAME, IPCOBJS and CGROUPROOT are read inside the namespace, after setns(2), so they need root for every namespace, with processes or without; as another user they are empty."
	if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), claim) {
		t.Fatalf("README.md no longer says %q: update this test with it", claim)
	}
	testenv.RequireRoot(t)
	setpriv := testenv.RequireCommand(t, "setpriv")
	check := func(who string, out []byte, wantFilled bool) {
		var doc struct{ Namespaces []map[string]any }
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("%s: invalid JSON: %v\n%s", who, err, out)
		}
		cols := map[string]string{"hostname": "uts", "domainname": "uts", "ipcobjs": "ipc", "cgrouproot": "cgroup"}
		seen := 0
		for _, r := range doc.Namespaces {
			for col, typ := range cols {
				if r["type"] != typ {
					continue
				}
				seen++
				if filled := r[col] != nil; filled != wantFilled {
					t.Errorf("%s: %s of %v is %v, want filled %v", who, col, r["ns"], r[col], wantFilled)
				}
			}
		}
		if seen != len(cols) {
			t.Errorf("%s: saw %d of the %d cells", who, seen, len(cols))
		}
	}
	bin := buildBinary(t)
	// The shell's PID is the one nsinspect runs as, after exec.
	script := `exec "$0" -J -l -p $$ -o NS,TYPE,HOSTNAME,DOMAINNAME,IPCOBJS,CGROUPROOT`
	for _, who := range []struct {
		name   string
		prefix []string
		filled bool
	}{
		{"root", nil, true},
		{"nobody", []string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}, false},
	} {
		argv := append(append(who.prefix, "/bin/sh", "-c", script), bin)
		out, err := exec.Command(argv[0], argv[1:]...).Output()
		if err != nil {
			t.Fatalf("%s: %v", who.name, err)
		}
		check(who.name, out, who.filled)
	}
}
