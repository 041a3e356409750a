package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// statementPage is n statements by n different speakers, each about its own event (whose
// participant represents a state) and citing its own source: the most distinct entities
// a page of n can embed.
func statementPage(t *testing.T, s *store.Store, n int) {
	t.Helper()
	state := mkActor(t, s, "Ruritania", models.ActorState, "RU")
	for i := range n {
		a := mkActor(t, s, fmt.Sprintf("Speaker %d", i), models.ActorPerson, "RU")
		src := &models.Source{Outlet: "Outlet", Title: fmt.Sprintf("Report %d", i), Published: models.MustParseDate("2026-01-23")}
		must(t, s.CreateSource(bg, src))
		e := &models.Event{Title: fmt.Sprintf("Talks %d", i), Type: models.EventMeeting, Status: models.StatusHeld,
			Date: models.MustParseDate(fmt.Sprintf("2026-01-%02d", i+1)), Tags: []string{"talks"},
			Participants: []models.Participant{{Actor: models.Ref{ID: a.ID}, Role: models.RoleParticipant, Represents: models.RefTo(state.ID)}}}
		must(t, s.CreateEvent(bg, e))
		st := &models.Statement{Text: fmt.Sprintf("Said %d", i), Speaker: &models.Ref{ID: a.ID}, Event: models.RefTo(e.ID),
			Date: e.Date, Sources: []*models.Ref{models.RefTo(src.ID)}, Tags: []string{"quote"}}
		must(t, s.CreateStatement(bg, st))
	}
}

// TestStatementInclude: include=speaker,event,sources embeds each statement's speaker,
// its event (with the event's participants) and its sources, in a number of queries that
// does not grow with the page: 8 for a page of 1, of 5 and of 20 (the page, its tags and
// sources, the speakers and their positions, the events and their child rows, the sources).
func TestStatementInclude(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const n = 20
		statementPage(t, s, n)
		var (
			mu      sync.Mutex
			queries []string
		)
		store.TraceSQLForTest(s, func(q string) {
			mu.Lock()
			queries = append(queries, q)
			mu.Unlock()
		})
		all := store.StatementInclude{Speaker: true, Event: true, Sources: true}
		count := func(f store.StatementFilter, list func(store.StatementFilter) (store.Page[models.Statement], error)) (int, []models.Statement) {
			mu.Lock()
			queries = nil
			mu.Unlock()
			p, err := list(f)
			must(t, err)
			mu.Lock()
			defer mu.Unlock()
			return len(queries), p.Items
		}
		listAll := func(f store.StatementFilter) (store.Page[models.Statement], error) { return s.ListStatements(bg, f) }
		bare, _ := count(store.StatementFilter{Limit: n}, listAll)
		for _, limit := range []int{1, 5, n} {
			got, items := count(store.StatementFilter{Limit: limit, Include: all}, listAll)
			// 8: the page's speakers' positions (their titles on the statements' dates) are one more.
			if got != 8 {
				t.Errorf("limit=%d: %d queries, want 8 (without include: %d):\n%q", limit, got, bare, queries)
			}
			if len(items) != limit {
				t.Fatalf("limit=%d: %d items", limit, len(items))
			}
			for _, st := range items {
				if st.SpeakerData == nil || st.SpeakerData.ID != st.Speaker.ID || st.SpeakerData.Name == "" {
					t.Fatalf("statement %q: speaker %+v", st.Text, st.SpeakerData)
				}
				e := st.EventData
				if e == nil || e.ID != st.Event.ID || e.Title == "" || len(e.Participants) != 1 || len(e.Tags) != 1 {
					t.Fatalf("statement %q: event %+v", st.Text, e)
				}
				if len(st.SourcesData) != 1 || st.SourcesData[0].ID != st.Sources[0].ID || st.SourcesData[0].Title == "" {
					t.Fatalf("statement %q: sources %+v", st.Text, st.SourcesData)
				}
				if st.Text != "Said "+st.SpeakerData.Name[len("Speaker "):] {
					t.Errorf("statement %q embeds the speaker %q", st.Text, st.SpeakerData.Name)
				}
			}
		}
		if bare != 3 {
			t.Errorf("without include: %d queries, want 3", bare)
		}

		// An actor's statements: the same embedding, and the same count whatever the page.
		speaker := "speaker-3"
		byActor := func(f store.StatementFilter) (store.Page[models.Statement], error) {
			return s.ActorStatements(bg, speaker, f)
		}
		one, items := count(store.StatementFilter{Limit: 1, Include: all}, byActor)
		if len(items) != 1 || items[0].SpeakerData == nil || items[0].SpeakerData.Slug != speaker || items[0].EventData == nil {
			t.Fatalf("/actors/%s/statements?include=…: %+v", speaker, items)
		}
		if many, _ := count(store.StatementFilter{Limit: n, Include: all}, byActor); many != one {
			t.Errorf("/actors/{id}/statements: %d queries for a page of 1, %d for a page of %d", one, many, n)
		}

		// Only what is asked for.
		_, items = count(store.StatementFilter{Limit: 2, Include: store.StatementInclude{Speaker: true}}, listAll)
		if items[0].SpeakerData == nil || items[0].EventData != nil || items[0].SourcesData != nil {
			t.Errorf("include=speaker embeds more: %+v", items[0])
		}
	})
}

// TestParticipantsRepresent: events' include=participants embeds the actor each
// participant represents beside the participant's own, with no more queries.
func TestParticipantsRepresent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		statementPage(t, s, 3)
		p, err := s.ListEvents(bg, store.EventFilter{Include: store.Include{Participants: true}})
		must(t, err)
		if len(p.Items) != 3 {
			t.Fatalf("%d events", len(p.Items))
		}
		for _, e := range p.Items {
			pt := e.Participants[0]
			if pt.ActorData == nil || pt.ActorData.ID != pt.Actor.ID {
				t.Errorf("%s: actor %+v", e.Slug, pt.ActorData)
			}
			if pt.RepresentsData == nil || pt.RepresentsData.ID != pt.Represents.ID || pt.RepresentsData.Name != "Ruritania" {
				t.Errorf("%s: represents %+v", e.Slug, pt.RepresentsData)
			}
		}
		p, err = s.ListEvents(bg, store.EventFilter{})
		must(t, err)
		if pt := p.Items[0].Participants[0]; pt.ActorData != nil || pt.RepresentsData != nil {
			t.Errorf("without include: %+v", pt)
		}
	})
}
