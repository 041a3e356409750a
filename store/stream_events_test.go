package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// streamFixture writes n events over a few shared actors, locations and sources, each
// with participants (some representing another actor), tags, sources, a relation to the
// one before and, for every other one, statements with tags and sources.
func streamFixture(t *testing.T, s *store.Store, n int) (actors []*models.Actor) {
	t.Helper()
	for i := range 5 {
		actors = append(actors, mkActor(t, s, fmt.Sprintf("Streamed Actor %d", i), models.ActorState, "NO"))
	}
	var locs []*models.Location
	var srcs []*models.Source
	for i := range 3 {
		locs = append(locs, mkLocation(t, s, fmt.Sprintf("Stream City %d", i), "AE"))
		srcs = append(srcs, mkSource(t, s, "Outlet", fmt.Sprintf("Report %d", i), "2026-01-2"+fmt.Sprint(i)))
	}
	var prev *models.Event
	for i := range n {
		e := newEvent(fmt.Sprintf("Round %d", i), fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28))
		e.Tags = []string{"t" + fmt.Sprint(i%3), "peace"}
		e.Participants = []models.Participant{part(actors[i%5], models.RoleHost), part(actors[(i+1)%5], models.RoleDelegation)}
		e.Participants[1].Represents = refOf(actors[(i+2)%5].ID)
		if i%4 != 0 {
			e.Location = refOf(locs[i%3].ID)
		}
		e.Sources = []*models.Ref{refOf(srcs[(i+1)%3].ID), refOf(srcs[i%3].ID)}
		if prev != nil {
			e.Relations = []models.Relation{{Type: models.RelationType("follows"), Related: models.Ref{ID: prev.ID}}}
		}
		prev = mkEvent(t, s, e)
		if i%2 == 0 {
			for j := range 2 {
				// The second is dated before the first: date order is not creation order.
				st := newStatement(actors[j], fmt.Sprintf("Said %d.%d", i, j), fmt.Sprintf("2025-%02d-%02d", 1+i%12, 20-j))
				st.Event, st.Tags = refOf(e.ID), []string{"b", "a"}
				st.Sources = []*models.Ref{refOf(srcs[2].ID), refOf(srcs[0].ID)}
				must(t, s.CreateStatement(bg, st))
			}
		}
	}
	return actors
}

// streamed is every event StreamEvents hands out for f, as JSON.
func streamed(t *testing.T, s *store.Store, f store.EventFilter) []string {
	t.Helper()
	var out []string
	must(t, s.StreamEvents(bg, f, func(e *models.Event) error {
		b, err := json.Marshal(e)
		out = append(out, string(b))
		return err
	}))
	return out
}

// TestStreamEventsMatchesListEvents streams events through pages of 3 with caches of 2
// entities (so that pages span the fixture and the caches empty and refill) and
// insists that every event is, to the byte, what ListEvents answers for the same filter
// with everything embedded, in the same order: participants with their actors,
// location, sources in their order, statements in date order with tags and sources.
func TestStreamEventsMatchesListEvents(t *testing.T) {
	// Not parallel: it changes a package setting the other tests read.
	if testing.Short() {
		t.Skip("writes 40 events per dialect")
	}
	defer store.SetStreamForTest(3, 2)()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		actors := streamFixture(t, s, 40)
		all := store.Include{Participants: true, Location: true, Statements: true, Sources: true}
		for _, f := range []store.EventFilter{
			{Sort: "date", Include: all},
			{Sort: "-updated", Include: all},
			{Sort: "-date", Actors: []string{actors[3].ID.String()}, Include: all},
			{Sort: "date", Tags: []string{"t1"}, Include: store.Include{Location: true}},
			{Sort: "date", Include: store.Include{Bare: true, Statements: true}},
		} {
			var want []string
			for _, e := range pagedEvents(t, s, f, store.MaxLimit) {
				b, err := json.Marshal(&e)
				must(t, err)
				want = append(want, string(b))
			}
			got := streamed(t, s, f)
			if len(want) == 0 {
				t.Fatalf("%+v selects nothing: the comparison proves nothing", f)
			}
			if len(got) != len(want) {
				t.Fatalf("%+v: streamed %d events, listed %d", f, len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%+v: event %d differs:\nstreamed %s\n  listed %s", f, i, got[i], want[i])
				}
			}
		}
	})
}

// TestStreamEventsStops: an error from fn ends the stream with that error, after no more
// events, and a cancelled context ends it with an error.
func TestStreamEventsStops(t *testing.T) {
	// Not parallel: it changes a package setting the other tests read.
	if testing.Short() {
		t.Skip("writes 20 events per dialect")
	}
	defer store.SetStreamForTest(2, 100)()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		streamFixture(t, s, 20)
		stop := errors.New("client gone")
		n := 0
		err := s.StreamEvents(bg, store.EventFilter{Sort: "date"}, func(*models.Event) error {
			if n++; n == 5 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 5 {
			t.Fatalf("after %d events: %v, want fn's error after 5", n, err)
		}
		ctx, cancel := context.WithCancel(bg)
		n = 0
		err = s.StreamEvents(ctx, store.EventFilter{Sort: "date"}, func(*models.Event) error {
			if n++; n == 3 {
				cancel()
			}
			return nil
		})
		if err == nil || n >= 20 {
			t.Fatalf("cancelled after 3 events: %d events, error %v", n, err)
		}
	})
}
