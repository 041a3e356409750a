package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// Races are repeated for several rounds so that a broken isolation shows up on (almost)
// every run rather than now and then.
const raceRounds = 12

// TestConcurrentReplace: of several writers holding the same version, exactly one wins;
// the others get EPRECONDITION (never an internal error), and the history has one
// revision per accepted write.
func TestConcurrentReplace(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := mkActor(t, s, "Russia", models.ActorState, "RU")
		e := mkEvent(t, s, newEvent("Meeting", "2026-01-23"))
		const n = 6
		for round := 1; round <= raceRounds; round++ {
			var wg sync.WaitGroup
			errs := make([]error, 2*n)
			for i := range n {
				wg.Add(2)
				go func() {
					defer wg.Done()
					// Names differ from round to round: a replace that changes nothing is
					// no write, and would win alongside the one that does.
					errs[i] = s.ReplaceActor(bg, a.ID.String(), newActor(fmt.Sprintf("Russia %d-%d", round, i), models.ActorState, "RU"), round)
				}()
				go func() {
					defer wg.Done()
					x := newEvent(fmt.Sprintf("Meeting %d-%d", round, i), "2026-01-23")
					x.Tags = []string{fmt.Sprintf("writer-%d-%d", round, i)}
					errs[n+i] = s.ReplaceEvent(bg, e.ID.String(), x, round)
				}()
			}
			wg.Wait()
			for k, part := range [][]error{errs[:n], errs[n:]} {
				ok := 0
				for _, err := range part {
					switch models.ErrorCodeOf(err) {
					case "":
						ok++
					case models.EPRECONDITION:
					default:
						t.Errorf("round %d: unexpected error: %v", round, err)
					}
				}
				if ok != 1 {
					t.Fatalf("round %d, %s: %d writers won, want 1", round, []string{"actor", "event"}[k], ok)
				}
			}
		}
		ga, err := s.GetActor(bg, a.ID.String())
		must(t, err)
		wantEqual(t, "actor version", ga.Version, raceRounds+1)
		wantEqual(t, "actor revisions", revCount(t, s, "actor", a.ID), raceRounds+1)
		ge, err := s.GetEvent(bg, e.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "event version", ge.Version, raceRounds+1)
		wantEqual(t, "event tags (one writer's)", len(ge.Tags), 1)
		wantEqual(t, "event title matches its tag", ge.Title[len("Meeting "):], ge.Tags[0][len("writer-"):])
	})
}

// TestConcurrentCreateSameName: creates without a slug that race for the same derived
// slug all succeed with distinct slugs; the client never chose the slug, so a conflict
// on it (or an internal error) would be the server's fault.
func TestConcurrentCreateSameName(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const n = 6
		for round := range raceRounds / 2 {
			name := fmt.Sprintf("Same Name %d", round)
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// A panic here (see TestSlugifyConcurrentUse) is reported, not fatal.
					defer func() {
						if p := recover(); p != nil {
							errs[i] = fmt.Errorf("panic: %v", p)
						}
					}()
					errs[i] = s.CreateActor(bg, newActor(name, models.ActorPerson, ""))
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("round %d, create %d: %v", round, i, err)
				}
			}
			if t.Failed() {
				return
			}
			p, err := s.ListActors(bg, store.ActorFilter{Limit: 500})
			must(t, err)
			var slugs []string
			for _, a := range p.Items {
				if a.Name == name {
					slugs = append(slugs, a.Slug)
				}
			}
			slices.Sort(slugs)
			base := models.Slugify(name)
			wantEqual(t, "slugs", slugs, []string{base, base + "-2", base + "-3", base + "-4", base + "-5", base + "-6"})
		}
	})
}
