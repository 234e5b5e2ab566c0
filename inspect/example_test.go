package inspect_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/nsinspect/nsinspect/inspect"
)

// A scan of this host, and the types of the namespaces this process is in.
func Example() {
	snap, err := inspect.Scan(inspect.Options{})
	if err != nil {
		log.Fatal(err)
	}
	self := snap.Process(os.Getpid())
	var types []string
	for t, id := range self.NS {
		if id != 0 {
			types = append(types, inspect.Type(t).String())
		}
	}
	fmt.Println(strings.Join(types, " "))
	// Output: mnt net pid uts ipc user cgroup time
}

// Relate and Fill read what a caller shows: here the owner of this
// process's network namespace, and the command line of its representative.
func ExampleSnapshot_Fill() {
	snap, err := inspect.Scan(inspect.Options{Types: inspect.AllTypes})
	if err != nil {
		log.Fatal(err)
	}
	self := snap.Process(os.Getpid())
	net := snap.Namespace(self.NS[inspect.Net])
	if err := snap.Relate([]*inspect.Namespace{net}); err != nil {
		log.Fatal(err)
	}
	snap.Fill([]*inspect.Namespace{net}, []*inspect.Process{self}, inspect.Need{Process: inspect.ReadCommand})
	fmt.Println(net.Owner.ID == self.NS[inspect.User], self.Command != "")
	// Output: true true
}
