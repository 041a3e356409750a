package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// Read replicas. Every read goes to the primary unless its request opted in with
// ReplicaReads (the API does so for GET lists, exports, statistics, the timeline, the
// graph, networks and the changes feed). An opted-in request's first read picks one
// replica that is fit, opens one READ ONLY, REPEATABLE READ transaction on it, and every
// later read of the request runs in that transaction: a page, its children and its
// embeds come from one snapshot of one replica. A request that writes (a create, an
// update, a delete, a raw statement or a write transaction of the store) reads from the
// primary from then on, so it sees its writes. Anything else (a GET by id, the API key
// look-up, an Idempotency-Key claim, every write) never leaves the primary.
//
// A replica is fit when its last health check, run in the background every
// Options.ReplicaCheckInterval, found it answering, in recovery (a standby) and at most
// Options.ReplicaMaxLag behind the primary. The lag is measured on WAL positions: each
// check records the primary's pg_current_wal_lsn() with the time it was read, and a
// replica that has replayed up to the position recorded at time T is at most now - T
// behind. (now() - pg_last_xact_replay_timestamp() would call an idle primary's
// replica stale.) When no replica is fit, or the chosen one refuses a connection, the
// request reads from the primary. No request waits for a health check.

// DefaultReplicaMaxLag is how far behind the primary a replica may be and still serve reads.
const DefaultReplicaMaxLag = 5 * time.Second

// DefaultReplicaCheckInterval is how often the replicas' health and lag are checked.
const DefaultReplicaCheckInterval = time.Second

// replicaCheckTimeout bounds one replica's health check, so that a replica that hangs
// is found unfit rather than stalling the checks of the others.
const replicaCheckTimeout = 2 * time.Second

// replicaSet is a store's read replicas and their health.
type replicaSet struct {
	primary  *sql.DB
	replicas []*replica
	maxLag   time.Duration
	interval time.Duration
	log      *slog.Logger
	next     atomic.Uint64 // round-robin among the fit replicas

	mu      sync.Mutex // guards samples: the first check runs in Open, the others in the background
	samples []lsnSample

	stop context.CancelFunc
	done chan struct{}
}

// lsnSample is the primary's WAL position at a time.
type lsnSample struct {
	at  time.Time
	lsn int64
}

// replica is one read replica's pool and health.
type replica struct {
	name string // the URL without its password, for logs
	db   *sql.DB
	fit  atomic.Bool
	lag  atomic.Int64 // nanoseconds, as of the last check (-1: unknown)
	mu   sync.Mutex
	err  string // why the last check found it unfit
}

// ReplicaState is a read replica's health as of its last check.
type ReplicaState struct {
	URL string `json:"url"`
	// Fit replicas serve the reads of requests that opted in.
	Fit bool `json:"fit"`
	// Lag is an upper bound of how far behind the primary it was (-1: unknown).
	Lag time.Duration `json:"lag"`
	// Reason says why it is unfit.
	Reason string `json:"reason,omitempty"`
}

// openReplicas opens a pool per replica URL and registers the routing callbacks on db.
func openReplicas(db *gorm.DB, cfg *gorm.Config, log *slog.Logger, opts Options) (*replicaSet, error) {
	primary, err := db.DB()
	if err != nil {
		return nil, err
	}
	rs := &replicaSet{primary: primary, maxLag: opts.ReplicaMaxLag, interval: opts.ReplicaCheckInterval, log: log}
	if rs.maxLag <= 0 {
		rs.maxLag = DefaultReplicaMaxLag
	}
	if rs.interval <= 0 {
		rs.interval = DefaultReplicaCheckInterval
	}
	n := opts.MaxOpenConns
	if n <= 0 {
		n = 20
	}
	for _, u := range opts.ReadReplicas {
		d, dsn, err := parseURL(u)
		if err != nil {
			rs.close()
			return nil, err
		}
		if d != Postgres {
			rs.close()
			return nil, fmt.Errorf("store: read replica %q is not a postgres:// URL", redact(u))
		}
		// A replica URL may lead through a transaction pooler of its own (pool_mode=transaction):
		// it gets the same execution mode and no session SETs (see pgSessionSettings).
		target, err := parsePostgres(dsn)
		if err != nil {
			rs.close()
			return nil, err
		}
		rdb, err := gorm.Open(pgDialector(target, opts.StatementTimeout), &gorm.Config{Logger: cfg.Logger, DisableAutomaticPing: true})
		if err != nil {
			rs.close()
			return nil, fmt.Errorf("store: open read replica %s: %w", redact(u), err)
		}
		sqlDB, err := rdb.DB()
		if err != nil {
			rs.close()
			return nil, err
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		r := &replica{name: redact(u), db: sqlDB}
		r.lag.Store(-1)
		r.err = "not checked yet"
		rs.replicas = append(rs.replicas, r)
	}
	if err := rs.register(db); err != nil {
		rs.close()
		return nil, err
	}
	return rs, nil
}

// start runs a first check (so that a healthy replica serves from the start) and then
// checks in the background until close.
func (rs *replicaSet) start(ctx context.Context) {
	rs.check(ctx)
	bg, stop := context.WithCancel(context.Background())
	rs.stop, rs.done = stop, make(chan struct{})
	go func() {
		defer close(rs.done)
		t := time.NewTicker(rs.interval)
		defer t.Stop()
		for {
			select {
			case <-bg.Done():
				return
			case <-t.C:
				rs.check(bg)
			}
		}
	}()
}

// close stops the checks and closes the replicas' pools.
func (rs *replicaSet) close() {
	if rs.stop != nil {
		rs.stop()
		<-rs.done
	}
	for _, r := range rs.replicas {
		_ = r.db.Close()
	}
}

// check measures every replica once: the primary's WAL position first, then each
// replica's replayed position, compared with the positions the primary had before.
func (rs *replicaSet) check(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, replicaCheckTimeout)
	defer cancel()
	var lsn int64
	// The position is read at or after before: a replica that has replayed it holds
	// every commit made before before, and lags at most now - before.
	before := time.Now()
	err := rs.primary.QueryRowContext(cctx, "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint").Scan(&lsn)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if err != nil {
		// Without the primary's position no lag can be bounded; reads that would have
		// gone to a replica go to the primary, which is down or busy anyway.
		for _, r := range rs.replicas {
			r.set(false, -1, "the primary's WAL position is unknown: "+err.Error(), rs.log)
		}
		return
	}
	now := time.Now()
	rs.samples = append(rs.samples, lsnSample{at: before, lsn: lsn})
	// Keep the samples that can still tell a fit replica: those younger than the
	// bound, and the newest older one.
	cut := 0
	for cut < len(rs.samples)-1 && now.Sub(rs.samples[cut+1].at) > rs.maxLag {
		cut++
	}
	rs.samples = rs.samples[cut:]
	var wg sync.WaitGroup
	for _, r := range rs.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs.checkOne(ctx, r)
		}()
	}
	wg.Wait()
}

// checkOne measures one replica against the samples of the primary's WAL position.
func (rs *replicaSet) checkOne(ctx context.Context, r *replica) {
	cctx, cancel := context.WithTimeout(ctx, min(replicaCheckTimeout, max(rs.interval, 100*time.Millisecond)))
	defer cancel()
	var standby bool
	var replayed sql.NullInt64
	err := r.db.QueryRowContext(cctx, "SELECT pg_is_in_recovery(), (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint").Scan(&standby, &replayed)
	switch {
	case err != nil:
		r.set(false, -1, "does not answer: "+err.Error(), rs.log)
		return
	case !standby || !replayed.Valid:
		// A primary (a promoted standby, or a wrong URL) may hold other data entirely.
		r.set(false, -1, "is not a standby (pg_is_in_recovery() is false)", rs.log)
		return
	}
	now := time.Now()
	for i := len(rs.samples) - 1; i >= 0; i-- {
		if rs.samples[i].lsn <= replayed.Int64 {
			lag := now.Sub(rs.samples[i].at)
			if lag > rs.maxLag {
				r.set(false, lag, fmt.Sprintf("lags %s behind the primary (bound %s)", lag.Round(time.Millisecond), rs.maxLag), rs.log)
			} else {
				r.set(true, lag, "", rs.log)
			}
			return
		}
	}
	r.set(false, -1, fmt.Sprintf("has not replayed the primary's WAL of %s ago (bound %s)", now.Sub(rs.samples[0].at).Round(time.Millisecond), rs.maxLag), rs.log)
}

// set records a replica's health, logging when its fitness changes.
func (r *replica) set(fit bool, lag time.Duration, reason string, log *slog.Logger) {
	r.mu.Lock()
	defer r.mu.Unlock()
	was := r.fit.Swap(fit)
	r.lag.Store(int64(lag))
	r.err = reason
	switch {
	case was && !fit:
		log.Warn("read replica skipped", "replica", r.name, "reason", reason)
	case !was && fit:
		log.Info("read replica serves reads", "replica", r.name, "lag", lag)
	}
}

// pick returns a fit replica, round-robin, or nil when none is.
func (rs *replicaSet) pick() *replica {
	n := uint64(len(rs.replicas))
	start := rs.next.Add(1)
	for i := range n {
		if r := rs.replicas[(start+i)%n]; r.fit.Load() {
			return r
		}
	}
	return nil
}

// route is the replica state of one request that opted in.
type route struct {
	rs    *replicaSet
	mu    sync.Mutex
	wrote bool    // a write happened: read from the primary from now on
	tried bool    // the replica transaction was attempted
	tx    *sql.Tx // the request's read-only transaction on its replica, or nil
}

type routeKey struct{}

// ReplicaReads lets the reads made with the returned context go to a read replica (see
// the comment at the top of replicas.go); done ends the replica transaction and must be
// called when the request is over. Without replicas ctx is returned as it is. Use it
// only for requests that tolerate data up to Options.ReplicaMaxLag old: lists, exports,
// aggregates; never for a look-up that must see a write just made elsewhere.
func (s *Store) ReplicaReads(ctx context.Context) (_ context.Context, done func()) {
	if s.replicas == nil || len(s.replicas.replicas) == 0 {
		return ctx, func() {}
	}
	r := &route{rs: s.replicas}
	return context.WithValue(ctx, routeKey{}, r), r.end
}

// conn returns the request's replica transaction, opening it on the first read; nil
// sends the read to the primary.
func (r *route) conn(ctx context.Context) gorm.ConnPool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.wrote {
		return nil
	}
	if !r.tried {
		r.tried = true
		rep := r.rs.pick()
		if rep == nil {
			return nil
		}
		tx, err := rep.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
		if err != nil {
			if ctx.Err() == nil {
				// The replica went away since its last check: skip it until the next.
				rep.set(false, -1, "refused a transaction: "+err.Error(), r.rs.log)
			}
			return nil
		}
		r.tx = tx
	}
	if r.tx == nil {
		return nil
	}
	return r.tx
}

// markWrote sends the rest of the request's reads to the primary.
func (r *route) markWrote() {
	r.mu.Lock()
	r.wrote = true
	r.mu.Unlock()
}

// end finishes the replica transaction (it wrote nothing: a rollback is its end).
func (r *route) end() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tx != nil {
		_ = r.tx.Rollback()
		r.tx = nil
	}
	r.tried = true
}

// routeOf returns the request's route, if it opted in.
func routeOf(ctx context.Context) *route {
	if ctx == nil {
		return nil
	}
	r, _ := ctx.Value(routeKey{}).(*route)
	return r
}

// wroteIn records that ctx's request writes (transactOnce calls it for every write
// transaction of the store).
func wroteIn(ctx context.Context) {
	if r := routeOf(ctx); r != nil {
		r.markWrote()
	}
}

const routeCallback = "parley:replica_route"

// register installs the routing on db's callbacks: reads outside a transaction of a
// request that opted in go to its replica transaction; any write marks the request.
func (rs *replicaSet) register(db *gorm.DB) error {
	cb := db.Callback()
	read := func(tx *gorm.DB) {
		r := routeOf(tx.Statement.Context)
		if r == nil || tx.Statement.ConnPool != rs.primary {
			return // not opted in, or inside a transaction (the store's own, on the primary)
		}
		if _, locking := tx.Statement.Clauses["FOR"]; locking {
			return
		}
		if c := r.conn(tx.Statement.Context); c != nil {
			tx.Statement.ConnPool = c
		}
	}
	wrote := func(tx *gorm.DB) { wroteIn(tx.Statement.Context) }
	return errors.Join(
		cb.Query().Before("gorm:query").Register(routeCallback, read),
		cb.Row().Before("gorm:row").Register(routeCallback, read),
		cb.Create().Before("*").Register(routeCallback, wrote),
		cb.Update().Before("*").Register(routeCallback, wrote),
		cb.Delete().Before("*").Register(routeCallback, wrote),
		cb.Raw().Before("*").Register(routeCallback, wrote),
	)
}

// ReplicaStatus reports every read replica's health as of its last check.
func (s *Store) ReplicaStatus() []ReplicaState {
	if s.replicas == nil {
		return nil
	}
	out := make([]ReplicaState, 0, len(s.replicas.replicas))
	for _, r := range s.replicas.replicas {
		r.mu.Lock()
		out = append(out, ReplicaState{URL: r.name, Fit: r.fit.Load(), Lag: time.Duration(r.lag.Load()), Reason: r.err})
		r.mu.Unlock()
	}
	return out
}

// redact drops the password from a database URL, for logs and errors.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
