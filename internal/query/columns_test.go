package query

import (
	"strings"
	"testing"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/render"
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
		snap      *inspect.Snapshot
		ns        *inspect.Namespace
		want      any
		wantLines string // the raw output of NS,NPROCS
	}{
		{"complete", &inspect.Snapshot{View: nobody}, empty, 0, "NS NPROCS\n4026532100 0\n"},
		{"refused", &inspect.Snapshot{Denied: 3, View: nobody}, empty, nil, "NS NPROCS\n4026532100 \n"},
		{"hidden", &inspect.Snapshot{View: inspect.View{InitialUserNS: true, Hidepid: inspect.HidepidInvisible}}, empty, nil, "NS NPROCS\n4026532100 \n"},
		{"refused to root", &inspect.Snapshot{Denied: 1, View: root}, empty, 0, "NS NPROCS\n4026532100 0\n"},
		{"refused, with a process", &inspect.Snapshot{Denied: 3, View: nobody}, member, 1, "NS NPROCS\n4026532000 1\n"},
	}
	cols := mustColumns("NS", "NPROCS")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{snap: tt.snap}
			r := &Row{NS: tt.ns, Proc: tt.ns.Rep()}
			if got := cols[1].value(r, e); got != tt.want {
				t.Errorf("NPROCS = %#v, want %#v", got, tt.want)
			}
			var b strings.Builder
			q := &Query{columns: cols}
			o := render.Options{Format: render.FormatRaw, Columns: []*render.Column{&cols[0].Column, &cols[1].Column}}
			if err := render.Write(&b, q.values([]*Row{r}, e), o); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.wantLines {
				t.Errorf("raw output %q, want %q", b.String(), tt.wantLines)
			}
		})
	}
}
