package render

import (
	"strings"
	"testing"

	"github.com/nsinspect/nsinspect/inspect"
)

// TestNPROCSUnseen checks that NPROCS is empty, not 0, for a namespace in
// which no process was seen where processes were refused or hidden, and that
// a namespace with processes keeps its count, a lower bound then.
func TestNPROCSUnseen(t *testing.T) {
	nobody := inspect.View{InitialUserNS: true}
	root := inspect.View{InitialUserNS: true, SysPtrace: true}
	empty := &inspect.Namespace{ID: 4026532100, Type: inspect.Net}
	member := &inspect.Namespace{ID: 4026532000, Type: inspect.Net, Procs: []*inspect.Process{{PID: 1234}}}
	tests := []struct {
		name      string
		snap      *inspect.Snapshot // nil: no snapshot in the Env
		ns        *inspect.Namespace
		want      any
		wantLines string // the raw output of NS,NPROCS
	}{
		{"no snapshot", nil, empty, 0, "NS NPROCS\n4026532100 0\n"},
		{"complete", &inspect.Snapshot{View: nobody}, empty, 0, "NS NPROCS\n4026532100 0\n"},
		{"refused", &inspect.Snapshot{Denied: 3, View: nobody}, empty, nil, "NS NPROCS\n4026532100 \n"},
		{"hidden", &inspect.Snapshot{View: inspect.View{InitialUserNS: true, Hidepid: inspect.HidepidInvisible}}, empty, nil, "NS NPROCS\n4026532100 \n"},
		{"refused to root", &inspect.Snapshot{Denied: 1, View: root}, empty, 0, "NS NPROCS\n4026532100 0\n"},
		{"refused, with a process", &inspect.Snapshot{Denied: 3, View: nobody}, member, 1, "NS NPROCS\n4026532000 1\n"},
	}
	col := MustColumns("NPROCS")[0]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := Env{Snapshot: tt.snap}
			r := &Row{NS: tt.ns, Proc: tt.ns.Rep()}
			if got := col.value(r, &env); got != tt.want {
				t.Errorf("NPROCS = %#v, want %#v", got, tt.want)
			}
			var b strings.Builder
			o := Options{Format: FormatRaw, Columns: MustColumns("NS", "NPROCS"), Env: env}
			if err := Write(&b, []*Row{r}, o); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.wantLines {
				t.Errorf("raw output %q, want %q", b.String(), tt.wantLines)
			}
		})
	}
}
