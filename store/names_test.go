package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// actorSlugs lists the slugs of a page of actors.
func actorSlugs(as []models.Actor) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Slug
	}
	return out
}

// namedActors makes the actors the name search tests look for.
func namedActors(t *testing.T, s *store.Store) {
	t.Helper()
	for _, a := range []*models.Actor{
		{Name: "Vladimir Putin", Kind: models.ActorPerson, Country: "RU",
			Aliases: models.StringList{"Vladimir Vladimirovich Putin", "Владимир Путин", "Putin"}},
		{Name: "Putilov Works", Kind: models.ActorOrganization, Country: "RU"},
		{Name: "Putin Fan Club", Kind: models.ActorGroup, Country: "RU"},
		{Name: "Sergey Putinsky", Kind: models.ActorPerson, Country: "RU"},
		{Name: "Vladimir Medinsky", Kind: models.ActorPerson, Country: "RU"},
		{Name: "Anatoly Vladimirov", Kind: models.ActorPerson, Country: "RU"},
		// Slugs that do not spell the name, so that only folding finds them.
		{Name: "Recep Tayyip Erdoğan", Slug: "tr-president", Kind: models.ActorPerson, Country: "TR"},
		{Name: "Łódź City Council", Slug: "pl-council", Kind: models.ActorOrganization, Country: "PL"},
		{Name: "United States", Slug: "usa", Kind: models.ActorState, Country: "US"},
	} {
		must(t, s.CreateActor(bg, a))
	}
}

// TestActorNameSearch finds actors by a prefix of a word of any of their names, ignoring
// case and diacritics, ranked: equal to the query, then names starting with it, then
// the others, ties by slug. Both databases give the same answers.
func TestActorNameSearch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		namedActors(t, s)
		cases := []struct {
			q    string
			want []string
		}{
			// Two names start with "put"; the others have a later word (or an alias)
			// starting with it; ties by slug.
			{"put", []string{"putilov-works", "putin-fan-club", "sergey-putinsky", "vladimir-putin"}},
			// An alias equal to the query ranks first, before a name starting with it.
			{"putin", []string{"vladimir-putin", "putin-fan-club", "sergey-putinsky"}},
			{"PUTIN", []string{"vladimir-putin", "putin-fan-club", "sergey-putinsky"}},
			// Cyrillic, stored as an alias, in any case.
			{"путин", []string{"vladimir-putin"}},
			{"ПУТ", []string{"vladimir-putin"}},
			{"влад", []string{"vladimir-putin"}},
			// Diacritics folded on both sides.
			{"Erdogan", []string{"tr-president"}},
			{"erdoğan", []string{"tr-president"}},
			{"ERDOĞ", []string{"tr-president"}},
			{"lodz", []string{"pl-council"}},
			{"Łódź", []string{"pl-council"}},
			// Several words: a prefix of the name or of a tail of it.
			{"vladimir p", []string{"vladimir-putin"}},
			{"vladimirovich pu", []string{"vladimir-putin"}},
			// Every name starting with the word, ties by slug, then a later word.
			{"vladimir", []string{"vladimir-medinsky", "vladimir-putin", "anatoly-vladimirov"}},
			{"vladimirov", []string{"anatoly-vladimirov", "vladimir-putin"}},
			// The slug, as typed or as words; an exact slug ranks first.
			{"vladimir-putin", []string{"vladimir-putin"}},
			{"usa", []string{"usa"}},
			{"us", []string{"usa"}},
			{"united states", []string{"usa"}},
			{"zzz", []string{}},
		}
		for _, c := range cases {
			p, err := s.ListActors(bg, store.ActorFilter{Q: c.q})
			must(t, err)
			if got := actorSlugs(p.Items); !slices.Equal(got, c.want) {
				t.Errorf("q=%q: %q, want %q", c.q, got, c.want)
			}
		}

		// Filters apply to the matches; sort=name orders them by name instead.
		p, err := s.ListActors(bg, store.ActorFilter{Q: "put", Kinds: []models.ActorKind{models.ActorPerson}})
		must(t, err)
		wantEqual(t, "q=put&kind=person", actorSlugs(p.Items), []string{"sergey-putinsky", "vladimir-putin"})
		p, err = s.ListActors(bg, store.ActorFilter{Q: "put", Sort: "-name"})
		must(t, err)
		wantEqual(t, "q=put&sort=-name", actorSlugs(p.Items), []string{"vladimir-putin", "sergey-putinsky", "putin-fan-club", "putilov-works"})

		// Pages follow the ranking.
		var paged []string
		f := store.ActorFilter{Q: "put", Limit: 1}
		for {
			p, err := s.ListActors(bg, f)
			must(t, err)
			paged = append(paged, actorSlugs(p.Items)...)
			if p.NextCursor == "" {
				break
			}
			f.Cursor = p.NextCursor
		}
		wantEqual(t, "q=put one by one", paged, []string{"putilov-works", "putin-fan-club", "sergey-putinsky", "vladimir-putin"})

		// Writes keep the keys: a new name is found and the old one no more; a deleted
		// actor is gone.
		a, err := s.GetActor(bg, "putilov-works")
		must(t, err)
		a.Name = "Kirov Plant"
		must(t, s.ReplaceActor(bg, "putilov-works", a, 0))
		p, err = s.ListActors(bg, store.ActorFilter{Q: "kirov"})
		must(t, err)
		wantEqual(t, "q=kirov after the rename", actorSlugs(p.Items), []string{"putilov-works"})
		p, err = s.ListActors(bg, store.ActorFilter{Q: "putilov"})
		must(t, err)
		// The slug still says putilov.
		wantEqual(t, "q=putilov after the rename", actorSlugs(p.Items), []string{"putilov-works"})
		p, err = s.ListActors(bg, store.ActorFilter{Q: "put"})
		must(t, err)
		// Its name no longer starts with "put": only its slug does.
		wantEqual(t, "q=put after the rename", actorSlugs(p.Items), []string{"putin-fan-club", "putilov-works", "sergey-putinsky", "vladimir-putin"})
		must(t, s.DeleteActor(bg, "sergey-putinsky", 0))
		p, err = s.ListActors(bg, store.ActorFilter{Q: "putinsky"})
		must(t, err)
		wantEqual(t, "q=putinsky after the delete", actorSlugs(p.Items), []string{})
	})
}

// TestCatalogNameSearch: locations and sources are found the same way.
func TestCatalogNameSearch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, l := range []*models.Location{
			{Name: "Abu Dhabi", Country: "AE"}, {Name: "Zürich", Country: "CH"}, {Name: "Dhaka", Country: "BD"},
		} {
			must(t, s.CreateLocation(bg, l))
		}
		for q, want := range map[string][]string{
			"dha": {"dhaka", "abu-dhabi"}, "zurich": {"zurich"}, "ZÜR": {"zurich"}, "abu dhabi": {"abu-dhabi"},
		} {
			p, err := s.ListLocations(bg, store.LocationFilter{Q: q})
			must(t, err)
			var got []string
			for _, l := range p.Items {
				got = append(got, l.Slug)
			}
			if !slices.Equal(got, want) {
				t.Errorf("locations q=%q: %q, want %q", q, got, want)
			}
		}
		date := models.MustParseDate("2026-01-23")
		for _, src := range []*models.Source{
			{Outlet: "Meduza", Title: "First trilateral talks", Published: date},
			{Outlet: "Reuters", Title: "Talks in Abu Dhabi", Published: date},
			{Outlet: "Meduza", Title: "Ushakov on the Anchorage formula", Published: date},
		} {
			must(t, s.CreateSource(bg, src))
		}
		for q, want := range map[string][]string{
			// The outlet equal to the query: both of its sources, by slug.
			"meduza": {"meduza-first-trilateral-talks", "meduza-ushakov-on-the-anchorage-formula"},
			// A title starting with "talks" first, then a later word of another.
			"talks": {"reuters-talks-in-abu-dhabi", "meduza-first-trilateral-talks"},
			"reu":   {"reuters-talks-in-abu-dhabi"},
		} {
			p, err := s.ListSources(bg, store.SourceFilter{Q: q})
			must(t, err)
			var got []string
			for _, src := range p.Items {
				got = append(got, src.Slug)
			}
			if !slices.Equal(got, want) {
				t.Errorf("sources q=%q: %q, want %q", q, got, want)
			}
		}
	})
}

// TestNameSearchBadInput: a query too long or without letters, and relevance without a
// query, are 400s naming the parameter.
func TestNameSearchBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		namedActors(t, s)
		_, err := s.ListActors(bg, store.ActorFilter{Q: strings.Repeat("п", store.MaxNameQueryLen+1)})
		wantErr(t, err, models.EINVALID, "q")
		_, err = s.ListActors(bg, store.ActorFilter{Q: strings.Repeat("п", store.MaxNameQueryLen)})
		must(t, err)
		_, err = s.ListLocations(bg, store.LocationFilter{Q: "!?-"})
		wantErr(t, err, models.EINVALID, "q")
		_, err = s.ListSources(bg, store.SourceFilter{Sort: "relevance"})
		wantErr(t, err, models.EINVALID, "sort")
		_, err = s.ListActors(bg, store.ActorFilter{Q: "put", Sort: "best"})
		wantErr(t, err, models.EINVALID, "sort")
		if !strings.Contains(err.Error(), "relevance") {
			t.Errorf("the sorts listed leave out relevance: %v", err)
		}
	})
}

// TestNameBackfill: migration 10 writes, for rows written before name search existed,
// the keys the write path writes. The keys of the built-in dataset and of the test
// actors are emptied by migrating down past migration 9 and made again by migrating up.
func TestNameBackfill(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, err := seed.Load(bg, s)
		must(t, err)
		namedActors(t, s)
		must(t, s.CreateActor(bg, &models.Actor{Name: "Straße der Einheit — ﬁnal", Kind: models.ActorGroup,
			Aliases: models.StringList{strings.Repeat("long name ", 29) + "end", "İstanbul Ħal Þór", "Ærø"}}))
		snapshot := func() []string {
			var out []string
			for _, table := range []string{"actor_names", "location_names", "source_names"} {
				v, err := store.ScalarForTest(s, "SELECT COUNT(*) || ' ' || SUM(LENGTH(term)) || ' ' || SUM(field) || ' ' || MIN(term) || ' ' || MAX(term) FROM "+table)
				must(t, err)
				out = append(out, table+": "+v)
			}
			for _, q := range []string{"put", "путин", "erdogan", "zel", "strasse", "istanbul", "aero", "long name long", "abu", "meduza"} {
				p, err := s.ListActors(bg, store.ActorFilter{Q: q, Limit: 500})
				must(t, err)
				out = append(out, q+": "+strings.Join(actorSlugs(p.Items), " "))
			}
			return out
		}
		before := snapshot()
		if before[0] == "actor_names: 0" || !strings.Contains(strings.Join(before, "\n"), "vladimir-putin") {
			t.Fatalf("nothing to compare: %q", before)
		}
		down := migrateDownBelow(t, s, 9) // migration 9 and every one after it
		if n, err := s.MigrateUp(bg); err != nil || n != down {
			t.Fatalf("up: %d %v, want %d", n, err, down)
		}
		wantEqual(t, "the keys after the backfill", snapshot(), before)
	})
}

// suggestionsOf returns the suggestions of err's field error on field.
func suggestionsOf(t *testing.T, err error, field string) []string {
	t.Helper()
	var e *models.Error
	if !errors.As(err, &e) {
		t.Fatalf("not a *models.Error: %v", err)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			for _, s := range f.Suggestions {
				if !strings.Contains(f.Message, `"`+s+`"`) {
					t.Errorf("the message %q does not name the suggestion %q", f.Message, s)
				}
			}
			return f.Suggestions
		}
	}
	t.Fatalf("no field error on %s: %v", field, err)
	return nil
}

// TestSuggestions: a reference to an actor, location or source that does not exist
// names the closest slugs, in a filter (400) and in a path (404).
func TestSuggestions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		namedActors(t, s)
		must(t, s.CreateLocation(bg, &models.Location{Name: "Abu Dhabi", Country: "AE"}))
		cases := []struct {
			ref  string
			want []string
		}{
			{"vladimir-puttin", []string{"vladimir-putin"}},
			{"putn", []string{"vladimir-putin"}},
			{"bladimir-putin", []string{"vladimir-putin"}},
			{"erdgan", []string{"tr-president"}},
			{"vladimir-medinskiy", []string{"vladimir-medinsky"}},
			// The closest only: "putinsky" is 1 away, "putin" 3.
			{"putinski", []string{"sergey-putinsky"}},
			// Nothing close: no suggestion, the error as before.
			{"angela-merkel", nil},
			{"01a213f2-014e-7f7b-9bc1-8182eaf94aa7", nil},
		}
		for _, c := range cases {
			_, err := s.ListEvents(bg, store.EventFilter{Actors: []string{"vladimir-putin", c.ref}})
			wantErr(t, err, models.EINVALID, "actor")
			if got := suggestionsOf(t, err, "actor"); !slices.Equal(got, c.want) {
				t.Errorf("actor=%s: suggestions %q, want %q", c.ref, got, c.want)
			}
		}
		// The statements' speaker filter and the location filter too.
		_, err := s.ListStatements(bg, store.StatementFilter{Speakers: []string{"vladimir-puttin"}})
		wantEqual(t, "speaker=vladimir-puttin", suggestionsOf(t, err, "speaker"), []string{"vladimir-putin"})
		_, err = s.ListEvents(bg, store.EventFilter{Locations: []string{"abu-dabi"}})
		wantEqual(t, "location=abu-dabi", suggestionsOf(t, err, "location"), []string{"abu-dhabi"})

		// A path: 404 with the suggestion on id.
		for _, get := range []func() error{
			func() error { _, err := s.ActorEvents(bg, "putn", store.EventFilter{}); return err },
			func() error { _, err := s.ActorStatements(bg, "putn", store.StatementFilter{}); return err },
			func() error { _, err := s.ActorNetwork(bg, "putn", store.EventFilter{}, 0); return err },
			func() error { _, err := s.GetActor(bg, "putn"); return err },
		} {
			err := get()
			wantErr(t, err, models.ENOTFOUND, "id")
			wantEqual(t, "/actors/putn/…", suggestionsOf(t, err, "id"), []string{"vladimir-putin"})
		}
		_, err = s.GetActor(bg, "angela-merkel")
		wantErr(t, err, models.ENOTFOUND)
		if len(errFields(err)) != 0 {
			t.Errorf("a 404 with nothing to suggest has fields: %v", err)
		}

		// Many unknown references: the first few get suggestions, every one its error.
		refs := []string{"putn", "putn-2", "putn-3", "putn-4", "putn-5"}
		_, err = s.ListEvents(bg, store.EventFilter{Actors: refs})
		var e *models.Error
		if !errors.As(err, &e) || len(e.Fields) != len(refs) {
			t.Fatalf("five unknown actors: %v", err)
		}
		with := 0
		for _, f := range e.Fields {
			if len(f.Suggestions) > 0 {
				with++
			}
		}
		if with == 0 || with > 3 {
			t.Errorf("%d of five unknown actors got suggestions, want 1 to 3: %v", with, err)
		}
	})
}
