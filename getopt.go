package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// lsns parses its command line with getopt_long(3), and scripts written for
// it rely on what that accepts: an optional argument in the same word
// (-Tparent, -T=parent), a required one in the same word or the next
// (-p1, -p 1), clustered short options (-lnJ), unambiguous abbreviations of
// long options (--js), and options after operands. pflag differs on each of
// those (it reads -Tparent as -T -p arent), so the command line is first
// rewritten here into the long form pflag takes as meant (--tree=parent),
// and what getopt_long would refuse is refused here, in its words.

// usageError is a command line that getopt_long would refuse; lsns follows
// its message with a pointer to --help.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// argKind is how an option takes its argument.
type argKind uint8

const (
	noArg argKind = iota
	requiredArg
	optionalArg // only in the same word
)

func kindOf(f *pflag.Flag) argKind {
	switch {
	case f.Value.Type() == "bool":
		return noArg
	case f.NoOptDefVal != "":
		return optionalArg
	}
	return requiredArg
}

// getopt rewrites args as getopt_long(3) reads them into "--name" and
// "--name=value" words and operands, for fs to parse, and returns the long
// names of the options given, in order. It stops at --help or --version, as
// lsns does, which acts on them as it meets them: what follows is not read.
// Where abbreviable is not nil, only the long options it names may be
// abbreviated: as lsns, nsinspect's own options are taken by their full
// names alone, so that an abbreviation means what it means to lsns.
func getopt(fs *pflag.FlagSet, args []string, abbreviable map[string]bool) (out, given []string, err error) {
	stop := false
	add := func(f *pflag.Flag, value string, hasValue bool) {
		stop = f.Name == "help" || f.Name == "version"
		given = append(given, f.Name)
		if hasValue {
			out = append(out, "--"+f.Name+"="+value)
		} else {
			out = append(out, "--"+f.Name)
		}
	}
	for i := 0; i < len(args) && !stop; i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return append(out, args[i:]...), given, nil
		case strings.HasPrefix(arg, "--"):
			name, value, hasValue := strings.Cut(arg[2:], "=")
			f, err := lookupLong(fs, name, arg, abbreviable)
			if err != nil {
				return nil, nil, err
			}
			switch kindOf(f) {
			case noArg:
				if hasValue {
					return nil, nil, usageErrorf("option '--%s' doesn't allow an argument", f.Name)
				}
			case requiredArg:
				if !hasValue {
					if i+1 == len(args) {
						return nil, nil, usageErrorf("option '--%s' requires an argument", f.Name)
					}
					i++
					value, hasValue = args[i], true
				}
			}
			add(f, value, hasValue)
		case len(arg) > 1 && arg[0] == '-':
		cluster:
			for j := 1; j < len(arg); j++ {
				f := fs.ShorthandLookup(arg[j : j+1])
				if f == nil {
					return nil, nil, usageErrorf("invalid option -- '%c'", arg[j])
				}
				rest := arg[j+1:]
				switch kindOf(f) {
				case noArg:
					add(f, "", false)
					if stop {
						break cluster
					}
					continue
				case requiredArg:
					if rest == "" {
						if i+1 == len(args) {
							return nil, nil, usageErrorf("option requires an argument -- '%c'", arg[j])
						}
						i++
						rest = args[i]
					}
					add(f, rest, true)
				case optionalArg:
					add(f, rest, rest != "")
				}
				break cluster // the rest of the word was the argument
			}
		default:
			out = append(out, arg)
		}
	}
	return out, given, nil
}

// lookupLong finds the long option name stands for: itself, or the one
// option (of those abbreviable names, if not nil) it is a prefix of.
func lookupLong(fs *pflag.FlagSet, name, arg string, abbreviable map[string]bool) (*pflag.Flag, error) {
	if f := fs.Lookup(name); f != nil && name != "" {
		return f, nil
	}
	var matches []*pflag.Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if name != "" && strings.HasPrefix(f.Name, name) && (abbreviable == nil || abbreviable[f.Name]) {
			matches = append(matches, f)
		}
	})
	switch len(matches) {
	case 0:
		return nil, usageErrorf("unrecognized option '%s'", arg)
	case 1:
		return matches[0], nil
	}
	var names []string // in the order of declaration, as getopt_long's table
	for _, f := range matches {
		names = append(names, "'--"+f.Name+"'")
	}
	return nil, usageErrorf("option '--%s' is ambiguous; possibilities: %s", name, strings.Join(names, " "))
}

// exclusive are the options refused together, as pairs: lsns's, then
// --graph's with those that ask for another output or another shape of it.
var exclusive = [][2]string{
	{"json", "raw"}, {"persistent", "task"},
	{"graph", "json"}, {"graph", "raw"}, {"graph", "output"}, {"graph", "output-all"},
	{"graph", "tree"}, {"graph", "metrics"},
}

// checkExclusive refuses two options of a pair, naming them in the order
// they were given, as lsns does.
func checkExclusive(given []string) error {
	for _, pair := range exclusive {
		a, b := slices.Index(given, pair[0]), slices.Index(given, pair[1])
		if a < 0 || b < 0 {
			continue
		}
		if b < a {
			pair[0], pair[1] = pair[1], pair[0]
		}
		return fmt.Errorf("options --%s and --%s cannot be combined", pair[0], pair[1])
	}
	return nil
}
