package store_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// The roll-ups stay exact through every kind of write: an import, creates, replaces that
// move an event's date, type or participants (or only its title), deletes and an actor's
// change of country. After each round every stored row equals a recount from the events,
// and every histogram, network and graph the roll-ups answer equals the answer counted
// from the events themselves.
func TestRollupsExact(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		kinds, es := generated(t, 240)
		rep, err := s.Import(bg, records(kinds, es), store.ImportOptions{Atomic: true})
		must(t, err)
		if !rep.Committed {
			t.Fatalf("import: %+v", rep.Problems)
		}
		var actors []models.Actor
		for _, e := range es {
			if a, ok := e.(*models.Actor); ok {
				actors = append(actors, *a)
			}
		}
		checkRollups(t, s, actors, "after the import")

		rng := rand.New(rand.NewPCG(11, 13)) // #nosec G404 -- test data, reproducible by design
		dates := []string{"2011", "2011-06", "2011-06-30", "2011-06-30/2011-07-02", "2011-12-31T23:30+03:00", "2012-01-01T01:00Z", "2011-11~"}
		types := []models.EventType{models.EventMeeting, models.EventCall, models.EventSummit}
		for i := range 60 {
			evs := allEvents(t, s, "-date")
			e, err := s.GetEvent(bg, evs[rng.IntN(len(evs))].ID.String(), store.Include{})
			must(t, err)
			actor := actors[rng.IntN(len(actors))]
			switch op := rng.IntN(7); op {
			case 0:
				err = s.DeleteEvent(bg, e.ID.String(), 0)
				if models.ErrorCodeOf(err) == models.ECONFLICT {
					err = nil // a parent of others stays
				}
			case 1:
				e.Date = models.MustParseDate(dates[rng.IntN(len(dates))])
				err = s.ReplaceEvent(bg, e.ID.String(), e, 0)
			case 2:
				e.Type = types[rng.IntN(len(types))]
				err = s.ReplaceEvent(bg, e.ID.String(), e, 0)
			case 3:
				if len(e.Participants) > 1 {
					e.Participants = e.Participants[1:]
				}
				e.Participants = append(e.Participants, models.Participant{Actor: *models.RefTo(actor.ID), Role: models.RoleMediator})
				err = s.ReplaceEvent(bg, e.ID.String(), e, 0)
			case 4:
				e.Title += " (revised)"
				err = s.ReplaceEvent(bg, e.ID.String(), e, 0)
			case 5:
				n := &models.Event{Title: fmt.Sprintf("New contact %d", i), Type: types[rng.IntN(len(types))], Status: models.StatusHeld,
					Date: models.MustParseDate(dates[rng.IntN(len(dates))]),
					Participants: []models.Participant{
						{Actor: *models.RefTo(actor.ID), Role: models.RoleHost},
						{Actor: *models.RefTo(actor.ID), Role: models.RoleDelegation},
						{Actor: *models.RefTo(actors[rng.IntN(len(actors))].ID), Role: models.RoleDelegation},
					}}
				err = s.CreateEvent(bg, n)
			case 6:
				a, gerr := s.GetActor(bg, actor.ID.String())
				must(t, gerr)
				a.Country = []string{"FR", "", "UA", "RU"}[rng.IntN(4)]
				err = s.ReplaceActor(bg, a.ID.String(), a, 0)
			}
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
		checkRollups(t, s, actors, "after random writes")
	})
}

// checkRollups compares the stored roll-ups with a recount, and the answers they give
// with the answers counted from the events.
func checkRollups(t *testing.T, s *store.Store, actors []models.Actor, when string) {
	t.Helper()
	drift, err := store.RollupDriftForTest(s)
	must(t, err)
	for _, d := range drift {
		t.Errorf("%s: %s", when, d)
	}
	both := func(what string, answer func() (any, error)) {
		t.Helper()
		store.SetRollupsForTest(s, true)
		got, err := answer()
		must(t, err)
		store.SetRollupsForTest(s, false)
		want, err := answer()
		store.SetRollupsForTest(s, true)
		must(t, err)
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%s: %s: from the roll-ups\n%s\nfrom the events\n%s", when, what, g, w)
		}
	}
	from, to := models.MustParseDate("2010-03"), models.MustParseDate("2015-07")
	year := models.MustParseDate("2011")
	filters := map[string]store.EventFilter{
		"every event":  {},
		"months":       {From: &from, To: &to},
		"a year":       {From: &year, To: &year},
		"an actor":     {Actors: []string{actors[0].ID.String()}},
		"actor, year":  {Actors: []string{actors[1].ID.String()}, From: &year, To: &year},
		"actor, since": {Actors: []string{actors[2].ID.String()}, From: &from},
	}
	for name, f := range filters {
		for _, interval := range []string{"month", "year"} {
			for _, group := range store.StatsGroupings {
				if group == "actor" && len(f.Actors) > 0 {
					continue
				}
				both(fmt.Sprintf("stats %s by %s, %q", name, interval, group), func() (any, error) {
					return s.EventStats(bg, store.StatsFilter{EventFilter: f, Interval: interval, GroupBy: group})
				})
			}
		}
		if len(f.Actors) == 0 {
			for _, cut := range []store.GraphCut{{MinWeight: 1}, {MinWeight: 2}, {MinWeight: 1, Limit: 3}} {
				both(fmt.Sprintf("graph %s, %+v", name, cut), func() (any, error) {
					g, err := s.CoParticipationGraph(bg, f, cut)
					if err == nil {
						checkGraphCut(t, g, cut)
					}
					return g, err
				})
			}
		}
	}
	for _, a := range actors[:8] {
		for name, f := range map[string]store.EventFilter{"every event": {}, "months": {From: &from, To: &to}} {
			for _, limit := range []int{0, 2} {
				both(fmt.Sprintf("network of %s, %s, limit %d", a.Slug, name, limit), func() (any, error) {
					n, err := s.ActorNetwork(bg, a.ID.String(), f, limit)
					if err == nil && limit > 0 && len(n.CoParticipants) != min(limit, int(n.Total)) {
						t.Errorf("network of %s limited to %d: %d of %d co-participants", a.Slug, limit, len(n.CoParticipants), n.Total)
					}
					return n, err
				})
			}
		}
	}
}

// checkGraphCut checks a graph against its cut: no more edges than the limit, every
// edge heavy enough, and once edges were cut, exactly the kept edges' actors as nodes.
func checkGraphCut(t *testing.T, g *models.Graph, cut store.GraphCut) {
	t.Helper()
	if cut.Limit > 0 && len(g.Edges) > cut.Limit || int64(len(g.Edges)) > g.TotalEdges {
		t.Errorf("graph cut %+v: %d edges of %d", cut, len(g.Edges), g.TotalEdges)
	}
	on := map[models.ID]bool{}
	for _, e := range g.Edges {
		if e.Weight < cut.MinWeight {
			t.Errorf("graph cut %+v: edge of weight %d", cut, e.Weight)
		}
		on[e.Source], on[e.Target] = true, true
	}
	if int64(len(g.Edges)) == g.TotalEdges {
		return
	}
	if len(g.Nodes) != len(on) {
		t.Errorf("graph cut %+v: %d nodes for the %d actors of its edges", cut, len(g.Nodes), len(on))
	}
	for _, n := range g.Nodes {
		if !on[n.ID] {
			t.Errorf("graph cut %+v: node %s is on no kept edge", cut, n.Slug)
		}
	}
}
