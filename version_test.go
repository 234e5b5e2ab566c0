package main

import (
	"bytes"
	"regexp"
	"runtime/debug"
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

// TestDescribeVersion checks where -V's version comes from when make did
// not stamp one: go install records the module's version, go build in a
// checkout a pseudo-version and the revision.
func TestDescribeVersion(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}
	tests := []struct {
		name, version, revision string
		info                    *debug.BuildInfo
		want                    string
	}{
		{"stamped", "1.2.3", "0123abc", &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}}, "nsinspect 1.2.3 (revision 0123abc)\n"},
		{"go install", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}}, "nsinspect v0.4.0\n"},
		{"go build in a checkout", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201140000-abc123+dirty"}, Settings: vcs},
			"nsinspect v0.0.0-20261201140000-abc123+dirty (revision abc123-dirty)\n"},
		{"no build info", "", "", nil, "nsinspect (devel)\n"},
		{"devel", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "nsinspect (devel)\n"},
	}
	for _, tt := range tests {
		if got := describeVersion(tt.version, tt.revision, tt.info); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
