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
	}
	for _, tt := range tests {
		var o options
		words, given, err := getopt(newFlagSet(&o), tt.args)
		if err != nil || !slices.Equal(words, tt.want) || !slices.Equal(given, tt.given) {
			t.Errorf("getopt(%q) = %q, %q, %v; want %q, %q", tt.args, words, given, err, tt.want, tt.given)
		}
	}
}
