package render

import (
	"bufio"
	"io"
	"strconv"
	"testing"
)

// BenchmarkWriteTable renders a table the size of a host of 3,600
// namespaces, in lsns's default columns.
func BenchmarkWriteTable(b *testing.B) {
	o := &Options{Columns: columns("NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND")}
	rows := make([]line, 3600)
	for i := range rows {
		rows[i] = line{strconv.Itoa(4026531836 + i), "net", strconv.Itoa(1 + i%12),
			strconv.Itoa(1000 + i), "root", "/bin/sh -c sleep 3600 & wait"}
	}
	w := bufio.NewWriter(io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		writeTable(w, rows, nil, o)
	}
}
