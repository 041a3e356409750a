package store

// ExecForTest runs SQL on s's database, for tests that need a database state the API
// cannot make (a constraint parley does not know of, say).
func ExecForTest(s *Store, query string) error { return s.db.Exec(query).Error }

// ScalarForTest runs a query that returns one value, as text.
func ScalarForTest(s *Store, query string) (string, error) {
	var out string
	err := s.db.Raw(query).Row().Scan(&out)
	return out, err
}
