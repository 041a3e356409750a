package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// TransactForTest runs fn as the body of a write transaction through transact, the retry
// every write of the store goes through, and maps its error as the store does.
func TransactForTest(ctx context.Context, s *Store, fn func() error) error {
	return dbError(transact(ctx, s.db, func(*gorm.DB) error { return fn() }), "test")
}

// ExecContextForTest runs a statement under ctx and maps its error as the store does.
func ExecContextForTest(ctx context.Context, s *Store, query string) error {
	return dbError(s.db.WithContext(ctx).Exec(query).Error, "test")
}

// AgeIdempotencyKeysForTest moves every Idempotency-Key's claim by back into the past, as
// if its request had started then (a process that died holding it, say).
func AgeIdempotencyKeysForTest(s *Store, by time.Duration) error {
	return s.db.Table("idempotency_keys").Where("1 = 1").Update("created_at", now().Add(-by)).Error
}

// BusyWait is how long a write waits for SQLite's write lock.
const BusyWait = busyWait

// TxAttempts is how many times transact runs a transaction aborted for contention.
const TxAttempts = txAttempts
