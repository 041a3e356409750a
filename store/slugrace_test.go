package store_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-api/parley/models"
)

// TestSlugifyConcurrentUse: every create without a slug derives one with models.Slugify
// (store's freeSlug), and the store serves requests concurrently, so Slugify must be
// safe for concurrent use: the same answer every time and no panic. Panics are
// recovered here so that a failure does not take the other tests down with it.
func TestSlugifyConcurrentUse(t *testing.T) {
	t.Parallel()
	const goroutines, calls = 4, 250
	names := map[string]string{
		"Zürich Erdoğan Talks": "zurich-erdogan-talks",
		"Çavuşoğlu in Genève":  "cavusoglu-in-geneve",
		"Łukaszenka Ølberg":    "lukaszenka-olberg",
	}
	var panics, wrong atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				for name, want := range names {
					got, p := slugifyRecover(name)
					switch {
					case p != nil:
						panics.Add(1)
						first.CompareAndSwap(nil, fmt.Sprintf("Slugify(%q) panicked: %v", name, p))
					case got != want:
						wrong.Add(1)
						first.CompareAndSwap(nil, fmt.Sprintf("Slugify(%q) = %q, want %q", name, got, want))
					}
				}
			}
		}()
	}
	wg.Wait()
	if panics.Load() > 0 || wrong.Load() > 0 {
		t.Errorf("%d panics and %d wrong slugs in %d concurrent calls; first: %v",
			panics.Load(), wrong.Load(), goroutines*calls*len(names), first.Load())
	}
}

func slugifyRecover(name string) (s string, p any) {
	defer func() { p = recover() }()
	return models.Slugify(name), nil
}
