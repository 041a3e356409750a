package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/bench"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/store"
)

// genBundle is a generated bundle (with series, relations and statements).
func genBundle(t *testing.T, events int) []byte {
	t.Helper()
	var buf bytes.Buffer
	bw := formats.NewBundleWriter(&buf)
	if err := bench.Generate(bench.GenOptions{Events: events, Seed: 42}, bw.Write); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importBundle(t *testing.T, c *client, body []byte, query string) store.ImportReport {
	t.Helper()
	var rep store.ImportReport
	r := c.do("POST", "/api/v1/import"+query, body, "Content-Type", formats.BundleContentType)
	if r.Status != 200 && r.Status != 422 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	r.want(t, r.Status, &rep)
	return rep
}

// TestBundleRoundTrip exports a database (the built-in dataset plus a generated one),
// imports it into an empty one of every kind in turn, and exports again: the bytes must
// be identical, SQLite → PostgreSQL → SQLite included.
func TestBundleRoundTrip(t *testing.T) {
	t.Parallel()
	origin := newClient(t, openStore(t, store.SQLite), true)
	rep := importBundle(t, origin, genBundle(t, 300), "")
	if !rep.Committed || len(rep.Problems) != 0 || rep.Counts["event"].Created != 300 {
		t.Fatalf("generated import: %+v %+v", rep, rep.Problems)
	}
	first := origin.get("/api/v1/export/bundle")
	if first.Status != 200 || !strings.HasPrefix(first.Header.Get("Content-Type"), formats.BundleContentType) {
		t.Fatalf("export: %d %s", first.Status, first.Header)
	}
	want := first.Body
	chain := []store.Dialect{store.Postgres, store.SQLite}
	if testing.Short() {
		chain = chain[1:]
	}
	for i, d := range chain {
		t.Run(fmt.Sprintf("%d-%s", i, d), func(t *testing.T) {
			c := newClient(t, openStore(t, d), false)
			rep := importBundle(t, c, want, "")
			if !rep.Committed || len(rep.Problems) != 0 {
				t.Fatalf("import: %+v", rep.Problems)
			}
			got := c.get("/api/v1/export/bundle").Body
			if !bytes.Equal(got, want) {
				t.Fatalf("bundle changed after a round trip through %s:\n%s", d, firstDiff(want, got))
			}
			// The same file again changes nothing.
			before := c.fingerprint()
			rep = importBundle(t, c, want, "")
			for kind, n := range rep.Counts {
				if n.Created+n.Updated+n.Rejected != 0 {
					t.Errorf("second import of %s: %+v", kind, n)
				}
			}
			if after := c.fingerprint(); !maps.Equal(before, after) {
				t.Errorf("second import changed the database: %v → %v", before, after)
			}
		})
	}
}

func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\nwant %.600s\ngot  %.600s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(lb), len(la))
}

// TestImportRejects covers the report and atomicity: a bad line in the middle of a
// large file is reported by number and, atomically, nothing is written; a dry run
// writes nothing; without atomic the good lines stay.
func TestImportRejects(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		lines := strings.Split(strings.TrimSpace(string(genBundle(t, 200))), "\n")
		bad := len(lines) / 2
		lines = slices.Insert(lines, bad, `{"type":"event","data":{"title":"broken","type":"party","status":"held","date":"2026"}}`)
		lines = slices.Insert(lines, bad+10, `{"type":"planet","data":{}}`, `not json`)
		body := []byte(strings.Join(lines, "\n") + "\n")
		before := c.fingerprint()

		rep := importBundle(t, c, body, "")
		if rep.Committed || len(rep.Problems) != 3 || rep.Problems[0].Line != bad+1 || rep.Problems[1].Line != bad+11 || rep.Problems[2].Line != bad+12 {
			t.Fatalf("atomic report: committed=%v problems=%+v", rep.Committed, rep.Problems)
		}
		if rep.Problems[0].Errors == nil || rep.Problems[0].Errors[0].Field != "type" {
			t.Errorf("problem fields: %+v", rep.Problems[0])
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Fatalf("atomic import with bad lines changed the database")
		}
		rep = importBundle(t, c, body, "?dry_run=true&atomic=false")
		if rep.Committed || rep.Counts["event"].Created == 0 {
			t.Fatalf("dry run: %+v", rep)
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Fatalf("dry run changed the database")
		}
		rep = importBundle(t, c, body, "?atomic=false")
		if !rep.Committed || len(rep.Problems) != 3 || c.fingerprint()["events"] != int64(rep.Counts["event"].Created) {
			t.Fatalf("non-atomic: %+v", rep)
		}
		c.do("POST", "/api/v1/import?atomic=maybe", "").problem(t, 400)
	})
}

// TestImportCancelled stops an import half-way (a client gone, a killed CLI): the
// transaction is rolled back and nothing is left behind.
func TestImportCancelled(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		before := c.fingerprint()
		ctx, cancel := context.WithCancel(context.Background())
		rd := formats.NewBundleReader(bytes.NewReader(genBundle(t, 200)))
		n := 0
		_, err := c.st.Import(ctx, func() (store.ImportRecord, error) {
			if n++; n == 250 {
				cancel()
			}
			r, err := rd.Next()
			if err == io.EOF {
				return store.ImportRecord{}, err
			}
			return store.ImportRecord{Line: r.Line, Kind: r.Type, Entity: r.Entity, Stated: r.Stated, Err: r.Err}, err
		}, store.ImportOptions{Atomic: true})
		if err == nil {
			t.Fatal("cancelled import reported success")
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Fatalf("cancelled import left rows: %v → %v", before, after)
		}
	})
}
