package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
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
		{Name: "Sergey Putinsky", Kind: models.ActorPerson, Country: "RU"},
		{Name: "Vladimir Medinsky", Kind: models.ActorPerson, Country: "RU"},
		{Name: "Recep Tayyip Erdoğan", Kind: models.ActorPerson, Country: "TR"},
		{Name: "Łódź City Council", Kind: models.ActorOrganization, Country: "PL"},
		{Name: "United States", Slug: "usa", Kind: models.ActorState, Country: "US"},
	} {
		must(t, s.CreateActor(bg, a))
	}
}

// TestActorNameSearch finds actors by a prefix of a word of any of their names, ignoring
// case and diacritics, ranked: equal to the query, then names starting with it, then
// the others, ties by slug. Both databases give the same answers.
func TestActorNameSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		namedActors(t, s)
		cases := []struct {
			q    string
			want []string
		}{
			// The name of Putilov Works starts with "put"; the others have a later word
			// (or an alias) starting with it, ties by slug.
			{"put", []string{"putilov-works", "sergey-putinsky", "vladimir-putin"}},
			// An alias equal to the query ranks first.
			{"putin", []string{"vladimir-putin", "sergey-putinsky"}},
			{"PUTIN", []string{"vladimir-putin", "sergey-putinsky"}},
			// Cyrillic, stored as an alias, in any case.
			{"путин", []string{"vladimir-putin"}},
			{"ПУТ", []string{"vladimir-putin"}},
			{"влад", []string{"vladimir-putin"}},
			// Diacritics folded on both sides.
			{"Erdogan", []string{"recep-tayyip-erdogan"}},
			{"erdoğan", []string{"recep-tayyip-erdogan"}},
			{"ERDOĞ", []string{"recep-tayyip-erdogan"}},
			{"lodz", []string{"lodz-city-council"}},
			{"Łódź", []string{"lodz-city-council"}},
			// Several words: a prefix of the name or of a tail of it.
			{"vladimir p", []string{"vladimir-putin"}},
			{"vladimirovich pu", []string{"vladimir-putin"}},
			// Every name starting with the word, ties by slug.
			{"vladimir", []string{"vladimir-medinsky", "vladimir-putin"}},
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
		wantEqual(t, "q=put&sort=-name", actorSlugs(p.Items), []string{"vladimir-putin", "sergey-putinsky", "putilov-works"})

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
		wantEqual(t, "q=put one by one", paged, []string{"putilov-works", "sergey-putinsky", "vladimir-putin"})

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
		wantEqual(t, "q=put after the rename", actorSlugs(p.Items), []string{"putilov-works", "sergey-putinsky", "vladimir-putin"})
		must(t, s.DeleteActor(bg, "sergey-putinsky", 0))
		p, err = s.ListActors(bg, store.ActorFilter{Q: "putinsky"})
		must(t, err)
		wantEqual(t, "q=putinsky after the delete", actorSlugs(p.Items), []string{})
	})
}

// TestCatalogNameSearch: locations and sources are found the same way.
func TestCatalogNameSearch(t *testing.T) {
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
