package main

import (
	"fmt"
	"io"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/nsinspect/nsinspect/render"
)

// run carries out the plan and returns the exit status.
func (p *plan) run(stdout, stderr io.Writer) int {
	switch p.output {
	case outHelp:
		p.who.writeHelp(stdout)
		return 0
	case outVersion:
		p.who.writeVersion(stdout)
		return 0
	case outColumns:
		if err := render.WriteColumnList(stdout, p.columns(), p.render.Format, p.render.JSON); err != nil {
			return p.who.fail(stderr, err)
		}
		return 0
	case outMetrics:
		return p.writeMetrics(stdout, stderr)
	}
	return p.list(stdout, stderr)
}

// list scans, queries and prints the listing or the graph.
func (p *plan) list(stdout, stderr io.Writer) int {
	q, err := query.New(p.opts.query)
	if err != nil {
		return p.who.fail(stderr, err)
	}
	scan := q.ScanOptions()
	snap, err := inspect.Scan(scan)
	if err != nil {
		return p.who.fail(stderr, err)
	}
	res, err := q.Run(snap, nil)
	lines, end, status := p.verdict(err, q.TreeNeedsRelations())
	if !end {
		// After the errors: a failed run prints only what ended it.
		lines = append(lines, p.notices(snap)...)
	}
	for _, line := range lines {
		fmt.Fprintf(stderr, "%s: %s\n", p.who.name, line)
	}
	if end {
		return status
	}
	if p.output == outGraph {
		err = render.WriteGraph(stdout, res.Graph, res.GraphFormat)
	} else {
		ro := p.render
		ro.Columns, ro.Tree = res.Columns, res.Tree
		if p.sizeToTerminal {
			ro.Width = terminalWidth(stdout, p.getenv)
		}
		err = render.Write(stdout, res.Rows, ro)
	}
	if err != nil {
		return p.who.fail(stderr, err)
	}
	return 0
}
