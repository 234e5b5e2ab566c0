package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/render"
)

// output is what a run prints: one choice, made by newPlan.
type output uint8

const (
	outList    output = iota // the listing, in plan.render.Format
	outGraph                 // --graph
	outColumns               // -H, in plan.render.Format
	outMetrics               // --metrics
	outHelp
	outVersion
)

// plan is everything the command line and the environment decide about a
// run's output, decided in one place before anything is scanned: what is
// printed, in which format and layout, and who says it (persona).
type plan struct {
	who    persona
	output output
	// render is the layout of the listing and of -H: the format, the
	// JSON style (LIBSMARTCOLS_JSON, read here alone), headings,
	// wrapping, glyphs, truncation. The query adds the columns, the
	// width the terminal.
	render render.Options
	// sizeToTerminal cuts and widens a table to the terminal that stdout
	// is, as libsmartcols does; output elsewhere is never cut.
	sizeToTerminal bool
	opts           *options
	getenv         func(string) string
}

// newPlan makes the plan of o, as who, with the environment getenv.
func newPlan(o *options, who persona, getenv func(string) string) (*plan, error) {
	p := &plan{who: who, opts: o, getenv: getenv, render: render.Options{
		Format:     render.FormatTable,
		NoHeadings: o.noHeadings,
		NoWrap:     o.noWrap || o.raw,
		NoTrunc:    o.noTrunc,
		ASCII:      !utf8Locale(getenv),
		Name:       "namespaces",
		JSON:       render.ParseJSONStyle(getenv("LIBSMARTCOLS_JSON")),
		LsnsEmpty:  who.lsns,
	}}
	switch {
	case o.json:
		p.render.Format = render.FormatJSON
	case o.raw:
		p.render.Format = render.FormatRaw
	}
	p.sizeToTerminal = p.render.Format == render.FormatTable
	switch {
	case o.help:
		p.output = outHelp
	case o.version:
		p.output = outVersion
	case o.listColumns:
		p.output = outColumns
	case o.given("metrics") && o.metrics == "":
		return nil, errors.New("--metrics needs a file name, or - for standard output")
	case o.given("metrics") && (o.interval < 0 || (o.given("interval") && o.interval == 0)):
		return nil, fmt.Errorf("--interval must be positive: %v", o.interval)
	case o.given("metrics"):
		p.output = outMetrics
	case o.given("interval"):
		return nil, errors.New("--interval goes with --metrics")
	case o.query.GraphGiven:
		p.output = outGraph
	}
	return p, nil
}

// columns are the columns -H lists: lsns's as lsns, else every one.
func (p *plan) columns() []*render.Column {
	if p.who.lsns {
		return query.LsnsColumns()
	}
	return query.Columns()
}

// scanFacts are what a scan knows of what it could not see.
type scanFacts interface {
	Shortfall() string // processes refused or hidden, and why; "" if none
	NotEntered() int   // namespaces that could not be entered
	Skipped() []string // reads given up as stalled
}

// verdict is what the error of a listing's query makes of the run: the
// lines it says on stderr, and whether it ends the run, with which exit
// status. An owner or parent tree that the kernel cannot relate ends it
// with 2, as lsns; other relations unknown are said, and the rows printed.
func (p *plan) verdict(err error, treeNeedsRelations bool) (lines []string, end bool, status int) {
	switch {
	case err == nil:
		return nil, false, 0
	case errors.Is(err, inspect.ErrNoNSIoctl) && treeNeedsRelations:
		return []string{fmt.Sprintf("--tree=%s: %s", strings.TrimPrefix(p.opts.query.Tree, "="), err)}, true, 2
	case errors.Is(err, inspect.ErrNoNSIoctl) && p.who.lsns:
		return nil, false, 0
	case errors.Is(err, inspect.ErrNoNSIoctl):
		return []string{"parents and owners are unknown: " + err.Error()}, false, 0
	}
	return strings.Split(err.Error(), "\n"), true, 1
}

// notices are the lines a listing adds on stderr about what its scan could
// not see; as lsns, none: lsns says nothing of it, and scripts that read
// stderr with stdout (2>&1) must still read its output.
func (p *plan) notices(f scanFacts) []string {
	if p.who.lsns {
		return nil
	}
	var lines []string
	if why := f.Shortfall(); why != "" {
		consequence := "NPROCS counts only the processes seen, and is empty where none was"
		if p.opts.query.Persistent {
			consequence = "the list may be incomplete, and its namespaces may have processes not seen"
		}
		lines = append(lines, why+"; "+consequence)
	}
	if n := f.NotEntered(); n > 0 {
		lines = append(lines, fmt.Sprintf("%d namespaces could not be entered (permission denied): what only their inside shows (%s) is empty; run as root", n, strings.Join(query.InsideColumns(), ", ")))
	}
	if skipped := f.Skipped(); len(skipped) > 0 {
		lines = append(lines, fmt.Sprintf("skipped what did not answer within %v (a stalled filesystem?): %s",
			inspect.DefaultStallTimeout, strings.Join(skipped, ", ")))
	}
	return lines
}
