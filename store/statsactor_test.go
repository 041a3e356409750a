package store_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// Statistics for an actor are counted from the actor's participation rows: each month
// and each type holds exactly the events the same filter lists, counted once however
// many roles the actor had, with roles, types, dates and match=all.
func TestActorStatsRecount(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rng := rand.New(rand.NewPCG(3, 5)) // #nosec G404 -- test data, reproducible by design
		var actors []string
		for i := range 4 {
			a := mkActor(t, s, fmt.Sprintf("Envoy %d", i), models.ActorPerson, []string{"UA", "RU", "US", ""}[i])
			actors = append(actors, a.Slug)
		}
		types := []models.EventType{models.EventMeeting, models.EventCall, models.EventSummit}
		for i := range 90 {
			e := &models.Event{Title: fmt.Sprintf("Contact %d", i), Type: types[rng.IntN(3)], Status: models.StatusHeld,
				Date: models.MustParseDate(fmt.Sprintf("2024-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)))}
			for j, a := range actors {
				if rng.IntN(4) > j/2 {
					e.Participants = append(e.Participants, models.Participant{Actor: models.Ref{Slug: a}, Role: models.RoleDelegation})
					if rng.IntN(5) == 0 {
						e.Participants = append(e.Participants, models.Participant{Actor: models.Ref{Slug: a}, Role: models.RoleHost})
					}
				}
			}
			mkEvent(t, s, e)
		}
		from, to := models.MustParseDate("2024-03"), models.MustParseDate("2024-10")
		for _, f := range []store.EventFilter{
			{Actors: actors[:1]}, {Actors: actors[2:3], Roles: []models.Role{models.RoleHost}},
			{Actors: actors[:2], MatchAll: true}, {Actors: actors[1:2], Types: []models.EventType{models.EventCall}},
			{Actors: actors[3:], From: &from, To: &to},
		} {
			want, wantType := map[string]int64{}, map[string]map[string]int64{}
			var total int64
			for _, e := range pagedEvents(t, s, f, store.MaxLimit) {
				m := e.Date.Start.UTC().Format("2006-01")
				want[m]++
				if wantType[m] == nil {
					wantType[m] = map[string]int64{}
				}
				wantType[m][string(e.Type)]++
				total++
			}
			st, err := s.EventStats(bg, store.StatsFilter{EventFilter: f, Interval: "month", GroupBy: "type"})
			if err != nil {
				t.Fatal(err)
			}
			if st.Total != total || total == 0 {
				t.Errorf("%v roles %v: total %d, the list has %d", f.Actors, f.Roles, st.Total, total)
			}
			for _, b := range st.Buckets {
				if b.Count != want[b.Key] {
					t.Errorf("%v roles %v month %s: %d, the list has %d", f.Actors, f.Roles, b.Key, b.Count, want[b.Key])
				}
				for typ, n := range b.Groups {
					if n != wantType[b.Key][typ] {
						t.Errorf("%v month %s type %s: %d, the list has %d", f.Actors, b.Key, typ, n, wantType[b.Key][typ])
					}
				}
			}
		}
	})
}
