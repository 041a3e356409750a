package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// dataset is a small hand-built world for the list tests:
//
//	key     date (EDTF)                   type         status     location  tags                      sources        parent
//	alaska  2025-08-15                    summit       held       anchorage summit, alaska            reuters
//	moscow  2025-08                       visit        held       moscow    visit                     meduza
//	abu     2026-01-23/2026-01-24         negotiation  held       abu-dhabi peace-talks, trilateral   meduza,reuters
//	day1    2026-01-23                    meeting      held       abu-dhabi peace-talks               meduza         abu
//	day2    2026-01-24                    meeting      held       abu-dhabi peace-talks, trilateral                  abu
//	call    2026-01-23T19:30+02:00        call         held       -         -
//	next    2026-02                       negotiation  scheduled  abu-dhabi peace-talks
//	prep    2025-08-14                    call         cancelled  -         -
//	year    2025                          other        postponed  -         -
//
// Participants (role): alaska us(host) ru(participant); moscow witkoff(envoy, for us)
// ru(host); abu ua ru (delegation) us(mediator) ae(host); day1, day2, next ua ru
// (delegation) us(mediator); call zelensky us (participant); prep us ru (participant);
// year ae(observer). Countries: ua UA, zelensky UA, ru RU, us US, witkoff US, ae AE.
// Events are created in the order of the table; moscow is then replaced, so it is the
// most recently updated. abu and day1 start at the same instant.
type dataset struct {
	actors    map[string]*models.Actor
	locations map[string]*models.Location
	sources   map[string]*models.Source
	events    map[string]*models.Event
	stmts     map[string]*models.Statement
	names     namer
}

var (
	dateOrder   = []string{"year", "moscow", "prep", "alaska", "abu", "day1", "call", "day2", "next"}
	updateOrder = []string{"alaska", "abu", "day1", "day2", "call", "next", "prep", "year", "moscow"}
)

func buildDataset(t *testing.T, s *store.Store) *dataset {
	t.Helper()
	d := &dataset{actors: map[string]*models.Actor{}, locations: map[string]*models.Location{},
		sources: map[string]*models.Source{}, events: map[string]*models.Event{}, stmts: map[string]*models.Statement{}, names: namer{}}
	for _, a := range []struct {
		key, name string
		kind      models.ActorKind
		country   string
	}{
		{"ua", "Ukraine", models.ActorState, "UA"},
		{"ru", "Russia", models.ActorState, "RU"},
		{"us", "United States", models.ActorState, "US"},
		{"ae", "United Arab Emirates", models.ActorState, "AE"},
		{"zelensky", "Volodymyr Zelensky", models.ActorPerson, "UA"},
		{"witkoff", "Steve Witkoff", models.ActorPerson, "US"},
	} {
		d.actors[a.key] = mkActor(t, s, a.name, a.kind, a.country)
		d.names[d.actors[a.key].ID] = a.key
	}
	d.locations["abu"] = mkLocation(t, s, "Abu Dhabi", "AE")
	d.locations["anchorage"] = mkLocation(t, s, "Anchorage", "US")
	d.locations["moscow"] = mkLocation(t, s, "Moscow", "RU")
	d.sources["meduza"] = mkSource(t, s, "Meduza", "Talks in Abu Dhabi", "2026-01-24")
	d.sources["reuters"] = mkSource(t, s, "Reuters", "Summit and talks", "2026-01-25")

	A, L, S := d.actors, d.locations, d.sources
	p := func(key string, role models.Role) models.Participant { return part(A[key], role) }
	type spec struct {
		key, title, date string
		typ              models.EventType
		status           models.EventStatus
		loc              string
		tags             []string
		sources          []string
		parent           string
		parts            []models.Participant
	}
	trio := func(hostAE bool) []models.Participant {
		ps := []models.Participant{p("ua", models.RoleDelegation), p("ru", models.RoleDelegation), p("us", models.RoleMediator)}
		if hostAE {
			ps = append(ps, p("ae", models.RoleHost))
		}
		return ps
	}
	specs := []spec{
		{"alaska", "Alaska summit", "2025-08-15", models.EventSummit, models.StatusHeld, "anchorage", []string{"summit", "alaska"}, []string{"reuters"}, "",
			[]models.Participant{p("us", models.RoleHost), p("ru", models.RoleParticipant)}},
		{"moscow", "Witkoff in Moscow", "2025-08", models.EventVisit, models.StatusHeld, "moscow", []string{"visit"}, []string{"meduza"}, "",
			[]models.Participant{{Actor: models.Ref{ID: A["witkoff"].ID}, Role: models.RoleEnvoy, Represents: refOf(A["us"].ID)}, p("ru", models.RoleHost)}},
		{"abu", "Abu Dhabi talks", "2026-01-23/2026-01-24", models.EventNegotiation, models.StatusHeld, "abu", []string{"peace-talks", "trilateral"}, []string{"meduza", "reuters"}, "", trio(true)},
		{"day1", "Abu Dhabi talks, day 1", "2026-01-23", models.EventMeeting, models.StatusHeld, "abu", []string{"peace-talks"}, []string{"meduza"}, "abu", trio(false)},
		{"day2", "Abu Dhabi talks, day 2", "2026-01-24", models.EventMeeting, models.StatusHeld, "abu", []string{"trilateral", "peace-talks"}, nil, "abu", trio(false)},
		{"call", "Zelensky call", "2026-01-23T19:30+02:00", models.EventCall, models.StatusHeld, "", nil, nil, "",
			[]models.Participant{p("zelensky", models.RoleParticipant), p("us", models.RoleParticipant)}},
		{"next", "Next round", "2026-02", models.EventNegotiation, models.StatusScheduled, "abu", []string{"peace-talks"}, nil, "", trio(false)},
		{"prep", "Preparatory call", "2025-08-14", models.EventCall, models.StatusCancelled, "", nil, nil, "",
			[]models.Participant{p("us", models.RoleParticipant), p("ru", models.RoleParticipant)}},
		{"year", "A year of contacts", "2025", models.EventOther, models.StatusPostponed, "", nil, nil, "",
			[]models.Participant{p("ae", models.RoleObserver)}},
	}
	for _, sp := range specs {
		e := &models.Event{Title: sp.title, Type: sp.typ, Status: sp.status, Date: models.MustParseDate(sp.date),
			Tags: sp.tags, Participants: sp.parts}
		if sp.loc != "" {
			e.Location = refOf(L[sp.loc].ID)
		}
		for _, src := range sp.sources {
			e.Sources = append(e.Sources, refOf(S[src].ID))
		}
		if sp.parent != "" {
			e.Parent = refOf(d.events[sp.parent].ID)
		}
		d.events[sp.key] = mkEvent(t, s, e)
		d.names[e.ID] = sp.key
	}
	// Touch moscow so that it is the most recently updated event.
	m, err := s.GetEvent(bg, d.events["moscow"].ID.String(), store.Include{})
	must(t, err)
	m.Summary = "Steve Witkoff met Vladimir Putin."
	must(t, s.ReplaceEvent(bg, m.ID.String(), m, 1))
	d.events["moscow"] = m

	// Statements: two about abu (in reverse date order of creation), one about alaska,
	// two about no event.
	for _, st := range []struct {
		key, speaker, text, date, event string
		quote                           bool
		tags                            []string
	}{
		{"z-abu", "zelensky", "The talks were constructive.", "2026-01-24", "abu", true, []string{"peace"}},
		{"w-abu", "witkoff", "Progress was made.", "2026-01-23", "abu", false, []string{"peace", "progress"}},
		{"ru-alaska", "ru", "The summit was useful.", "2025-08-15", "alaska", true, []string{"alaska"}},
		{"z-jan", "zelensky", "We are ready for peace.", "2026-01", "", false, nil},
		{"ru-late", "ru", "Contacts will continue.", "2026-01-25T09:00Z", "", false, []string{"peace"}},
	} {
		x := newStatement(A[st.speaker], st.text, st.date)
		x.Quote, x.Tags = st.quote, st.tags
		if st.event != "" {
			x.Event = refOf(d.events[st.event].ID)
		}
		must(t, s.CreateStatement(bg, x))
		d.stmts[st.key] = x
		d.names[x.ID] = st.key
	}
	return d
}

// keys returns the dataset keys of events in list order.
func (d *dataset) keys(es []models.Event) []string { return d.names.names(eventIDs(es)) }

// inOrder sorts keys by their position in order.
func inOrder(order []string, keys ...string) []string {
	out := slices.Clone(keys)
	slices.SortFunc(out, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	if out == nil {
		out = []string{}
	}
	return out
}

func reversed(xs []string) []string {
	out := slices.Clone(xs)
	slices.Reverse(out)
	return out
}

// TestListEventsFilters runs every /events filter over the dataset and checks the exact
// events returned, in date order.
func TestListEventsFilters(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := buildDataset(t, s)
		A, L, S, E := d.actors, d.locations, d.sources, d.events
		id := func(m models.ID) string { return m.String() }
		roles := func(r ...models.Role) []models.Role { return r }
		cases := []struct {
			name string
			f    store.EventFilter
			want []string
		}{
			{"no filter", store.EventFilter{}, dateOrder},
			{"actor by id", store.EventFilter{Actors: []string{id(A["ru"].ID)}}, []string{"alaska", "moscow", "abu", "day1", "day2", "next", "prep"}},
			{"actor by slug", store.EventFilter{Actors: []string{"volodymyr-zelensky"}}, []string{"call"}},
			{"actors any", store.EventFilter{Actors: []string{"steve-witkoff", id(A["zelensky"].ID)}}, []string{"moscow", "call"}},
			{"actors all", store.EventFilter{Actors: []string{"ukraine", id(A["ru"].ID)}, MatchAll: true}, []string{"abu", "day1", "day2", "next"}},
			{"actors all us+ru", store.EventFilter{Actors: []string{"united-states", "russia"}, MatchAll: true}, []string{"alaska", "abu", "day1", "day2", "next", "prep"}},
			{"actors all, none share", store.EventFilter{Actors: []string{"ukraine", "steve-witkoff"}, MatchAll: true}, []string{}},
			{"actors any, same pair", store.EventFilter{Actors: []string{"ukraine", "steve-witkoff"}}, []string{"moscow", "abu", "day1", "day2", "next"}},
			{"represented actor is not a participant", store.EventFilter{Actors: []string{"united-states"}, Types: []models.EventType{models.EventVisit}}, []string{}},
			{"role", store.EventFilter{Roles: roles(models.RoleMediator)}, []string{"abu", "day1", "day2", "next"}},
			{"roles", store.EventFilter{Roles: roles(models.RoleHost, models.RoleObserver)}, []string{"year", "moscow", "alaska", "abu"}},
			{"role with actor (same participant)", store.EventFilter{Actors: []string{"russia"}, Roles: roles(models.RoleHost)}, []string{"moscow"}},
			{"role with actor, no match", store.EventFilter{Actors: []string{"ukraine"}, Roles: roles(models.RoleHost)}, []string{}},
			{"role with actors all", store.EventFilter{Actors: []string{"ukraine", "russia"}, MatchAll: true, Roles: roles(models.RoleDelegation)}, []string{"abu", "day1", "day2", "next"}},
			{"role with actors all, one lacks it", store.EventFilter{Actors: []string{"united-states", "russia"}, MatchAll: true, Roles: roles(models.RoleHost)}, []string{}},
			{"country", store.EventFilter{Countries: []string{"UA"}}, []string{"abu", "day1", "call", "day2", "next"}},
			{"countries", store.EventFilter{Countries: []string{"AE", "RU"}}, []string{"year", "moscow", "prep", "alaska", "abu", "day1", "day2", "next"}},
			{"location by slug", store.EventFilter{Locations: []string{"abu-dhabi"}}, []string{"abu", "day1", "day2", "next"}},
			{"locations by id", store.EventFilter{Locations: []string{id(L["anchorage"].ID), id(L["moscow"].ID)}}, []string{"moscow", "alaska"}},
			{"type", store.EventFilter{Types: []models.EventType{models.EventMeeting}}, []string{"day1", "day2"}},
			{"types", store.EventFilter{Types: []models.EventType{models.EventCall, models.EventVisit}}, []string{"moscow", "prep", "call"}},
			{"status", store.EventFilter{Statuses: []models.EventStatus{models.StatusScheduled}}, []string{"next"}},
			{"statuses", store.EventFilter{Statuses: []models.EventStatus{models.StatusCancelled, models.StatusPostponed}}, []string{"year", "prep"}},
			{"tag", store.EventFilter{Tags: []string{"peace-talks"}}, []string{"abu", "day1", "day2", "next"}},
			{"tags (all must match)", store.EventFilter{Tags: []string{"peace-talks", "trilateral"}}, []string{"abu", "day2"}},
			{"tags, one unknown", store.EventFilter{Tags: []string{"peace-talks", "nothing"}}, []string{}},
			{"source by slug", store.EventFilter{Sources: []string{S["meduza"].Slug}}, []string{"moscow", "abu", "day1"}},
			{"source by id", store.EventFilter{Sources: []string{id(S["reuters"].ID)}}, []string{"alaska", "abu"}},
			{"sources (any)", store.EventFilter{Sources: []string{"meduza-talks-in-abu-dhabi", "reuters-summit-and-talks"}}, []string{"moscow", "alaska", "abu", "day1"}},
			{"parent by slug", store.EventFilter{Parent: "abu-dhabi-talks"}, []string{"day1", "day2"}},
			{"parent by id", store.EventFilter{Parent: id(E["abu"].ID)}, []string{"day1", "day2"}},
			{"parent without rounds", store.EventFilter{Parent: id(E["day1"].ID)}, []string{}},
			// Dates overlap half-open intervals [start, end).
			{"from=to inside a month", store.EventFilter{From: ptrDate("2025-08-15"), To: ptrDate("2025-08-15")}, []string{"year", "moscow", "alaska"}},
			{"to: an event starting at to's end is out", store.EventFilter{To: ptrDate("2025-08-14")}, []string{"year", "moscow", "prep"}},
			{"from: an event ending at from's start is out", store.EventFilter{From: ptrDate("2026-01-24")}, []string{"abu", "day2", "next"}},
			{"from=to a minute", store.EventFilter{From: ptrDate("2026-01-23T19:30+02:00"), To: ptrDate("2026-01-23T19:30+02:00")}, []string{"abu", "day1", "call"}},
			{"from the minute after", store.EventFilter{From: ptrDate("2026-01-23T17:31Z")}, []string{"abu", "day1", "day2", "next"}},
			{"from a month to a year", store.EventFilter{From: ptrDate("2025-12"), To: ptrDate("2026")}, []string{"year", "abu", "day1", "call", "day2", "next"}},
			{"interval", store.EventFilter{From: ptrDate("2025-08-01/2025-08-14")}, []string{"year", "moscow", "prep", "alaska", "abu", "day1", "call", "day2", "next"}},
			{"to an interval", store.EventFilter{To: ptrDate("2025-07/2025-08-13")}, []string{"year", "moscow"}},
			{"nothing in 2024", store.EventFilter{From: ptrDate("2024"), To: ptrDate("2024")}, []string{}},
			{"combined", store.EventFilter{Actors: []string{"united-states"}, Types: []models.EventType{models.EventMeeting}, Tags: []string{"trilateral"}}, []string{"day2"}},
			{"combined with dates", store.EventFilter{Countries: []string{"US"}, From: ptrDate("2025-08"), To: ptrDate("2025-08")}, []string{"moscow", "prep", "alaska"}},
		}
		// Each case runs under a date sort (a single actor then takes the participation
		// range scan) and under the updated sort (the general query).
		for _, sort := range []struct {
			name  string
			order []string
		}{{"date", dateOrder}, {"-date", reversed(dateOrder)}, {"updated", updateOrder}} {
			for _, c := range cases {
				t.Run(sort.name+"/"+c.name, func(t *testing.T) {
					c.f.Sort, c.f.Limit = sort.name, 100
					p, err := s.ListEvents(bg, c.f)
					must(t, err)
					wantEqual(t, "events", d.keys(p.Items), inOrder(sort.order, c.want...))
					wantEqual(t, "next cursor", p.NextCursor, "")
				})
			}
		}
	})
}

// TestListEventsActorWithSeveralRoles: an actor with two roles in one event is listed
// once, whichever query serves the filter, and paging never repeats it.
func TestListEventsActorWithSeveralRoles(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		us := mkActor(t, s, "United States", models.ActorState, "US")
		ru := mkActor(t, s, "Russia", models.ActorState, "RU")
		names := namer{}
		mk := func(title, date string, ps ...models.Participant) *models.Event {
			e := newEvent(title, date)
			e.Participants = ps
			mkEvent(t, s, e)
			names[e.ID] = title
			return e
		}
		mk("both roles", "2026-01-23", part(us, models.RoleMediator), part(ru, models.RoleDelegation), part(us, models.RoleHost))
		mk("observer", "2026-01-24", part(us, models.RoleObserver), part(ru, models.RoleHost))
		mk("three roles", "2026-01-23", part(us, models.RoleParticipant), part(us, models.RoleEnvoy), part(us, models.RoleDelegation))
		mk("russia only", "2026-01-22", part(ru, models.RoleHost))
		// "both roles" and "three roles" share a start: the id (creation order) decides.
		roles := func(r ...models.Role) []models.Role { return r }
		allTypes := models.EventTypes
		for _, c := range []struct {
			name string
			f    store.EventFilter
			want []string
		}{
			{"us", store.EventFilter{Actors: []string{"united-states"}}, []string{"both roles", "three roles", "observer"}},
			{"us as host", store.EventFilter{Actors: []string{"united-states"}, Roles: roles(models.RoleHost)}, []string{"both roles"}},
			{"us as host or mediator", store.EventFilter{Actors: []string{"united-states"}, Roles: roles(models.RoleHost, models.RoleMediator)}, []string{"both roles"}},
			{"us as envoy, delegation or observer", store.EventFilter{Actors: []string{"united-states"}, Roles: roles(models.RoleEnvoy, models.RoleDelegation, models.RoleObserver)}, []string{"three roles", "observer"}},
			{"us as mediator (host sorts first)", store.EventFilter{Actors: []string{"united-states"}, Roles: roles(models.RoleMediator)}, []string{"both roles"}},
			{"us as participant (two roles sort first)", store.EventFilter{Actors: []string{"united-states"}, Roles: roles(models.RoleParticipant)}, []string{"three roles"}},
			{"us as head of delegation", store.EventFilter{Actors: []string{"united-states"}, Roles: roles(models.RoleHeadOfDelegation)}, []string{}},
			{"us, match all", store.EventFilter{Actors: []string{"united-states"}, MatchAll: true}, []string{"both roles", "three roles", "observer"}},
			{"us and russia", store.EventFilter{Actors: []string{"united-states", "russia"}, MatchAll: true}, []string{"both roles", "observer"}},
			{"us or russia", store.EventFilter{Actors: []string{"united-states", "russia"}}, []string{"russia only", "both roles", "three roles", "observer"}},
			{"us in a day", store.EventFilter{Actors: []string{"united-states"}, From: ptrDate("2026-01-23"), To: ptrDate("2026-01-23")}, []string{"both roles", "three roles"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				for _, sort := range []string{"date", "-date"} {
					want := c.want
					if sort == "-date" {
						want = reversed(c.want)
					}
					for _, general := range []bool{false, true} {
						f := c.f
						f.Sort, f.Limit = sort, 100
						if general {
							f.Types = allTypes // another table's filter: the general query
						}
						p, err := s.ListEvents(bg, f)
						must(t, err)
						if len(want) == 0 {
							want = []string{}
						}
						wantEqual(t, fmt.Sprintf("%s (general query %v)", sort, general), names.names(eventIDs(p.Items)), want)
						// One by one: no repeats, no gaps.
						ids := eventIDs(p.Items)
						checkPaging(t, 1, ids, func(e models.Event) models.ID { return e.ID },
							func(limit int, cur string) (store.Page[models.Event], error) {
								f.Limit, f.Cursor = limit, cur
								return s.ListEvents(bg, f)
							})
					}
				}
				if len(c.f.Actors) == 1 && !c.f.MatchAll {
					p, err := s.ActorEvents(bg, c.f.Actors[0], store.EventFilter{Roles: c.f.Roles, From: c.f.From, To: c.f.To, Sort: "date"})
					must(t, err)
					wantEqual(t, "actor events", names.names(eventIDs(p.Items)), append([]string{}, c.want...))
				}
			})
		}
	})
}

// TestListEventsSort checks each sort order over the dataset, ties on the date broken by
// id (abu and day1 start together), and the default (-date).
func TestListEventsSort(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := buildDataset(t, s)
		if d.events["abu"].ID.String() > d.events["day1"].ID.String() {
			t.Fatal("UUIDv7 ids are not increasing in creation order")
		}
		wantEqual(t, "sorts", store.EventSorts(), []string{"-date", "date", "updated", "-updated"})
		for _, c := range []struct {
			sort string
			want []string
		}{
			{"", reversed(dateOrder)},
			{"-date", reversed(dateOrder)},
			{"date", dateOrder},
			{"updated", updateOrder},
			{"-updated", reversed(updateOrder)},
		} {
			t.Run("sort="+c.sort, func(t *testing.T) {
				wantEqual(t, "order", d.keys(allEvents(t, s, c.sort)), c.want)
			})
		}
		// With a filter, the same order holds on the subset.
		p, err := s.ListEvents(bg, store.EventFilter{Sort: "-updated", Tags: []string{"peace-talks"}})
		must(t, err)
		wantEqual(t, "filtered -updated", d.keys(p.Items), []string{"next", "day2", "day1", "abu"})
	})
}

// TestListEventsInclude checks that include embeds the right actors, locations, sources
// and statements, in the right places, and nothing when not asked.
func TestListEventsInclude(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := buildDataset(t, s)
		all := store.Include{Participants: true, Location: true, Sources: true, Statements: true}
		p, err := s.ListEvents(bg, store.EventFilter{Sort: "date", Include: all})
		must(t, err)
		wantEqual(t, "events", d.keys(p.Items), dateOrder)
		wantStatements := map[string][]string{"abu": {"w-abu", "z-abu"}, "alaska": {"ru-alaska"}}
		for _, e := range p.Items {
			key := d.names[e.ID]
			for i, pt := range e.Participants {
				if pt.ActorData == nil || pt.ActorData.ID != pt.Actor.ID {
					t.Errorf("%s participant %d: actor data %+v for %s", key, i, pt.ActorData, d.names[pt.Actor.ID])
					continue
				}
				if want := d.actors[d.names[pt.Actor.ID]]; pt.ActorData.Name != want.Name || pt.ActorData.Slug != want.Slug || pt.ActorData.Country != want.Country {
					t.Errorf("%s participant %d: actor data %s/%s/%s, want %s/%s/%s", key, i,
						pt.ActorData.Name, pt.ActorData.Slug, pt.ActorData.Country, want.Name, want.Slug, want.Country)
				}
			}
			switch {
			case e.Location == nil && e.LocationData != nil:
				t.Errorf("%s: location data without a location", key)
			case e.Location != nil && (e.LocationData == nil || e.LocationData.ID != e.Location.ID):
				t.Errorf("%s: location data %+v for %s", key, e.LocationData, e.Location)
			}
			var srcIDs []models.ID
			for _, x := range e.SourcesData {
				srcIDs = append(srcIDs, x.ID)
			}
			if want := refIDs(t, e.Sources); len(want) > 0 || len(srcIDs) > 0 {
				wantEqual(t, key+" sources data", srcIDs, want)
			}
			if e.SourcesData == nil {
				t.Errorf("%s: sources data is nil, want a (possibly empty) list", key)
			}
			if e.StatementsData == nil {
				t.Errorf("%s: statements data is nil, want a (possibly empty) list", key)
			}
			wantEqual(t, key+" statements", d.names.names(statementIDs(e.StatementsData)), append([]string{}, wantStatements[key]...))
		}
		// Spot checks of embedded content.
		abu := p.Items[slices.Index(dateOrder, "abu")]
		wantEqual(t, "abu location", abu.LocationData.Name, "Abu Dhabi")
		wantEqual(t, "abu sources", []string{abu.SourcesData[0].Outlet, abu.SourcesData[1].Outlet}, []string{"Meduza", "Reuters"})
		wantEqual(t, "abu host", abu.Participants[3].ActorData.Name, "United Arab Emirates")
		if st := abu.StatementsData[1]; st.Text != "The talks were constructive." || !st.Quote || st.Speaker.ID != d.actors["zelensky"].ID ||
			!slices.Equal(st.Tags, []string{"peace"}) || st.Event == nil || st.Event.ID != abu.ID {
			t.Errorf("abu statement: %+v", st)
		}

		// GetEvent embeds only what is asked for.
		e, err := s.GetEvent(bg, "abu-dhabi-talks", store.Include{Location: true})
		must(t, err)
		if e.LocationData == nil || e.LocationData.Slug != "abu-dhabi" || e.SourcesData != nil || e.StatementsData != nil || e.Participants[0].ActorData != nil {
			t.Errorf("include location only: %+v", e)
		}
		e, err = s.GetEvent(bg, "abu-dhabi-talks", store.Include{Participants: true, Statements: true})
		must(t, err)
		if e.LocationData != nil || e.SourcesData != nil || len(e.StatementsData) != 2 || e.Participants[0].ActorData == nil || e.Participants[0].ActorData.Slug != "ukraine" {
			t.Errorf("include participants and statements: %+v", e)
		}
		// Without include nothing is embedded.
		p, err = s.ListEvents(bg, store.EventFilter{})
		must(t, err)
		for _, e := range p.Items {
			if e.LocationData != nil || e.SourcesData != nil || e.StatementsData != nil {
				t.Errorf("%s: embedded data without include", d.names[e.ID])
			}
			for _, pt := range e.Participants {
				if pt.ActorData != nil {
					t.Errorf("%s: actor data without include", d.names[e.ID])
				}
			}
		}
		// Children are loaded on list items too.
		for _, e := range p.Items {
			want, _ := s.GetEvent(bg, e.ID.String(), store.Include{})
			wantEqual(t, d.names[e.ID]+" participants in list", partKeys(e.Participants), partKeys(want.Participants))
			wantEqual(t, d.names[e.ID]+" tags in list", e.Tags, want.Tags)
			wantEqual(t, d.names[e.ID]+" sources in list", refIDs(t, e.Sources), refIDs(t, want.Sources))
		}
	})
}
