package store

// ExecForTest runs SQL on s's database, for tests that need a database state the API
// cannot make (a constraint parley does not know of, say).
func ExecForTest(s *Store, query string) error { return s.db.Exec(query).Error }
