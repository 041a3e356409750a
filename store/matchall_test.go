package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// match=all in date order walks the participation rows of the actor with fewest events
// and checks the others on each; in any other order it is one grouped sub-query. Both
// select the same events, with roles, dates and any number of actors.
func TestMatchAllPlansAgree(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rng := rand.New(rand.NewPCG(7, 11)) // #nosec G404 -- test data, reproducible by design
		var actors []string
		for i := range 5 {
			a := mkActor(t, s, fmt.Sprintf("Actor %d", i), models.ActorState, "")
			actors = append(actors, a.Slug)
		}
		roles := []models.Role{models.RoleHost, models.RoleDelegation, models.RoleMediator}
		for i := range 80 {
			e := &models.Event{Title: fmt.Sprintf("Meeting %d", i), Type: models.EventMeeting, Status: models.StatusHeld,
				Date: models.MustParseDate(fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+i%28))}
			for _, a := range actors {
				// Skewed: the first actors take part far more often; an actor may have two roles.
				if rng.IntN(len(actors)+2) > slices.Index(actors, a) {
					e.Participants = append(e.Participants, models.Participant{Actor: models.Ref{Slug: a}, Role: roles[rng.IntN(len(roles))]})
					if rng.IntN(6) == 0 {
						e.Participants = append(e.Participants, models.Participant{Actor: models.Ref{Slug: a}, Role: models.RoleObserver})
					}
				}
			}
			mkEvent(t, s, e)
		}
		all := func(f store.EventFilter) []string {
			t.Helper()
			f.MatchAll = true
			return pagedSlugs(t, s, f, 7)
		}
		from, to := models.MustParseDate("2013"), models.MustParseDate("2021")
		checked := 0
		for _, set := range [][]string{actors[:2], actors[1:3], {actors[0], actors[4]}, actors[:3], actors} {
			for _, f := range []store.EventFilter{
				{Actors: set}, {Actors: set, Roles: []models.Role{models.RoleHost, models.RoleDelegation}},
				{Actors: set, From: &from, To: &to}, {Actors: set, Roles: []models.Role{models.RoleObserver, models.RoleHost}},
			} {
				walked := all(f) // -date: the walk
				g := f
				g.Sort = "updated"
				grouped := all(g)
				if len(walked) != len(slices.Compact(slices.Clone(walked))) {
					t.Errorf("%v: an event twice: %v", f.Actors, walked)
				}
				slices.Sort(walked)
				slices.Sort(grouped)
				if !slices.Equal(walked, grouped) {
					t.Errorf("actors %v roles %v: the walk gives %v, the grouped query %v", f.Actors, f.Roles, walked, grouped)
				}
				checked += len(walked)
			}
		}
		if checked == 0 {
			t.Fatal("no event matched any query: the test checks nothing")
		}
	})
}
