package main

import (
	"slices"
	"testing"
)

// TestGetopt checks the words getopt hands pflag for what getopt_long(3)
// accepts, and the options it reports given, in order.
func TestGetopt(t *testing.T) {
	tests := []struct {
		args, want, given []string
	}{
		{[]string{"-Tparent"}, []string{"--tree=parent"}, []string{"tree"}},
		{[]string{"-T=parent"}, []string{"--tree==parent"}, []string{"tree"}},
		{[]string{"-T", "parent"}, []string{"--tree", "parent"}, []string{"tree"}},
		{[]string{"--tree", "-l"}, []string{"--tree", "--list"}, []string{"tree", "list"}},
		{[]string{"-lTparent"}, []string{"--list", "--tree=parent"}, []string{"list", "tree"}},
		{[]string{"-p1"}, []string{"--task=1"}, []string{"task"}},
		{[]string{"-p", "-1"}, []string{"--task=-1"}, []string{"task"}},
		{[]string{"-Jlo", "NS"}, []string{"--json", "--list", "--output=NS"}, []string{"json", "list", "output"}},
		{[]string{"-oNS,TYPE"}, []string{"--output=NS,TYPE"}, []string{"output"}},
		{[]string{"-p", ""}, []string{"--task="}, []string{"task"}},
		{[]string{"--js", "--fil", "NS"}, []string{"--json", "--filter=NS"}, []string{"json", "filter"}},
		{[]string{"--output-a"}, []string{"--output-all"}, []string{"output-all"}},
		{[]string{"--output-all"}, []string{"--output-all"}, []string{"output-all"}},
		{[]string{"--tree="}, []string{"--tree="}, []string{"tree"}},
		{[]string{"4026531836", "-l"}, []string{"4026531836", "--list"}, []string{"list"}},
		{[]string{"-", "-l"}, []string{"-", "--list"}, []string{"list"}},
		{[]string{"-l", "--", "-1", "-J"}, []string{"--list", "--", "-1", "-J"}, []string{"list"}},
		// lsns acts on --help and --version as it meets them: what
		// follows is not read, a bad option included.
		{[]string{"-h", "--bogus"}, []string{"--help"}, []string{"help"}},
		{[]string{"-lVx"}, []string{"--list", "--version"}, []string{"list", "version"}},
		{[]string{"-J", "--vers", "-x"}, []string{"--json", "--version"}, []string{"json", "version"}},
		{[]string{"-ph"}, []string{"--task=h"}, []string{"task"}},
		{[]string{"--th"}, []string{"--threads"}, []string{"threads"}},
	}
	for _, tt := range tests {
		var o options
		words, given, err := getopt(newFlagSet(&o), tt.args, nil)
		if err != nil || !slices.Equal(words, tt.want) || !slices.Equal(given, tt.given) {
			t.Errorf("getopt(%q) = %q, %q, %v; want %q, %q", tt.args, words, given, err, tt.want, tt.given)
		}
	}
}

// TestGetoptAsLsns: as lsns, only lsns's options may be abbreviated, so
// that an abbreviation is refused, or ambiguous, as lsns refuses it; the
// options beyond lsns's work by their full names.
func TestGetoptAsLsns(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		want    []string
		wantErr string
	}{
		{[]string{"--th"}, nil, "unrecognized option '--th'"},
		{[]string{"--t"}, nil, "option '--t' is ambiguous; possibilities: '--task' '--type' '--tree'"},
		{[]string{"--gr"}, nil, "unrecognized option '--gr'"},
		{[]string{"--threads", "--js"}, []string{"--threads", "--json"}, ""},
		{[]string{"--graph=mermaid"}, []string{"--graph=mermaid"}, ""},
	} {
		var o options
		words, _, err := getopt(newFlagSet(&o), tt.args, lsnsOptions)
		switch {
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("getopt(%q) as lsns: error %v, want %q", tt.args, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || !slices.Equal(words, tt.want)):
			t.Errorf("getopt(%q) as lsns = %q, %v; want %q", tt.args, words, err, tt.want)
		}
	}
}
