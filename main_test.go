package main

import (
	"os"
	"testing"

	"github.com/nsinspect/nsinspect/internal/fixture"
	"github.com/nsinspect/nsinspect/internal/testenv"
)

// buildBinary is the nsinspect command, built once, for tests that run it as
// another user or elsewhere.
func buildBinary(t *testing.T) string { return testenv.Nsinspect(t) }

func TestMain(m *testing.M) {
	// run() scans the fixture trees of the tests, though they are no proc
	// filesystem; an empty directory or /sys it refuses, as on the command
	// line.
	fixtureProcfs = fixture.Built
	code := m.Run()
	testenv.RemoveBuilt()
	os.Exit(code)
}
