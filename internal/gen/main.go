// Command gen writes the lists of columns that the documentation keeps, from
// the column registry of internal/query: the manual page's OUTPUT COLUMNS,
// the README's column tables, the JSON schema's row properties and the
// completion scripts' fallback lists. It writes only between the marker
// lines of each file (BEGIN generated, END generated); the rest is written by
// hand. Run it with go generate ./internal/query or make generate.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nsinspect/nsinspect/internal/query"
)

func main() {
	root := flag.String("root", ".", "the repository's root `directory`")
	flag.Parse()
	if err := write(*root); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// write regenerates every target under root, rewriting only the files whose
// text changes.
func write(root string) error {
	cols := query.ColumnDocs()
	for _, t := range targets {
		path := filepath.Join(root, t.path)
		old, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text, err := t.generate(old, cols)
		if err != nil {
			return err
		}
		if bytes.Equal(text, old) {
			continue
		}
		if err := os.WriteFile(path, text, 0o644); err != nil {
			return err
		}
		fmt.Println("gen: wrote", t.path)
	}
	return nil
}
