package store_test

import (
	"slices"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestMergeKeepsPositionsAndRelations merges a person recorded twice, each record with
// offices and relations of its own: the survivor keeps all of them after its own, in
// order; a relation that would tie the survivor to itself goes; an office held at the
// loser (now the survivor) loses its organisation; a merge that would make the survivor
// name itself through another actor is refused and changes nothing. An event's evidence
// list follows the same rule.
func TestMergeKeepsPositionsAndRelations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		date := func(v string) models.Date { d, err := models.ParseDate(v); must(t, err); return d }
		mk := func(a *models.Actor) *models.Actor { must(t, s.CreateActor(bg, a)); return a }
		kremlin := mk(&models.Actor{Slug: "kremlin", Name: "Kremlin", Kind: models.ActorOrganization})
		trump := mk(&models.Actor{Slug: "donald-trump", Name: "Donald Trump", Kind: models.ActorPerson})
		a := mk(&models.Actor{Slug: "yuri-ushakov", Name: "Yuri Ushakov", Kind: models.ActorPerson,
			Positions: []models.Position{{Title: "Aide to the President", Organization: models.RefTo(kremlin.ID), Start: date("2012-05")}},
			Relations: []models.ActorRelation{{Type: models.ActorAdviserTo, Related: models.Ref{ID: trump.ID}}}})
		mk(&models.Actor{Slug: "y-ushakov", Name: "Y. Ushakov", Kind: models.ActorPerson,
			Positions: []models.Position{{Title: "Ambassador to the United States", Start: date("1999"), End: date("2008")},
				{Title: "Deputy head of government staff", Start: date("2008"), End: date("2012")}},
			Relations: []models.ActorRelation{{Type: models.ActorSpouseOf, Related: models.Ref{ID: a.ID}}}})
		if _, err := s.MergeActors(bg, "y-ushakov", "yuri-ushakov", 0); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetActor(bg, "yuri-ushakov")
		must(t, err)
		var titles []string
		for _, p := range got.Positions {
			titles = append(titles, p.Title)
		}
		if want := []string{"Aide to the President", "Ambassador to the United States", "Deputy head of government staff"}; !slices.Equal(titles, want) {
			t.Errorf("positions after the merge: %v, want %v", titles, want)
		}
		if len(got.Relations) != 1 || got.Relations[0].Type != models.ActorAdviserTo || got.Relations[0].Related.ID != trump.ID {
			t.Errorf("relations after the merge: %+v", got.Relations)
		}

		// boss holds an office at office, which is employed by boss-dup: merging boss-dup
		// into boss would close a loop through a position and a relation.
		office := mk(&models.Actor{Slug: "office", Name: "Office", Kind: models.ActorOrganization})
		mk(&models.Actor{Slug: "boss", Name: "Boss", Kind: models.ActorPerson,
			Positions: []models.Position{{Title: "Head", Organization: models.RefTo(office.ID)}}})
		dup := mk(&models.Actor{Slug: "boss-dup", Name: "Boss", Kind: models.ActorPerson})
		must(t, s.ReplaceActor(bg, "office", &models.Actor{Slug: "office", Name: "Office", Kind: models.ActorOrganization,
			Relations: []models.ActorRelation{{Type: models.ActorEmployedBy, Related: models.Ref{ID: dup.ID}}}}, 0))
		if _, err := s.MergeActors(bg, "boss-dup", "boss", 0); models.ErrorCodeOf(err) != models.ECONFLICT {
			t.Errorf("a merge closing a loop office → boss → office: %v, want a conflict", err)
		}
		if _, err := s.GetActor(bg, "boss-dup"); err != nil {
			t.Errorf("the refused merge removed the duplicate: %v", err)
		}

		// Two reports of one event, each with its evidence: the survivor keeps both lists.
		src := &models.Source{Slug: "wire", Outlet: "Wire", Title: "Talks", Published: date("2026-01-23")}
		must(t, s.CreateSource(bg, src))
		ev := func(slug, quote string, claims ...string) *models.Event {
			e := &models.Event{Slug: slug, Title: slug, Type: models.EventMeeting, Status: models.StatusScheduled, Date: date("2026-01-23"),
				Sources:  []*models.Ref{models.RefTo(src.ID)},
				Evidence: []models.Evidence{{Source: models.RefTo(src.ID), Supports: claims, Quote: quote}}}
			must(t, s.CreateEvent(bg, e))
			return e
		}
		ev("talks", "held talks on Friday", "date", "status")
		ev("talks-dup", "in Abu Dhabi", "location")
		if _, err := s.MergeEvents(bg, "talks-dup", "talks", 0); err != nil {
			t.Fatal(err)
		}
		e, err := s.GetEvent(bg, "talks", store.Include{})
		must(t, err)
		if len(e.Evidence) != 2 || e.Evidence[0].Quote != "held talks on Friday" || len(e.Evidence[0].Supports) != 2 ||
			e.Evidence[1].Quote != "in Abu Dhabi" || !slices.Equal(e.Evidence[1].Supports, []string{"location"}) {
			t.Errorf("evidence after the merge: %+v", e.Evidence)
		}

	})
}
