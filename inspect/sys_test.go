package inspect

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// readDir must return every entry but "." and "..", NUL-terminated, however
// many getdents calls the buffer takes.
func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	var want []string
	for i := range 300 {
		name := strconv.Itoa(i) + strings.Repeat("n", i%200) // up to 203 bytes
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	want = append(want, ".hidden", "..x")
	for _, name := range want[300:] {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, size := range []int{512, 4096, 64 << 10} {
		fd, err := unix.Open(dir, oDir, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		errno := readDir(fd, make([]byte, size), func(name []byte) {
			if len(name) == 0 || name[len(name)-1] != 0 {
				t.Fatalf("name %q is not NUL-terminated", name)
			}
			got = append(got, string(name[:len(name)-1]))
		})
		unix.Close(fd)
		if errno != 0 {
			t.Fatalf("buffer %d: %v", size, errno)
		}
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("buffer %d: entries (-want +got):\n%s", size, diff)
		}
	}
}

// The raw calls report errors as errnos, as the wrapped ones do.
func TestRawCalls(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("net:[4026531993]", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dirfd, errno := openat(unix.AT_FDCWD, nulName(dir), oPath)
	if errno != 0 {
		t.Fatal(errno)
	}
	defer closeFD(dirfd)
	buf := make([]byte, 64)
	if n, errno := readlinkat(dirfd, nulName("link"), buf); errno != 0 || string(buf[:n]) != "net:[4026531993]" {
		t.Errorf("readlinkat = %q, %v", buf[:n], errno)
	}
	if _, errno := readlinkat(dirfd, nulName("missing"), buf); errno != unix.ENOENT {
		t.Errorf("readlinkat of a missing link: %v, want ENOENT", errno)
	}
	if _, errno := openat(dirfd, nulName("missing"), oDir); errno != unix.ENOENT {
		t.Errorf("openat of a missing directory: %v, want ENOENT", errno)
	}
	if fd, errno := openat(dirfd, nulName("file"), oPath); errno != unix.ENOTDIR {
		closeFD(fd)
		t.Errorf("openat of a file as a directory: %v, want ENOTDIR", errno)
	}
	if _, errno := getdents(dirfd, buf); errno != unix.EBADF {
		t.Errorf("getdents on an O_PATH fd: %v, want EBADF", errno)
	}
}

func TestAtoi(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1", 1, true},
		{"0", 0, true},
		{"4194304", 4194304, true},
		{"2147483647", 2147483647, true},
		{"123\x00", 123, true},
		{"", 0, false},
		{"\x00", 0, false},
		{"01", 0, false},
		{"+1", 0, false},
		{"-1", 0, false},
		{"12a", 0, false},
		{"self", 0, false},
		{"2147483648", 0, false},
		{"99999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := atoi([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("atoi(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// readFile reads a file whole, past its first buffer, and names the path in
// its errors.
func TestReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	want := strings.Repeat("0123456789abcdef", 1000) // 16,000 bytes
	if err := os.WriteFile(path, []byte(want), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := readFile(path); err != nil || string(got) != want {
		t.Errorf("readFile = %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	if got, err := readFile("/proc/self/mountinfo"); err != nil || len(got) == 0 {
		t.Errorf("readFile(/proc/self/mountinfo) = %d bytes, %v", len(got), err)
	}
	_, err := readFile(path + ".missing")
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path+".missing") {
		t.Errorf("readFile of a missing file: %v", err)
	}
}

// eachLine must give every line, whole, however the reads cut them: a
// table bigger than its buffer, and a line longer than it.
func TestEachLine(t *testing.T) {
	var want []string
	for i := range 20000 {
		want = append(want, fmt.Sprintf("%08x: 00000002 00000000 00000000 0001 03 %d", i, 1000+i))
	}
	want = append(want, strings.Repeat("x", 200<<10), "last line without a newline")
	path := filepath.Join(t.TempDir(), "unix")
	if err := os.WriteFile(path, []byte(strings.Join(want, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := eachLine(path, func(line []byte) { got = append(got, string(line)) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d = %.60q, want %.60q", i, got[i], want[i])
		}
	}
	if err := eachLine(path+".missing", func([]byte) {}); err == nil {
		t.Error("eachLine of a missing file: no error")
	}
}

// readFileInto reads what fits in its buffer and no more, and all of a file
// that fits, however the file is longer or shorter than the buffer.
func TestReadFileInto(t *testing.T) {
	dir := t.TempDir()
	data := strings.Repeat("0123456789abcdef", 1<<12) // 64 KiB
	for _, tt := range []struct {
		name        string
		size, limit int
	}{
		{"shorter", 100, 4096},
		{"exact", 4096, 4096},
		{"longer", len(data), 4096},
		{"much longer", len(data), 1000},
		{"empty", 0, 4096},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, []byte(data[:tt.size]), 0o600); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, tt.limit)
			got, err := readFileInto(path, buf)
			if err != nil {
				t.Fatal(err)
			}
			if want := data[:min(tt.size, tt.limit)]; string(got) != want {
				t.Errorf("read %d bytes, want the first %d", len(got), len(want))
			}
			if len(got) > 0 && &got[0] != &buf[0] {
				t.Error("the bytes read are not in the buffer given")
			}
		})
	}
	_, err := readFileInto(filepath.Join(dir, "missing"), make([]byte, 10))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing") {
		t.Errorf("readFileInto of a missing file: %v", err)
	}
}
