package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/nsinspect/nsinspect/internal/query"
)

// persona is who nsinspect is to its caller, by the name it was run as:
// itself, or, run as lsns (a symlink or a copy), util-linux's lsns 2.42.2 in
// all that a program can observe (README: "Called as lsns").
type persona struct {
	name string // the prefix of error lines, and the name in "Try '... --help'"
	// argv0 starts getopt's messages: lsns's is its argv[0] as given,
	// as glibc's getopt_long prints it.
	argv0 string
	lsns  bool
}

// lsnsVersion is the release of lsns that nsinspect is, as lsns.
const lsnsVersion = "2.42.2"

func personaOf(argv0 string) persona {
	if filepath.Base(argv0) == "lsns" {
		return persona{name: "lsns", argv0: argv0, lsns: true}
	}
	return persona{name: "nsinspect", argv0: "nsinspect"}
}

// fail prints err, a line of error for each of its lines, and returns the
// exit status 1. A usage error gets getopt's prefix and lsns's pointer to
// --help; an error lsns reports by its status alone gets no line, as lsns.
func (p persona) fail(stderr io.Writer, err error) int {
	var usage *usageError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", p.argv0, err, p.name)
	case errors.Is(err, query.ErrQuiet):
	default:
		for line := range strings.SplitSeq(err.Error(), "\n") {
			fmt.Fprintf(stderr, "%s: %s\n", p.name, line)
		}
	}
	return 1
}

// writeHelp prints --help: lsns 2.42.2's own text, byte for byte, as lsns;
// else nsinspect's, with its own options and the columns.
func (p persona) writeHelp(w io.Writer) {
	var b strings.Builder
	if p.lsns {
		b.WriteString(helpHead("lsns [options] [<namespace ID>]") + lsnsOptionHelp + helpOptionHelp)
		b.WriteString("\nFor more details see lsns(8).\n")
	} else {
		b.WriteString(helpHead("nsinspect [options] [<namespace>]") + lsnsOptionHelp + ownOptionHelp + helpOptionHelp)
		b.WriteString("\nAvailable output columns:\n")
		for _, c := range query.Columns() {
			fmt.Fprintf(&b, " %11s  %s\n", c.Name, c.Help)
		}
		b.WriteString("\nFor more details see README.md.\n")
	}
	io.WriteString(w, b.String())
}

func helpHead(synopsis string) string {
	return "\nUsage:\n " + synopsis + "\n\nList system namespaces.\n\nOptions:\n"
}

// The options in --help: lsns's, in its words; nsinspect's own; and those
// about help, which come last.
const (
	lsnsOptionHelp = ` -J, --json             use JSON output format
 -l, --list             use list format output
 -n, --noheadings       don't print headings
 -o, --output <list>    define which output columns to use
     --output-all       output all columns
 -P, --persistent       namespaces without processes
 -p, --task <pid>       print process namespaces
 -Q, --filter <expr>    apply display filter
 -r, --raw              use the raw output format
 -u, --notruncate       don't truncate text in columns
 -W, --nowrap           don't use multi-line representation
 -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)
 -T, --tree[=<rel>]     use tree format (parent, owner, or process)
`
	ownOptionHelp = `     --threads          also find namespaces that only a thread is in
     --graph[=<format>] draw a graph instead of the list (dot or mermaid)
     --procfs <path>    proc filesystem to inspect (default /proc)
     --rootfs <dir>     the host's root filesystem, where the engines' state is read; default /
     --metrics <file>   write Prometheus metrics to file (- for stdout), no listing
     --interval <time>  with --metrics: scan again every <time> (e.g. 60s) until SIGTERM
`
	helpOptionHelp = `
 -H, --list-columns     list the available columns
 -h, --help             display this help
 -V, --version          display version
`
)

// writeVersion prints --version. As lsns it is lsns's line with
// "(nsinspect)" after the name: scripts that read lsns's version by the
// last word, or by the number after "util-linux", read 2.42.2; one that
// takes the fourth word reads "util-linux" (README: "Called as lsns").
func (p persona) writeVersion(w io.Writer) {
	if p.lsns {
		fmt.Fprintf(w, "lsns (nsinspect) from util-linux %s\n", lsnsVersion)
		return
	}
	io.WriteString(w, versionString())
}
