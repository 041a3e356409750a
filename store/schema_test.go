package store_test

import (
	"context"
	"testing"

	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestSchemaMatchesModels migrates an empty database and checks that GORM's migrator
// finds nothing to change: the SQL migrations and the models describe the same schema.
func TestSchemaMatchesModels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ddl, err := s.SchemaDrift(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range ddl {
			t.Errorf("models and migrations disagree; GORM would run: %s", q)
		}
	})
}

// TestMigrateDownUp rolls every migration back and applies it again.
func TestMigrateDownUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st, err := s.MigrateStatus(ctx)
		if err != nil || len(st) == 0 {
			t.Fatalf("status: %v %v", st, err)
		}
		for range st {
			if err := s.MigrateDown(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if pending, err := s.Pending(ctx); err != nil || !pending {
			t.Fatalf("after down: pending=%v err=%v", pending, err)
		}
		n, err := s.MigrateUp(ctx)
		if err != nil || n != len(st) {
			t.Fatalf("up: %d %v", n, err)
		}
	})
}
