package store

import (
	"fmt"
	"slices"
	"sync"

	"gorm.io/gorm"
)

// ExecForTest runs SQL on s's database, for tests that need a database state the API
// cannot make (a constraint parley does not know of, say).
func ExecForTest(s *Store, query string) error { return s.db.Exec(query).Error }

// ScalarForTest runs a query that returns one value, as text.
func ScalarForTest(s *Store, query string) (string, error) {
	var out string
	err := s.db.Raw(query).Row().Scan(&out)
	return out, err
}

// TraceSQLForTest calls fn with the SQL text (placeholders, not values) of every query
// and row read s runs from now on, so a test can check the shape of what a filter asks.
func TraceSQLForTest(s *Store, fn func(sql string)) {
	trace := func(db *gorm.DB) { fn(db.Statement.SQL.String()) }
	_ = s.db.Callback().Query().After("gorm:query").Register("test:trace_query", trace)
	_ = s.db.Callback().Row().After("gorm:row").Register("test:trace_row", trace)
}

// SetSearchProbeForTest sets how many events the full-text probe looks at, and returns the
// function that puts it back.
func SetSearchProbeForTest(n int) func() {
	old := searchProbe
	searchProbe = n
	return func() { searchProbe = old }
}

// SetRollupsForTest makes s answer histograms, networks and graphs from the roll-ups
// (on, the default) or from the events.
func SetRollupsForTest(s *Store, on bool) { s.noRollups = !on }

// RollupDriftForTest compares every stored roll-up row with a count from the events made
// in a transaction that is rolled back, and describes the first rows that differ.
func RollupDriftForTest(s *Store) ([]string, error) { return rollupDrift(s.db) }

// rollupDrift compares the stored roll-ups with a recount (rebuildRollups in a
// transaction that is rolled back) and describes up to ten rows that differ.
func rollupDrift(db *gorm.DB) ([]string, error) {
	read := func(tx *gorm.DB) (map[string]string, error) {
		out := map[string]string{}
		for _, q := range []string{
			"SELECT 'events ' || actor_id || ' ' || start_month || ' ' || end_month || ' ' || type AS k, '' || events AS v FROM rollup_events WHERE events <> 0",
			"SELECT 'countries ' || actor_id || ' ' || start_month || ' ' || end_month || ' ' || country AS k, '' || events AS v FROM rollup_countries WHERE events <> 0",
			"SELECT 'actor ' || actor_id AS k, '' || events AS v FROM rollup_actor_totals WHERE events <> 0",
			"SELECT 'pair ' || actor_id || ' ' || other_id AS k, events || ' ' || first_start || ' ' || last_start AS v FROM rollup_pair_totals WHERE events <> 0",
			"SELECT 'pairs ' || actor_id || ' ' || other_id || ' ' || start_month || ' ' || end_month AS k, events || ' ' || first_start || ' ' || last_start AS v FROM rollup_pairs WHERE events <> 0",
		} {
			var rows []struct{ K, V string }
			if err := tx.Raw(q).Scan(&rows).Error; err != nil {
				return nil, err
			}
			for _, r := range rows {
				out[r.K] = r.V
			}
		}
		return out, nil
	}
	var diffs []string
	errRollback := fmt.Errorf("rollback")
	err := db.Transaction(func(tx *gorm.DB) error {
		stored, err := read(tx)
		if err != nil {
			return err
		}
		if err := rebuildRollups(tx); err != nil {
			return err
		}
		want, err := read(tx)
		if err != nil {
			return err
		}
		for k, v := range want {
			if stored[k] != v && len(diffs) < 10 {
				diffs = append(diffs, fmt.Sprintf("%s: stored %q, recount %q", k, stored[k], v))
			}
		}
		for k, v := range stored {
			if _, ok := want[k]; !ok && len(diffs) < 10 {
				diffs = append(diffs, fmt.Sprintf("%s: stored %q, recount none", k, v))
			}
		}
		return errRollback
	})
	if err != nil && err != errRollback {
		return nil, err
	}
	return diffs, nil
}

// PlansForTest runs fn and returns, for each query s ran meanwhile, SQLite's query plan
// (EXPLAIN QUERY PLAN, one line per step) with the query's text. SQLite only.
func PlansForTest(s *Store, fn func()) (map[string][]string, error) {
	type query struct {
		sql  string
		vars []any
	}
	var mu sync.Mutex
	var seen []query
	record := func(db *gorm.DB) {
		mu.Lock()
		seen = append(seen, query{db.Statement.SQL.String(), slices.Clone(db.Statement.Vars)})
		mu.Unlock()
	}
	name := fmt.Sprintf("test:plans_%p", &seen)
	if err := s.db.Callback().Query().After("gorm:query").Register(name, record); err != nil {
		return nil, err
	}
	if err := s.db.Callback().Row().After("gorm:row").Register(name, record); err != nil {
		return nil, err
	}
	fn()
	_ = s.db.Callback().Query().Remove(name)
	_ = s.db.Callback().Row().Remove(name)
	out := map[string][]string{}
	for _, q := range seen {
		var steps []struct {
			ID, Parent, Notused int
			Detail              string
		}
		if err := s.db.Session(&gorm.Session{NewDB: true}).Raw("EXPLAIN QUERY PLAN "+q.sql, q.vars...).Scan(&steps).Error; err != nil {
			return nil, fmt.Errorf("%s: %w", q.sql, err)
		}
		for _, st := range steps {
			out[q.sql] = append(out[q.sql], st.Detail)
		}
	}
	return out, nil
}
