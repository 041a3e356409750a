package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/parley-api/parley/migrations"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version int64
	Source  string
	Applied bool
}

// provider is goose's migration runner for s. With locked, it holds goose's PostgreSQL
// session lock while it migrates, so that instances starting at once on an empty database
// apply each migration once (the others wait, then find nothing to do); on SQLite the
// callers hold the store's exclusive lock instead, goose having no SQLite locker.
func (s *Store) provider(ctx context.Context, locked bool) (*goose.Provider, error) {
	db, err := s.sqlDB()
	if err != nil {
		return nil, err
	}
	return s.providerOn(ctx, db, locked)
}

// providerOn is provider over the pool db.
func (s *Store) providerOn(ctx context.Context, db *sql.DB, locked bool) (*goose.Provider, error) {
	var (
		fsys    fs.FS
		dialect goose.Dialect
		dir     string
	)
	if s.dialect == Postgres {
		fsys, dialect, dir = migrations.Postgres, goose.DialectPostgres, "postgres"
	} else {
		fsys, dialect, dir = migrations.SQLite, goose.DialectSQLite3, "sqlite"
	}
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithGoMigrations(migrations.Go(s.dialect == Postgres)...)}
	if locked && s.dialect == Postgres {
		key, err := lockKey(ctx, db, "migrate")
		if err != nil {
			return nil, err
		}
		// Polled every second for up to ten minutes: a migration of a large database
		// (the search backfill) may take minutes.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(key), lock.WithLockTimeout(1, 600))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db, sub, opts...)
}

// migrate runs fn on a locked provider: under goose's session lock on PostgreSQL, under
// the store's exclusive lock on SQLite.
func (s *Store) migrate(ctx context.Context, fn func(p *goose.Provider) error) error {
	run := func(ctx context.Context) error {
		db, release, err := s.migrationPool()
		if err != nil {
			return err
		}
		defer release()
		p, err := s.providerOn(ctx, db, true)
		if err != nil {
			return err
		}
		return fn(p)
	}
	if s.dialect == Postgres {
		return run(ctx)
	}
	return s.sqliteExclusive(ctx, run)
}

// MigrateUp applies every pending migration and returns how many ran. Processes starting
// at once on one database may all call it: one applies the migrations, the others wait
// for it and apply none.
func (s *Store) MigrateUp(ctx context.Context) (int, error) {
	var n int
	err := s.migrate(ctx, func(p *goose.Provider) error {
		res, err := p.Up(ctx)
		n = len(res)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: migrate up: %w", err)
	}
	return n, nil
}

// MigrateDown rolls back the latest applied migration.
func (s *Store) MigrateDown(ctx context.Context) error {
	err := s.migrate(ctx, func(p *goose.Provider) error {
		_, err := p.Down(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: migrate down: %w", err)
	}
	return nil
}

// MigrateStatus lists every known migration.
func (s *Store) MigrateStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := s.provider(ctx, false)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, m := range st {
		src := m.Source.Path
		if src == "" {
			// A migration written in Go (a backfill) has no file of its own in the binary.
			src = "(Go code in the migrations package)"
		}
		out = append(out, MigrationStatus{Version: m.Source.Version, Source: src, Applied: m.State == goose.StateApplied})
	}
	return out, nil
}

// Pending reports whether migrations remain to be applied (for readiness).
func (s *Store) Pending(ctx context.Context) (bool, error) {
	p, err := s.provider(ctx, false)
	if err != nil {
		return false, err
	}
	return p.HasPending(ctx)
}
