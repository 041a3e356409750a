package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"time"
)

// Several parley processes may start at once on one database (replicas of a deployment,
// or `parley seed` beside a running server). The work each does once on a database,
// migrating and loading the built-in dataset, runs under a lock that every process on the
// same database takes. On PostgreSQL, Exclusive takes a transaction-scoped advisory lock,
// keyed by database and schema, in a transaction that stays open while its function runs
// (migrations run under goose's own lock, on a direct connection: see migrateTarget); on
// SQLite the write lock of a companion file, <database>-lock, which SQLite's own file
// locking releases when its process ends, however it ends.

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
// schema that db (a pool on the primary, never a read replica) works in; other schemas
// (each test has its own) do not wait for it. It is read on the pool that takes the lock:
// the migrations' own has no statement timeout.
func lockKey(ctx context.Context, db *sql.DB, name string) (int64, error) {
	var where string
	err := db.QueryRowContext(ctx, "SELECT current_database() || '.' || COALESCE(current_schema(), '')").Scan(&where)
	if err != nil {
		return 0, fmt.Errorf("store: lock %s: %w", name, err)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("parley " + name + " " + where)) // a hash.Hash never fails
	return int64(h.Sum64()), nil                           // #nosec G115 -- a hash: wrapping to negative keys is fine
}

// pgExclusive runs fn holding the advisory lock name, taken with
// pg_try_advisory_xact_lock in a transaction of its own that ends when fn returns.
//
// A session lock (pg_advisory_lock, then pg_advisory_unlock) would be wrong behind a
// transaction pooler: outside a transaction each statement may run on another server
// connection, so the lock would be taken on one, stay there when the pooler lends it to
// other clients, and the unlock would run on another, where it is not held. A transaction
// keeps its server connection until it ends, and its end releases the lock whatever
// happens to the process, on a direct connection as well. The transaction holds one
// connection of the pool (and of the pooler's) while fn runs its own work on others.
// Waiting is polling, each try a transaction of its own, rather than a blocking
// pg_advisory_xact_lock: a waiter blocked inside a transaction would hold a server
// connection of the pooler's small pool all along, and the holder's fn may need it.
func (s *Store) pgExclusive(ctx context.Context, name string, fn func(ctx context.Context) error) error {
	db, err := s.sqlDB()
	if err != nil {
		return err
	}
	key, err := lockKey(ctx, db, name)
	if err != nil {
		return err
	}
	wait := pgLockPollMin
	for {
		tx, locked, err := tryXactLock(ctx, db, key)
		if err != nil {
			return dbError(err, "lock")
		}
		if locked {
			// The transaction writes nothing: rolling it back is its end, and releases the lock.
			defer func() { _ = tx.Rollback() }()
			return fn(ctx)
		}
		select {
		case <-ctx.Done():
			return dbError(ctx.Err(), "lock")
		case <-time.After(wait):
		}
		wait = min(2*wait, pgLockPollMax)
	}
}

// The wait between two tries at a PostgreSQL advisory lock another process holds grows
// from pgLockPollMin to pgLockPollMax.
const (
	pgLockPollMin = 20 * time.Millisecond
	pgLockPollMax = 500 * time.Millisecond
)

// tryXactLock begins a transaction and tries the advisory lock key in it; the
// transaction is returned open when it holds the lock, and ended when not.
func tryXactLock(ctx context.Context, db *sql.DB, key int64) (*sql.Tx, bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	// The transaction idles while fn works: an idle-in-transaction timeout the role may
	// have must not end it (nor the lock with it).
	var locked bool
	if _, err = tx.ExecContext(ctx, "SET LOCAL idle_in_transaction_session_timeout = 0"); err == nil {
		err = tx.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock($1)", key).Scan(&locked)
	}
	if err != nil || !locked {
		_ = tx.Rollback()
		return nil, false, err
	}
	return tx, true, nil
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
