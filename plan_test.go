package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/render"
)

// planOf parses args as who and plans them, in the environment env.
func planOf(t *testing.T, who persona, env map[string]string, args ...string) *plan {
	t.Helper()
	o, err := parseFlags(args, who)
	if err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	p, err := newPlan(o, who, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return p
}

// TestPlanOutput: the output and its format are one choice, made from the
// options and the environment alone.
func TestPlanOutput(t *testing.T) {
	ns := personaOf("nsinspect")
	utf8 := map[string]string{"LANG": "en_US.UTF-8"}
	for _, tt := range []struct {
		args     []string
		env      map[string]string
		output   output
		format   render.Format
		json     render.JSONStyle
		noWrap   bool
		ascii    bool
		terminal bool
	}{
		{nil, utf8, outList, render.FormatTable, render.JSONPretty, false, false, true},
		{nil, nil, outList, render.FormatTable, render.JSONPretty, false, true, true},
		{[]string{"-r"}, utf8, outList, render.FormatRaw, render.JSONPretty, true, false, false},
		{[]string{"-J"}, map[string]string{"LIBSMARTCOLS_JSON": "lines", "LC_ALL": "C"}, outList, render.FormatJSON, render.JSONLines, false, true, false},
		{[]string{"-J", "-W"}, utf8, outList, render.FormatJSON, render.JSONPretty, true, false, false},
		{[]string{"-H", "-J"}, map[string]string{"LIBSMARTCOLS_JSON": "compact"}, outColumns, render.FormatJSON, render.JSONCompact, false, true, false},
		{[]string{"--graph"}, utf8, outGraph, render.FormatTable, render.JSONPretty, false, false, true},
		{[]string{"--metrics", "-"}, utf8, outMetrics, render.FormatTable, render.JSONPretty, false, false, true},
		{[]string{"-J", "-V"}, utf8, outVersion, render.FormatJSON, render.JSONPretty, false, false, false},
		{[]string{"-V", "-J"}, utf8, outVersion, render.FormatTable, render.JSONPretty, false, false, true},
		{[]string{"-h", "--bogus"}, utf8, outHelp, render.FormatTable, render.JSONPretty, false, false, true},
	} {
		p := planOf(t, ns, tt.env, tt.args...)
		got := []any{p.output, p.render.Format, p.render.JSON, p.render.NoWrap, p.render.ASCII, p.sizeToTerminal}
		want := []any{tt.output, tt.format, tt.json, tt.noWrap, tt.ascii, tt.terminal}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q with %v (-want +got):\n%s", tt.args, tt.env, diff)
		}
	}
}

// TestPlanRefuses: the metrics options that do not go together are refused
// by the plan, before anything is scanned.
func TestPlanRefuses(t *testing.T) {
	for args, want := range map[string][]string{
		"--metrics needs a file name, or - for standard output": {"--metrics", ""},
		"--interval must be positive: 0s":                       {"--metrics", "-", "--interval", "0s"},
		"--interval goes with --metrics":                        {"--interval", "1s"},
	} {
		o, err := parseFlags(want, personaOf("nsinspect"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := newPlan(o, personaOf("nsinspect"), func(string) string { return "" }); err == nil || err.Error() != args {
			t.Errorf("%q: error %v, want %q", want, err, args)
		}
	}
}

// facts is a scan's shortfall, as the plan reads it.
type facts struct {
	shortfall  string
	notEntered int
	skipped    []string
}

func (f facts) Shortfall() string { return f.shortfall }
func (f facts) NotEntered() int   { return f.notEntered }
func (f facts) Skipped() []string { return f.skipped }

// TestPlanNotices: what a listing says on stderr of what it could not see,
// nothing as lsns.
func TestPlanNotices(t *testing.T) {
	all := facts{"3 processes could not be read (permission denied)", 2, []string{"/proc/7/fd/3"}}
	want := []string{
		"3 processes could not be read (permission denied); NPROCS counts only the processes seen, and is empty where none was",
		"2 namespaces could not be entered (permission denied): what only their inside shows (HOSTNAME, DOMAINNAME, IPCOBJS, CGROUPROOT) is empty; run as root",
		fmt.Sprintf("skipped what did not answer within %v (a stalled filesystem?): /proc/7/fd/3", inspect.DefaultStallTimeout),
	}
	if diff := cmp.Diff(want, planOf(t, personaOf("nsinspect"), nil).notices(all)); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	persistent := planOf(t, personaOf("nsinspect"), nil, "-P").notices(facts{shortfall: "hidepid=2"})
	if diff := cmp.Diff([]string{"hidepid=2; the list may be incomplete, and its namespaces may have processes not seen"}, persistent); diff != "" {
		t.Errorf("-P notices (-want +got):\n%s", diff)
	}
	if got := planOf(t, personaOf("nsinspect"), nil).notices(facts{}); got != nil {
		t.Errorf("a complete scan: notices %q, want none", got)
	}
	if got := planOf(t, personaOf("/usr/bin/lsns"), nil).notices(all); got != nil {
		t.Errorf("as lsns: notices %q, want none", got)
	}
}

// TestPlanVerdict: an owner or parent tree the kernel cannot draw ends the
// run with 2, as lsns; relations unknown elsewhere are said, and the rows
// printed; any other error ends the run with 1.
func TestPlanVerdict(t *testing.T) {
	noIoctl := fmt.Errorf("%w (kernel 4.8)", inspect.ErrNoNSIoctl)
	for _, tt := range []struct {
		who   string
		args  []string
		err   error
		tree  bool
		lines []string
		end   bool
		code  int
	}{
		{"nsinspect", nil, nil, false, nil, false, 0},
		{"nsinspect", []string{"-Tparent"}, noIoctl, true, []string{"--tree=parent: " + noIoctl.Error()}, true, 2},
		{"nsinspect", []string{"--tree==owner"}, noIoctl, true, []string{"--tree=owner: " + noIoctl.Error()}, true, 2},
		{"lsns", []string{"-Tparent"}, noIoctl, true, []string{"--tree=parent: " + noIoctl.Error()}, true, 2},
		{"nsinspect", []string{"-o", "PNS"}, noIoctl, false, []string{"parents and owners are unknown: " + noIoctl.Error()}, false, 0},
		{"lsns", []string{"-o", "PNS"}, noIoctl, false, nil, false, 0},
		{"nsinspect", nil, errors.New("no such process: 5"), false, []string{"no such process: 5"}, true, 1},
		{"lsns", nil, errors.New("unknown column: X\nfailed to initialize filter"), false, []string{"unknown column: X", "failed to initialize filter"}, true, 1},
	} {
		lines, end, code := planOf(t, personaOf(tt.who), nil, tt.args...).verdict(tt.err, tt.tree)
		if diff := cmp.Diff([]any{tt.lines, tt.end, tt.code}, []any{lines, end, code}); diff != "" {
			t.Errorf("%s %q, %v (-want +got):\n%s", tt.who, tt.args, tt.err, diff)
		}
	}
}
