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
	w := bufio.NewWriter(io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		for i := range rows { // writeTable may cut cells: fresh lines each time
			rows[i] = line{strconv.Itoa(4026531836 + i), "net", strconv.Itoa(1 + i%12),
				strconv.Itoa(1000 + i), "root", "/bin/sh -c sleep 3600 & wait"}
		}
		b.StartTimer()
		writeTable(w, rows, o)
	}
}
