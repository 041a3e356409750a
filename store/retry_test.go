package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// sqliteErr stands for the SQLite driver's error, which the store knows by its Code.
type sqliteErr int

func (e sqliteErr) Error() string { return "sqlite error" }
func (e sqliteErr) Code() int     { return int(e) }

// TestTransactRetriesContention: a transaction PostgreSQL aborted for contention runs
// again, whole, a bounded number of times, and what still fails is a 503; anything
// else is answered at once, as it is.
func TestTransactRetriesContention(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, tc := range []struct {
			name     string
			err      error
			failures int // attempts that fail before one succeeds
			calls    int
			code     models.ErrorCode
		}{
			{"deadlock once", &pgconn.PgError{Code: "40P01"}, 1, 2, ""},
			{"serialization failure twice", &pgconn.PgError{Code: "40001"}, 2, 3, ""},
			{"deadlock every time", &pgconn.PgError{Code: "40P01"}, 99, store.TxAttempts, models.EUNAVAILABLE},
			{"lock timeout every time", &pgconn.PgError{Code: "55P03"}, 99, store.TxAttempts, models.EUNAVAILABLE},
			{"statement timeout", &pgconn.PgError{Code: "57014"}, 99, 1, models.EUNAVAILABLE},
			{"SQLite busy", sqliteErr(5), 99, 1, models.EUNAVAILABLE},
			{"SQLite busy snapshot", sqliteErr(517), 99, 1, models.EUNAVAILABLE},
			{"SQLite interrupted", sqliteErr(9), 99, 1, models.EUNAVAILABLE},
			{"a conflict", models.Errorf(models.ECONFLICT, "taken"), 99, 1, models.ECONFLICT},
			{"a bug", errors.New("boom"), 99, 1, models.EINTERNAL},
		} {
			calls := 0
			err := store.TransactForTest(bg, s, func() error {
				if calls++; calls <= tc.failures {
					return tc.err
				}
				return nil
			})
			if calls != tc.calls || models.ErrorCodeOf(err) != tc.code {
				t.Errorf("%s: %d calls, error %v; want %d calls and code %q", tc.name, calls, err, tc.calls, tc.code)
			}
		}

		// A cancelled request stops retrying.
		ctx, cancel := context.WithCancel(bg)
		calls := 0
		err := store.TransactForTest(ctx, s, func() error {
			calls++
			cancel()
			return &pgconn.PgError{Code: "40P01"}
		})
		if calls != 1 || models.ErrorCodeOf(err) != models.EUNAVAILABLE {
			t.Errorf("cancelled: %d calls, %v", calls, err)
		}
	})
}

// TestSQLiteWritesQueueWithTheRequest: on SQLite a write waits for another write
// transaction no longer than its request lasts, and never longer than BusyWait: then a
// 503, not a 500 after SQLite's busy timeout; meanwhile reads go on.
func TestSQLiteWritesQueueWithTheRequest(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, store.SQLite)
	holding, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = store.TransactForTest(bg, s, func() error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	defer func() { close(release); wg.Wait() }()

	ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := s.CreateActor(ctx, newActor("Kaja Kallas", models.ActorPerson, "EE"))
	if took := time.Since(start); models.ErrorCodeOf(err) != models.EUNAVAILABLE || took > 2*time.Second {
		t.Errorf("write with a 200 ms deadline behind another: %v after %v, want a 503 at the deadline", err, took)
	}
	// Reads do not queue behind waiting writers: the pool is not theirs to fill.
	var writers sync.WaitGroup
	for range 6 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			ctx, cancel := context.WithTimeout(bg, time.Second)
			defer cancel()
			_ = s.CreateActor(ctx, newActor("Waiting Writer", models.ActorPerson, ""))
		}()
	}
	time.Sleep(100 * time.Millisecond)
	start = time.Now()
	if _, err := s.ListActors(bg, store.ActorFilter{}); err != nil || time.Since(start) > time.Second {
		t.Errorf("read while writers wait: %v after %v", err, time.Since(start))
	}
	writers.Wait()
	if testing.Short() {
		return
	}
	start = time.Now()
	err = s.CreateActor(bg, newActor("Kaja Kallas", models.ActorPerson, "EE"))
	if took := time.Since(start); models.ErrorCodeOf(err) != models.EUNAVAILABLE || took < store.BusyWait || took > store.BusyWait+2*time.Second {
		t.Errorf("write without a deadline behind another: %v after %v, want a 503 after %v", err, took, store.BusyWait)
	}
}

// TestCancelledStatementIsNotInternal: a statement stopped because its request ended is
// a 503 (the API makes it a 499 when the client left), on SQLite too, where the driver
// reports it as an interrupted statement rather than a context error. (The SQLite driver
// interrupts statements it executes, not the steps of a query's rows.)
func TestCancelledStatementIsNotInternal(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		runaway := "SELECT pg_sleep(30)"
		if s.Dialect() == store.SQLite {
			runaway = "CREATE TEMP TABLE runaway AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c"
		}
		ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := store.ExecContextForTest(ctx, s, runaway)
		if models.ErrorCodeOf(err) != models.EUNAVAILABLE || time.Since(start) > 5*time.Second {
			t.Fatalf("cancelled query: %v after %v", err, time.Since(start))
		}
	})
}

// TestIdempotencyLease: a claimed key is held while its request runs (409 to a retry),
// and given to the next request once its lease has run out, as when the process that
// claimed it died; a completed answer is replayed until it expires.
func TestIdempotencyLease(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lease := store.IdempotencyLease
		claim := func(hash string) (*store.StoredResponse, error) {
			return s.ClaimIdempotencyKey(bg, "owner", "key-1", hash, lease)
		}
		if r, err := claim("h1"); r != nil || err != nil {
			t.Fatalf("first claim: %v %v", r, err)
		}
		if _, err := claim("h1"); models.ErrorCodeOf(err) != models.ECONFLICT {
			t.Fatalf("retry while running: %v, want a conflict", err)
		}
		must(t, store.AgeIdempotencyKeysForTest(s, lease-10*time.Second))
		if _, err := claim("h1"); models.ErrorCodeOf(err) != models.ECONFLICT {
			t.Fatalf("retry within the lease: %v, want a conflict", err)
		}
		must(t, store.AgeIdempotencyKeysForTest(s, lease+time.Second))
		if r, err := claim("h1"); r != nil || err != nil {
			t.Fatalf("retry after the lease ran out: %v %v, want the key", r, err)
		}
		if _, err := claim("h1"); models.ErrorCodeOf(err) != models.ECONFLICT {
			t.Fatalf("the new claim is held: %v", err)
		}
		must(t, s.CompleteIdempotencyKey(bg, "owner", "key-1", store.StoredResponse{Status: 201, Header: map[string]string{"ETag": `"1"`}, Body: []byte("{}")}))
		must(t, store.AgeIdempotencyKeysForTest(s, lease+time.Second))
		r, err := claim("h1")
		if err != nil || r == nil || r.Status != 201 || r.Header["ETag"] != `"1"` {
			t.Fatalf("replay of a completed key past the lease: %+v %v", r, err)
		}
		if _, err := claim("h2"); models.ErrorCodeOf(err) != models.EUNPROCESSABLE {
			t.Fatalf("another request with the key: %v", err)
		}
		must(t, store.AgeIdempotencyKeysForTest(s, store.IdempotencyTTL+time.Second))
		if r, err := claim("h2"); r != nil || err != nil {
			t.Fatalf("claim after the answer expired: %v %v", r, err)
		}
	})
}
