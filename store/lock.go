package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"time"
)

// Several parley processes may start at once on one database (replicas of a deployment,
// or `parley seed` beside a running server). The work each does once on a database,
// migrating and loading the built-in dataset, runs under a lock that every process on the
// same database takes: a session advisory lock on PostgreSQL, keyed by database and
// schema; on SQLite the write lock of a companion file, <database>-lock, which SQLite's
// own file locking releases when its process ends, however it ends.

// Exclusive runs fn while holding the store's exclusive lock: parley processes sharing
// the database run such functions one at a time, so fn may check the database and act on
// what it saw (seed it if empty, say) without another doing the same meanwhile. fn's own
// writes use the store as usual; the lock holds back no other reader or writer, only
// other Exclusive calls (and, on SQLite, migrations). It is not reentrant. Waiting for
// the lock ends with ctx.
func (s *Store) Exclusive(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.dialect == Postgres {
		return s.pgExclusive(ctx, "exclusive", fn)
	}
	return s.sqliteExclusive(ctx, fn)
}

// lockKey is the PostgreSQL advisory lock key of the lock called name on the database and
// schema s works in; other schemas (each test has its own) do not wait for it.
func (s *Store) lockKey(ctx context.Context, name string) (int64, error) {
	db, err := s.sqlDB() // the primary, never a read replica
	if err != nil {
		return 0, err
	}
	var where string
	err = db.QueryRowContext(ctx, "SELECT current_database() || '.' || COALESCE(current_schema(), '')").Scan(&where)
	if err != nil {
		return 0, fmt.Errorf("store: lock %s: %w", name, err)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("parley " + name + " " + where)) // a hash.Hash never fails
	return int64(h.Sum64()), nil                           // #nosec G115 -- a hash: wrapping to negative keys is fine
}

// pgExclusive runs fn holding the session advisory lock name on one connection of the pool.
func (s *Store) pgExclusive(ctx context.Context, name string, fn func(ctx context.Context) error) (err error) {
	key, err := s.lockKey(ctx, name)
	if err != nil {
		return err
	}
	db, err := s.sqlDB()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return dbError(err, "lock")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		// A lock granted as the wait was cancelled must not stay with a pooled connection.
		discard(conn)
		return dbError(err, "lock")
	}
	defer func() {
		var unlocked bool
		uerr := conn.QueryRowContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key).Scan(&unlocked)
		if uerr != nil || !unlocked {
			discard(conn)
		}
		if uerr != nil && err == nil {
			err = dbError(uerr, "unlock")
		}
	}()
	return fn(ctx)
}

// discard makes the pool close conn rather than reuse it: closing the session is what
// surely releases its advisory locks.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// sqliteLockPoll is how long one attempt at the SQLite lock file waits before the wait
// checks its context again.
const sqliteLockPoll = 250 * time.Millisecond

// sqliteExclusive runs fn holding the write lock of the database's lock file. An
// in-memory database, which no other process can open, needs no lock.
func (s *Store) sqliteExclusive(ctx context.Context, fn func(ctx context.Context) error) error {
	path, err := s.sqliteFile(ctx)
	if err != nil {
		return err
	}
	if path == "" {
		return fn(ctx)
	}
	lockDB, err := sql.Open("sqlite", "file:"+path+"-lock?_pragma=busy_timeout("+fmt.Sprint(sqliteLockPoll.Milliseconds())+")")
	if err != nil {
		return fmt.Errorf("store: open lock file: %w", err)
	}
	defer lockDB.Close()
	conn, err := lockDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: open lock file: %w", err)
	}
	defer conn.Close()
	for {
		// BEGIN IMMEDIATE takes the file's write lock or, after the busy timeout, fails
		// with SQLITE_BUSY; the file is never written.
		_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			break
		}
		if sqliteCode(err) != sqliteBusy {
			return fmt.Errorf("store: lock: %w", err)
		}
		if ctx.Err() != nil {
			return dbError(ctx.Err(), "lock")
		}
	}
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") }()
	return fn(ctx)
}

// sqliteFile is the path of the main database file, or "" for an in-memory database.
func (s *Store) sqliteFile(ctx context.Context) (string, error) {
	rows, err := s.db.WithContext(ctx).Raw("PRAGMA database_list").Rows()
	if err != nil {
		return "", fmt.Errorf("store: database file: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			seq        int
			name, file string
		)
		if err := rows.Scan(&seq, &name, &file); err != nil {
			return "", fmt.Errorf("store: database file: %w", err)
		}
		if name == "main" {
			return file, rows.Err()
		}
	}
	return "", rows.Err()
}
