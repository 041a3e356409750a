package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestSchemaMatchesModels migrates an empty database and checks that GORM's migrator
// finds nothing to change: the SQL migrations and the models describe the same schema.
func TestSchemaMatchesModels(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// TestReadReplicas opens a store whose "replica" is the primary itself: it is not a
// standby, so the health check skips it and every read, opted in or not, goes to the
// primary. (TestStreamingReplica in api runs a real standby.)
func TestReadReplicas(t *testing.T) {
	t.Parallel()
	url := storetest.URL(t, store.Postgres)
	ctx := context.Background()
	s, err := store.Open(ctx, url, store.Options{ReadReplicas: []string{url}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.ReplicaStatus(); len(st) != 1 || st[0].Fit || !strings.Contains(st[0].Reason, "not a standby") {
		t.Fatalf("a primary given as a replica: %+v", st)
	}
	a := &models.Actor{Name: "Replica Test", Kind: models.ActorState}
	if err := s.CreateActor(ctx, a); err != nil {
		t.Fatal(err)
	}
	rctx, done := s.ReplicaReads(ctx)
	defer done()
	got, err := s.GetActor(rctx, "replica-test")
	if err != nil || got.ID != a.ID {
		t.Fatalf("read with no fit replica: %+v %v", got, err)
	}
	if _, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/x.db", store.Options{ReadReplicas: []string{url}}); err == nil {
		t.Error("SQLite accepted read replicas")
	}
}
