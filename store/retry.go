package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// txAttempts is how many times transact runs a transaction that PostgreSQL aborted for
// contention before it gives up: two PATCHes that make A the parent of B and B the parent
// of A lock the two rows in opposite orders, and one of them is chosen as the deadlock's
// victim; run again, it finds the other's change and answers for it (a 422 cycle here).
const txAttempts = 3

// retryBackoff is the first pause between attempts; it doubles, with jitter, so that
// the transactions that collided do not collide again in step.
const retryBackoff = 20 * time.Millisecond

// busyWait bounds how long a write waits for SQLite's single write lock before it is
// answered 503: within the process in writeLock, between processes in busy_timeout.
const busyWait = 5 * time.Second

// transact runs fn in one write transaction. When PostgreSQL aborts it for contention (a
// deadlock, a serialization failure, a lock timeout) it runs it again, whole, up to
// txAttempts times with a short jittered pause, as long as ctx lasts; the last error is
// returned, and dbError makes it a 503. fn must therefore produce the same writes from
// the same input when run again. Every write transaction of the store starts here (or in
// transactOnce), so contention has one answer; fn must not call transact itself.
func transact(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	for attempt := 1; ; attempt++ {
		err := transactOnce(ctx, db, fn)
		if err == nil || attempt >= txAttempts || !retryable(err) {
			return err
		}
		pause := retryBackoff << (attempt - 1)
		pause = pause/2 + rand.N(pause) // #nosec G404 -- backoff jitter, not a secret
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// transactOnce runs fn in one write transaction and does not retry it: for work that
// cannot run twice, such as an import, which consumes its records as it reads them.
func transactOnce(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	unlock, err := lockWrites(ctx, db)
	if err != nil {
		return err
	}
	defer unlock()
	wroteIn(ctx) // the request reads its writes: from the primary from now on
	return db.WithContext(ctx).Transaction(fn)
}

// retryable reports whether err is PostgreSQL aborting a transaction because of other
// transactions, which running it again may resolve: 40P01 deadlock_detected, 40001
// serialization_failure, 55P03 lock_not_available.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40P01", "40001", "55P03":
		return true
	}
	return false
}

// writeLock serialises the write transactions of one SQLite store within the process.
// SQLite has one writer at a time; without this, writers queue in SQLite's busy handler,
// which ignores the request's context, holds one of the pool's four connections while it
// sleeps (so reads starve behind writes waiting for an import) and ends in SQLITE_BUSY.
// Waiting here costs no connection, ends with the request, and is bounded by busyWait.
// It is a GORM plugin so that code holding only the *gorm.DB finds it.
type writeLock chan struct{}

const writeLockName = "parley:sqlite-write-lock"

// Name names the plugin.
func (writeLock) Name() string { return writeLockName }

// Initialize has nothing to set up.
func (writeLock) Initialize(*gorm.DB) error { return nil }

// lockWrites takes db's write lock, if it has one (SQLite), and returns its release. It
// fails with the context's error when ctx ends first, and with a 503 after busyWait.
func lockWrites(ctx context.Context, db *gorm.DB) (func(), error) {
	l, ok := db.Config.Plugins[writeLockName].(writeLock)
	if !ok {
		return func() {}, nil
	}
	select {
	case l <- struct{}{}:
		return func() { <-l }, nil
	default:
	}
	t := time.NewTimer(busyWait)
	defer t.Stop()
	select {
	case l <- struct{}{}:
		return func() { <-l }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, busy()
	}
}

// busy is the answer to a write that waited busyWait for the database's write lock.
func busy() error {
	return &models.Error{Code: models.EUNAVAILABLE, Message: "the database is busy with other writes (an import?); retry shortly"}
}
