package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/parley-api/parley/migrations"
	"github.com/parley-api/parley/models"
	"github.com/pressly/goose/v3"
)

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version int64
	Source  string
	Applied bool
}

func (s *Store) provider() (*goose.Provider, error) {
	db, err := s.sqlDB()
	if err != nil {
		return nil, err
	}
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
	return goose.NewProvider(dialect, db, sub, goose.WithGoMigrations(
		goose.NewGoMigration(3, &goose.GoFunc{RunTx: s.backfillSearch}, &goose.GoFunc{Mode: goose.TransactionEnabled}),
	))
}

// backfillSearch is migration 3: it fills search_text (added empty by migration 2) for
// rows written before full-text search existed, with the same Go tokeniser as new writes.
func (s *Store) backfillSearch(ctx context.Context, sqlTx *sql.Tx) error {
	var d gorm.Dialector
	if s.dialect == Postgres {
		d = postgres.New(postgres.Config{Conn: sqlTx})
	} else {
		d = &sqlite.Dialector{Conn: sqlTx}
	}
	tx, err := gorm.Open(d, &gorm.Config{SkipDefaultTransaction: true, Logger: s.db.Logger})
	if err != nil {
		return err
	}
	tx = tx.WithContext(ctx)
	var sts []models.Statement
	err = tx.Table("statements").Select("id, text, attribution").FindInBatches(&sts, 1000, func(b *gorm.DB, _ int) error {
		for i := range sts {
			if err := refreshStatementSearch(b, &sts[i]); err != nil {
				return err
			}
		}
		return nil
	}).Error
	if err != nil {
		return err
	}
	var ids []models.ID
	if err := tx.Table("events").Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	return refreshEventSearch(tx, ids...)
}

// MigrateUp applies every pending migration and returns how many ran.
func (s *Store) MigrateUp(ctx context.Context) (int, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("store: migrate up: %w", err)
	}
	return len(res), nil
}

// MigrateDown rolls back the latest applied migration.
func (s *Store) MigrateDown(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	if _, err := p.Down(ctx); err != nil {
		return fmt.Errorf("store: migrate down: %w", err)
	}
	return nil
}

// MigrateStatus lists every known migration.
func (s *Store) MigrateStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, m := range st {
		out = append(out, MigrationStatus{Version: m.Source.Version, Source: m.Source.Path, Applied: m.State == goose.StateApplied})
	}
	return out, nil
}

// Pending reports whether migrations remain to be applied (for readiness).
func (s *Store) Pending(ctx context.Context) (bool, error) {
	p, err := s.provider()
	if err != nil {
		return false, err
	}
	return p.HasPending(ctx)
}
