package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestMakeInstall: make install puts nsinspect, its man page and its
// completions in place, and the name lsns only when asked (INSTALL_LSNS=1):
// a symlink by which the installed nsinspect is lsns.
func TestMakeInstall(t *testing.T) {
	for _, lsns := range []bool{false, true} {
		dest := t.TempDir()
		args := []string{"--no-print-directory", "install", "DESTDIR=" + dest, "PREFIX=/usr", "BIN=" + filepath.Join(dest, "nsinspect-built")}
		if lsns {
			args = append(args, "INSTALL_LSNS=1")
		}
		if out, err := exec.Command("make", args...).CombinedOutput(); err != nil {
			t.Fatalf("make %v: %v\n%s", args, err, out)
		}
		for _, f := range []string{"bin/nsinspect", "share/man/man8/nsinspect.8", "share/bash-completion/completions/nsinspect"} {
			if _, err := os.Stat(filepath.Join(dest, "usr", f)); err != nil {
				t.Errorf("INSTALL_LSNS %v: %v", lsns, err)
			}
		}
		link := filepath.Join(dest, "usr/bin/lsns")
		target, err := os.Readlink(link)
		switch {
		case !lsns && err == nil:
			t.Errorf("without INSTALL_LSNS: %s installed, shadowing util-linux's lsns", link)
		case lsns && (err != nil || target != "nsinspect"):
			t.Errorf("INSTALL_LSNS=1: %s links to %q (%v), want nsinspect", link, target, err)
		case lsns:
			out, err := exec.Command(link, "--version").Output()
			if want := "lsns (nsinspect) from util-linux " + lsnsVersion + "\n"; err != nil || string(out) != want {
				t.Errorf("installed lsns --version: %q, %v; want %q", out, err, want)
			}
		}
	}
}
