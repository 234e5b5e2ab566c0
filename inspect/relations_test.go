//go:build privileged

package inspect

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nsinspect/nsinspect/internal/testenv"
)

// TestRelateOldKernel stands in a kernel without NS_GET_PARENT and
// NS_GET_USERNS (ENOTTY, Linux < 4.9): Relate says so with ErrNoNSIoctl, on
// which the tree modes exit 2, and leaves relations unknown, not "none".
func TestRelateOldKernel(t *testing.T) {
	testenv.RequireRoot(t) // to open the namespaces of every process
	defer func(f func(int, uint) (int, error)) { nsIoctl = f }(nsIoctl)
	nsIoctl = func(int, uint) (int, error) { return -1, unix.ENOTTY }

	s, err := Scan(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Relate(s.Namespaces); !errors.Is(err, ErrNoNSIoctl) {
		t.Fatalf("Relate: %v, want ErrNoNSIoctl", err)
	}
	for _, ns := range s.Namespaces {
		if ns.Related() || ns.Parent != nil || ns.Owner != nil {
			t.Errorf("%s %d: related %v, parent %v, owner %v; want all unknown", ns.Type, ns.ID, ns.Related(), ns.Parent, ns.Owner)
		}
	}
}
