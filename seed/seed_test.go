package seed_test

import (
	"context"
	"maps"
	"sync"
	"testing"

	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestLoadIsIdempotent loads the dataset into an empty database of each kind, then again:
// the second run creates nothing and leaves every row and version as it was.
func TestLoadIsIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, err := seed.Dataset()
		if err != nil {
			t.Fatal(err)
		}
		total := f.Count()
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

// TestLoadIfEmptyConcurrently starts three first-run loads at once on one empty database,
// each through its own store as separate instances would: exactly one loads the dataset,
// the others find it complete, and every entity is created once. Run in several rounds,
// as the race does not bite every time; without the lock the losers fail with a
// conflict or see a half-loaded database.
func TestLoadIfEmptyConcurrently(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: several rounds of seeding")
	}
	f, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	total := f.Count()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			for round := range 3 {
				ctx := context.Background()
				stores := instances(t, d, 3)
				type result struct {
					r      seed.Report
					loaded bool
					err    error
					fp     map[string]int64
				}
				results := make([]result, len(stores))
				together(len(stores), func(i int) {
					res := &results[i]
					res.r, res.loaded, res.err = seed.LoadIfEmpty(ctx, stores[i])
					if res.err == nil {
						// What this instance serves as soon as it is up.
						res.fp, res.err = stores[i].Fingerprint(ctx)
					}
				})
				loaders := 0
				for i, res := range results {
					if res.err != nil {
						t.Fatalf("round %d, instance %d: %v", round, i, res.err)
					}
					if res.loaded {
						loaders++
						if res.r.Created != total {
							t.Errorf("round %d: the loader created %d, want %d", round, res.r.Created, total)
						}
					}
					if got := res.fp["revisions"]; got != int64(total) {
						t.Errorf("round %d, instance %d: %d revisions once ready, want %d (the dataset once, complete)", round, i, got, total)
					}
					if got := res.fp["events"]; got != int64(len(f.Events)) {
						t.Errorf("round %d, instance %d: %d events once ready, want %d", round, i, got, len(f.Events))
					}
				}
				if loaders != 1 {
					t.Errorf("round %d: %d instances loaded the dataset, want 1", round, loaders)
				}
			}
		})
	}
}

// TestLoadConcurrently runs three `parley seed` loads at once on one empty database:
// none fails, and between them they create every entity once.
func TestLoadConcurrently(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: several rounds of seeding")
	}
	f, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	total := f.Count()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			for round := range 3 {
				ctx := context.Background()
				stores := instances(t, d, 3)
				reports := make([]seed.Report, len(stores))
				errs := make([]error, len(stores))
				together(len(stores), func(i int) { reports[i], errs[i] = seed.Load(ctx, stores[i]) })
				created := 0
				for i, err := range errs {
					if err != nil {
						t.Fatalf("round %d, load %d: %v", round, i, err)
					}
					created += reports[i].Created
				}
				fp, err := stores[0].Fingerprint(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if created != total || fp["revisions"] != int64(total) {
					t.Errorf("round %d: %v created, %d revisions; want %d once", round, reports, fp["revisions"], total)
				}
			}
		})
	}
}

// instances opens n stores, each with its own pool as separate processes would have, on
// one fresh migrated database of dialect d.
func instances(t *testing.T, d store.Dialect, n int) []*store.Store {
	t.Helper()
	ctx := context.Background()
	url := storetest.URL(t, d)
	stores := make([]*store.Store, n)
	for i := range stores {
		s, err := store.Open(ctx, url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if _, err := s.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	return stores
}

// together runs fn(0) … fn(n-1) in goroutines released at the same moment, and waits.
func together(n int, fn func(i int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}
