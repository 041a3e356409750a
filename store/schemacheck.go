package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// SchemaDrift reports the DDL that GORM's migrator would run to make the migrated
// schema fit the models: empty when migrations and models agree. It runs the migrator
// in a transaction that is always rolled back, so the database is left unchanged.
func (s *Store) SchemaDrift(ctx context.Context) ([]string, error) {
	rec := &ddlRecorder{}
	errRollback := errors.New("rollback")
	db := s.db.Session(&gorm.Session{Logger: rec, Context: ctx})
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.AutoMigrate(models.AllTables()...); err != nil {
			return err
		}
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	return rec.ddl, nil
}

// ddlRecorder is a GORM logger that keeps the schema-changing statements it sees.
type ddlRecorder struct {
	mu  sync.Mutex
	ddl []string
}

func (r *ddlRecorder) LogMode(logger.LogLevel) logger.Interface { return r }
func (r *ddlRecorder) Info(context.Context, string, ...any)     {}
func (r *ddlRecorder) Warn(context.Context, string, ...any)     {}
func (r *ddlRecorder) Error(context.Context, string, ...any)    {}
func (r *ddlRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	up := strings.ToUpper(strings.TrimSpace(sql))
	for _, p := range []string{"CREATE", "ALTER", "DROP", "INSERT INTO `SQLITE"} {
		if strings.HasPrefix(up, p) {
			r.mu.Lock()
			r.ddl = append(r.ddl, sql)
			r.mu.Unlock()
		}
	}
}
