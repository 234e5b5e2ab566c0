package render

import "strings"

// testColumns are columns as nsinspect's registry (internal/query) defines
// them, for render's own tests: render knows columns only by how they print.
var testColumns = []*Column{
	{Name: "NS", Kind: Number, Hint: 10, Help: "namespace identifier (inode number)"},
	{Name: "TYPE", Hint: 5},
	{Name: "PATH"},
	{Name: "NPROCS", Kind: Number, Hint: 5},
	{Name: "PID", Kind: Number, Hint: 5},
	{Name: "PPID", Kind: Number, Hint: 5},
	{Name: "COMMAND", Trunc: true, TableBytes: lsnsCommandBytes},
	{Name: "UID", Kind: Number},
	{Name: "USER"},
	{Name: "NETNSID", AlignRight: true},
	{Name: "NSFS"},
	{Name: "PNS", Kind: Number, Hint: 10},
	{Name: "ONS", Kind: Number, Hint: 10},
}

// lsnsCommandBytes is the registry's TableBytes of COMMAND: lsns's 8191.
const lsnsCommandBytes = 8191

// columns returns the test columns of those names.
func columns(names ...string) []*Column {
	var cols []*Column
	for _, n := range names {
		for _, c := range testColumns {
			if c.Name == n {
				cols = append(cols, c)
			}
		}
	}
	if len(cols) != len(names) {
		panic("unknown test column in " + strings.Join(names, ","))
	}
	return cols
}
