package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/parley-api/parley/models"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database family behind a Store.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store is parley's database. It is safe for concurrent use.
type Store struct {
	db      *gorm.DB
	dialect Dialect
	log     *slog.Logger
	// migrateDSN is where migrations run, on a pool of their own (see migrationPool):
	// a direct connection when the database URL leads through a transaction pooler.
	// Empty (SQLite): on the store's own pool. migrateErr, when set, is why migrations
	// cannot run at all.
	migrateDSN string
	migrateErr error
	// words caches how common the words of events' search text are (PostgreSQL).
	words wordStats
	// replicas are the read replicas, nil without any.
	replicas *replicaSet
	// noRollups makes reads count from the events even where the roll-ups could answer,
	// for tests that compare the two.
	noRollups bool
}

// Options tune Open; the zero value is fine.
type Options struct {
	// Logger receives slow-query and error logs; nil discards them.
	Logger *slog.Logger
	// MaxOpenConns caps the PostgreSQL pool (default 20).
	MaxOpenConns int
	// ReadReplicas are PostgreSQL streaming replicas of the primary. They serve only the
	// reads of requests that opted in with ReplicaReads, and only while fit (see
	// replicas.go); everything else reads from the primary.
	ReadReplicas []string
	// ReplicaMaxLag is how far behind the primary a replica may be and still serve
	// reads (default DefaultReplicaMaxLag).
	ReplicaMaxLag time.Duration
	// ReplicaCheckInterval is how often the replicas' health and lag are checked in the
	// background (default DefaultReplicaCheckInterval).
	ReplicaCheckInterval time.Duration
	// StatementTimeout bounds every PostgreSQL statement on the server (0: none), so that
	// no request can hold a connection longer, whatever happens to its client. Imports
	// lift it inside their own transaction. Through a transaction pooler it is the
	// database's setting instead (see pgSessionSettings), and Open warns when that differs.
	StatementTimeout time.Duration
	// MigrateURL is a direct connection to the primary (no transaction pooler) that
	// migrations use; empty: the database URL. A database URL with pool_mode=transaction
	// needs it to migrate (see migrationPool).
	MigrateURL string
}

// DefaultURL is the embedded database a fresh machine gets.
const DefaultURL = "sqlite:parley.db"

// Open connects to the database named by rawURL: "postgres://…" or "postgresql://…" for
// PostgreSQL; "sqlite:PATH", "file:PATH" or a bare path for SQLite. It does not migrate.
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	if err := checkKinds(); err != nil {
		return nil, err
	}
	dialect, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                now,
		Logger: quietLogger{logger.NewSlogLogger(log, logger.Config{
			SlowThreshold:             slowQuery,
			IgnoreRecordNotFoundError: true,
			LogLevel:                  logger.Warn,
		}), logger.Warn},
	}
	var (
		dialector gorm.Dialector
		target    pgTarget
	)
	if dialect == Postgres {
		if target, err = parsePostgres(dsn); err != nil {
			return nil, err
		}
		dialector = pgDialector(target, opts.StatementTimeout)
	} else {
		dialector = sqlite.Open(dsn)
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		// One writer at a time is SQLite's model; a small pool avoids lock churn while
		// WAL lets readers proceed, and writers queue in writeLock, not in the pool.
		sqlDB.SetMaxOpenConns(4)
		if err := db.Use(make(writeLock, 1)); err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
	} else {
		n := opts.MaxOpenConns
		if n <= 0 {
			n = 20
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, dialect: dialect, log: log}
	if dialect == Postgres {
		s.migrateDSN, s.migrateErr, err = migrateTarget(target, opts)
		if err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
	}
	if len(opts.ReadReplicas) > 0 {
		if dialect != Postgres {
			_ = sqlDB.Close()
			return nil, errors.New("store: read replicas need PostgreSQL")
		}
		if s.replicas, err = openReplicas(db, cfg, log, opts); err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Ping(pingCtx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: connect %s: %w", dialect, err)
	}
	if target.pooled {
		s.checkPooledSettings(pingCtx, opts.StatementTimeout)
	}
	if s.replicas != nil {
		s.replicas.start(pingCtx)
	}
	return s, nil
}

// pgSessionSettings are what parley wants of every PostgreSQL session:
//   - plan_cache_mode = force_custom_plan. pgx prepares every statement, and after five
//     runs PostgreSQL may switch a prepared statement to a generic plan, priced for an
//     average actor; for the top actor of a million events (a tenth of them) that plan
//     sorted every one of its events for a page of 50, 5 to 100 times slower. A custom
//     plan costs a planning per run and sees the actor;
//   - jit = off. PostgreSQL compiles a statement whose estimated cost passes
//     jit_above_cost; an estimate far off (an actor's events with match=all) spent 60 ms
//     compiling a statement that ran in 2;
//   - max_parallel_workers_per_gather = 0. A page of an actor's timeline (501 rows of an
//     index walk) was planned as a Gather Merge over two workers: 885 ms on a busy
//     2-core machine against 187 ms alone. parley's requests are many and small, and
//     the large aggregations read the roll-ups; workers only queue behind each other;
//   - statement_timeout, when the timeout is > 0.
//
// On a direct connection parley sets them itself, after each connection is made (as SET
// statements: they are session state). Through a transaction pooler it cannot: a session
// SET runs on whichever server connection the pooler lends for that one statement, stays
// with that server connection for every other client it serves later, and the client's
// next transaction runs on another one that never saw it. Start-up parameters do not
// help either: PgBouncer 1.18 refuses every start-up parameter but a few it tracks itself
// (client_encoding, DateStyle, TimeZone, standard_conforming_strings, application_name)
// unless told to ignore it, which drops it. So behind a pooler these are the database's
// (or the role's) own defaults, which every server connection starts with, set once by
// the operator:
//
//	ALTER ROLE parley IN DATABASE parley SET statement_timeout = '30s';
//	ALTER ROLE parley IN DATABASE parley SET jit = off;
//	ALTER ROLE parley IN DATABASE parley SET max_parallel_workers_per_gather = 0;
//
// plan_cache_mode is then moot: without named prepared statements (see parsePostgres)
// PostgreSQL plans every statement with its own parameters. Open checks the other
// settings through the pooler and logs a warning when they differ. ALTER ROLE and ALTER
// DATABASE settings are catalogue rows, so streaming replicas have them too.
func pgSessionSettings(timeout time.Duration) string {
	set := "SET plan_cache_mode = force_custom_plan; SET jit = off; SET max_parallel_workers_per_gather = 0"
	if timeout > 0 {
		set += fmt.Sprintf("; SET statement_timeout = %d", max(1, timeout.Milliseconds()))
	}
	return set
}

// pgDialector opens PostgreSQL at t, making pgSessionSettings on every new connection
// unless t leads through a transaction pooler.
func pgDialector(t pgTarget, timeout time.Duration) gorm.Dialector {
	cfg := postgres.Config{DSN: t.dsn}
	if !t.pooled {
		set := pgSessionSettings(timeout)
		cfg.OptionOpenDB = []stdlib.OptionOpenDB{stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
			_, err := c.Exec(ctx, set)
			return err
		})}
	}
	return postgres.New(cfg)
}

// poolModeParam is the query parameter of a postgres:// URL that says the URL leads
// through a transaction pooler: pool_mode=transaction (PgBouncer's own words). It is
// parley's, not libpq's or pgx's, and is removed before pgx sees the URL (pgx would send
// it to the server as a start-up parameter, which PgBouncer refuses).
const poolModeParam = "pool_mode"

// pooledExecMode is the pgx query execution mode parley uses through a transaction
// pooler, unless the URL names one with default_query_exec_mode.
//
// pgx's default, cache_statement, prepares named statements on a connection and reuses
// them: through PgBouncer 1.18 in transaction mode the next statement may run on another
// server connection, where the name does not exist ("prepared statement … does not
// exist"), or on one where another client made the same name ("… already exists").
// cache_describe uses only the unnamed statement: the first run of a query asks the
// server for its parameter and result types (one round trip of its own), and every run,
// that first one included, then sends parse, bind and execute together, in one round
// trip that the pooler cannot split. It keeps what the default mode gives parley: the
// server's parameter types (exec and simple_protocol guess them from Go types, which
// sends a []byte as bytea) and binary results. describe_exec is unsafe: it describes and
// executes the unnamed statement in two round trips, possibly on two server connections.
// (PgBouncer 1.21 and later can track named statements with max_prepared_statements > 0;
// there default_query_exec_mode=cache_statement in the URL restores pgx's default.)
const pooledExecMode = "cache_describe"

// pgTarget is one PostgreSQL URL as parley connects to it.
type pgTarget struct {
	dsn    string // for pgx: without pool_mode, with the execution mode a pooler needs
	pooled bool   // the URL leads through a transaction pooler
}

// parsePostgres reads a postgres:// URL's pool_mode: transaction or session (the
// default: a direct connection or a session pooler, where a client keeps its server
// connection).
func parsePostgres(raw string) (pgTarget, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return pgTarget{}, fmt.Errorf("store: database URL: %w", err)
	}
	q := u.Query()
	if !q.Has(poolModeParam) {
		return pgTarget{dsn: raw}, nil
	}
	mode := q.Get(poolModeParam)
	q.Del(poolModeParam)
	t := pgTarget{}
	switch mode {
	case "session":
	case "transaction":
		t.pooled = true
		if !q.Has("default_query_exec_mode") {
			q.Set("default_query_exec_mode", pooledExecMode)
		}
	default:
		return pgTarget{}, fmt.Errorf("store: %s=%q in %s: want transaction or session", poolModeParam, mode, redact(raw))
	}
	u.RawQuery = q.Encode()
	t.dsn = u.String()
	return t, nil
}

// errPooledMigrate is why a store whose URL leads through a transaction pooler cannot
// migrate without Options.MigrateURL.
var errPooledMigrate = errors.New("store: the database URL leads through a transaction pooler (pool_mode=transaction): " +
	"migrations need a direct connection to the primary (--migrate-url, PARLEY_MIGRATE_URL)")

// migrateTarget says where the migrations of a PostgreSQL store at t run (see
// migrationPool): Options.MigrateURL when given, else the database URL. Through a
// transaction pooler without MigrateURL they cannot run, for three reasons: goose holds a
// session advisory lock while it migrates, so that instances starting at once apply each
// migration once, and a session lock taken through a transaction pooler stays with a
// server connection lent to others and is released on another, where it is not held; a
// migration marked NO TRANSACTION (CREATE INDEX CONCURRENTLY) or one that SETs anything
// needs one session; and a long backfill should not hold a pooled server connection. The
// direct URL must not itself be pooled.
func migrateTarget(t pgTarget, opts Options) (dsn string, cannot, err error) {
	if opts.MigrateURL == "" {
		if t.pooled {
			return "", errPooledMigrate, nil
		}
		return t.dsn, nil, nil
	}
	d, raw, err := parseURL(opts.MigrateURL)
	if err != nil {
		return "", nil, err
	}
	if d != Postgres {
		return "", nil, fmt.Errorf("store: migration URL %s is not a postgres:// URL", redact(opts.MigrateURL))
	}
	m, err := parsePostgres(raw)
	if err != nil {
		return "", nil, err
	}
	if m.pooled {
		return "", nil, fmt.Errorf("store: migration URL %s leads through a transaction pooler: migrations need a direct connection", redact(opts.MigrateURL))
	}
	return m.dsn, nil, nil
}

// migrationPool returns the pool migrations run on and a function that releases it. On
// PostgreSQL it is a pool of its own, whose sessions have no statement timeout: neither
// the store's, meant for requests, nor the one the role or database may have as its
// default (which parley asks for behind a pooler): a migration of a large database may
// take minutes.
func (s *Store) migrationPool() (*sql.DB, func(), error) {
	if s.migrateErr != nil {
		return nil, nil, s.migrateErr
	}
	if s.migrateDSN == "" {
		db, err := s.sqlDB()
		return db, func() {}, err
	}
	cfg, err := pgx.ParseConfig(s.migrateDSN)
	if err != nil {
		return nil, nil, fmt.Errorf("store: migration URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, "SET statement_timeout = 0")
		return err
	}))
	return db, func() { _ = db.Close() }, nil
}

// checkPooledSettings compares, through a transaction pooler, the session settings
// every server connection starts with against what parley wants (see
// pgSessionSettings), and logs a warning saying how to set them when they differ.
func (s *Store) checkPooledSettings(ctx context.Context, timeout time.Duration) {
	var (
		ms                  int64
		jit, parallel, role string
	)
	err := s.db.WithContext(ctx).Raw("SELECT setting::bigint, current_setting('jit'), current_setting('max_parallel_workers_per_gather'), current_user "+
		"FROM pg_settings WHERE name = 'statement_timeout'").Row().Scan(&ms, &jit, &parallel, &role)
	if err != nil {
		s.log.Warn("could not read the database's session settings through the pooler", "err", err)
		return
	}
	var differ []string
	if want := max(0, timeout.Milliseconds()); ms != want {
		differ = append(differ, fmt.Sprintf("statement_timeout is %d ms, want %d ms (ALTER ROLE %s SET statement_timeout = %d)", ms, want, role, want))
	}
	if jit != "off" {
		differ = append(differ, fmt.Sprintf("jit is %s, want off (ALTER ROLE %s SET jit = off)", jit, role))
	}
	if parallel != "0" {
		differ = append(differ, fmt.Sprintf("max_parallel_workers_per_gather is %s, want 0 (ALTER ROLE %s SET max_parallel_workers_per_gather = 0)", parallel, role))
	}
	if len(differ) > 0 {
		s.log.Warn("through a transaction pooler parley cannot set its session settings: the database's defaults differ; "+
			"set them for its role or database (see README, Performance and scale)", "differ", strings.Join(differ, "; "))
	}
}

// parseURL maps a database URL to a dialect and a driver DSN. SQLite gets foreign keys,
// WAL, a busy timeout and immediate write transactions.
func parseURL(raw string) (Dialect, string, error) {
	switch {
	case raw == "":
		return "", "", errors.New("store: empty database URL")
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		return Postgres, raw, nil
	}
	path := raw
	for _, p := range []string{"sqlite://", "sqlite:", "file:"} {
		if strings.HasPrefix(path, p) {
			path = strings.TrimPrefix(path, p)
			break
		}
	}
	query := ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
	}
	if path == "" {
		return "", "", fmt.Errorf("store: %q names no SQLite file", raw)
	}
	if strings.Contains(path, "://") {
		return "", "", fmt.Errorf("store: unsupported database URL %q (want postgres:// or a SQLite path)", raw)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", "", fmt.Errorf("store: create %s: %w", dir, err)
		}
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", "", fmt.Errorf("store: bad SQLite options in %q: %w", raw, err)
	}
	// busy_timeout bounds the wait for a write lock another process holds (within the
	// process, writeLock does): then SQLITE_BUSY, a 503, rather than a request that hangs.
	busyTimeout := fmt.Sprintf("busy_timeout(%d)", busyWait.Milliseconds())
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", busyTimeout, "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	// Write transactions take the lock at BEGIN, so a read-then-write cannot fail with
	// SQLITE_BUSY halfway. (No _time_format: the driver stops reading options after it,
	// and its default already writes the sortable "2006-01-02 15:04:05.999999999-07:00".)
	q.Set("_txlock", "immediate")
	return SQLite, "file:" + path + "?" + q.Encode(), nil
}

// Dialect reports which database family the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Stats reports the primary connection pool, for the metrics.
func (s *Store) Stats() sql.DBStats {
	db, err := s.db.DB()
	if err != nil {
		return sql.DBStats{}
	}
	return db.Stats()
}

// Close releases the connections.
func (s *Store) Close() error {
	if s.replicas != nil {
		s.replicas.close()
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// SQLDB exposes the pool for the migration runner.
func (s *Store) sqlDB() (*sql.DB, error) { return s.db.DB() }

// now is the clock for every timestamp parley writes: UTC, at microsecond precision so
// that PostgreSQL and SQLite store and return the same value.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// IsEmpty reports whether the database holds no entity of any kind, so that first start
// knows to load the built-in dataset.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	for _, k := range models.Kinds {
		t := k.Table
		// Count ignores Limit: fetch one id instead of counting the table.
		var ids []models.ID
		if err := s.db.WithContext(ctx).Table(t).Limit(1).Pluck("id", &ids).Error; err != nil {
			return false, dbError(err, t)
		}
		if len(ids) > 0 {
			return false, nil
		}
	}
	return true, nil
}

// Fingerprint summarises the whole database: the row count of every table and the sum of
// entity versions. Any write changes it, so tests use it to prove that a rejected
// request wrote nothing.
func (s *Store) Fingerprint(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	db := s.db.WithContext(ctx)
	var tables []string
	for _, k := range models.Kinds {
		tables = append(tables, kindTables(k)...)
	}
	for _, t := range append(tables, "revisions", "redirects") {
		var n int64
		if err := db.Table(t).Count(&n).Error; err != nil {
			return nil, dbError(err, t)
		}
		out[t] = n
	}
	for _, k := range models.Kinds {
		t := k.Table
		var sum *int64
		if err := db.Table(t).Select("SUM(version)").Scan(&sum).Error; err != nil {
			return nil, dbError(err, t)
		}
		if sum != nil {
			out[t+".versions"] = *sum
		}
	}
	return out, nil
}

// slowQuery is how long a statement may take before it is logged.
const slowQuery = 500 * time.Millisecond

// quietLogger passes on only the statements GORM's slog logger would log: below the
// Info level, errors and slow ones. That logger renders every statement's SQL with its
// arguments before it decides, which cost a quarter of an import's CPU.
type quietLogger struct {
	logger.Interface
	level logger.LogLevel
}

// LogMode keeps the wrapper around a changed level (db.Debug() logs everything).
func (l quietLogger) LogMode(level logger.LogLevel) logger.Interface {
	return quietLogger{l.Interface.LogMode(level), level}
}

// Trace hands the statements the wrapped logger would log on to it.
func (l quietLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if l.level < logger.Info && (err == nil || errors.Is(err, gorm.ErrRecordNotFound)) && time.Since(begin) <= slowQuery {
		return
	}
	l.Interface.Trace(ctx, begin, func() (string, int64) {
		sql, rows := fc()
		if len(sql) > maxLoggedSQL {
			// A batch insert renders to megabytes of values: keep the statement's start.
			sql = strings.ToValidUTF8(sql[:maxLoggedSQL], "") + "… (truncated)"
		}
		return sql, rows
	}, err)
}

// maxLoggedSQL is how much of a statement a log line shows.
const maxLoggedSQL = 2000
