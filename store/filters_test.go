package store_test

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// placeholders matches a run of bind parameters ($1, $2 or ?, ?) and integer literals,
// which are all that may change with the number of a filter's values.
var placeholders = regexp.MustCompile(`(\$\d+|\?|\b\d+\b)(\s*,\s*(\$\d+|\?|\b\d+\b))*`)

// shapeOf runs fn and returns the statements it sent, with bind parameters and numbers
// folded, so that two runs differing only in the number of values compare equal.
func shapeOf(t *testing.T, mu *sync.Mutex, trace *[]string, fn func() error) string {
	t.Helper()
	mu.Lock()
	*trace = nil
	mu.Unlock()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var out []string
	for _, q := range *trace {
		out = append(out, placeholders.ReplaceAllString(q, "?"))
	}
	return strings.Join(out, "\n")
}

// TestFilterShapeBounded checks that every repeatable filter of /events and /statements
// sends the same statements (one SQL shape) for 2 values as for MaxFilterValues, so its
// cost cannot grow by sub-queries per value; and that one value more is refused, naming
// the filter and the cap. It would fail if the tag filter went back to one EXISTS per
// tag, or if a cap were dropped.
func TestFilterShapeBounded(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var mu sync.Mutex
		var trace []string
		n := store.MaxFilterValues
		actors, locations, sources := make([]string, n+1), make([]string, n+1), make([]string, n+1)
		tags, countries := make([]string, n+1), make([]string, 0, n+1)
		for i := range n + 1 {
			a := &models.Actor{Name: fmt.Sprintf("Shape Actor %d", i), Kind: models.ActorPerson}
			l := &models.Location{Name: fmt.Sprintf("Shape Place %d", i)}
			src := &models.Source{Outlet: "Shape Outlet", Title: fmt.Sprintf("Report %d", i), Published: models.MustParseDate("2026")}
			for _, err := range []error{s.CreateActor(ctx, a), s.CreateLocation(ctx, l), s.CreateSource(ctx, src)} {
				if err != nil {
					t.Fatal(err)
				}
			}
			actors[i], locations[i], sources[i], tags[i] = a.Slug, l.ID.String(), src.Slug, fmt.Sprintf("tag-%d", i)
		}
		for c := 'A'; len(countries) <= n; c++ {
			for d := 'A'; d <= 'Z' && len(countries) <= n; d++ {
				if code := string([]rune{c, d}); models.ValidCountry(code) {
					countries = append(countries, code)
				}
			}
		}
		store.TraceSQLForTest(s, func(q string) {
			mu.Lock()
			trace = append(trace, q)
			mu.Unlock()
		})
		type filter struct {
			name string
			all  int // how many distinct values exist (enums have fewer than the cap)
			set  func(f *store.EventFilter, k int)
		}
		filters := []filter{
			{"actor", n, func(f *store.EventFilter, k int) { f.Actors = actors[:k] }},
			{"actor&match=all", n, func(f *store.EventFilter, k int) { f.Actors, f.MatchAll = actors[:k], true }},
			{"role", len(models.Roles), func(f *store.EventFilter, k int) { f.Roles = models.Roles[:min(k, len(models.Roles))] }},
			{"country", n, func(f *store.EventFilter, k int) { f.Countries = countries[:k] }},
			{"location", n, func(f *store.EventFilter, k int) { f.Locations = locations[:k] }},
			{"type", len(models.EventTypes), func(f *store.EventFilter, k int) { f.Types = models.EventTypes[:min(k, len(models.EventTypes))] }},
			{"status", len(models.EventStatuses), func(f *store.EventFilter, k int) {
				f.Statuses = models.EventStatuses[:min(k, len(models.EventStatuses))]
			}},
			{"tag", n, func(f *store.EventFilter, k int) { f.Tags = tags[:k] }},
			{"source", n, func(f *store.EventFilter, k int) { f.Sources = sources[:k] }},
		}
		// With and without a single actor (the range-scan path) and every endpoint's use
		// of the filter: the list, the histogram and the graph.
		for _, withActor := range []bool{false, true} {
			for _, fl := range filters {
				run := func(k int) string {
					return shapeOf(t, &mu, &trace, func() error {
						var f store.EventFilter
						fl.set(&f, k)
						if withActor && len(f.Actors) == 0 {
							f.Actors = actors[:1]
						}
						if _, err := s.ListEvents(ctx, f); err != nil {
							return err
						}
						if _, err := s.EventStats(ctx, store.StatsFilter{EventFilter: f, Interval: "year", GroupBy: "actor"}); err != nil {
							return err
						}
						_, err := s.CoParticipationGraph(ctx, f, store.GraphCut{})
						return err
					})
				}
				if two, most := run(2), run(min(n, fl.all)); two != most {
					t.Errorf("%s (with actor %v): the SQL grows with the values:\n2: %s\n%d: %s", fl.name, withActor, two, min(n, fl.all), most)
				}
			}
		}
		// One value over the cap is refused before any query, naming the filter.
		for _, fl := range filters {
			if fl.all < n+1 {
				continue
			}
			var f store.EventFilter
			fl.set(&f, n+1)
			_, err := s.ListEvents(ctx, f)
			field := strings.TrimSuffix(fl.name, "&match=all")
			if models.ErrorCodeOf(err) != models.EINVALID || !strings.Contains(fmt.Sprint(err, fieldsOf(err)), field) ||
				!strings.Contains(fmt.Sprint(fieldsOf(err)), fmt.Sprint(n)) {
				t.Errorf("%s with %d values: %v %v, want invalid naming %s and %d", fl.name, n+1, err, fieldsOf(err), field, n)
			}
		}
		// Statements: speaker and tag.
		stShape := func(k int) string {
			return shapeOf(t, &mu, &trace, func() error {
				_, err := s.ListStatements(ctx, store.StatementFilter{Speakers: actors[:k], Tags: tags[:k]})
				return err
			})
		}
		if two, most := stShape(2), stShape(n); two != most {
			t.Errorf("statements: the SQL grows with the values:\n2: %s\n%d: %s", two, n, most)
		}
		if _, err := s.ListStatements(ctx, store.StatementFilter{Tags: tags}); models.ErrorCodeOf(err) != models.EINVALID {
			t.Errorf("statements with %d tags: %v, want invalid", n+1, err)
		}
	})
}

// fieldsOf lists the field errors of err.
func fieldsOf(err error) []models.FieldError {
	if me, ok := err.(*models.Error); ok {
		return me.Fields
	}
	return nil
}

// TestStatementTimeout checks that a PostgreSQL store opened with a statement timeout
// has it on every pooled connection: a statement that runs longer is stopped by the
// server, whatever its client does.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	url := storetest.URL(t, store.Postgres)
	s, err := store.Open(context.Background(), url, store.Options{StatementTimeout: 150 * time.Millisecond, MaxOpenConns: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	for range 3 {
		if got, err := store.ScalarForTest(s, "SHOW statement_timeout"); err != nil || got != "150ms" {
			t.Fatalf("statement_timeout: %q, %v", got, err)
		}
	}
	// Migrations run without it: with a 1 ms timeout every migration would fail.
	tiny, err := store.Open(context.Background(), url, store.Options{StatementTimeout: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tiny.Close() })
	if _, err := tiny.MigrateUp(context.Background()); err != nil {
		t.Errorf("migrations under a 1 ms statement timeout: %v", err)
	}
	start := time.Now()
	_, err = store.ScalarForTest(s, "SELECT pg_sleep(5)::text")
	if err == nil || !strings.Contains(err.Error(), "57014") || time.Since(start) > 2*time.Second {
		t.Errorf("a 5 s statement: %v after %v, want a statement timeout (57014) at once", err, time.Since(start))
	}
}

// TestImportLiftsStatementTimeout imports under a statement timeout too short for any
// of its statements: the import lifts it inside its own transaction.
func TestImportLiftsStatementTimeout(t *testing.T) {
	t.Parallel()
	url := storetest.URL(t, store.Postgres)
	ctx := context.Background()
	setup, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setup.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	// Every insert into actors takes 20 ms, four times the timeout below.
	if err := store.ExecForTest(setup, `CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM pg_sleep(0.02); RETURN NULL; END $$;
		CREATE TRIGGER slow_insert AFTER INSERT ON actors FOR EACH STATEMENT EXECUTE FUNCTION slow_insert()`); err != nil {
		t.Fatal(err)
	}
	_ = setup.Close()
	s, err := store.Open(ctx, url, store.Options{StatementTimeout: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := store.ScalarForTest(s, "SELECT pg_sleep(0.05)::text"); err == nil {
		t.Fatal("the 5 ms statement timeout is not in effect")
	}
	recs := []store.ImportRecord{}
	for i := range 20 {
		recs = append(recs, store.ImportRecord{Line: i + 1, Kind: "actor", Entity: &models.Actor{Name: fmt.Sprintf("Timeout Actor %d", i), Kind: models.ActorPerson}})
	}
	i := 0
	rep, err := s.Import(ctx, func() (store.ImportRecord, error) {
		if i == len(recs) {
			return store.ImportRecord{}, io.EOF
		}
		i++
		return recs[i-1], nil
	}, store.ImportOptions{Atomic: true})
	if err != nil || rep.Counts["actor"] == nil || rep.Counts["actor"].Created != 20 {
		t.Fatalf("import under a 5 ms statement timeout: %+v, %v", rep, err)
	}
}
