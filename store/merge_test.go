package store_test

import (
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// mergeFixture is a small world with a duplicate actor (britain of united-kingdom) and
// a duplicate event (talks-b of talks-a), referenced in every way the schema allows.
type mergeFixture struct {
	uk, britain, fr, aide *models.Actor
	a, b, child, other    *models.Event
	st                    *models.Statement
}

func newMergeFixture(t *testing.T, s *store.Store) mergeFixture {
	t.Helper()
	var f mergeFixture
	actor := func(slug, country string, aff *models.Actor) *models.Actor {
		a := &models.Actor{Slug: slug, Name: slug, Kind: models.ActorState, Country: country}
		if aff != nil {
			a.Affiliation = models.RefTo(aff.ID)
		}
		must(t, s.CreateActor(bg, a))
		return a
	}
	f.uk, f.britain, f.fr = actor("united-kingdom", "GB", nil), actor("britain", "GB", nil), actor("france", "FR", nil)
	f.aide = actor("aide", "GB", f.britain)
	date := func(s string) models.Date { d, err := models.ParseDate(s); must(t, err); return d }
	event := func(slug, d string, ps []models.Participant, parent *models.Event) *models.Event {
		e := &models.Event{Slug: slug, Title: "Talks on " + slug, Type: models.EventMeeting, Status: models.StatusHeld, Date: date(d), Participants: ps}
		if parent != nil {
			e.Parent = models.RefTo(parent.ID)
		}
		must(t, s.CreateEvent(bg, e))
		return e
	}
	p := func(a *models.Actor, role models.Role, rep *models.Actor) models.Participant {
		out := models.Participant{Actor: models.Ref{ID: a.ID}, Role: role}
		if rep != nil {
			out.Represents = models.RefTo(rep.ID)
		}
		return out
	}
	f.a = event("talks-a", "2026-01-23", []models.Participant{p(f.uk, models.RoleHost, nil), p(f.fr, models.RoleParticipant, nil)}, nil)
	f.b = event("talks-b", "2026-01-23", []models.Participant{p(f.britain, models.RoleHost, nil), p(f.aide, models.RoleEnvoy, f.britain), p(f.fr, models.RoleParticipant, nil)}, nil)
	f.other = event("other", "2026-02-01", []models.Participant{p(f.britain, models.RoleParticipant, nil), p(f.uk, models.RoleObserver, nil)}, nil)
	f.child = event("talks-b-day-2", "2026-01-24", []models.Participant{p(f.fr, models.RoleHost, nil)}, f.b)
	f.other.Relations = []models.Relation{{Type: models.RelationFollows, Related: models.Ref{ID: f.b.ID}}}
	must(t, s.ReplaceEvent(bg, f.other.ID.String(), f.other, 0))
	// Sources and tags on both reports (one shared), and relations between them, which
	// a merge of the two would make an event's relation to itself.
	src := func(slug string) *models.Source {
		x := &models.Source{Slug: slug, Outlet: slug, Title: slug, Published: date("2026-01-24")}
		must(t, s.CreateSource(bg, x))
		return x
	}
	shared, onlyB := src("meduza"), src("tass")
	f.a.Sources, f.a.Tags = []*models.Ref{models.RefTo(shared.ID)}, []string{"ukraine"}
	f.a.Relations = []models.Relation{{Type: models.RelationReferences, Related: models.Ref{ID: f.b.ID}}}
	must(t, s.ReplaceEvent(bg, f.a.ID.String(), f.a, 0))
	f.b.Sources, f.b.Tags = []*models.Ref{models.RefTo(onlyB.ID), models.RefTo(shared.ID)}, []string{"ukraine", "abu-dhabi"}
	f.b.Relations = []models.Relation{{Type: models.RelationPrecedes, Related: models.Ref{ID: f.a.ID}}, {Type: models.RelationFollows, Related: models.Ref{ID: f.other.ID}}}
	must(t, s.ReplaceEvent(bg, f.b.ID.String(), f.b, 0))
	f.st = &models.Statement{Text: "We will talk.", Speaker: models.RefTo(f.britain.ID), SpeaksFor: models.RefTo(f.uk.ID), Date: date("2026-01-23"), Event: models.RefTo(f.b.ID)}
	must(t, s.CreateStatement(bg, f.st))
	return f
}

// TestMergeMovesEveryReference merges an actor, then an event, and checks each
// reference, the aliases, the revisions, the redirects and that the roll-ups equal a
// recount.
func TestMergeMovesEveryReference(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newMergeFixture(t, s)
		uk, err := s.MergeActors(bg, "britain", "united-kingdom", 0)
		must(t, err)
		if uk.Version != 2 || !contains(uk.Aliases, "britain") {
			t.Fatalf("survivor: version %d aliases %v", uk.Version, uk.Aliases)
		}
		if _, err := s.GetActor(bg, f.britain.ID.String()); models.ErrorCodeOf(err) != models.ENOTFOUND {
			t.Fatalf("the loser is still there: %v", err)
		}
		aide, err := s.GetActor(bg, "aide")
		must(t, err)
		if aide.Affiliation == nil || aide.Affiliation.ID != f.uk.ID || aide.Version != 2 {
			t.Fatalf("affiliation not moved: %+v", aide)
		}
		b, err := s.GetEvent(bg, "talks-b", store.Include{})
		must(t, err)
		for _, p := range b.Participants {
			if p.Actor.ID == f.britain.ID || (p.Represents != nil && p.Represents.ID == f.britain.ID) {
				t.Fatalf("participant still names the loser: %+v", p)
			}
		}
		if !hasParticipant(b, f.uk.ID, models.RoleHost) || b.Version != f.b.Version+1 {
			t.Fatalf("talks-b: %+v", b.Participants)
		}
		st, err := s.GetStatement(bg, f.st.ID.String())
		must(t, err)
		if st.Speaker == nil || st.Speaker.ID != f.uk.ID {
			t.Fatalf("speaker not moved: %+v", st.Speaker)
		}
		noDrift(t, s, "after the actor merge")

		// A reference by the old slug lands on the survivor.
		e := &models.Event{Title: "Later", Type: models.EventCall, Status: models.StatusHeld, Date: b.Date,
			Participants: []models.Participant{{Actor: models.Ref{Slug: "britain"}, Role: models.RoleParticipant}}}
		must(t, s.CreateEvent(bg, e))
		if e.Participants[0].Actor.ID != f.uk.ID {
			t.Fatalf("old slug resolved to %v", e.Participants[0].Actor.ID)
		}
		// The old slug is reserved.
		if err := s.CreateActor(bg, &models.Actor{Slug: "britain", Name: "Britain", Kind: models.ActorState}); models.ErrorCodeOf(err) != models.ECONFLICT {
			t.Fatalf("a new actor took the old slug: %v", err)
		}

		a, err := s.MergeEvents(bg, "talks-b", "talks-a", 0)
		must(t, err)
		if !hasParticipant(a, f.aide.ID, models.RoleEnvoy) || len(a.Participants) != 3 {
			t.Fatalf("participants not united: %+v", a.Participants)
		}
		if len(a.Sources) != 2 || strings.Join(a.Tags, ",") != "abu-dhabi,ukraine" {
			t.Fatalf("sources or tags not united: %v %v", a.Sources, a.Tags)
		}
		if len(a.Relations) != 1 || a.Relations[0].Related.ID != f.other.ID || a.Relations[0].Type != models.RelationFollows {
			t.Fatalf("relations: %+v (the self-relations must go, the other must move)", a.Relations)
		}
		for _, p := range a.Participants {
			if !p.EventStart.Equal(a.Date.Start) {
				t.Fatalf("a participation row kept the loser's date: %+v", p)
			}
		}
		child, err := s.GetEvent(bg, "talks-b-day-2", store.Include{})
		must(t, err)
		if child.Parent == nil || child.Parent.ID != f.a.ID {
			t.Fatalf("parent not moved: %+v", child.Parent)
		}
		other, err := s.GetEvent(bg, "other", store.Include{})
		must(t, err)
		if len(other.Relations) != 1 || other.Relations[0].Related.ID != f.a.ID {
			t.Fatalf("relation not moved: %+v", other.Relations)
		}
		st, err = s.GetStatement(bg, f.st.ID.String())
		must(t, err)
		if st.Event == nil || st.Event.ID != f.a.ID {
			t.Fatalf("statement's event not moved: %+v", st.Event)
		}
		noDrift(t, s, "after the event merge")
		revs, err := s.Revisions(bg, models.KindEvent, f.b.ID.String(), store.RevisionFilter{})
		must(t, err)
		if last := revs.Items[len(revs.Items)-1]; last.Action != models.ActionMerge {
			t.Fatalf("the loser's last revision is %s", last.Action)
		}
		// Merging into itself, or from a gone loser.
		if _, err := s.MergeEvents(bg, "talks-a", "talks-a", 0); models.ErrorCodeOf(err) != models.EUNPROCESSABLE {
			t.Fatalf("merge into itself: %v", err)
		}
		if _, err := s.MergeEvents(bg, "talks-b", "other", 0); models.ErrorCodeOf(err) != models.ENOTFOUND {
			t.Fatalf("merge of a merged event: %v", err)
		}
	})
}

func hasParticipant(e *models.Event, id models.ID, role models.Role) bool {
	for _, p := range e.Participants {
		if p.Actor.ID == id && p.Role == role {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// noDrift fails when a stored roll-up row differs from a recount of the events.
func noDrift(t *testing.T, s *store.Store, when string) {
	t.Helper()
	drift, err := store.RollupDriftForTest(s)
	must(t, err)
	for _, d := range drift {
		t.Errorf("%s: %s", when, d)
	}
}

// TestMergeRefusesCycle: when the survivor is affiliated to an actor affiliated to the
// loser, the merge would close a loop; it is refused and writes nothing.
func TestMergeRefusesCycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newMergeFixture(t, s)
		f.uk.Affiliation = models.RefTo(f.aide.ID) // aide is affiliated to britain
		must(t, s.ReplaceActor(bg, "united-kingdom", f.uk, 0))
		before, err := s.Fingerprint(bg)
		must(t, err)
		if _, err := s.MergeActors(bg, "britain", "united-kingdom", 0); models.ErrorCodeOf(err) != models.ECONFLICT {
			t.Fatalf("merge closing a cycle: %v", err)
		}
		after, err := s.Fingerprint(bg)
		must(t, err)
		for k, v := range before {
			if after[k] != v {
				t.Fatalf("a refused merge wrote %s: %d -> %d", k, v, after[k])
			}
		}
	})
}

// TestMergeChainsCollapse merges britain into united-kingdom, then united-kingdom into
// france (a test of mechanics, not of geography): both old slugs lead to france in one
// step, and merging into an old slug goes where it leads.
func TestMergeChainsCollapse(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newMergeFixture(t, s)
		_, err := s.MergeActors(bg, "britain", "united-kingdom", 0)
		must(t, err)
		if _, err := s.MergeActors(bg, "united-kingdom", "britain", 0); models.ErrorCodeOf(err) != models.EUNPROCESSABLE {
			t.Fatalf("merging into its own old slug: %v", err)
		}
		_, err = s.MergeActors(bg, "united-kingdom", "france", 0)
		must(t, err)
		for _, old := range []string{"britain", f.britain.ID.String(), "united-kingdom", f.uk.ID.String()} {
			id, slug, ok, err := s.Redirected(bg, models.KindActor, old)
			must(t, err)
			if !ok || id != f.fr.ID || slug != "france" {
				t.Fatalf("%s leads to %v %q %v", old, id, slug, ok)
			}
		}
		aide, err := s.MergeActors(bg, "aide", "britain", 0) // into an old slug: france
		must(t, err)
		if aide.ID != f.fr.ID {
			t.Fatalf("merged into %s", aide.Slug)
		}
		noDrift(t, s, "after three merges")
	})
}
