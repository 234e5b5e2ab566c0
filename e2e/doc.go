// Package e2e holds nsinspect's scenarios on real namespaces: each test
// creates its own namespaces, mounts, processes (and containers), runs the
// nsinspect binary on the host as it stands, and checks what the binary
// prints, as a user would run it. They need root and the privileged build
// tag (make test adds it as root); where NSINSPECT_REQUIRE_PRIVILEGED is set
// (CI) a skip is a failure. Their helpers are in helpers_test.go; TestMain
// builds the binary once.
package e2e
