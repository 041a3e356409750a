package gdelt_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-api/parley/formats/gdelt"
)

// FuzzDecode feeds the GDELT decoder arbitrary rows (seeded with the real sample):
// it must never panic, every kept row must make entities that pass validation, and a
// plain (unzipped) input must never fail as a whole: bad rows are skipped, not fatal.
func FuzzDecode(f *testing.F) {
	sample, err := os.ReadFile(filepath.Join(gdDir, "gdelt-sample-v1-daily-geoutils-fixture.tsv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	if lines := bytes.SplitN(sample, []byte("\n"), 3); len(lines) > 1 {
		f.Add(lines[0])
		f.Add(bytes.ReplaceAll(lines[0], []byte("\t"), []byte("\t\t")))
	}
	f.Add([]byte("1\t2\t3\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		err := gdelt.Decode(bytes.NewReader(in), gdelt.Options{}, func(g gdelt.Record) error {
			gdValidate(t, g)
			return nil
		}, func(gdelt.Skip) error { return nil })
		if err != nil && !bytes.HasPrefix(in, []byte("PK")) {
			t.Fatalf("a plain file failed as a whole: %v", err)
		}
	})
}
