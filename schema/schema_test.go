// Tests of the JSON Schemas of nsinspect's JSON output: that they list the
// column registry's columns with their JSON types, so that they cannot go
// stale, and that what the real binary prints validates.
package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nsinspect/nsinspect/internal/fixture"
	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/internal/testenv"
	"github.com/nsinspect/nsinspect/render"
)

const (
	rowsSchema    = "nsinspect.schema.json"         // nsinspect -J
	columnsSchema = "nsinspect-columns.schema.json" // nsinspect -H -J
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.RemoveBuilt()
	os.Exit(code)
}

// binary is the nsinspect command, built once; it takes the fixture host for
// a proc filesystem by the tree's marker (inspect.FixtureMarker).
func binary(t *testing.T) string { return testenv.Nsinspect(t) }

// run runs nsinspect with args, which must succeed, and returns its output.
func run(t *testing.T, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(binary(t), args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nsinspect %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// compile compiles a schema of this directory; the compiler checks it
// against the draft 2020-12 meta-schema.
func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	s, err := jsonschema.NewCompiler().Compile(name)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return s
}

func validate(s *jsonschema.Schema, doc []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// property is what TestSchemaColumns reads of a schema property.
type property struct {
	Type       any            `json:"type"`
	Items      map[string]any `json:"items"`
	Properties map[string]any `json:"properties"`
	Required   []string       `json:"required"`
	Enum       []any          `json:"enum"`
}

func readSchema(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestSchemaColumns checks that a row has a key for every column of the
// registry, and no other but "children", with the JSON type of the column's
// Kind, or null.
func TestSchemaColumns(t *testing.T) {
	var rows struct {
		Defs struct {
			Row struct {
				Properties map[string]property `json:"properties"`
			} `json:"row"`
		} `json:"$defs"`
	}
	readSchema(t, rowsSchema, &rows)
	props := rows.Defs.Row.Properties

	var want, got []string
	for _, c := range query.Columns() {
		want = append(want, c.JSONKey())
	}
	for key := range props {
		if key != "children" {
			got = append(got, key)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("row keys (-query.Columns() +%s):\n%s", rowsSchema, diff)
	}

	for _, c := range query.Columns() {
		p, ok := props[c.JSONKey()]
		if !ok {
			continue // reported above
		}
		typ := c.Kind.JSONType()
		if diff := cmp.Diff([]any{typ, "null"}, p.Type); diff != "" {
			t.Errorf("%s: type (-want +got):\n%s", c.JSONKey(), diff)
		}
		switch c.Kind {
		case render.Array:
			if p.Items == nil {
				t.Errorf("%s: an array without items", c.JSONKey())
			}
		case render.Object:
			if len(p.Properties) == 0 || len(p.Required) != len(p.Properties) {
				t.Errorf("%s: an object whose keys are not all listed and required", c.JSONKey())
			}
		}
	}
	children := props["children"]
	if children.Type != "array" || children.Items["$ref"] != "#/$defs/row" {
		t.Errorf("children: %+v, want an array of rows", children)
	}

	var cols struct {
		Properties struct {
			Columns struct {
				Items struct {
					Properties map[string]property `json:"properties"`
				} `json:"items"`
			} `json:"lsns-columns"`
		} `json:"properties"`
	}
	readSchema(t, columnsSchema, &cols)
	var wantKinds, gotKinds []string
	for _, k := range []render.Kind{render.String, render.Number, render.Bool, render.Array, render.Object} {
		wantKinds = append(wantKinds, k.String())
	}
	for _, v := range cols.Properties.Columns.Items.Properties["type"].Enum {
		gotKinds = append(gotKinds, fmt.Sprint(v))
	}
	slices.Sort(wantKinds)
	slices.Sort(gotKinds)
	if diff := cmp.Diff(wantKinds, gotKinds); diff != "" {
		t.Errorf("%s: types (-render.Kind +schema):\n%s", columnsSchema, diff)
	}
}

// TestValidateFixture validates nsinspect's output for the fixture host of
// the golden tests.
func TestValidateFixture(t *testing.T) {
	rows, cols := compile(t, rowsSchema), compile(t, columnsSchema)
	root := fixture.Build(t, filepath.Join("..", "testdata", "host.txtar"))
	for _, tc := range []struct {
		name   string
		args   []string
		schema *jsonschema.Schema
		// want is a string the output must hold, so that the case
		// checks what it means to.
		want string
	}{
		{"output-all", []string{"-J", "--output-all"}, rows, `"host": true`},
		{"list output-all", []string{"-J", "-l", "--output-all"}, rows, `"timeoffsets": null`},
		{"tree", []string{"-J"}, rows, `"children": [`},
		{"net", []string{"-J", "-t", "net"}, rows, `"netnsid": `},
		{"persistent", []string{"-J", "-P"}, rows, `"ns": 4026532500`},
		{"nothing", []string{"-J", "-t", "time", "-P"}, rows, `"namespaces": []`},
		{"namespace", []string{"-J", "4026532286"}, rows, `"children": [`},
		{"namespace output-all", []string{"-J", "--output-all", "4026532286"}, rows, `"command": "nginx: master process`},
		{"list-columns", []string{"-H", "-J"}, cols, `"lsns-columns": [`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := run(t, append([]string{"--procfs", root}, tc.args...)...)
			if !bytes.Contains(out, []byte(tc.want)) {
				t.Fatalf("output lacks %q:\n%s", tc.want, out)
			}
			if err := validate(tc.schema, out); err != nil {
				t.Errorf("output does not validate: %v", err)
			}
		})
	}
}

// TestSchemaRejects checks that the schemas reject what nsinspect must not
// print, next to a fix of each document that they accept.
func TestSchemaRejects(t *testing.T) {
	rows, cols := compile(t, rowsSchema), compile(t, columnsSchema)
	for _, tc := range []struct {
		name      string
		schema    *jsonschema.Schema
		bad, good string
	}{
		{"number as string", rows,
			`{"namespaces": [{"ns": "4026531832"}]}`,
			`{"namespaces": [{"ns": 4026531832}]}`},
		{"number as float", rows,
			`{"namespaces": [{"nprocs": 1.5}]}`,
			`{"namespaces": [{"nprocs": 1}]}`},
		{"netnsid as number", rows,
			`{"namespaces": [{"netnsid": 0}]}`,
			`{"namespaces": [{"netnsid": "0"}]}`},
		{"boolean as string", rows,
			`{"namespaces": [{"host": "true"}]}`,
			`{"namespaces": [{"host": true}]}`},
		{"unknown column", rows,
			`{"namespaces": [{"ns": 1, "inode": 1}]}`,
			`{"namespaces": [{"ns": 1}]}`},
		{"upper-case key", rows,
			`{"namespaces": [{"NS": 1}]}`,
			`{"namespaces": [{"ns": 1}]}`},
		{"no list", rows,
			`{}`,
			`{"namespaces": []}`},
		{"id range without count", rows,
			`{"namespaces": [{"uidmap": [{"inside": 0, "outside": 1000}]}]}`,
			`{"namespaces": [{"uidmap": [{"inside": 0, "outside": 1000, "count": 1}]}]}`},
		{"ifaces as string", rows,
			`{"namespaces": [{"ifaces": "lo,eth0"}]}`,
			`{"namespaces": [{"ifaces": ["lo", "eth0"]}]}`},
		{"time offsets as string", rows,
			`{"namespaces": [{"timeoffsets": "monotonic=+3600s,boottime=+0s"}]}`,
			`{"namespaces": [{"timeoffsets": {"monotonic": 3600, "boottime": -0.5}}]}`},
		{"ipc objects with an unknown key", rows,
			`{"namespaces": [{"ipcobjs": {"shm": 1, "sem": 0, "msg": 0, "sock": 1}}]}`,
			`{"namespaces": [{"ipcobjs": {"shm": 1, "sem": 0, "msg": 0}}]}`},
		{"nspid as text", rows,
			`{"namespaces": [{"nspid": "4711/12/1"}]}`,
			`{"namespaces": [{"nspid": [4711, 12, 1]}]}`},
		{"bad child", rows,
			`{"namespaces": [{"ns": 1, "children": [{"pid": "1"}]}]}`,
			`{"namespaces": [{"ns": 1, "children": [{"pid": 1, "children": [{"pid": 2}]}]}]}`},
		{"unknown column type", cols,
			`{"lsns-columns": [{"holder": "NS", "type": "<number>", "description": "x"}]}`,
			`{"lsns-columns": [{"holder": "NS", "type": "<integer>", "description": "x"}]}`},
		{"column without description", cols,
			`{"lsns-columns": [{"holder": "NS", "type": "<integer>"}]}`,
			`{"lsns-columns": [{"holder": "NS", "type": "<integer>", "description": "x"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := validate(tc.schema, []byte(tc.bad)); err == nil {
				t.Errorf("%s validates", tc.bad)
			}
			if err := validate(tc.schema, []byte(tc.good)); err != nil {
				t.Errorf("%s does not validate: %v", tc.good, err)
			}
		})
	}
}
