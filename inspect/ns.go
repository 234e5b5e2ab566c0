package inspect

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// NSID identifies a namespace: the inode number of its nsfs file, the number
// in a link such as "net:[4026531993]". The kernel allocates these inodes from
// one pool for all namespace types, so an NSID alone names a namespace while
// the namespace lives; a dead namespace's number may be reused later.
// procfs reports it as uint32, but st_ino is 64 bits wide, hence our own type.
type NSID uint64

// Type is a kind of namespace.
type Type uint8

// The namespace types, in lsns's order.
const (
	Mnt Type = iota
	Net
	PID
	UTS
	IPC
	User
	Cgroup
	Time
	NumTypes int = iota
)

var typeNames = [NumTypes]string{"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"}

// String returns the type's name as /proc/PID/ns and lsns spell it.
func (t Type) String() string {
	if int(t) < NumTypes {
		return typeNames[t]
	}
	return "type(" + strconv.Itoa(int(t)) + ")"
}

// ParseType returns the type named name ("mnt", "net", ...).
func ParseType(name string) (Type, error) {
	for i, n := range typeNames {
		if n == name {
			return Type(i), nil
		}
	}
	return 0, fmt.Errorf("unknown namespace type: %s", name)
}

// TypeSet is a set of namespace types.
type TypeSet uint16

// AllTypes holds every namespace type.
const AllTypes TypeSet = 1<<NumTypes - 1

// Has reports whether t is in the set.
func (s TypeSet) Has(t Type) bool { return s&(1<<t) != 0 }

// With returns the set with t added.
func (s TypeSet) With(t Type) TypeSet { return s | 1<<t }

var errLink = errors.New("not a namespace link")

// parseLink splits a namespace link target such as "net:[4026531993]" into
// its type and inode.
func parseLink(s string) (Type, NSID, error) {
	name, rest, ok := strings.Cut(s, ":[")
	if !ok || !strings.HasSuffix(rest, "]") {
		return 0, 0, errLink
	}
	t, err := ParseType(name)
	if err != nil {
		return 0, 0, errLink
	}
	digits := rest[:len(rest)-1]
	ino, err := strconv.ParseUint(digits, 10, 64)
	// The kernel writes no sign and no leading zero: refuse what it never
	// writes rather than guess.
	if err != nil || ino == 0 || digits[0] == '0' || digits[0] == '+' {
		return 0, 0, errLink
	}
	return t, NSID(ino), nil
}
