package store_test

import (
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/bench"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// records turns entities into import records numbered from line 1.
func records(kinds []string, es []any) func() (store.ImportRecord, error) {
	i := 0
	return func() (store.ImportRecord, error) {
		if i == len(es) {
			return store.ImportRecord{}, io.EOF
		}
		i++
		return store.ImportRecord{Line: i, Kind: kinds[i-1], Entity: es[i-1]}, nil
	}
}

// generated is a generated bundle's actors, locations, sources and events (no
// statements or relations), as fresh import records.
func generated(t *testing.T, events int) ([]string, []any) {
	t.Helper()
	return generate(t, events, false)
}

// generate is a generated bundle as fresh import records; all adds the statements and
// relations.
func generate(t *testing.T, events int, all bool) ([]string, []any) {
	t.Helper()
	var kinds []string
	var es []any
	err := bench.Generate(bench.GenOptions{Events: events, Seed: 7}, func(kind string, v any) error {
		// Copies: the generator may reuse what it points to.
		var c any
		switch e := v.(type) {
		case *models.Actor:
			c = clone(e)
		case *models.Location:
			c = clone(e)
		case *models.Source:
			c = clone(e)
		case *models.Event:
			c = clone(e)
		case *models.Statement:
			c = clone(e)
		case *models.RelationRecord:
			c = clone(e)
		default:
			return nil
		}
		if _, later := c.(*models.Statement); (later || kind == "relation") && !all {
			return nil
		}
		kinds, es = append(kinds, kind), append(es, c)
		return nil
	})
	must(t, err)
	return kinds, es
}

func clone[T any](p *T) *T {
	c := *p
	return &c
}

// refuse gives events the summary the test index allows once.
func refuse(es ...any) {
	for _, e := range es {
		e.(*models.Event).Summary = "refused"
	}
}

func fingerprint(t *testing.T, s *store.Store) map[string]int64 {
	t.Helper()
	fp, err := s.Fingerprint(bg)
	must(t, err)
	return fp
}

// TestImportBatchRefused makes the database refuse one window's batch insert (a unique
// index parley does not know of, so no pre-check catches the duplicate): the
// importer falls back to line by line, reports exactly the offending line, keeps the
// others when not atomic and writes nothing when atomic.
func TestImportBatchRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		must(t, store.ExecForTest(s, "CREATE UNIQUE INDEX test_refused ON events (summary) WHERE summary = 'refused'"))
		kinds, es := generated(t, 300)
		var evs []int
		for i, k := range kinds {
			if k == "event" {
				evs = append(evs, i)
			}
		}
		dup := evs[len(evs)/2]
		refuse(es[evs[len(evs)/2-3]], es[dup])

		before := fingerprint(t, s)
		rep, err := s.Import(bg, records(kinds, es), store.ImportOptions{Atomic: true})
		must(t, err)
		if rep.Committed || len(rep.Problems) != 1 || rep.Problems[0].Line != dup+1 {
			t.Fatalf("atomic: committed=%v problems=%+v", rep.Committed, rep.Problems)
		}
		if after := fingerprint(t, s); !maps.Equal(before, after) {
			t.Fatalf("atomic import with a refused line changed the database: %v -> %v", before, after)
		}

		kinds, es = generated(t, 300)
		refuse(es[evs[len(evs)/2-3]], es[dup])
		rep, err = s.Import(bg, records(kinds, es), store.ImportOptions{})
		must(t, err)
		if !rep.Committed || len(rep.Problems) != 1 || rep.Problems[0].Line != dup+1 || rep.Problems[0].Type != "event" {
			t.Fatalf("non-atomic: committed=%v problems=%+v", rep.Committed, rep.Problems)
		}
		if c := rep.Counts["event"]; c.Created != len(evs)-1 || c.Rejected != 1 {
			t.Fatalf("event counts %+v, want %d created and 1 rejected", c, len(evs)-1)
		}
		if got := fingerprint(t, s)["events"]; got != int64(len(evs)-1) {
			t.Fatalf("%d events stored, want %d", got, len(evs)-1)
		}
		// The refused line's batch was rolled back and imported line by line: what it
		// had staged for the roll-ups went with it.
		drift, err := store.RollupDriftForTest(s)
		must(t, err)
		if len(drift) > 0 {
			t.Fatalf("roll-ups after a batch rolled back: %v", drift)
		}
	})
}

// TestImportLineSemantics checks that reading ahead in windows changes no outcome: each
// case's records, all in one window, give what importing them one by one gives.
func TestImportLineSemantics(t *testing.T) {
	t.Parallel()
	a1 := models.NewID()
	actor := func(id models.ID, slug, name string) *models.Actor {
		return &models.Actor{Meta: models.Meta{ID: id}, Slug: slug, Name: name, Kind: models.ActorState, Country: "NO"}
	}
	event := func(slug string, who models.Ref) *models.Event {
		e := newEvent("Talks "+slug, "2026-01-23")
		e.Slug, e.Participants = slug, []models.Participant{{Actor: who, Role: models.RoleParticipant}}
		return e
	}
	tagged := func(e *models.Event, tags ...string) *models.Event {
		e.Tags = tags
		return e
	}
	type want struct {
		counts   map[string]store.ImportCounts
		problems []int // rejected line numbers
	}
	type importCase struct {
		name  string
		kinds []string
		es    []any
		want  want
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// Built afresh for each database: an import fills in what it stores.
		cases := []importCase{
			{"the same record twice: created, then unchanged",
				[]string{"actor", "actor"}, []any{actor(a1, "norway", "Norway"), actor(a1, "norway", "Norway")},
				want{counts: map[string]store.ImportCounts{"actor": {Created: 1, Unchanged: 1}}}},
			{"a later line changes an earlier one: created, then updated",
				[]string{"actor", "actor"}, []any{actor(a1, "norway", "Norway"), actor(a1, "norway", "Kingdom of Norway")},
				want{counts: map[string]store.ImportCounts{"actor": {Created: 1, Updated: 1}}}},
			{"slug-only records repeat, as GDELT's do: one created",
				[]string{"actor", "event", "actor", "event"},
				[]any{actor(models.ID{}, "norway", "Norway"), event("oslo", models.Ref{Slug: "norway"}),
					actor(models.ID{}, "norway", "Norway"), event("oslo", models.Ref{Slug: "norway"})},
				want{counts: map[string]store.ImportCounts{"actor": {Created: 1, Unchanged: 1}, "event": {Created: 1, Unchanged: 1}}}},
			{"a new id with a slug taken a line before: a conflict",
				[]string{"actor", "actor"}, []any{actor(models.ID{}, "norway", "Norway"), actor(models.NewID(), "norway", "Norway")},
				want{counts: map[string]store.ImportCounts{"actor": {Created: 1, Rejected: 1}}, problems: []int{2}}},
			{"a reference to a later line is missing, as line by line",
				[]string{"event", "actor"}, []any{event("oslo", models.Ref{ID: a1}), actor(a1, "norway", "Norway")},
				want{counts: map[string]store.ImportCounts{"event": {Rejected: 1}, "actor": {Created: 1}}, problems: []int{1}}},
			{"unsorted tags and missing lists compare as stored",
				[]string{"actor", "event", "event"},
				[]any{actor(a1, "norway", "Norway"), tagged(event("oslo", models.Ref{ID: a1}), "b", "a"), tagged(event("oslo", models.Ref{ID: a1}), "a", "b")},
				want{counts: map[string]store.ImportCounts{"actor": {Created: 1}, "event": {Created: 1, Unchanged: 1}}}},
			{"records without a slug get free ones",
				[]string{"actor", "actor"}, []any{actor(models.ID{}, "", "Norway"), actor(models.ID{}, "", "Norway")},
				want{counts: map[string]store.ImportCounts{"actor": {Created: 2}}}},
			{"a rejected line's dependants are rejected too",
				[]string{"actor", "event", "event"},
				[]any{actor(a1, "norway", ""), event("oslo", models.Ref{ID: a1}), event("bergen", models.Ref{Slug: "norway"})},
				want{counts: map[string]store.ImportCounts{"actor": {Rejected: 1}, "event": {Rejected: 2}}, problems: []int{1, 2, 3}}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				rep, err := s.Import(bg, records(tc.kinds, tc.es), store.ImportOptions{DryRun: true})
				must(t, err)
				got := map[string]store.ImportCounts{}
				for k, c := range rep.Counts {
					got[k] = *c
				}
				if !maps.Equal(got, tc.want.counts) {
					t.Errorf("counts %v, want %v", got, tc.want.counts)
				}
				var lines []int
				for _, p := range rep.Problems {
					lines = append(lines, p.Line)
				}
				if !slices.Equal(lines, tc.want.problems) {
					t.Errorf("rejected lines %v, want %v (%+v)", lines, tc.want.problems, rep.Problems)
				}
			})
		}
	})
}

// TestImportAnalyzes checks that a large import leaves the planner statistics of what it
// wrote up to date, as a bulk load should (autovacuum may be late, or off).
func TestImportAnalyzes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		kinds, es := generated(t, 1000)
		rep, err := s.Import(bg, records(kinds, es), store.ImportOptions{Atomic: true})
		must(t, err)
		if !rep.Committed {
			t.Fatalf("import: %+v", rep)
		}
		q := "SELECT reltuples::bigint FROM pg_class WHERE oid = 'events'::regclass"
		if s.Dialect() == store.SQLite {
			q = "SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' LIMIT 1"
		}
		got, err := store.ScalarForTest(s, q)
		must(t, err)
		if !strings.HasPrefix(got, "1000") {
			t.Fatalf("events statistics say %q, want 1000 rows", got)
		}
	})
}

// TestImportStatementsAndRelations imports a whole generated bundle in windows: every
// relation lands, and an event is found by the words of a statement about it, which
// the batched insert of statements must have added to the event's search text.
func TestImportStatementsAndRelations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		kinds, es := generate(t, 600, true)
		var quoted *models.Statement
		relations := 0
		for _, e := range es {
			switch x := e.(type) {
			case *models.Statement:
				if quoted == nil && x.Event != nil {
					quoted = x
					x.Text = "Zyzzyva grammar of diplomacy"
				}
			case *models.RelationRecord:
				relations++
			}
		}
		if quoted == nil || relations == 0 {
			t.Fatalf("the generator made no statement about an event (%v) or no relation (%d)", quoted, relations)
		}
		rep, err := s.Import(bg, records(kinds, es), store.ImportOptions{Atomic: true})
		must(t, err)
		if !rep.Committed || rep.Counts["relation"].Created != relations || rep.Counts["statement"].Rejected != 0 {
			t.Fatalf("import: %+v %+v", rep.Counts, rep.Problems)
		}
		if got := fingerprint(t, s)["event_relations"]; got != int64(relations) {
			t.Errorf("%d relations stored, want %d", got, relations)
		}
		p, err := s.ListEvents(bg, store.EventFilter{Q: "zyzzyva"})
		must(t, err)
		if len(p.Items) != 1 || p.Items[0].ID != quoted.Event.ID {
			t.Fatalf("search for a statement's word found %d events, want its event %s", len(p.Items), quoted.Event.ID)
		}
	})
}

// schemaOf describes the indexes and constraints of the store's tables, to tell that a
// bulk import left every one of them as the migrations made it.
func schemaOf(t *testing.T, s *store.Store) string {
	t.Helper()
	q := `SELECT string_agg(d, E'\n' ORDER BY d) FROM (
		SELECT replace(indexdef, ' ' || current_schema() || '.', ' ') AS d FROM pg_indexes WHERE schemaname = current_schema()
		UNION ALL SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		WHERE connamespace = current_schema()::regnamespace) x`
	if s.Dialect() == store.SQLite {
		q = "SELECT group_concat(sql, char(10)) FROM (SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)"
	}
	got, err := store.ScalarForTest(s, q)
	must(t, err)
	if !strings.Contains(got, "CREATE INDEX") {
		t.Fatalf("no secondary index found: %q", got)
	}
	return got
}

// failingAfter yields next's records and then, after n of them, a read error.
func failingAfter(n int, next func() (store.ImportRecord, error)) func() (store.ImportRecord, error) {
	return func() (store.ImportRecord, error) {
		if n == 0 {
			return store.ImportRecord{}, errors.New("the disk went away")
		}
		n--
		return next()
	}
}

// TestImportBulk loads a whole generated bundle with the bulk import: the database
// ends up as the normal import leaves it (fingerprint, indexes and constraints), a
// database with data is refused with a conflict, and a bulk import that fails half-way
// (a read error after several windows, or a refused line) leaves the database empty
// with every index and constraint in place.
func TestImportBulk(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a bundle four times")
	}
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			normal, bulk := storetest.Open(t, d), storetest.Open(t, d)
			schema := schemaOf(t, bulk)
			empty := fingerprint(t, bulk)

			kinds, es := generate(t, 600, true)
			rep, err := normal.Import(bg, records(kinds, es), store.ImportOptions{Atomic: true})
			must(t, err)
			if !rep.Committed {
				t.Fatalf("normal import: %+v", rep.Problems)
			}
			kinds, es = generate(t, 600, true)
			brep, err := bulk.ImportBulk(bg, records(kinds, es), store.ImportOptions{Atomic: true})
			must(t, err)
			if !brep.Committed || !maps.EqualFunc(brep.Counts, rep.Counts, func(a, b *store.ImportCounts) bool { return *a == *b }) {
				t.Fatalf("bulk import: committed=%v problems=%+v", brep.Committed, brep.Problems)
			}
			if got, want := fingerprint(t, bulk), fingerprint(t, normal); !maps.Equal(got, want) {
				t.Fatalf("bulk import stored %v, the normal import %v", got, want)
			}
			if got := schemaOf(t, bulk); got != schema {
				t.Fatalf("bulk import changed the indexes and constraints:\n%s\nwant\n%s", got, schema)
			}
			drift, err := store.RollupDriftForTest(bulk)
			must(t, err)
			if len(drift) > 0 {
				t.Fatalf("bulk import left the roll-ups off a recount: %v", drift)
			}

			kinds, es = generated(t, 20)
			_, err = bulk.ImportBulk(bg, records(kinds, es), store.ImportOptions{Atomic: true})
			if !errors.Is(err, store.ErrNotEmpty) || models.ErrorCodeOf(err) != models.ECONFLICT {
				t.Fatalf("bulk import into a database with data: %v, want ErrNotEmpty (a conflict)", err)
			}

			fresh := storetest.Open(t, d)
			kinds, es = generate(t, 600, true)
			_, err = fresh.ImportBulk(bg, failingAfter(len(es)-10, records(kinds, es)), store.ImportOptions{Atomic: true})
			if err == nil {
				t.Fatal("a bulk import whose input failed reported no error")
			}
			if got := fingerprint(t, fresh); !maps.Equal(got, empty) {
				t.Fatalf("a failed bulk import left %v", got)
			}
			if got := schemaOf(t, fresh); got != schema {
				t.Fatalf("a failed bulk import changed the indexes and constraints:\n%s\nwant\n%s", got, schema)
			}

			kinds, es = generate(t, 600, true)
			last := slices.IndexFunc(es, func(e any) bool { _, ok := e.(*models.RelationRecord); return ok })
			if last < len(es)/2 {
				t.Fatalf("the bundle's first relation is on line %d of %d, want one in its second half", last+1, len(es))
			}
			es[last].(*models.RelationRecord).Type = "invented"
			rep, err = fresh.ImportBulk(bg, records(kinds, es), store.ImportOptions{Atomic: true})
			must(t, err)
			if rep.Committed || len(rep.Problems) != 1 || rep.Problems[0].Line != last+1 {
				t.Fatalf("bulk import with a refused last line: committed=%v problems=%+v", rep.Committed, rep.Problems)
			}
			if got := fingerprint(t, fresh); !maps.Equal(got, empty) {
				t.Fatalf("a refused bulk import left %v", got)
			}
			if got := schemaOf(t, fresh); got != schema {
				t.Fatalf("a refused bulk import changed the indexes and constraints")
			}
		})
	}
}
