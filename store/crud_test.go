package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// lifecycle drives one entity kind through create, get, replace and delete.
type lifecycle struct {
	kind     string // as Revisions names it
	wantSlug string // derived from the name; "" for statements
	// create inserts a fully populated entity with an empty slug, reads it back by id
	// and checks every field survived; it returns the created entity's meta and slug.
	create func(t *testing.T, s *store.Store) (models.Meta, string)
	get    func(s *store.Store, ref string) (models.Meta, string, error)
	// replace overwrites the entity with a changed name/title/text and an empty slug.
	replace func(s *store.Store, ref string, ifVersion int) error
	// changed checks that the replacement is what a read returns.
	changed func(t *testing.T, s *store.Store, ref string)
	del     func(s *store.Store, ref string, ifVersion int) error
}

func f64(v float64) *float64 { return &v }

func lifecycles() []lifecycle {
	return []lifecycle{
		{
			kind: "actor", wantSlug: "volodymyr-zelensky",
			create: func(t *testing.T, s *store.Store) (models.Meta, string) {
				ua := mkActor(t, s, "Ukraine", models.ActorState, "UA")
				a := &models.Actor{Name: "Volodymyr Zelensky", Kind: models.ActorPerson, Country: "UA",
					Aliases: models.StringList{"Zelenskyy", "Зеленський"}, Title: "President of Ukraine",
					Affiliation: refOf(ua.ID), ExternalIDs: models.StringMap{"wikidata": "Q3874799"}}
				must(t, s.CreateActor(bg, a))
				got, err := s.GetActor(bg, a.ID.String())
				must(t, err)
				wantEqual(t, "name", got.Name, a.Name)
				wantEqual(t, "kind", got.Kind, models.ActorPerson)
				wantEqual(t, "country", got.Country, "UA")
				wantEqual(t, "aliases", got.Aliases, models.StringList{"Zelenskyy", "Зеленський"})
				wantEqual(t, "title", got.Title, "President of Ukraine")
				wantEqual(t, "affiliation", got.Affiliation, refOf(ua.ID))
				wantEqual(t, "external ids", got.ExternalIDs, models.StringMap{"wikidata": "Q3874799"})
				return a.Meta, a.Slug
			},
			get: func(s *store.Store, ref string) (models.Meta, string, error) {
				a, err := s.GetActor(bg, ref)
				if err != nil {
					return models.Meta{}, "", err
				}
				return a.Meta, a.Slug, nil
			},
			replace: func(s *store.Store, ref string, v int) error {
				return s.ReplaceActor(bg, ref, &models.Actor{Name: "Volodymyr Zelenskyy", Kind: models.ActorPerson}, v)
			},
			changed: func(t *testing.T, s *store.Store, ref string) {
				a, err := s.GetActor(bg, ref)
				must(t, err)
				wantEqual(t, "name", a.Name, "Volodymyr Zelenskyy")
				wantEqual(t, "country", a.Country, "")
				wantEqual(t, "affiliation (replaced by nothing)", a.Affiliation, (*models.Ref)(nil))
				wantEqual(t, "aliases", len(a.Aliases), 0)
			},
			del: func(s *store.Store, ref string, v int) error { return s.DeleteActor(bg, ref, v) },
		},
		{
			kind: "location", wantSlug: "abu-dhabi",
			create: func(t *testing.T, s *store.Store) (models.Meta, string) {
				l := &models.Location{Name: "Abu Dhabi", Country: "AE", AdminArea: "Emirate of Abu Dhabi",
					Latitude: f64(24.4539), Longitude: f64(54.3773), ExternalIDs: models.StringMap{"geonames": "292968"}}
				must(t, s.CreateLocation(bg, l))
				got, err := s.GetLocation(bg, l.ID.String())
				must(t, err)
				wantEqual(t, "name", got.Name, "Abu Dhabi")
				wantEqual(t, "country", got.Country, "AE")
				wantEqual(t, "admin area", got.AdminArea, "Emirate of Abu Dhabi")
				wantEqual(t, "latitude", got.Latitude, f64(24.4539))
				wantEqual(t, "longitude", got.Longitude, f64(54.3773))
				wantEqual(t, "external ids", got.ExternalIDs, models.StringMap{"geonames": "292968"})
				return l.Meta, l.Slug
			},
			get: func(s *store.Store, ref string) (models.Meta, string, error) {
				l, err := s.GetLocation(bg, ref)
				if err != nil {
					return models.Meta{}, "", err
				}
				return l.Meta, l.Slug, nil
			},
			replace: func(s *store.Store, ref string, v int) error {
				return s.ReplaceLocation(bg, ref, &models.Location{Name: "Abu Dhabi City", Country: "AE"}, v)
			},
			changed: func(t *testing.T, s *store.Store, ref string) {
				l, err := s.GetLocation(bg, ref)
				must(t, err)
				wantEqual(t, "name", l.Name, "Abu Dhabi City")
				wantEqual(t, "latitude", l.Latitude, (*float64)(nil))
				wantEqual(t, "longitude", l.Longitude, (*float64)(nil))
			},
			del: func(s *store.Store, ref string, v int) error { return s.DeleteLocation(bg, ref, v) },
		},
		{
			kind: "source", wantSlug: "meduza-talks-in-abu-dhabi",
			create: func(t *testing.T, s *store.Store) (models.Meta, string) {
				src := &models.Source{Outlet: "Meduza", Title: "Talks in Abu Dhabi", URL: "https://meduza.io/en/feature/2026/01/24/x",
					Published: models.MustParseDate("2026-01-24T10:15+03:00"), Language: "ru"}
				must(t, s.CreateSource(bg, src))
				got, err := s.GetSource(bg, src.ID.String())
				must(t, err)
				wantEqual(t, "outlet", got.Outlet, "Meduza")
				wantEqual(t, "title", got.Title, "Talks in Abu Dhabi")
				wantEqual(t, "url", got.URL, src.URL)
				wantEqual(t, "language", got.Language, "ru")
				sameDate(t, "published", got.Published, models.MustParseDate("2026-01-24T10:15+03:00"))
				return src.Meta, src.Slug
			},
			get: func(s *store.Store, ref string) (models.Meta, string, error) {
				src, err := s.GetSource(bg, ref)
				if err != nil {
					return models.Meta{}, "", err
				}
				return src.Meta, src.Slug, nil
			},
			replace: func(s *store.Store, ref string, v int) error {
				return s.ReplaceSource(bg, ref, &models.Source{Outlet: "Meduza", Title: "Talks in Abu Dhabi, updated",
					Published: models.MustParseDate("2026-01-25")}, v)
			},
			changed: func(t *testing.T, s *store.Store, ref string) {
				src, err := s.GetSource(bg, ref)
				must(t, err)
				wantEqual(t, "title", src.Title, "Talks in Abu Dhabi, updated")
				wantEqual(t, "url", src.URL, "")
				sameDate(t, "published", src.Published, models.MustParseDate("2026-01-25"))
			},
			del: func(s *store.Store, ref string, v int) error { return s.DeleteSource(bg, ref, v) },
		},
		{
			kind: "event", wantSlug: "abu-dhabi-talks-day-1",
			create: func(t *testing.T, s *store.Store) (models.Meta, string) {
				ua := mkActor(t, s, "Ukraine", models.ActorState, "UA")
				umerov := mkActor(t, s, "Rustem Umerov", models.ActorPerson, "UA")
				ru := mkActor(t, s, "Russia", models.ActorState, "RU")
				loc := mkLocation(t, s, "Abu Dhabi", "AE")
				s1 := mkSource(t, s, "Reuters", "Talks", "2026-01-23")
				s2 := mkSource(t, s, "Meduza", "Talks", "2026-01-24")
				series := mkEvent(t, s, newEvent("Abu Dhabi talks", "2026-01-23/2026-01-24"))
				prev := mkEvent(t, s, newEvent("Alaska summit", "2025-08-15"))
				e := &models.Event{Title: "Abu Dhabi talks, day 1", Type: models.EventNegotiation, CAMEO: "046",
					Status: models.StatusHeld, Date: models.MustParseDate("2026-01-23"), Location: refOf(loc.ID),
					Summary: "First trilateral round.", Tags: []string{"trilateral", "peace-talks"},
					Participants: []models.Participant{
						{Actor: models.Ref{ID: umerov.ID}, Role: models.RoleHeadOfDelegation, Represents: refOf(ua.ID)},
						part(ua, models.RoleDelegation),
						part(ru, models.RoleDelegation),
					},
					Sources: []*models.Ref{refOf(s2.ID), refOf(s1.ID)}, Parent: refOf(series.ID),
					Relations: []models.Relation{{Type: models.RelationFollows, Related: models.Ref{ID: prev.ID}}},
				}
				must(t, s.CreateEvent(bg, e))
				got, err := s.GetEvent(bg, e.ID.String(), store.Include{})
				must(t, err)
				wantEqual(t, "title", got.Title, e.Title)
				wantEqual(t, "type", got.Type, models.EventNegotiation)
				wantEqual(t, "cameo", got.CAMEO, "046")
				wantEqual(t, "status", got.Status, models.StatusHeld)
				sameDate(t, "date", got.Date, models.MustParseDate("2026-01-23"))
				wantEqual(t, "location", got.Location, refOf(loc.ID))
				wantEqual(t, "summary", got.Summary, "First trilateral round.")
				wantEqual(t, "tags (a sorted set)", got.Tags, []string{"peace-talks", "trilateral"})
				wantEqual(t, "participants (in the order given)", partKeys(got.Participants), []partKey{
					{umerov.ID, models.RoleHeadOfDelegation, ua.ID}, {ua.ID, models.RoleDelegation, models.ID{}}, {ru.ID, models.RoleDelegation, models.ID{}}})
				wantEqual(t, "sources (in the order given)", refIDs(t, got.Sources), []models.ID{s2.ID, s1.ID})
				wantEqual(t, "parent", got.Parent, refOf(series.ID))
				wantEqual(t, "relations", len(got.Relations), 1)
				if len(got.Relations) == 1 {
					wantEqual(t, "relation", [2]any{got.Relations[0].Type, got.Relations[0].Related.ID}, [2]any{models.RelationFollows, prev.ID})
				}
				if got.LocationData != nil || got.SourcesData != nil || got.StatementsData != nil || got.Participants[0].ActorData != nil {
					t.Errorf("embedded data without include: %+v", got)
				}
				return e.Meta, e.Slug
			},
			get: func(s *store.Store, ref string) (models.Meta, string, error) {
				e, err := s.GetEvent(bg, ref, store.Include{})
				if err != nil {
					return models.Meta{}, "", err
				}
				return e.Meta, e.Slug, nil
			},
			replace: func(s *store.Store, ref string, v int) error {
				return s.ReplaceEvent(bg, ref, newEvent("Abu Dhabi talks: first day", "2026-01-23"), v)
			},
			changed: func(t *testing.T, s *store.Store, ref string) {
				e, err := s.GetEvent(bg, ref, store.Include{})
				must(t, err)
				wantEqual(t, "title", e.Title, "Abu Dhabi talks: first day")
				wantEqual(t, "location", e.Location, (*models.Ref)(nil))
				wantEqual(t, "parent", e.Parent, (*models.Ref)(nil))
				wantEqual(t, "children", [4]int{len(e.Participants), len(e.Tags), len(e.Sources), len(e.Relations)}, [4]int{})
			},
			del: func(s *store.Store, ref string, v int) error { return s.DeleteEvent(bg, ref, v) },
		},
		{
			kind: "statement",
			create: func(t *testing.T, s *store.Store) (models.Meta, string) {
				z := mkActor(t, s, "Volodymyr Zelensky", models.ActorPerson, "UA")
				ev := mkEvent(t, s, newEvent("Abu Dhabi talks", "2026-01-23/2026-01-24"))
				s1 := mkSource(t, s, "Meduza", "Address", "2026-01-24")
				s2 := mkSource(t, s, "Reuters", "Address", "2026-01-24")
				st := &models.Statement{Text: "The talks were constructive.", Quote: true, Speaker: &models.Ref{ID: z.ID},
					Attribution: "Zelensky said", Date: models.MustParseDate("2026-01-24T21:40+02:00"),
					Medium: "evening address", Language: "uk", Event: refOf(ev.ID),
					Sources: []*models.Ref{refOf(s2.ID), refOf(s1.ID)}, Tags: []string{"talks", "abu-dhabi"}}
				must(t, s.CreateStatement(bg, st))
				got, err := s.GetStatement(bg, st.ID.String())
				must(t, err)
				wantEqual(t, "text", got.Text, st.Text)
				wantEqual(t, "quote", got.Quote, true)
				wantEqual(t, "speaker", *got.Speaker, models.Ref{ID: z.ID})
				wantEqual(t, "attribution", got.Attribution, "Zelensky said")
				sameDate(t, "date", got.Date, models.MustParseDate("2026-01-24T21:40+02:00"))
				wantEqual(t, "medium", got.Medium, "evening address")
				wantEqual(t, "language", got.Language, "uk")
				wantEqual(t, "event", got.Event, refOf(ev.ID))
				wantEqual(t, "sources", refIDs(t, got.Sources), []models.ID{s2.ID, s1.ID})
				wantEqual(t, "tags", got.Tags, []string{"abu-dhabi", "talks"})
				return st.Meta, ""
			},
			get: func(s *store.Store, ref string) (models.Meta, string, error) {
				st, err := s.GetStatement(bg, ref)
				if err != nil {
					return models.Meta{}, "", err
				}
				return st.Meta, "", nil
			},
			replace: func(s *store.Store, ref string, v int) error {
				st, err := s.GetStatement(bg, ref)
				if err != nil {
					return err
				}
				return s.ReplaceStatement(bg, ref, &models.Statement{Text: "The talks were useful.", Speaker: st.Speaker,
					Date: models.MustParseDate("2026-01-24")}, v)
			},
			changed: func(t *testing.T, s *store.Store, ref string) {
				st, err := s.GetStatement(bg, ref)
				must(t, err)
				wantEqual(t, "text", st.Text, "The talks were useful.")
				wantEqual(t, "quote", st.Quote, false)
				wantEqual(t, "event", st.Event, (*models.Ref)(nil))
				wantEqual(t, "children", [2]int{len(st.Tags), len(st.Sources)}, [2]int{})
			},
			del: func(s *store.Store, ref string, v int) error { return s.DeleteStatement(bg, ref, v) },
		},
	}
}

// TestCRUDLifecycle creates, reads (by id and slug), replaces and deletes one entity of
// every kind, checking ids, versions, timestamps and slugs at each step.
func TestCRUDLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, c := range lifecycles() {
			t.Run(c.kind, func(t *testing.T) {
				before := time.Now().Add(-time.Millisecond)
				m, slug := c.create(t, s)
				after := time.Now().Add(time.Millisecond)
				if m.ID.IsZero() || m.ID.UUID.Version() != 7 {
					t.Errorf("id %s: want a UUIDv7", m.ID)
				}
				if m.Version != 1 {
					t.Errorf("version %d, want 1", m.Version)
				}
				if !m.CreatedAt.Equal(m.UpdatedAt) || m.CreatedAt.Before(before) || m.CreatedAt.After(after) {
					t.Errorf("created_at %v, updated_at %v: want equal and within [%v, %v]", m.CreatedAt, m.UpdatedAt, before, after)
				}
				if slug != c.wantSlug {
					t.Errorf("slug %q, want %q", slug, c.wantSlug)
				}

				// Read by id and by slug.
				got, gotSlug, err := c.get(s, m.ID.String())
				must(t, err)
				if got.ID != m.ID || got.Version != 1 || !got.CreatedAt.Equal(m.CreatedAt) || !got.UpdatedAt.Equal(m.UpdatedAt) || gotSlug != slug {
					t.Errorf("get by id: %+v %q, want %+v %q", got, gotSlug, m, slug)
				}
				ref := m.ID.String()
				if c.wantSlug != "" {
					got, _, err = c.get(s, slug)
					must(t, err)
					if got.ID != m.ID {
						t.Errorf("get by slug %q: id %s, want %s", slug, got.ID, m.ID)
					}
					ref = slug
				} else {
					_, _, err = c.get(s, "some-slug")
					wantErr(t, err, models.ENOTFOUND)
				}
				_, _, err = c.get(s, models.NewID().String())
				wantErr(t, err, models.ENOTFOUND)
				_, _, err = c.get(s, "no-such-"+c.kind)
				wantErr(t, err, models.ENOTFOUND)

				// Replace: the version moves on, created_at stays, an empty slug keeps the old one.
				must(t, c.replace(s, ref, 1))
				got, gotSlug, err = c.get(s, m.ID.String())
				must(t, err)
				if got.ID != m.ID || got.Version != 2 || !got.CreatedAt.Equal(m.CreatedAt) || !got.UpdatedAt.After(m.UpdatedAt) || gotSlug != slug {
					t.Errorf("after replace: %+v slug %q; want id %s, version 2, created_at %v, a later updated_at, slug %q",
						got, gotSlug, m.ID, m.CreatedAt, slug)
				}
				c.changed(t, s, m.ID.String())
				// The same replacement again changes nothing: no new version, no revision.
				must(t, c.replace(s, m.ID.String(), 0)) // 0: no precondition
				got, _, err = c.get(s, m.ID.String())
				must(t, err)
				wantEqual(t, "version after a replace that changes nothing", got.Version, 2)
				wantEqual(t, "revisions after a replace that changes nothing", revCount(t, s, c.kind, m.ID), 2)

				// Delete: gone by id and slug; deleting or replacing again is not found.
				must(t, c.del(s, ref, 2))
				_, _, err = c.get(s, m.ID.String())
				wantErr(t, err, models.ENOTFOUND)
				if slug != "" {
					_, _, err = c.get(s, slug)
					wantErr(t, err, models.ENOTFOUND)
				}
				wantErr(t, c.del(s, m.ID.String(), 0), models.ENOTFOUND)
				wantErr(t, c.replace(s, m.ID.String(), 0), models.ENOTFOUND)
			})
		}
	})
}

// TestSlugDerivation covers slugs derived from names: folding, collisions (-2, -3),
// a taken explicit "-2", names with no Latin letters, and slugs on replace.
func TestSlugDerivation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		actor := func(name, slug string) string {
			a := newActor(name, models.ActorPerson, "")
			a.Slug = slug
			must(t, s.CreateActor(bg, a))
			return a.Slug
		}
		cases := []struct{ name, slug, want string }{
			{"Volodymyr Zelensky", "", "volodymyr-zelensky"},
			{"Volodymyr Zelensky", "", "volodymyr-zelensky-2"},
			{"Volodymyr  Zelensky!", "", "volodymyr-zelensky-3"},
			{"Zürich’s Mayor", "", "zurichs-mayor"},
			{"Владимир Путин", "", "actor"},
			{"Дмитрий Песков", "", "actor-2"},
			{"Steve Witkoff", "witkoff-2", "witkoff-2"},
			{"Witkoff", "", "witkoff"},
			{"Witkoff", "", "witkoff-3"}, // witkoff-2 is taken by an explicit slug
			{"Volodymyr Zelensky Junior", "", "volodymyr-zelensky-junior"},
		}
		for _, c := range cases {
			if got := actor(c.name, c.slug); got != c.want {
				t.Errorf("actor %q (slug %q): got slug %q, want %q", c.name, c.slug, got, c.want)
			}
		}

		l1, l2 := mkLocation(t, s, "Abu Dhabi", "AE"), mkLocation(t, s, "Abu Dhabi", "AE")
		wantEqual(t, "location slugs", []string{l1.Slug, l2.Slug}, []string{"abu-dhabi", "abu-dhabi-2"})
		s1, s2 := mkSource(t, s, "Meduza", "", "2026-01-24"), mkSource(t, s, "Meduza", "", "2026-01-25")
		wantEqual(t, "source slugs", []string{s1.Slug, s2.Slug}, []string{"meduza", "meduza-2"})
		e1, e2 := mkEvent(t, s, newEvent("Trump’s call with Putin", "2025-08")), mkEvent(t, s, newEvent("Trump's call with Putin", "2025-09"))
		wantEqual(t, "event slugs", []string{e1.Slug, e2.Slug}, []string{"trumps-call-with-putin", "trumps-call-with-putin-2"})

		// Replace with an explicit new slug: the old one stops resolving.
		must(t, s.ReplaceEvent(bg, e2.Slug, func() *models.Event { e := newEvent("Second call", "2025-09"); e.Slug = "second-call"; return e }(), 1))
		got, err := s.GetEvent(bg, "second-call", store.Include{})
		must(t, err)
		wantEqual(t, "renamed event", got.ID, e2.ID)
		_, err = s.GetEvent(bg, "trumps-call-with-putin-2", store.Include{})
		wantErr(t, err, models.ENOTFOUND)
		// Replace with an empty slug keeps it even though the title changed.
		must(t, s.ReplaceEvent(bg, e2.ID.String(), newEvent("Third call", "2025-09"), 2))
		got, err = s.GetEvent(bg, e2.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "slug kept on replace", got.Slug, "second-call")
		// The freed slug is derived again for the next entity of the same name.
		e3 := mkEvent(t, s, newEvent("Trump's call with Putin", "2025-10"))
		wantEqual(t, "freed slug reused", e3.Slug, "trumps-call-with-putin-2")
	})
}

// TestReplaceEventChildren checks that PUT replaces participants, tags, sources and
// relations wholesale, and that filters see the new child rows only.
func TestReplaceEventChildren(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ua := mkActor(t, s, "Ukraine", models.ActorState, "UA")
		ru := mkActor(t, s, "Russia", models.ActorState, "RU")
		us := mkActor(t, s, "United States", models.ActorState, "US")
		a, b := mkSource(t, s, "Reuters", "A", "2026-01-23"), mkSource(t, s, "Meduza", "B", "2026-01-24")
		other := mkEvent(t, s, newEvent("Earlier", "2025-12"))
		third := mkEvent(t, s, newEvent("Later", "2026-03"))
		e := newEvent("Talks", "2026-01-23")
		e.Participants = []models.Participant{part(ua, models.RoleDelegation), part(ru, models.RoleDelegation)}
		e.Tags = []string{"old-tag", "shared"}
		e.Sources = []*models.Ref{refOf(a.ID)}
		e.Relations = []models.Relation{{Type: models.RelationFollows, Related: models.Ref{ID: other.ID}}}
		mkEvent(t, s, e)

		repl := newEvent("Talks", "2026-02-01")
		repl.Participants = []models.Participant{part(us, models.RoleMediator), part(ru, models.RoleHost)}
		repl.Tags = []string{"shared", "new-tag"}
		repl.Sources = []*models.Ref{refOf(b.ID), refOf(a.ID)}
		repl.Relations = []models.Relation{{Type: models.RelationPrecedes, Related: models.Ref{ID: third.ID}}}
		must(t, s.ReplaceEvent(bg, e.ID.String(), repl, 1))

		got, err := s.GetEvent(bg, e.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "participants", partKeys(got.Participants), []partKey{{Actor: us.ID, Role: models.RoleMediator}, {Actor: ru.ID, Role: models.RoleHost}})
		wantEqual(t, "tags", got.Tags, []string{"new-tag", "shared"})
		wantEqual(t, "sources", refIDs(t, got.Sources), []models.ID{b.ID, a.ID})
		wantEqual(t, "relations", len(got.Relations), 1)
		if len(got.Relations) == 1 {
			wantEqual(t, "relation", [2]any{got.Relations[0].Type, got.Relations[0].Related.ID}, [2]any{models.RelationPrecedes, third.ID})
		}
		sameDate(t, "date", got.Date, models.MustParseDate("2026-02-01"))

		ids := func(f store.EventFilter) []models.ID {
			f.Limit = 100
			p, err := s.ListEvents(bg, f)
			must(t, err)
			return eventIDs(p.Items)
		}
		none := []models.ID{}
		wantEqual(t, "actor ua (dropped)", ids(store.EventFilter{Actors: []string{ua.ID.String()}}), none)
		wantEqual(t, "actor us (added)", ids(store.EventFilter{Actors: []string{us.ID.String()}}), []models.ID{e.ID})
		wantEqual(t, "ru as delegation (role changed)", ids(store.EventFilter{Actors: []string{ru.ID.String()}, Roles: []models.Role{models.RoleDelegation}}), none)
		wantEqual(t, "ru as host", ids(store.EventFilter{Actors: []string{ru.ID.String()}, Roles: []models.Role{models.RoleHost}}), []models.ID{e.ID})
		wantEqual(t, "old tag", ids(store.EventFilter{Tags: []string{"old-tag"}}), none)
		wantEqual(t, "new tag", ids(store.EventFilter{Tags: []string{"new-tag", "shared"}}), []models.ID{e.ID})
		wantEqual(t, "source b", ids(store.EventFilter{Sources: []string{b.ID.String()}}), []models.ID{e.ID})
		wantEqual(t, "country UA", ids(store.EventFilter{Countries: []string{"UA"}}), none)
		wantEqual(t, "old date", ids(store.EventFilter{From: ptrDate("2026-01-23"), To: ptrDate("2026-01-23")}), none)
		wantEqual(t, "new date", ids(store.EventFilter{From: ptrDate("2026-02"), To: ptrDate("2026-02")}), []models.ID{e.ID})
		// The same through the single-actor scan, which reads the participation rows' dates.
		wantEqual(t, "ru, old date", ids(store.EventFilter{Actors: []string{"russia"}, Sort: "date", From: ptrDate("2026-01-23"), To: ptrDate("2026-01-23")}), none)
		wantEqual(t, "ru, new date", ids(store.EventFilter{Actors: []string{"russia"}, Sort: "date", From: ptrDate("2026-02"), To: ptrDate("2026-02")}), []models.ID{e.ID})

		// The actor dropped from the event is no longer referenced and can go.
		must(t, s.DeleteActor(bg, ua.Slug, 0))

		// Replacing with no children leaves none (not the old ones).
		must(t, s.ReplaceEvent(bg, e.ID.String(), newEvent("Talks", "2026-02-01"), 2))
		got, err = s.GetEvent(bg, e.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "children after empty replace", [4]int{len(got.Participants), len(got.Tags), len(got.Sources), len(got.Relations)}, [4]int{})
		// Nothing refers to the sources or the other events any more.
		must(t, s.DeleteSource(bg, a.ID.String(), 0))
		must(t, s.DeleteEvent(bg, third.ID.String(), 0))

		// Statements: tags and sources are replaced too.
		st := newStatement(us, "We are hopeful.", "2026-01-24")
		st.Tags, st.Sources = []string{"x"}, []*models.Ref{refOf(b.ID)}
		must(t, s.CreateStatement(bg, st))
		st2 := newStatement(ru, "We are hopeful.", "2026-01-24")
		st2.Tags = []string{"y", "z"}
		must(t, s.ReplaceStatement(bg, st.ID.String(), st2, 1))
		gst, err := s.GetStatement(bg, st.ID.String())
		must(t, err)
		wantEqual(t, "statement speaker", gst.Speaker.ID, ru.ID)
		wantEqual(t, "statement tags", gst.Tags, []string{"y", "z"})
		wantEqual(t, "statement sources", len(gst.Sources), 0)
		must(t, s.DeleteSource(bg, b.ID.String(), 0))
	})
}

func ptrDate(s string) *models.Date {
	d := models.MustParseDate(s)
	return &d
}

// TestDeleteReferenced checks that an entity something still refers to cannot be
// deleted: ECONFLICT, the row, its children and its history unchanged.
func TestDeleteReferenced(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ua := mkActor(t, s, "Ukraine", models.ActorState, "UA")
		umerov := mkActor(t, s, "Rustem Umerov", models.ActorPerson, "UA")
		speaker := mkActor(t, s, "Dmitry Peskov", models.ActorPerson, "RU")
		ministry := mkActor(t, s, "Ministry of Defence of Ukraine", models.ActorOrganization, "UA")
		official := &models.Actor{Name: "An official", Kind: models.ActorPerson, Affiliation: refOf(ministry.ID)}
		must(t, s.CreateActor(bg, official))
		loc := mkLocation(t, s, "Abu Dhabi", "AE")
		evSrc := mkSource(t, s, "Reuters", "Talks", "2026-01-23")
		stSrc := mkSource(t, s, "TASS", "Peskov", "2026-01-23")
		series := mkEvent(t, s, newEvent("Talks series", "2026"))
		target := mkEvent(t, s, newEvent("Alaska summit", "2025-08-15"))
		talked := mkEvent(t, s, newEvent("Statement subject", "2026-01-22"))

		e := newEvent("Round 1", "2026-01-23")
		e.Location, e.Parent = refOf(loc.ID), refOf(series.ID)
		e.Participants = []models.Participant{{Actor: models.Ref{ID: umerov.ID}, Role: models.RoleHeadOfDelegation, Represents: refOf(ua.ID)}}
		e.Sources = []*models.Ref{refOf(evSrc.ID)}
		e.Relations = []models.Relation{{Type: models.RelationFollows, Related: models.Ref{ID: target.ID}}}
		e.Tags = []string{"round"}
		mkEvent(t, s, e)
		st := newStatement(speaker, "No comment.", "2026-01-23")
		st.Event, st.Sources = refOf(talked.ID), []*models.Ref{refOf(stSrc.ID)}
		must(t, s.CreateStatement(bg, st))

		type getter func() (models.Meta, error)
		actorGet := func(id models.ID) getter {
			return func() (models.Meta, error) { a, err := s.GetActor(bg, id.String()); return metaOf(a, err) }
		}
		eventGet := func(id models.ID) getter {
			return func() (models.Meta, error) {
				x, err := s.GetEvent(bg, id.String(), store.Include{})
				return metaOf(x, err)
			}
		}
		// want is what the 409 must say still refers to the entity.
		round := `is still referenced by 1 event (` + e.Slug + `)`
		cases := []struct {
			name string
			kind string
			id   models.ID
			del  func(ref string) error
			get  getter
			want string
		}{
			{"actor as participant", "actor", umerov.ID, func(r string) error { return s.DeleteActor(bg, r, 0) }, actorGet(umerov.ID), round},
			{"actor as represents", "actor", ua.ID, func(r string) error { return s.DeleteActor(bg, r, 0) }, actorGet(ua.ID), round},
			{"actor as speaker", "actor", speaker.ID, func(r string) error { return s.DeleteActor(bg, r, 0) }, actorGet(speaker.ID),
				`is still referenced by 1 statement (` + st.ID.String() + `)`},
			{"actor as affiliation", "actor", ministry.ID, func(r string) error { return s.DeleteActor(bg, r, 0) }, actorGet(ministry.ID),
				`is still referenced by 1 actor (` + official.Slug + `)`},
			{"location of an event", "location", loc.ID, func(r string) error { return s.DeleteLocation(bg, r, 0) },
				func() (models.Meta, error) { x, err := s.GetLocation(bg, loc.ID.String()); return metaOf(x, err) }, round},
			{"source cited by an event", "source", evSrc.ID, func(r string) error { return s.DeleteSource(bg, r, 0) },
				func() (models.Meta, error) { x, err := s.GetSource(bg, evSrc.ID.String()); return metaOf(x, err) }, round},
			{"source cited by a statement", "source", stSrc.ID, func(r string) error { return s.DeleteSource(bg, r, 0) },
				func() (models.Meta, error) { x, err := s.GetSource(bg, stSrc.ID.String()); return metaOf(x, err) },
				`is still referenced by 1 statement (` + st.ID.String() + `)`},
			{"event as parent", "event", series.ID, func(r string) error { return s.DeleteEvent(bg, r, 0) }, eventGet(series.ID), round},
			{"event a statement is about", "event", talked.ID, func(r string) error { return s.DeleteEvent(bg, r, 0) }, eventGet(talked.ID),
				`is still referenced by 1 statement (` + st.ID.String() + `)`},
			{"event as relation target", "event", target.ID, func(r string) error { return s.DeleteEvent(bg, r, 0) }, eventGet(target.ID), round},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before, err := c.get()
				must(t, err)
				revs := revCount(t, s, c.kind, c.id)
				err = c.del(c.id.String())
				wantErr(t, err, models.ECONFLICT)
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("the conflict says %q, want %q", err, c.want)
				}
				after, err := c.get()
				if err != nil {
					t.Fatalf("after the refused delete: %v", err)
				}
				if after.Version != before.Version || !after.UpdatedAt.Equal(before.UpdatedAt) {
					t.Errorf("meta changed: %+v -> %+v", before, after)
				}
				wantEqual(t, "revisions", revCount(t, s, c.kind, c.id), revs)
			})
		}

		// The referring event kept everything, including its relation.
		got, err := s.GetEvent(bg, e.ID.String(), store.Include{})
		must(t, err)
		wantEqual(t, "referring event version", got.Version, 1)
		// (A relation silently cascaded away here would change the event without a new
		// version or revision.)
		wantEqual(t, "referring event relations", len(got.Relations), 1)
		wantEqual(t, "referring event participants", len(got.Participants), 1)

		// Once the referrers are gone, the deletes go through.
		must(t, s.DeleteStatement(bg, st.ID.String(), 0))
		must(t, s.DeleteEvent(bg, e.ID.String(), 0))
		must(t, s.DeleteActor(bg, official.ID.String(), 0))
		for i, del := range []func() error{
			func() error { return s.DeleteActor(bg, umerov.Slug, 0) },
			func() error { return s.DeleteActor(bg, ua.Slug, 0) },
			func() error { return s.DeleteActor(bg, speaker.Slug, 0) },
			func() error { return s.DeleteActor(bg, ministry.Slug, 0) },
			func() error { return s.DeleteLocation(bg, loc.Slug, 0) },
			func() error { return s.DeleteSource(bg, evSrc.Slug, 0) },
			func() error { return s.DeleteSource(bg, stSrc.Slug, 0) },
			func() error { return s.DeleteEvent(bg, series.Slug, 0) },
			func() error { return s.DeleteEvent(bg, talked.Slug, 0) },
			func() error {
				// Already gone if the relation case above failed (the cascade deleted it).
				if err := s.DeleteEvent(bg, target.ID.String(), 0); models.ErrorCodeOf(err) != models.ENOTFOUND {
					return err
				}
				return nil
			},
		} {
			if err := del(); err != nil {
				t.Errorf("delete %d after its referrers went: %v", i, err)
			}
		}
		wantEqual(t, "counts", countAll(t, s), counts{})
	})
}

// TestDeleteReferencedNamesFew checks the 409 of an entity with many referrers of
// several kinds: each kind counted (an event naming the actor twice counts once), in the
// order of models.Kinds, with its first three slugs (or ids) and an ellipsis for the
// rest; the database unchanged.
func TestDeleteReferencedNamesFew(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		putin := mkActor(t, s, "Vladimir Putin", models.ActorPerson, "RU")
		ru := mkActor(t, s, "Russia", models.ActorState, "RU")
		aide := &models.Actor{Name: "Kremlin aide", Kind: models.ActorPerson, Affiliation: refOf(putin.ID)}
		must(t, s.CreateActor(bg, aide))
		for i := 5; i >= 1; i-- {
			e := newEvent(fmt.Sprintf("Round %d", i), fmt.Sprintf("2026-01-%02d", i))
			e.Participants = []models.Participant{part(putin, models.RoleHost), {Actor: models.Ref{ID: putin.ID}, Role: models.RoleHeadOfDelegation, Represents: refOf(ru.ID)}}
			mkEvent(t, s, e)
		}
		var sts []string
		for i := range 2 {
			st := newStatement(putin, fmt.Sprintf("Statement %d", i), "2026-01-23")
			must(t, s.CreateStatement(bg, st))
			sts = append(sts, st.ID.String())
		}
		before := countAll(t, s)
		err := s.DeleteActor(bg, putin.Slug, 0)
		wantErr(t, err, models.ECONFLICT)
		want := `actor "vladimir-putin" is still referenced by 1 actor (kremlin-aide), 5 events (round-1, round-2, round-3, …) and 2 statements (` +
			strings.Join(sts, ", ") + `); remove those references first`
		if !strings.HasSuffix(err.Error(), want) {
			t.Errorf("the conflict says\n%s\nwant it to end with\n%s", err, want)
		}
		wantEqual(t, "counts after the refused delete", countAll(t, s), before)
		wantEqual(t, "revisions of the actor", revCount(t, s, "actor", putin.ID), 1)
	})
}

// metaOf returns the meta of an entity read with err.
func metaOf[T interface{ GetMeta() *models.Meta }](x T, err error) (models.Meta, error) {
	if err != nil {
		return models.Meta{}, err
	}
	return *x.GetMeta(), nil
}
