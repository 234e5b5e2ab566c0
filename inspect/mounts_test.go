package inspect

import (
	"strings"
	"testing"
)

func TestUnescapeMountPath(t *testing.T) {
	tests := map[string]string{
		`/run/netns/x`:           "/run/netns/x",
		`/tmp/a\040b`:            "/tmp/a b",
		`/tmp/tab\011nl\012end`:  "/tmp/tab\tnl\nend",
		`/tmp/back\134slash`:     `/tmp/back\slash`,
		`/tmp/not\9octal`:        `/tmp/not\9octal`,
		`/tmp/short\04`:          `/tmp/short\04`,
		`/tmp/too\777big`:        `/tmp/too\777big`,
		`\040`:                   " ",
		`/trailing\`:             `/trailing\`,
		`/two\040\040spaces\040`: "/two  spaces ",
	}
	for in, want := range tests {
		if got := unescapeMountPath(in); got != want {
			t.Errorf("unescapeMountPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzUnescapeMountPath(f *testing.F) {
	f.Add(`/tmp/a\040b\134`)
	f.Add(`\`)
	f.Fuzz(func(t *testing.T, in string) {
		out := unescapeMountPath(in)
		if len(out) > len(in) {
			t.Errorf("%q: unescaping grew it to %q", in, out)
		}
		if !strings.Contains(in, `\`) && out != in {
			t.Errorf("%q: changed without escapes: %q", in, out)
		}
	})
}

func TestParseNSFSMount(t *testing.T) {
	tests := []struct {
		name, line string
		want       nsfsMount
		ok         bool
	}{
		{"ip netns", `690 27 0:4 net:[4026532177] /run/netns/web rw shared:1 - nsfs nsfs rw`,
			nsfsMount{Net, 4026532177, "/run/netns/web"}, true},
		{"no optional fields", `690 27 0:4 uts:[4026532178] /tmp/a\040b rw - nsfs nsfs rw`,
			nsfsMount{UTS, 4026532178, "/tmp/a b"}, true},
		{"several optional fields", `1 2 0:4 ipc:[4026532179] /x rw shared:1 master:2 - nsfs nsfs rw`,
			nsfsMount{IPC, 4026532179, "/x"}, true},
		{"not nsfs", `22 27 0:21 / /proc rw,relatime - proc proc rw`, nsfsMount{}, false},
		{"nsfs as a source only", `22 27 0:21 / /x rw - tmpfs nsfs rw`, nsfsMount{}, false},
		{"root not a namespace", `690 27 0:4 / /run/netns/x rw - nsfs nsfs rw`, nsfsMount{}, false},
		{"too few fields", `690 net:[4026532177] /x - nsfs nsfs rw`, nsfsMount{}, false},
		// The kernel escapes space, tab, newline and backslash only: any
		// other blank is part of the path, which must not end there.
		{"a line separator in the mount point", "690 27 0:4 net:[4026532177] /run/netns/web\u2028x rw - nsfs nsfs rw",
			nsfsMount{Net, 4026532177, "/run/netns/web\u2028x"}, true},
		{"a no-break space, \\r, \\v and \\f in the mount point", "690 27 0:4 net:[4026532177] /a\u00a0b\rc\vd\fe rw - nsfs nsfs rw",
			nsfsMount{Net, 4026532177, "/a\u00a0b\rc\vd\fe"}, true},
		{"a raw tab", "690 27 0:4 net:[4026532177] /a\tb rw - nsfs nsfs rw", nsfsMount{}, false},
		{"empty", ``, nsfsMount{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseNSFSMount([]byte(tt.line))
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseNSFSMount(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseNSFSMount(f *testing.F) {
	f.Add([]byte(`690 27 0:4 net:[4026532177] /run/netns/web rw shared:1 - nsfs nsfs rw`))
	f.Add([]byte(`1 2 0:4 ipc:[1] /a\134b rw - nsfs nsfs rw`))
	f.Fuzz(func(t *testing.T, line []byte) {
		m, ok := parseNSFSMount(line)
		if ok && (m.id == 0 || int(m.typ) >= NumTypes) {
			t.Errorf("parseNSFSMount(%q) = %+v: no namespace", line, m)
		}
	})
}
