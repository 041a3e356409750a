package store

import "gorm.io/gorm"

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
