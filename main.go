// Command nsinspect lists Linux namespaces: a drop-in for util-linux's lsns
// that finds more and shows what is inside them. Run as lsns, it is lsns.
package main

import (
	"io"
	"os"
)

// version and revision are set at build time by make:
// -ldflags "-X main.version=... -X main.revision=...". Without them, the
// versions the go command records stand in (versionString).
var version, revision string

func main() { os.Exit(runAs(os.Args[0], os.Args[1:], os.Stdout, os.Stderr)) }

// run is nsinspect run by its own name.
func run(args []string, stdout, stderr io.Writer) int {
	return runAs("nsinspect", args, stdout, stderr)
}

// runAs runs the command line args of the program named argv0: the plan
// of its output, then that output.
func runAs(argv0 string, args []string, stdout, stderr io.Writer) int {
	who := personaOf(argv0)
	o, err := parseFlags(args, who)
	if err != nil {
		return who.fail(stderr, err)
	}
	p, err := newPlan(o, who, os.Getenv)
	if err != nil {
		return who.fail(stderr, err)
	}
	return p.run(stdout, stderr)
}
