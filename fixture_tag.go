//go:build nsinspect_fixture

package main

// Built with -tags nsinspect_fixture, as the schema tests build the binary
// that they run on a fixture host, nsinspect takes any directory for a proc
// filesystem. Other builds leave this file out.
func init() { fixtureProcfs = func(string) bool { return true } }
