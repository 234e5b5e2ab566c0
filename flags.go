package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/nsinspect/nsinspect/inspect"
	"github.com/nsinspect/nsinspect/internal/query"
	"github.com/spf13/pflag"
)

// options are the parsed command line: how to print, and the query.
type options struct {
	json, noHeadings, raw, noTrunc, noWrap bool
	listColumns, help, version             bool
	metrics                                string
	interval                               time.Duration
	procfs, rootfs                         string
	query                                  query.Options
	// given reports whether the option of that long name was given.
	given func(name string) bool
}

// parseFlags reads the command line as who reads it: as lsns, only lsns's
// options may be abbreviated, and operands after the first are ignored.
func parseFlags(args []string, who persona) (*options, error) {
	var o options
	fs := newFlagSet(&o)
	var abbreviable map[string]bool
	if who.lsns {
		abbreviable = lsnsOptions
	}
	words, given, err := getopt(fs, args, abbreviable)
	if err != nil {
		return nil, err
	}
	if err := fs.Parse(words); err != nil {
		return nil, err
	}
	if err := checkExclusive(given); err != nil {
		return nil, err
	}
	// An empty value is a value: -p '' is no PID, not "no -p".
	o.given = fs.Changed
	o.query.TreeGiven, o.query.TaskGiven, o.query.OutputGiven = fs.Changed("tree"), fs.Changed("task"), fs.Changed("output")
	o.query.GraphGiven = fs.Changed("graph")
	o.query.Procfs, o.query.RootFS = o.procfs, o.rootfs
	o.query.Lsns = who.lsns
	switch {
	case fs.NArg() == 0:
	case fs.NArg() == 1 || who.lsns:
		o.query.Namespace = fs.Arg(0)
	default:
		return nil, fmt.Errorf("too many arguments: %s", strings.Join(fs.Args()[1:], " "))
	}
	return &o, nil
}

// newFlagSet declares the options, binding them to o. The help text is
// written by hand (persona.writeHelp), in util-linux's style.
func newFlagSet(o *options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("nsinspect", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	// In lsns's order (getopt_long's table), which names the candidates
	// of an ambiguous abbreviation; ours after.
	fs.BoolVarP(&o.json, "json", "J", false, "")
	fs.StringVarP(&o.query.Task, "task", "p", "", "")
	fs.BoolVarP(&o.help, "help", "h", false, "")
	fs.StringVarP(&o.query.Output, "output", "o", "", "")
	fs.BoolVar(&o.query.OutputAll, "output-all", false, "")
	fs.BoolVarP(&o.query.Persistent, "persistent", "P", false, "")
	fs.StringVarP(&o.query.Filter, "filter", "Q", "", "")
	fs.BoolVarP(&o.noTrunc, "notruncate", "u", false, "")
	fs.BoolVarP(&o.version, "version", "V", false, "")
	fs.BoolVarP(&o.noHeadings, "noheadings", "n", false, "")
	fs.BoolVarP(&o.noWrap, "nowrap", "W", false, "")
	fs.BoolVarP(&o.query.List, "list", "l", false, "")
	fs.BoolVarP(&o.raw, "raw", "r", false, "")
	fs.StringArrayVarP(&o.query.Types, "type", "t", nil, "")
	fs.StringVarP(&o.query.Tree, "tree", "T", "", "")
	fs.Lookup("tree").NoOptDefVal = "owner"
	fs.BoolVarP(&o.listColumns, "list-columns", "H", false, "")
	// nsinspect's own options.
	fs.BoolVar(&o.query.Threads, "threads", false, "")
	fs.StringVar(&o.query.Graph, "graph", "", "")
	fs.Lookup("graph").NoOptDefVal = "dot"
	fs.StringVar(&o.metrics, "metrics", "", "")
	fs.DurationVar(&o.interval, "interval", 0, "")
	fs.StringVar(&o.procfs, "procfs", inspect.DefaultRoot, "")
	// Empty is "/" (inspect.Options.RootFS), and for a fixture tree none.
	fs.StringVar(&o.rootfs, "rootfs", "", "")
	return fs
}

// lsnsOptions are the long options of lsns 2.42.
var lsnsOptions = map[string]bool{
	"json": true, "task": true, "help": true, "output": true, "output-all": true,
	"persistent": true, "filter": true, "notruncate": true, "version": true,
	"noheadings": true, "nowrap": true, "list": true, "raw": true, "type": true,
	"tree": true, "list-columns": true,
}

// versionString is what -V prints: the version and revision make stamped
// in, else those the go command recorded.
func versionString() string {
	info, _ := debug.ReadBuildInfo()
	return describeVersion(version, revision, info)
}

// describeVersion names a build: by the version stamped in, else the module
// version `go install ...@vX` records, else "(devel)"; and by the VCS
// revision stamped in, else the one `go build` in a checkout records
// (unless -buildvcs=false), marked -dirty for a modified tree.
func describeVersion(version, revision string, info *debug.BuildInfo) string {
	modified := false
	if info != nil {
		if version == "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && revision == "":
				revision = s.Value
			case s.Key == "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if version == "" {
		version = "(devel)"
	}
	v := "nsinspect " + version
	if revision != "" {
		if modified {
			revision += "-dirty"
		}
		v += " (revision " + revision + ")"
	}
	return v + "\n"
}
