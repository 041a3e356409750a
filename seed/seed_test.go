package seed_test

import (
	"context"
	"maps"
	"testing"

	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestLoadIsIdempotent loads the dataset into an empty database of each kind, then again:
// the second run creates nothing and leaves every row and version as it was.
func TestLoadIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, err := seed.Dataset()
		if err != nil {
			t.Fatal(err)
		}
		total := len(f.Actors) + len(f.Locations) + len(f.Sources) + len(f.Events) + len(f.Statements)
		r, err := seed.Load(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if r.Created != total || r.Skipped != 0 {
			t.Fatalf("first load: %+v, want %d created", r, total)
		}
		before, err := s.Fingerprint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if before["revisions"] != int64(total) {
			t.Errorf("%d revisions after seeding %d entities", before["revisions"], total)
		}
		r, err = seed.Load(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if r.Created != 0 || r.Skipped != total {
			t.Fatalf("second load: %+v", r)
		}
		after, err := s.Fingerprint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(before, after) {
			t.Errorf("second load changed the database:\n%v\n%v", before, after)
		}
		if empty, err := s.IsEmpty(ctx); err != nil || empty {
			t.Errorf("IsEmpty after seeding: %v %v", empty, err)
		}
	})
}
