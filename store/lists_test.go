package store_test

import (
	"fmt"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// Statements of the dataset in date order:
//
//	ru-alaska  2025-08-15        ru        quote  alaska  [alaska]
//	z-jan      2026-01           zelensky         -       []
//	w-abu      2026-01-23        witkoff          abu     [peace progress]
//	z-abu      2026-01-24        zelensky  quote  abu     [peace]
//	ru-late    2026-01-25T09:00Z ru               -       [peace]
var stmtDateOrder = []string{"ru-alaska", "z-jan", "w-abu", "z-abu", "ru-late"}

// TestListStatements checks each statement filter and sort over the dataset.
func TestListStatements(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := buildDataset(t, s)
		yes, no := true, false
		cases := []struct {
			name string
			f    store.StatementFilter
			want []string
		}{
			{"all", store.StatementFilter{}, stmtDateOrder},
			{"speaker by slug", store.StatementFilter{Speakers: []string{"volodymyr-zelensky"}}, []string{"z-jan", "z-abu"}},
			{"speakers", store.StatementFilter{Speakers: []string{"volodymyr-zelensky", d.actors["ru"].ID.String()}}, []string{"ru-alaska", "z-jan", "z-abu", "ru-late"}},
			{"speaker without statements", store.StatementFilter{Speakers: []string{"ukraine"}}, []string{}},
			{"event by slug", store.StatementFilter{Event: "abu-dhabi-talks"}, []string{"w-abu", "z-abu"}},
			{"event by id", store.StatementFilter{Event: d.events["alaska"].ID.String()}, []string{"ru-alaska"}},
			{"event without statements", store.StatementFilter{Event: "next-round"}, []string{}},
			{"from", store.StatementFilter{From: ptrDate("2026-01-24")}, []string{"z-jan", "z-abu", "ru-late"}},
			{"to", store.StatementFilter{To: ptrDate("2025-12-31")}, []string{"ru-alaska"}},
			{"from=to a day inside a month", store.StatementFilter{From: ptrDate("2026-01-23"), To: ptrDate("2026-01-23")}, []string{"z-jan", "w-abu"}},
			{"to: starting at to's end is out", store.StatementFilter{To: ptrDate("2026-01-25T08:59Z")}, []string{"ru-alaska", "z-jan", "w-abu", "z-abu"}},
			{"from: ending at from's start is out", store.StatementFilter{From: ptrDate("2026-01-25")}, []string{"z-jan", "ru-late"}},
			{"from the minute after", store.StatementFilter{From: ptrDate("2026-01-25T09:01Z")}, []string{"z-jan"}},
			{"tag", store.StatementFilter{Tags: []string{"peace"}}, []string{"w-abu", "z-abu", "ru-late"}},
			{"tags (all)", store.StatementFilter{Tags: []string{"peace", "progress"}}, []string{"w-abu"}},
			{"quote", store.StatementFilter{Quote: &yes}, []string{"ru-alaska", "z-abu"}},
			{"not a quote", store.StatementFilter{Quote: &no}, []string{"z-jan", "w-abu", "ru-late"}},
			{"combined", store.StatementFilter{Speakers: []string{"russia"}, Tags: []string{"peace"}, Quote: &no}, []string{"ru-late"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.f.Limit = 100
				p, err := s.ListStatements(bg, c.f)
				must(t, err)
				wantEqual(t, "statements", d.names.names(statementIDs(p.Items)), inOrder(stmtDateOrder, c.want...))
				wantEqual(t, "next cursor", p.NextCursor, "")
			})
		}
		// Children are loaded on list items.
		p, err := s.ListStatements(bg, store.StatementFilter{Event: "abu-dhabi-talks"})
		must(t, err)
		wantEqual(t, "w-abu tags", p.Items[0].Tags, []string{"peace", "progress"})
		wantEqual(t, "w-abu speaker", p.Items[0].Speaker.ID, d.actors["witkoff"].ID)
		wantEqual(t, "w-abu sources", len(p.Items[0].Sources), 0)

		for _, c := range []struct {
			sort string
			want []string
		}{
			{"", stmtDateOrder},
			{"date", stmtDateOrder},
			{"-date", reversed(stmtDateOrder)},
			{"updated", []string{"z-abu", "w-abu", "ru-alaska", "z-jan", "ru-late"}},
			{"-updated", []string{"ru-late", "z-jan", "ru-alaska", "w-abu", "z-abu"}},
		} {
			p, err := s.ListStatements(bg, store.StatementFilter{Sort: c.sort})
			must(t, err)
			wantEqual(t, "sort "+c.sort, d.names.names(statementIDs(p.Items)), c.want)
			checkPaging(t, 2, statementIDs(p.Items), func(st models.Statement) models.ID { return st.ID },
				func(limit int, cur string) (store.Page[models.Statement], error) {
					return s.ListStatements(bg, store.StatementFilter{Sort: c.sort, Limit: limit, Cursor: cur})
				})
		}
	})
}

// TestActorEventsAndStatements: an actor's events and statements, by id or slug, with
// the other filters still applying; an unknown actor is not found.
func TestActorEventsAndStatements(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := buildDataset(t, s)
		evs := func(ref string, f store.EventFilter) []string {
			t.Helper()
			if f.Sort == "" {
				f.Sort = "date"
			}
			p, err := s.ActorEvents(bg, ref, f)
			must(t, err)
			return d.keys(p.Items)
		}
		wantEqual(t, "russia", evs("russia", store.EventFilter{}), []string{"moscow", "prep", "alaska", "abu", "day1", "day2", "next"})
		wantEqual(t, "russia by id", evs(d.actors["ru"].ID.String(), store.EventFilter{}), []string{"moscow", "prep", "alaska", "abu", "day1", "day2", "next"})
		wantEqual(t, "russia as host", evs("russia", store.EventFilter{Roles: []models.Role{models.RoleHost}}), []string{"moscow"})
		wantEqual(t, "russia in 2025-08", evs("russia", store.EventFilter{From: ptrDate("2025-08-15"), To: ptrDate("2025-08-15")}), []string{"moscow", "alaska"})
		wantEqual(t, "russia -date", evs("russia", store.EventFilter{Sort: "-date", Tags: []string{"peace-talks"}}), []string{"next", "day2", "day1", "abu"})
		// The actor addressed replaces any actor filter given.
		wantEqual(t, "witkoff, actor filter ignored", evs("steve-witkoff", store.EventFilter{Actors: []string{"ukraine"}, MatchAll: true}), []string{"moscow"})
		wantEqual(t, "host and observer", evs("united-arab-emirates", store.EventFilter{}), []string{"year", "abu"})
		p, err := s.ActorEvents(bg, "russia", store.EventFilter{Sort: "date", Limit: 3, Include: store.Include{Participants: true}})
		must(t, err)
		wantEqual(t, "first page", d.keys(p.Items), []string{"moscow", "prep", "alaska"})
		if p.NextCursor == "" || p.Items[0].Participants[0].ActorData == nil {
			t.Errorf("page: cursor %q, actor data %v", p.NextCursor, p.Items[0].Participants[0].ActorData)
		}
		p, err = s.ActorEvents(bg, "russia", store.EventFilter{Sort: "date", Limit: 3, Cursor: p.NextCursor})
		must(t, err)
		wantEqual(t, "second page", d.keys(p.Items), []string{"abu", "day1", "day2"})

		sts := func(ref string, f store.StatementFilter) []string {
			t.Helper()
			p, err := s.ActorStatements(bg, ref, f)
			must(t, err)
			return d.names.names(statementIDs(p.Items))
		}
		wantEqual(t, "zelensky says", sts("volodymyr-zelensky", store.StatementFilter{}), []string{"z-jan", "z-abu"})
		wantEqual(t, "zelensky says, by id", sts(d.actors["zelensky"].ID.String(), store.StatementFilter{Sort: "-date"}), []string{"z-abu", "z-jan"})
		wantEqual(t, "russia about alaska", sts("russia", store.StatementFilter{Event: "alaska-summit"}), []string{"ru-alaska"})
		wantEqual(t, "speaker filter replaced", sts("russia", store.StatementFilter{Speakers: []string{"volodymyr-zelensky"}}), []string{"ru-alaska", "ru-late"})
		wantEqual(t, "ukraine says nothing", sts("ukraine", store.StatementFilter{}), []string{})

		for _, ref := range []string{"nobody", models.NewID().String(), "Not A Slug"} {
			_, err := s.ActorEvents(bg, ref, store.EventFilter{})
			wantErr(t, err, models.ENOTFOUND)
			_, err = s.ActorStatements(bg, ref, store.StatementFilter{})
			wantErr(t, err, models.ENOTFOUND)
		}
		// An event id is not an actor.
		_, err = s.ActorEvents(bg, d.events["abu"].ID.String(), store.EventFilter{})
		wantErr(t, err, models.ENOTFOUND)
	})
}

// TestListActorsLocationsSources checks the filters, sorts and pagination of the
// actor, location and source lists.
func TestListActorsLocationsSources(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		names := namer{}
		for _, a := range []struct {
			name    string
			kind    models.ActorKind
			country string
		}{
			{"Ukraine", models.ActorState, "UA"},
			{"Russia", models.ActorState, "RU"},
			{"United States", models.ActorState, "US"},
			{"Volodymyr Zelensky", models.ActorPerson, "UA"},
			{"Steve Witkoff", models.ActorPerson, "US"},
			{"Delegation", models.ActorDelegation, "UA"},
			{"Delegation", models.ActorDelegation, "RU"}, // same name: the id breaks the tie
			{"Delegation", models.ActorDelegation, "US"},
			{"NATO", models.ActorOrganization, ""},
		} {
			x := mkActor(t, s, a.name, a.kind, a.country)
			names[x.ID] = x.Slug
		}
		// Give Ukraine a title so that it is the most recently updated (a replace that
		// changes nothing would not touch it).
		ua := newActor("Ukraine", models.ActorState, "UA")
		ua.Title = "State"
		must(t, s.ReplaceActor(bg, "ukraine", ua, 1))

		acts := func(f store.ActorFilter) []string {
			t.Helper()
			p, err := s.ListActors(bg, f)
			must(t, err)
			ids := make([]models.ID, len(p.Items))
			for i, a := range p.Items {
				ids[i] = a.ID
			}
			return names.names(ids)
		}
		byName := []string{"delegation", "delegation-2", "delegation-3", "nato", "russia", "steve-witkoff", "ukraine", "united-states", "volodymyr-zelensky"}
		for _, c := range []struct {
			name string
			f    store.ActorFilter
			want []string
		}{
			{"all by name", store.ActorFilter{}, byName},
			{"-name", store.ActorFilter{Sort: "-name"}, reversed(byName)},
			{"updated", store.ActorFilter{Sort: "updated"}, []string{"russia", "united-states", "volodymyr-zelensky", "steve-witkoff", "delegation", "delegation-2", "delegation-3", "nato", "ukraine"}},
			{"-updated", store.ActorFilter{Sort: "-updated"}, []string{"ukraine", "nato", "delegation-3", "delegation-2", "delegation", "steve-witkoff", "volodymyr-zelensky", "united-states", "russia"}},
			{"kind", store.ActorFilter{Kinds: []models.ActorKind{models.ActorPerson}}, []string{"steve-witkoff", "volodymyr-zelensky"}},
			{"kinds", store.ActorFilter{Kinds: []models.ActorKind{models.ActorOrganization, models.ActorDelegation}}, []string{"delegation", "delegation-2", "delegation-3", "nato"}},
			{"country", store.ActorFilter{Countries: []string{"UA"}}, []string{"delegation", "ukraine", "volodymyr-zelensky"}},
			{"countries", store.ActorFilter{Countries: []string{"US", "RU"}}, []string{"delegation-2", "delegation-3", "russia", "steve-witkoff", "united-states"}},
			{"kind and country", store.ActorFilter{Kinds: []models.ActorKind{models.ActorState}, Countries: []string{"US", "RU"}}, []string{"russia", "united-states"}},
			{"no country", store.ActorFilter{Countries: []string{""}}, []string{"nato"}},
		} {
			t.Run("actors "+c.name, func(t *testing.T) {
				wantEqual(t, "actors", acts(c.f), c.want)
			})
		}
		for _, sort := range []string{"name", "-name", "updated", "-updated"} {
			p, err := s.ListActors(bg, store.ActorFilter{Sort: sort})
			must(t, err)
			ids := make([]models.ID, len(p.Items))
			for i, a := range p.Items {
				ids[i] = a.ID
			}
			for _, limit := range []int{1, 2, 4} {
				checkPaging(t, limit, ids, func(a models.Actor) models.ID { return a.ID },
					func(l int, c string) (store.Page[models.Actor], error) {
						return s.ListActors(bg, store.ActorFilter{Sort: sort, Limit: l, Cursor: c})
					})
			}
		}

		// Locations.
		locNames := namer{}
		for _, l := range []struct{ name, country string }{
			{"Abu Dhabi", "AE"}, {"Anchorage", "US"}, {"Moscow", "RU"}, {"Dubai", "AE"}, {"Geneva", "CH"}, {"Abu Dhabi", "AE"},
		} {
			x := mkLocation(t, s, l.name, l.country)
			locNames[x.ID] = x.Slug
		}
		locs := func(f store.LocationFilter) ([]string, []models.ID) {
			t.Helper()
			p, err := s.ListLocations(bg, f)
			must(t, err)
			ids := make([]models.ID, len(p.Items))
			for i, l := range p.Items {
				ids[i] = l.ID
			}
			return locNames.names(ids), ids
		}
		got, _ := locs(store.LocationFilter{})
		wantEqual(t, "locations by name", got, []string{"abu-dhabi", "abu-dhabi-2", "anchorage", "dubai", "geneva", "moscow"})
		got, _ = locs(store.LocationFilter{Countries: []string{"AE"}, Sort: "-name"})
		wantEqual(t, "locations in AE, -name", got, []string{"dubai", "abu-dhabi-2", "abu-dhabi"})
		got, _ = locs(store.LocationFilter{Sort: "-updated", Countries: []string{"AE", "CH"}})
		wantEqual(t, "locations -updated", got, []string{"abu-dhabi-2", "geneva", "dubai", "abu-dhabi"})
		for _, sort := range []string{"name", "-name", "updated", "-updated"} {
			_, ids := locs(store.LocationFilter{Sort: sort})
			checkPaging(t, 4, ids, func(l models.Location) models.ID { return l.ID },
				func(l int, c string) (store.Page[models.Location], error) {
					return s.ListLocations(bg, store.LocationFilter{Sort: sort, Limit: l, Cursor: c})
				})
		}

		// Sources: 11, several per outlet.
		srcNames := namer{}
		for i, outlet := range []string{"Reuters", "Meduza", "AP", "Reuters", "Meduza", "Reuters", "Kyiv Independent", "AP", "Reuters", "TASS", "Meduza"} {
			x := mkSource(t, s, outlet, fmt.Sprintf("Story %d", i), "2026-01-2"+fmt.Sprint(i%10))
			srcNames[x.ID] = fmt.Sprintf("%s/%d", outlet, i)
		}
		srcs := func(f store.SourceFilter) []string {
			t.Helper()
			p, err := s.ListSources(bg, f)
			must(t, err)
			ids := make([]models.ID, len(p.Items))
			for i, x := range p.Items {
				ids[i] = x.ID
			}
			return srcNames.names(ids)
		}
		wantEqual(t, "sources by outlet", srcs(store.SourceFilter{}),
			[]string{"AP/2", "AP/7", "Kyiv Independent/6", "Meduza/1", "Meduza/4", "Meduza/10", "Reuters/0", "Reuters/3", "Reuters/5", "Reuters/8", "TASS/9"})
		wantEqual(t, "sources of two outlets, -outlet", srcs(store.SourceFilter{Outlets: []string{"Meduza", "AP"}, Sort: "-outlet"}),
			[]string{"Meduza/10", "Meduza/4", "Meduza/1", "AP/7", "AP/2"})
		wantEqual(t, "sources updated", srcs(store.SourceFilter{Sort: "updated", Outlets: []string{"Reuters"}}),
			[]string{"Reuters/0", "Reuters/3", "Reuters/5", "Reuters/8"})
		for _, sort := range []string{"outlet", "-outlet", "updated", "-updated"} {
			p, err := s.ListSources(bg, store.SourceFilter{Sort: sort})
			must(t, err)
			ids := make([]models.ID, len(p.Items))
			for i, x := range p.Items {
				ids[i] = x.ID
			}
			for _, limit := range []int{2, 3, 11} {
				checkPaging(t, limit, ids, func(x models.Source) models.ID { return x.ID },
					func(l int, c string) (store.Page[models.Source], error) {
						return s.ListSources(bg, store.SourceFilter{Sort: sort, Limit: l, Cursor: c})
					})
			}
			// With a filter.
			p, err = s.ListSources(bg, store.SourceFilter{Sort: sort, Outlets: []string{"Reuters", "Meduza"}})
			must(t, err)
			ids = ids[:0]
			for _, x := range p.Items {
				ids = append(ids, x.ID)
			}
			checkPaging(t, 2, ids, func(x models.Source) models.ID { return x.ID },
				func(l int, c string) (store.Page[models.Source], error) {
					return s.ListSources(bg, store.SourceFilter{Sort: sort, Limit: l, Cursor: c, Outlets: []string{"Reuters", "Meduza"}})
				})
		}
	})
}
