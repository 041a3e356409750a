package store_test

import (
	"math"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestDuplicateSlug: an explicit slug another entity of the same kind holds is a
// conflict on "slug", on create and on replace; the same slug in another kind is fine.
func TestDuplicateSlug(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := mkActor(t, s, "Abu Dhabi", models.ActorGroup, "")
		l := mkLocation(t, s, "Abu Dhabi", "AE")
		src := mkSource(t, s, "Abu Dhabi", "", "2026-01-01")
		e := mkEvent(t, s, newEvent("Abu Dhabi", "2026-01-23"))
		// Every kind derived "abu-dhabi": slugs are unique per kind only.
		wantEqual(t, "slugs", []string{a.Slug, l.Slug, src.Slug, e.Slug}, []string{"abu-dhabi", "abu-dhabi", "abu-dhabi", "abu-dhabi"})
		cases := []struct {
			name   string
			create func() error
			second func() (string, error) // creates another entity, returns its id
			rename func(ref string) error // replaces it with slug abu-dhabi
		}{
			{"actor",
				func() error {
					x := newActor("Other", models.ActorGroup, "")
					x.Slug = "abu-dhabi"
					return s.CreateActor(bg, x)
				},
				func() (string, error) {
					x := newActor("Other", models.ActorGroup, "")
					err := s.CreateActor(bg, x)
					return x.ID.String(), err
				},
				func(ref string) error {
					x := newActor("Other", models.ActorGroup, "")
					x.Slug = "abu-dhabi"
					return s.ReplaceActor(bg, ref, x, 0)
				}},
			{"location",
				func() error { x := &models.Location{Name: "Other", Slug: "abu-dhabi"}; return s.CreateLocation(bg, x) },
				func() (string, error) {
					x := &models.Location{Name: "Other"}
					err := s.CreateLocation(bg, x)
					return x.ID.String(), err
				},
				func(ref string) error {
					return s.ReplaceLocation(bg, ref, &models.Location{Name: "Other", Slug: "abu-dhabi"}, 0)
				}},
			{"source",
				func() error {
					x := &models.Source{Outlet: "Other", Slug: "abu-dhabi", Published: models.MustParseDate("2026")}
					return s.CreateSource(bg, x)
				},
				func() (string, error) {
					x := &models.Source{Outlet: "Other", Published: models.MustParseDate("2026")}
					err := s.CreateSource(bg, x)
					return x.ID.String(), err
				},
				func(ref string) error {
					return s.ReplaceSource(bg, ref, &models.Source{Outlet: "Other", Slug: "abu-dhabi", Published: models.MustParseDate("2026")}, 0)
				}},
			{"event",
				func() error { x := newEvent("Other", "2026"); x.Slug = "abu-dhabi"; return s.CreateEvent(bg, x) },
				func() (string, error) {
					x := newEvent("Other", "2026")
					err := s.CreateEvent(bg, x)
					return x.ID.String(), err
				},
				func(ref string) error {
					x := newEvent("Other", "2026")
					x.Slug = "abu-dhabi"
					return s.ReplaceEvent(bg, ref, x, 0)
				}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := countAll(t, s)
				wantErr(t, c.create(), models.ECONFLICT, "slug")
				wantEqual(t, "counts after refused create", countAll(t, s), before)
				id, err := c.second()
				must(t, err)
				wantErr(t, c.rename(id), models.ECONFLICT, "slug")
			})
		}
		// Each refused rename left the second entity at version 1 with its own slug.
		x, err := s.GetActor(bg, "other")
		must(t, err)
		wantEqual(t, "actor after refused rename", [2]any{x.Version, x.Slug}, [2]any{1, "other"})
	})
}

// TestDuplicateID: an explicit id that is taken is a conflict on "id" for every kind;
// an explicit fresh id is kept.
func TestDuplicateID(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := mkActor(t, s, "Russia", models.ActorState, "RU")
		l := mkLocation(t, s, "Moscow", "RU")
		src := mkSource(t, s, "TASS", "", "2026-01-01")
		e := mkEvent(t, s, newEvent("Meeting", "2026-01-23"))
		st := newStatement(a, "Said.", "2026-01-23")
		must(t, s.CreateStatement(bg, st))
		before := countAll(t, s)

		cases := []struct {
			name   string
			create func(id models.ID) error
		}{
			{"actor", func(id models.ID) error {
				x := newActor("Another", models.ActorState, "")
				x.ID = id
				return s.CreateActor(bg, x)
			}},
			{"location", func(id models.ID) error {
				return s.CreateLocation(bg, &models.Location{Meta: models.Meta{ID: id}, Name: "Another"})
			}},
			{"source", func(id models.ID) error {
				return s.CreateSource(bg, &models.Source{Meta: models.Meta{ID: id}, Outlet: "Another", Published: models.MustParseDate("2026")})
			}},
			{"event", func(id models.ID) error { x := newEvent("Another", "2026"); x.ID = id; return s.CreateEvent(bg, x) }},
			{"statement", func(id models.ID) error {
				x := newStatement(a, "Another.", "2026")
				x.ID = id
				return s.CreateStatement(bg, x)
			}},
		}
		taken := map[string]models.ID{"actor": a.ID, "location": l.ID, "source": src.ID, "event": e.ID, "statement": st.ID}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantErr(t, c.create(taken[c.name]), models.ECONFLICT, "id")
				wantEqual(t, "counts", countAll(t, s), before)
				wantEqual(t, "revisions of the existing entity", revCount(t, s, c.name, taken[c.name]), 1)
			})
		}
		got, err := s.GetActor(bg, a.ID.String())
		must(t, err)
		wantEqual(t, "existing actor untouched", got.Name, "Russia")

		fresh := models.NewID()
		x := newActor("Chosen id", models.ActorGroup, "")
		x.ID = fresh
		must(t, s.CreateActor(bg, x))
		got, err = s.GetActor(bg, fresh.String())
		must(t, err)
		wantEqual(t, "explicit id kept", got.Slug, "chosen-id")

		// A body whose id differs from the addressed entity is refused.
		y := newActor("Russia", models.ActorState, "RU")
		y.ID = fresh
		wantErr(t, s.ReplaceActor(bg, a.ID.String(), y, 0), models.EUNPROCESSABLE, "id")
		got, err = s.GetActor(bg, a.ID.String())
		must(t, err)
		wantEqual(t, "version after refused replace", got.Version, 1)
	})
}

// refFixture is a small set of entities that references can point at.
type refFixture struct {
	ua, umerov, us *models.Actor
	loc            *models.Location
	src            *models.Source
	parent, other  *models.Event
}

func newRefFixture(t *testing.T, s *store.Store) refFixture {
	t.Helper()
	return refFixture{
		ua:     mkActor(t, s, "Ukraine", models.ActorState, "UA"),
		umerov: mkActor(t, s, "Rustem Umerov", models.ActorPerson, "UA"),
		us:     mkActor(t, s, "United States", models.ActorState, "US"),
		loc:    mkLocation(t, s, "Abu Dhabi", "AE"),
		src:    mkSource(t, s, "Meduza", "Talks", "2026-01-24"),
		parent: mkEvent(t, s, newEvent("Talks series", "2026")),
		other:  mkEvent(t, s, newEvent("Alaska summit", "2025-08-15")),
	}
}

// validEvent references every kind of entity of f by id.
func (f refFixture) validEvent() *models.Event {
	e := newEvent("Round", "2026-01-23")
	e.Location, e.Parent = refOf(f.loc.ID), refOf(f.parent.ID)
	e.Participants = []models.Participant{
		{Actor: models.Ref{ID: f.umerov.ID}, Role: models.RoleHeadOfDelegation, Represents: refOf(f.ua.ID)},
		part(f.us, models.RoleMediator),
	}
	e.Sources = []*models.Ref{refOf(f.src.ID)}
	e.Relations = []models.Relation{{Type: models.RelationFollows, Related: models.Ref{ID: f.other.ID}}}
	return e
}

// TestMissingReferences: a reference to an entity that does not exist is a 422 naming
// the exact field, for ids and slugs alike, and nothing is written.
func TestMissingReferences(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRefFixture(t, s)
		target := mkEvent(t, s, newEvent("Replace target", "2026-03"))
		missing := models.NewID()
		before := countAll(t, s)

		cases := []struct {
			name   string
			edit   func(e *models.Event)
			fields []string
		}{
			{"location by id", func(e *models.Event) { e.Location = refOf(missing) }, []string{"location_id"}},
			{"location by slug", func(e *models.Event) { e.Location = models.RefBySlug("atlantis") }, []string{"location_id"}},
			{"parent", func(e *models.Event) { e.Parent = models.RefBySlug("no-such-series") }, []string{"parent_id"}},
			{"participant actor by id", func(e *models.Event) { e.Participants[0].Actor = models.Ref{ID: missing} }, []string{"participants[0].actor_id"}},
			{"participant actor by slug", func(e *models.Event) { e.Participants[1].Actor = models.Ref{Slug: "nobody"} }, []string{"participants[1].actor_id"}},
			{"represents", func(e *models.Event) { e.Participants[0].Represents = refOf(missing) }, []string{"participants[0].represents_id"}},
			{"source", func(e *models.Event) { e.Sources = append(e.Sources, models.RefBySlug("no-such-source")) }, []string{"source_ids[1]"}},
			{"relation", func(e *models.Event) { e.Relations[0].Related = models.Ref{ID: missing} }, []string{"relations[0].event_id"}},
			{"all at once", func(e *models.Event) {
				e.Location, e.Parent = refOf(missing), refOf(missing)
				e.Participants[1].Actor = models.Ref{Slug: "nobody"}
				e.Sources[0] = refOf(missing)
			}, []string{"location_id", "parent_id", "participants[1].actor_id", "source_ids[0]"}},
		}
		for _, c := range cases {
			t.Run("event "+c.name, func(t *testing.T) {
				e := f.validEvent()
				c.edit(e)
				wantErr(t, s.CreateEvent(bg, e), models.EUNPROCESSABLE, c.fields...)
				// The same body on replace is refused the same way and leaves the target alone.
				x := f.validEvent()
				c.edit(x)
				wantErr(t, s.ReplaceEvent(bg, target.ID.String(), x, 0), models.EUNPROCESSABLE, c.fields...)
			})
		}
		got, err := s.GetEvent(bg, target.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "replaced target version", got.Version, 1)

		stCases := []struct {
			name   string
			edit   func(st *models.Statement)
			fields []string
		}{
			{"speaker", func(st *models.Statement) { st.Speaker = &models.Ref{ID: missing} }, []string{"speaker_id"}},
			{"speaker by slug", func(st *models.Statement) { st.Speaker = &models.Ref{Slug: "nobody"} }, []string{"speaker_id"}},
			{"speaks for", func(st *models.Statement) { st.SpeaksFor = models.RefBySlug("nobody") }, []string{"speaks_for_id"}},
			{"event", func(st *models.Statement) { st.Event = models.RefBySlug("no-such-event") }, []string{"event_id"}},
			{"source", func(st *models.Statement) { st.Sources = []*models.Ref{refOf(f.src.ID), refOf(missing)} }, []string{"source_ids[1]"}},
		}
		for _, c := range stCases {
			t.Run("statement "+c.name, func(t *testing.T) {
				st := newStatement(f.umerov, "We agreed.", "2026-01-23")
				st.Event = refOf(f.parent.ID)
				c.edit(st)
				wantErr(t, s.CreateStatement(bg, st), models.EUNPROCESSABLE, c.fields...)
			})
		}
		t.Run("actor affiliation", func(t *testing.T) {
			a := newActor("Official", models.ActorPerson, "")
			a.Affiliation = models.RefBySlug("no-such-office")
			wantErr(t, s.CreateActor(bg, a), models.EUNPROCESSABLE, "affiliation_id")
			wantErr(t, s.ReplaceActor(bg, f.ua.ID.String(), &models.Actor{Name: "Ukraine", Kind: models.ActorState, Affiliation: refOf(missing)}, 0),
				models.EUNPROCESSABLE, "affiliation_id")
		})
		wantEqual(t, "counts", countAll(t, s), before)
	})
}

// TestReferencesBySlug: references written as slugs are stored, returned and recorded
// as ids.
func TestReferencesBySlug(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRefFixture(t, s)
		e := newEvent("Round", "2026-01-23")
		e.Location, e.Parent = models.RefBySlug(f.loc.Slug), models.RefBySlug(f.parent.Slug)
		e.Participants = []models.Participant{
			{Actor: models.Ref{Slug: f.umerov.Slug}, Role: models.RoleHeadOfDelegation, Represents: models.RefBySlug(f.ua.Slug)},
			{Actor: models.Ref{Slug: f.us.Slug}, Role: models.RoleMediator},
			{Actor: models.Ref{ID: f.us.ID}, Role: models.RoleObserver}, // same actor by id, another role
		}
		e.Sources = []*models.Ref{models.RefBySlug(f.src.Slug)}
		e.Relations = []models.Relation{{Type: models.RelationFollows, Related: models.Ref{Slug: f.other.Slug}}}
		must(t, s.CreateEvent(bg, e))

		want := []partKey{{f.umerov.ID, models.RoleHeadOfDelegation, f.ua.ID}, {Actor: f.us.ID, Role: models.RoleMediator}, {Actor: f.us.ID, Role: models.RoleObserver}}
		// The value passed in has its references resolved to ids (it may keep the slug
		// beside the id: Ref emits the id once resolved).
		wantEqual(t, "written location", e.Location.ID, f.loc.ID)
		wantEqual(t, "written parent", e.Parent.ID, f.parent.ID)
		wantEqual(t, "written participants", partKeys(e.Participants), want)
		wantEqual(t, "written source", e.Sources[0].ID, f.src.ID)
		wantEqual(t, "written relation", e.Relations[0].Related.ID, f.other.ID)
		// What is read back holds bare ids.
		got, err := s.GetEvent(bg, e.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "location", got.Location, refOf(f.loc.ID))
		wantEqual(t, "parent", got.Parent, refOf(f.parent.ID))
		wantEqual(t, "participants", partKeys(got.Participants), want)
		for i, p := range got.Participants {
			if p.Actor.Slug != "" || (p.Represents != nil && p.Represents.Slug != "") {
				t.Errorf("participant %d carries a slug: %+v", i, p)
			}
		}
		wantEqual(t, "sources", refIDs(t, got.Sources), []models.ID{f.src.ID})
		if len(got.Relations) != 1 || got.Relations[0].Related != (models.Ref{ID: f.other.ID}) {
			t.Errorf("relations %+v, want follows %s", got.Relations, f.other.ID)
		}
		var snap eventJSON
		must(t, jsonUnmarshal(revisions(t, s, "event", e.ID.String())[0].Data, &snap))
		wantEqual(t, "revision participants", []string{snap.Participants[0].ActorID, snap.Participants[1].ActorID}, []string{f.umerov.ID.String(), f.us.ID.String()})
		wantEqual(t, "revision sources", snap.SourceIDs, []string{f.src.ID.String()})

		// The same actor once by slug and once by id with the same role is a duplicate.
		dup := newEvent("Dup", "2026-01-23")
		dup.Participants = []models.Participant{{Actor: models.Ref{Slug: f.us.Slug}, Role: models.RoleMediator}, part(f.us, models.RoleMediator)}
		wantErr(t, s.CreateEvent(bg, dup), models.EUNPROCESSABLE, "participants[1]")
		dup = newEvent("Dup", "2026-01-23")
		dup.Sources = []*models.Ref{models.RefBySlug(f.src.Slug), refOf(f.src.ID)}
		wantErr(t, s.CreateEvent(bg, dup), models.EUNPROCESSABLE, "source_ids[1]")

		st := &models.Statement{Text: "We agreed.", Speaker: &models.Ref{Slug: f.umerov.Slug}, Date: models.MustParseDate("2026-01-23"),
			Event: models.RefBySlug(e.Slug), Sources: []*models.Ref{models.RefBySlug(f.src.Slug)}}
		must(t, s.CreateStatement(bg, st))
		gst, err := s.GetStatement(bg, st.ID.String())
		must(t, err)
		wantEqual(t, "speaker", gst.Speaker, refOf(f.umerov.ID))
		wantEqual(t, "event", gst.Event, refOf(e.ID))
		wantEqual(t, "statement sources", refIDs(t, gst.Sources), []models.ID{f.src.ID})

		a := &models.Actor{Name: "Ministry", Kind: models.ActorOrganization, Affiliation: models.RefBySlug(f.ua.Slug)}
		must(t, s.CreateActor(bg, a))
		ga, err := s.GetActor(bg, a.Slug)
		must(t, err)
		wantEqual(t, "affiliation", ga.Affiliation, refOf(f.ua.ID))
	})
}

// TestValidationErrors: invalid content is a 422 listing every bad field, and nothing is
// written.
func TestValidationErrors(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRefFixture(t, s)
		before := countAll(t, s)
		cases := []struct {
			name   string
			write  func() error
			fields []string
		}{
			{"actor kind", func() error { return s.CreateActor(bg, newActor("X", "nation", "")) }, []string{"kind"}},
			{"actor country name", func() error { return s.CreateActor(bg, newActor("X", models.ActorState, "Ukraine")) }, []string{"country"}},
			{"actor country lower case", func() error { return s.CreateActor(bg, newActor("X", models.ActorState, "ua")) }, []string{"country"}},
			{"actor empty name and bad kind", func() error { return s.CreateActor(bg, &models.Actor{Slug: "x", Kind: "x"}) }, []string{"kind", "name"}},
			{"actor bad slug", func() error {
				a := newActor("X", models.ActorState, "")
				a.Slug = "Not A Slug"
				return s.CreateActor(bg, a)
			}, []string{"slug"}},
			{"actor slug shaped like an id", func() error {
				a := newActor("X", models.ActorState, "")
				a.Slug = models.NewID().String()
				return s.CreateActor(bg, a)
			}, []string{"slug"}},
			{"actor own affiliation", func() error {
				return s.ReplaceActor(bg, f.ua.Slug, &models.Actor{Name: "Ukraine", Kind: models.ActorState, Affiliation: models.RefBySlug(f.ua.Slug)}, 0)
			}, []string{"affiliation_id"}},
			{"location latitude", func() error {
				return s.CreateLocation(bg, &models.Location{Name: "X", Latitude: f64(91), Longitude: f64(0)})
			}, []string{"latitude"}},
			{"location longitude", func() error {
				return s.CreateLocation(bg, &models.Location{Name: "X", Latitude: f64(-90), Longitude: f64(-180.5)})
			}, []string{"longitude"}},
			{"location NaN", func() error {
				return s.CreateLocation(bg, &models.Location{Name: "X", Latitude: f64(math.NaN()), Longitude: f64(0)})
			}, []string{"latitude"}},
			{"location latitude alone", func() error { return s.CreateLocation(bg, &models.Location{Name: "X", Latitude: f64(10)}) }, []string{"latitude"}},
			{"location country", func() error { return s.CreateLocation(bg, &models.Location{Name: "X", Country: "UAE"}) }, []string{"country"}},
			{"source without date", func() error { return s.CreateSource(bg, &models.Source{Outlet: "X"}) }, []string{"published"}},
			{"source url and language", func() error {
				return s.CreateSource(bg, &models.Source{Outlet: "X", URL: "ftp://x", Language: "English", Published: models.MustParseDate("2026")})
			}, []string{"language", "url"}},
			{"event without date", func() error {
				return s.CreateEvent(bg, &models.Event{Title: "X", Type: models.EventMeeting, Status: models.StatusHeld})
			}, []string{"date"}},
			{"event bad enums", func() error {
				return s.CreateEvent(bg, &models.Event{Title: "X", Type: "party", Status: "done", Date: models.MustParseDate("2026")})
			}, []string{"status", "type"}},
			{"event bad role and cameo", func() error {
				e := newEvent("X", "2026")
				e.CAMEO = "4a"
				e.Participants = []models.Participant{part(f.ua, "boss")}
				return s.CreateEvent(bg, e)
			}, []string{"cameo_code", "participants[0].role"}},
			{"event bad tags", func() error {
				e := newEvent("X", "2026")
				e.Tags = []string{"ok", "Peace Talks", "ok"}
				return s.CreateEvent(bg, e)
			}, []string{"tags[1]", "tags[2]"}},
			{"event participant represents itself", func() error {
				e := newEvent("X", "2026")
				e.Participants = []models.Participant{{Actor: models.Ref{ID: f.ua.ID}, Role: models.RoleHost, Represents: refOf(f.ua.ID)}}
				return s.CreateEvent(bg, e)
			}, []string{"participants[0].represents_id"}},
			{"event participant represents itself, named once by slug", func() error {
				e := newEvent("X", "2026")
				e.Participants = []models.Participant{{Actor: models.Ref{Slug: f.ua.Slug}, Role: models.RoleHost, Represents: refOf(f.ua.ID)}}
				return s.CreateEvent(bg, e)
			}, []string{"participants[0].represents_id"}},
			{"event bad relation type", func() error {
				e := newEvent("X", "2026")
				e.Relations = []models.Relation{{Type: "causes", Related: models.Ref{ID: f.other.ID}}}
				return s.CreateEvent(bg, e)
			}, []string{"relations[0].type"}},
			{"event relates to itself", func() error {
				e := newEvent("Alaska summit", "2025-08-15")
				e.Relations = []models.Relation{{Type: models.RelationReferences, Related: models.Ref{Slug: f.other.Slug}}}
				return s.ReplaceEvent(bg, f.other.ID.String(), e, 0)
			}, []string{"relations[0].event_id"}},
			{"event is its own parent", func() error {
				e := newEvent("Talks series", "2026")
				e.Parent = refOf(f.parent.ID)
				return s.ReplaceEvent(bg, f.parent.ID.String(), e, 0)
			}, []string{"parent_id"}},
			{"event read-only embeds", func() error {
				e := newEvent("X", "2026")
				e.LocationData = f.loc
				return s.CreateEvent(bg, e)
			}, []string{""}},
			{"statement without text and date", func() error {
				return s.CreateStatement(bg, &models.Statement{Speaker: &models.Ref{ID: f.ua.ID}})
			}, []string{"date", "text"}},
			{"statement without speaker", func() error {
				return s.CreateStatement(bg, &models.Statement{Text: "x", Date: models.MustParseDate("2026")})
			}, []string{""}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantErr(t, c.write(), models.EUNPROCESSABLE, c.fields...)
			})
		}
		wantEqual(t, "counts", countAll(t, s), before)
		for _, id := range []models.ID{f.ua.ID, f.parent.ID, f.other.ID} {
			kind := "event"
			if id == f.ua.ID {
				kind = "actor"
			}
			wantEqual(t, "revisions of "+kind, revCount(t, s, kind, id), 1)
		}

		// A cycle through a child: the parent cannot become a round of its own round.
		child := newEvent("Round 1", "2026-01-23")
		child.Parent = refOf(f.parent.ID)
		mkEvent(t, s, child)
		p := newEvent("Talks series", "2026")
		p.Parent = refOf(child.ID)
		wantErr(t, s.ReplaceEvent(bg, f.parent.ID.String(), p, 0), models.EUNPROCESSABLE, "parent_id")
	})
}

// TestStaleVersion: a replace or delete naming a version other than the stored one is
// refused with EPRECONDITION and changes nothing.
func TestStaleVersion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := mkActor(t, s, "Russia", models.ActorState, "RU")
		e := mkEvent(t, s, newEvent("Meeting", "2026-01-23"))
		st := newStatement(a, "Said.", "2026-01-23")
		must(t, s.CreateStatement(bg, st))
		must(t, s.ReplaceActor(bg, a.Slug, newActor("Russian Federation", models.ActorState, "RU"), 1))

		cases := []struct {
			name, kind string
			id         models.ID
			write      func(ifVersion int) error
			version    int // the stored version
		}{
			{"replace actor", "actor", a.ID, func(v int) error { return s.ReplaceActor(bg, a.ID.String(), newActor("X", models.ActorState, ""), v) }, 2},
			{"delete actor", "actor", a.ID, func(v int) error { return s.DeleteActor(bg, a.Slug, v) }, 2},
			{"replace event", "event", e.ID, func(v int) error { return s.ReplaceEvent(bg, e.Slug, newEvent("X", "2026"), v) }, 1},
			{"delete event", "event", e.ID, func(v int) error { return s.DeleteEvent(bg, e.ID.String(), v) }, 1},
			{"replace statement", "statement", st.ID, func(v int) error {
				return s.ReplaceStatement(bg, st.ID.String(), newStatement(a, "X", "2026"), v)
			}, 1},
			{"delete statement", "statement", st.ID, func(v int) error { return s.DeleteStatement(bg, st.ID.String(), v) }, 1},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				revs := revCount(t, s, c.kind, c.id)
				for _, v := range []int{c.version - 1, c.version + 1} {
					if v <= 0 {
						continue
					}
					wantErr(t, c.write(v), models.EPRECONDITION)
				}
				wantEqual(t, "revisions", revCount(t, s, c.kind, c.id), revs)
			})
		}
		ga, err := s.GetActor(bg, a.ID.String())
		must(t, err)
		wantEqual(t, "actor", [2]any{ga.Version, ga.Name}, [2]any{2, "Russian Federation"})
		ge, err := s.GetEvent(bg, e.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "event", [2]any{ge.Version, ge.Title}, [2]any{1, "Meeting"})
		gs, err := s.GetStatement(bg, st.ID.String())
		must(t, err)
		wantEqual(t, "statement", [2]any{gs.Version, gs.Text}, [2]any{1, "Said."})

		// The current version passes.
		must(t, s.ReplaceEvent(bg, e.ID.String(), newEvent("Meeting, renamed", "2026-01-23"), 1))
		must(t, s.DeleteStatement(bg, st.ID.String(), 1))
		must(t, s.DeleteEvent(bg, e.ID.String(), 2))
		must(t, s.DeleteActor(bg, a.ID.String(), 2))
	})
}

// TestRejectedWritesLeaveNoTrace runs refused writes of every kind against a populated
// database and checks that rows, child rows, versions and histories are as before.
func TestRejectedWritesLeaveNoTrace(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRefFixture(t, s)
		e := f.validEvent()
		e.Tags = []string{"round-1"}
		mkEvent(t, s, e)
		st := newStatement(f.umerov, "We agreed.", "2026-01-23")
		st.Event, st.Tags, st.Sources = refOf(e.ID), []string{"agreed"}, []*models.Ref{refOf(f.src.ID)}
		must(t, s.CreateStatement(bg, st))

		before := countAll(t, s)
		fpBefore, err := s.Fingerprint(bg)
		must(t, err)
		evBefore, err := s.GetEvent(bg, e.ID.String(), store.Include{})
		must(t, err)
		stBefore, err := s.GetStatement(bg, st.ID.String())
		must(t, err)
		revsBefore := map[models.ID]int{e.ID: revCount(t, s, "event", e.ID), st.ID: revCount(t, s, "statement", st.ID)}

		missing := models.NewID()
		refused := []error{
			// Creates that fail after some references resolved.
			s.CreateEvent(bg, func() *models.Event { x := f.validEvent(); x.Sources = append(x.Sources, refOf(missing)); return x }()),
			s.CreateStatement(bg, func() *models.Statement { x := newStatement(f.us, "x", "2026"); x.Event = refOf(missing); return x }()),
			// Replaces with a bad child row, a bad reference, a stale version, a taken slug.
			s.ReplaceEvent(bg, e.ID.String(), func() *models.Event {
				x := newEvent("Changed", "2026-02")
				x.Participants = []models.Participant{part(f.us, models.RoleHost), {Actor: models.Ref{ID: missing}, Role: models.RoleHost}}
				x.Tags = []string{"changed"}
				return x
			}(), 0),
			s.ReplaceEvent(bg, e.ID.String(), func() *models.Event { x := newEvent("Changed", "2026-02"); x.Tags = []string{"changed"}; return x }(), 2),
			s.ReplaceEvent(bg, e.ID.String(), func() *models.Event { x := newEvent("Changed", "2026-02"); x.Slug = f.other.Slug; return x }(), 0),
			s.ReplaceStatement(bg, st.ID.String(), func() *models.Statement {
				x := newStatement(f.us, "Changed", "2026-02")
				x.Tags, x.Sources = []string{"changed"}, []*models.Ref{refOf(missing)}
				return x
			}(), 0),
			// Deletes refused because of references.
			s.DeleteEvent(bg, e.ID.String(), 0),
			s.DeleteSource(bg, f.src.ID.String(), 0),
			s.DeleteActor(bg, f.umerov.ID.String(), 0),
		}
		for i, err := range refused {
			if err == nil {
				t.Errorf("write %d was not refused", i)
			}
			if c := models.ErrorCodeOf(err); c == models.EINTERNAL {
				t.Errorf("write %d: internal error %v", i, err)
			}
		}

		wantEqual(t, "counts", countAll(t, s), before)
		// Every table's row count (child rows and revisions included) and version sums.
		fpAfter, err := s.Fingerprint(bg)
		must(t, err)
		wantEqual(t, "fingerprint", fpAfter, fpBefore)
		evAfter, err := s.GetEvent(bg, e.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "event title/version/slug", [3]any{evAfter.Title, evAfter.Version, evAfter.Slug}, [3]any{evBefore.Title, evBefore.Version, evBefore.Slug})
		sameDate(t, "event date", evAfter.Date, evBefore.Date)
		wantEqual(t, "event participants", partKeys(evAfter.Participants), partKeys(evBefore.Participants))
		wantEqual(t, "event tags", evAfter.Tags, []string{"round-1"})
		wantEqual(t, "event sources", refIDs(t, evAfter.Sources), refIDs(t, evBefore.Sources))
		wantEqual(t, "event relations", len(evAfter.Relations), len(evBefore.Relations))
		stAfter, err := s.GetStatement(bg, st.ID.String())
		must(t, err)
		wantEqual(t, "statement", [4]any{stAfter.Text, stAfter.Version, stAfter.Speaker.ID, stAfter.Tags}, [4]any{stBefore.Text, stBefore.Version, stBefore.Speaker.ID, []string{"agreed"}})
		wantEqual(t, "statement sources", refIDs(t, stAfter.Sources), []models.ID{f.src.ID})
		wantEqual(t, "event revisions", revCount(t, s, "event", e.ID), revsBefore[e.ID])
		wantEqual(t, "statement revisions", revCount(t, s, "statement", st.ID), revsBefore[st.ID])
		// The tag the refused replace tried to add is nowhere.
		p, err := s.ListEvents(bg, store.EventFilter{Tags: []string{"changed"}})
		must(t, err)
		wantEqual(t, "events tagged by a refused write", len(p.Items), 0)
	})
}

// TestDuplicateParticipantReportedOnce: the same actor twice with the same role is one
// problem and gets one field error (models.Event.Validate and the store's resolver used
// to both report it).
func TestDuplicateParticipantReportedOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ua := mkActor(t, s, "Ukraine", models.ActorState, "UA")
		e := newEvent("X", "2026")
		e.Participants = []models.Participant{part(ua, models.RoleHost), part(ua, models.RoleHost)}
		err := s.CreateEvent(bg, e)
		wantErr(t, err, models.EUNPROCESSABLE)
		wantEqual(t, "fields", errFields(err), []string{"participants[1]"})
		wantEqual(t, "events", countAll(t, s).Events, 0)
	})
}
