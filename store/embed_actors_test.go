package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestEmbeddedActorsFixedReads: with participants and statements included, ListEvents
// and StreamEvents embed every actor the events name (each participant's actor and whom
// it represents, each statement's speaker), reading the actors table twice whatever the
// number of events (participants with whom they represent, then speakers), never once
// per event.
func TestEmbeddedActorsFixedReads(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const n = 12
		for i := range n {
			host := mkActor(t, s, fmt.Sprintf("Host %d", i), models.ActorPerson, "RU")
			state := mkActor(t, s, fmt.Sprintf("State %d", i), models.ActorState, "RU")
			speaker := mkActor(t, s, fmt.Sprintf("Speaker %d", i), models.ActorPerson, "US")
			e := newEvent(fmt.Sprintf("Talks %d", i), fmt.Sprintf("2026-01-%02d", i+1))
			e.Participants = []models.Participant{{Actor: models.Ref{ID: host.ID}, Role: models.RoleHost, Represents: refOf(state.ID)}}
			mkEvent(t, s, e)
			st := newStatement(speaker, fmt.Sprintf("Said %d", i), e.Date.EDTF)
			st.Event = refOf(e.ID)
			must(t, s.CreateStatement(bg, st))
		}
		var mu sync.Mutex
		reads := 0
		store.TraceSQLForTest(s, func(q string) {
			if strings.Contains(q, `FROM "actors"`) || strings.Contains(q, "FROM actors") {
				mu.Lock()
				reads++
				mu.Unlock()
			}
		})
		count := func() int {
			mu.Lock()
			defer mu.Unlock()
			r := reads
			reads = 0
			return r
		}
		check := func(how string, es []models.Event) {
			t.Helper()
			if len(es) != n {
				t.Fatalf("%s: %d events, want %d", how, len(es), n)
			}
			for _, e := range es {
				i := strings.TrimPrefix(e.Title, "Talks ")
				p := e.Participants[0]
				if p.ActorData == nil || p.ActorData.Name != "Host "+i || p.RepresentsData == nil || p.RepresentsData.Name != "State "+i {
					t.Errorf("%s: %s participant %+v", how, e.Title, p)
				}
				if len(e.StatementsData) != 1 || e.StatementsData[0].SpeakerData == nil || e.StatementsData[0].SpeakerData.Name != "Speaker "+i {
					t.Errorf("%s: %s statements %+v", how, e.Title, e.StatementsData)
				}
			}
			if r := count(); r > 2 {
				t.Errorf("%s read the actors %d times for %d events; want at most 2", how, r, n)
			}
		}
		inc := store.Include{Participants: true, Location: true, Statements: true, Sources: true}
		count()
		p, err := s.ListEvents(bg, store.EventFilter{Sort: "date", Limit: store.MaxLimit, Include: inc})
		must(t, err)
		check("ListEvents", p.Items)
		var streamed []models.Event
		must(t, s.StreamEvents(bg, store.EventFilter{Sort: "date", Include: inc}, func(e *models.Event) error {
			streamed = append(streamed, *e)
			return nil
		}))
		check("StreamEvents", streamed)
	})
}
