package store_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// On SQLite no research filter reads a whole table: histograms of an actor (from the
// roll-ups by month, from the actor's participation rows by day), match=all, an actor's
// events, a network and a year's graph each search an index. Every query the requests
// ran is explained (EXPLAIN QUERY PLAN) and a full scan of a table fails the test.
func TestSQLitePlansSearchIndexes(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, store.SQLite)
	kinds, es := generated(t, 200)
	rep, err := s.Import(bg, records(kinds, es), store.ImportOptions{Atomic: true})
	must(t, err)
	if !rep.Committed {
		t.Fatalf("import: %+v", rep.Problems)
	}
	// No ANALYZE: SQLite then plans as for large tables, which is what this is about.
	var actors []string
	for _, e := range es {
		if a, ok := e.(*models.Actor); ok {
			actors = append(actors, a.ID.String())
		}
	}
	year := models.MustParseDate("2015")
	requests := map[string]func() error{
		"stats by month": func() error {
			_, err := s.EventStats(bg, store.StatsFilter{EventFilter: store.EventFilter{Actors: actors[:1]}, Interval: "month", GroupBy: "type"})
			return err
		},
		"stats by country": func() error {
			_, err := s.EventStats(bg, store.StatsFilter{EventFilter: store.EventFilter{Actors: actors[:1]}, Interval: "year", GroupBy: "country"})
			return err
		},
		"stats by week": func() error {
			_, err := s.EventStats(bg, store.StatsFilter{EventFilter: store.EventFilter{Actors: actors[:1], From: &year, To: &year}, Interval: "week"})
			return err
		},
		"match=all": func() error {
			_, err := s.ListEvents(bg, store.EventFilter{Actors: actors[:2], MatchAll: true})
			return err
		},
		"actor's events": func() error {
			_, err := s.ActorEvents(bg, actors[0], store.EventFilter{})
			return err
		},
		"network": func() error {
			_, err := s.ActorNetwork(bg, actors[0], store.EventFilter{}, 0)
			return err
		},
		"graph of a year": func() error {
			_, err := s.CoParticipationGraph(bg, store.EventFilter{From: &year, To: &year}, store.GraphCut{})
			return err
		},
	}
	// A step that reads a whole table: "SCAN <table or alias>" other than a sub-query's
	// result ("SCAN x", "SCAN y", "SCAN (subquery-1)") or a constant row.
	scan := regexp.MustCompile(`^SCAN (\S+)`)
	subqueries := []string{"x", "y", "CONSTANT"}
	for name, run := range requests {
		plans, err := store.PlansForTest(s, func() { must(t, run()) })
		must(t, err)
		if len(plans) == 0 {
			t.Fatalf("%s: no query seen", name)
		}
		for q, steps := range plans {
			for _, st := range steps {
				m := scan.FindStringSubmatch(st)
				if m != nil && !slices.Contains(subqueries, m[1]) && !strings.HasPrefix(m[1], "(subquery") {
					t.Errorf("%s: %q reads a whole table\n%s\nplan: %s", name, st, q, strings.Join(steps, " | "))
				}
			}
		}
	}
}
