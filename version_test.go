package main

import (
	"bytes"
	"regexp"
	"testing"
)

// TestVersion checks -V: the version, and the revision make stamps in.
func TestVersion(t *testing.T) {
	defer func(v, r string) { version, revision = v, r }(version, revision)
	version, revision = "1.2.3", "0123abc"
	for _, flag := range []string{"-V", "--version"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{flag}, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
			t.Fatalf("%s: exit %d, stderr %q", flag, code, stderr.String())
		}
		want := regexp.MustCompile(`^nsinspect 1\.2\.3 \(revision 0123abc(-dirty)?\)\n$`)
		if !want.MatchString(stdout.String()) {
			t.Errorf("%s printed %q, want %v", flag, stdout.String(), want)
		}
	}
}
