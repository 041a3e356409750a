package store_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// pageAll walks a list with limit until the cursor runs out and returns the pages.
func pageAll[T any](t *testing.T, limit int, list func(cursor string) (store.Page[T], error)) [][]T {
	t.Helper()
	var pages [][]T
	cursor := ""
	for {
		p, err := list(cursor)
		must(t, err)
		pages = append(pages, p.Items)
		if p.NextCursor == "" {
			return pages
		}
		if len(p.Items) != limit {
			t.Fatalf("page %d has %d items and a next cursor; want %d", len(pages), len(p.Items), limit)
		}
		if len(pages) > 100 {
			t.Fatal("pagination does not end")
		}
		cursor = p.NextCursor
	}
}

// checkPaging pages through list with limit and checks the pages against one unpaginated
// listing: same items in the same order, full pages but the last, no empty last page.
func checkPaging[T any](t *testing.T, limit int, want []models.ID, id func(T) models.ID,
	list func(limit int, cursor string) (store.Page[T], error)) {
	t.Helper()
	pages := pageAll(t, limit, func(c string) (store.Page[T], error) { return list(limit, c) })
	var got []models.ID
	for _, p := range pages {
		for _, x := range p {
			got = append(got, id(x))
		}
	}
	wantPages := (len(want) + limit - 1) / limit
	if wantPages == 0 {
		wantPages = 1
	}
	if len(pages) != wantPages {
		t.Errorf("limit %d: %d pages, want %d", limit, len(pages), wantPages)
	}
	if last := pages[len(pages)-1]; len(want) > 0 && len(last) == 0 {
		t.Errorf("limit %d: empty last page", limit)
	}
	if joinIDs(got...) != joinIDs(want...) {
		t.Errorf("limit %d: pages differ from the unpaginated list\n got  %d items %s\n want %d items %s", limit, len(got), joinIDs(got...), len(want), joinIDs(want...))
	}
}

// TestKeysetPagination pages 37 events, many sharing a start instant, through every
// sort with several page sizes and checks the pages add up to one unpaginated listing
// exactly, and that the listing itself is ordered by (key, id).
func TestKeysetPagination(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// Six date patterns; four of them start at 2026-01-01T00:00Z.
		patterns := []string{"2026-01-01", "2026-01-02", "2026-01", "2026-01-02", "2025-12-31T23:00-01:00", "2026-01-01T00:00Z/2026-01-03"}
		a := mkActor(t, s, "Everywhere", models.ActorPerson, "")
		b := mkActor(t, s, "Sometimes", models.ActorPerson, "")
		parts := func(i int) []models.Participant {
			ps := []models.Participant{part(a, models.RoleParticipant)}
			if i%4 == 0 {
				ps = append(ps, part(a, models.RoleHost)) // a second role: still one row per event
			}
			if i%3 == 0 {
				ps = append(ps, part(b, models.RoleObserver))
			}
			return ps
		}
		created := map[models.ID]bool{}
		var tagged []models.ID
		var evs []*models.Event
		for i := range 37 {
			e := newEvent(fmt.Sprintf("Event %02d", i), patterns[i%len(patterns)])
			e.Participants = parts(i)
			if i%3 == 0 {
				e.Tags = []string{"third"}
			}
			mkEvent(t, s, e)
			created[e.ID] = true
			evs = append(evs, e)
		}
		// Touch some events so that the updated order differs from the creation order.
		for i := 0; i < 37; i += 7 {
			e := evs[i]
			x := newEvent(e.Title+" (edited)", patterns[i%len(patterns)])
			x.Tags, x.Participants = e.Tags, parts(i)
			must(t, s.ReplaceEvent(bg, e.ID.String(), x, 1))
		}

		for _, sort := range store.EventSorts() {
			t.Run(sort, func(t *testing.T) {
				full := allEvents(t, s, sort)
				if len(full) != 37 {
					t.Fatalf("%d events, want 37", len(full))
				}
				seen := map[models.ID]bool{}
				for i, e := range full {
					if !created[e.ID] || seen[e.ID] {
						t.Fatalf("item %d: unknown or repeated id %s", i, e.ID)
					}
					seen[e.ID] = true
					if i > 0 && !ordered(sort, full[i-1], e) {
						t.Errorf("items %d and %d out of %s order", i-1, i, sort)
					}
				}
				want := eventIDs(full)
				for _, limit := range []int{5, 1, 36, 37} {
					checkPaging(t, limit, want, func(e models.Event) models.ID { return e.ID },
						func(limit int, c string) (store.Page[models.Event], error) {
							return s.ListEvents(bg, store.EventFilter{Sort: sort, Limit: limit, Cursor: c})
						})
				}
				// A filter and the cursor combine.
				tagged = tagged[:0]
				for _, e := range full {
					if len(e.Tags) == 1 {
						tagged = append(tagged, e.ID)
					}
				}
				if len(tagged) != 13 {
					t.Fatalf("%d tagged events, want 13", len(tagged))
				}
				checkPaging(t, 4, tagged, func(e models.Event) models.ID { return e.ID },
					func(limit int, c string) (store.Page[models.Event], error) {
						return s.ListEvents(bg, store.EventFilter{Sort: sort, Limit: limit, Cursor: c, Tags: []string{"third"}})
					})
				// One actor (under a date sort the participation range scan): the
				// actor in every event, some twice, gives every event once; the other
				// actor the same subset as the tag.
				for _, f := range []store.EventFilter{
					{Actors: []string{a.Slug}},
					{Actors: []string{a.Slug}, Roles: []models.Role{models.RoleHost, models.RoleParticipant}},
					{Actors: []string{a.ID.String()}, MatchAll: true},
				} {
					checkPaging(t, 5, want, func(e models.Event) models.ID { return e.ID },
						func(limit int, c string) (store.Page[models.Event], error) {
							f.Sort, f.Limit, f.Cursor = sort, limit, c
							return s.ListEvents(bg, f)
						})
				}
				checkPaging(t, 5, tagged, func(e models.Event) models.ID { return e.ID },
					func(limit int, c string) (store.Page[models.Event], error) {
						return s.ActorEvents(bg, b.Slug, store.EventFilter{Sort: sort, Limit: limit, Cursor: c})
					})
				// Cursors carry over between the single-actor scan and the general query
				// (the same sort names and keys): page 1 one way, the rest the other.
				first, err := s.ListEvents(bg, store.EventFilter{Actors: []string{a.Slug}, Sort: sort, Limit: 5})
				must(t, err)
				rest, err := s.ListEvents(bg, store.EventFilter{Actors: []string{a.Slug}, Types: models.EventTypes, Sort: sort, Limit: 500, Cursor: first.NextCursor})
				must(t, err)
				wantEqual(t, "scan then general", joinIDs(append(eventIDs(first.Items), eventIDs(rest.Items)...)...), joinIDs(want...))
				first, err = s.ListEvents(bg, store.EventFilter{Actors: []string{a.Slug}, Types: models.EventTypes, Sort: sort, Limit: 5})
				must(t, err)
				rest, err = s.ListEvents(bg, store.EventFilter{Actors: []string{a.Slug}, Sort: sort, Limit: 500, Cursor: first.NextCursor})
				must(t, err)
				wantEqual(t, "general then scan", joinIDs(append(eventIDs(first.Items), eventIDs(rest.Items)...)...), joinIDs(want...))
			})
		}
		// A cursor stays valid after the row it points at changes.
		p, err := s.ListEvents(bg, store.EventFilter{Sort: "date", Limit: 5})
		must(t, err)
		last := p.Items[4]
		x := newEvent(last.Title, "2030")
		x.Participants = []models.Participant{part(a, models.RoleParticipant)}
		must(t, s.ReplaceEvent(bg, last.ID.String(), x, last.Version))
		p2, err := s.ListEvents(bg, store.EventFilter{Sort: "date", Limit: 500, Cursor: p.NextCursor})
		must(t, err)
		if len(p2.Items) != 33 || p2.Items[len(p2.Items)-1].ID != last.ID {
			t.Errorf("after moving the cursor row: %d items, last %s; want 33 ending with the moved event", len(p2.Items), p2.Items[len(p2.Items)-1].ID)
		}
		// The single-actor scan sees the moved date too (participation rows carry it).
		p3, err := s.ListEvents(bg, store.EventFilter{Actors: []string{a.Slug}, Sort: "-date", Limit: 1})
		must(t, err)
		wantEqual(t, "latest event of the actor", p3.Items[0].ID, last.ID)
		p3, err = s.ListEvents(bg, store.EventFilter{Actors: []string{a.Slug}, From: ptrDate("2030"), To: ptrDate("2030")})
		must(t, err)
		wantEqual(t, "the actor's events in 2030", eventIDs(p3.Items), []models.ID{last.ID})
	})
}

// ordered reports whether a sorts at or before b under sort, with the id breaking ties.
func ordered(sort string, a, b models.Event) bool {
	ka, kb := a.Date.Start, b.Date.Start
	if strings.HasSuffix(sort, "updated") {
		ka, kb = a.UpdatedAt, b.UpdatedAt
	}
	less := ka.Before(kb) || (ka.Equal(kb) && a.ID.String() < b.ID.String())
	if strings.HasPrefix(sort, "-") {
		less = kb.Before(ka) || (ka.Equal(kb) && b.ID.String() < a.ID.String())
	}
	return less
}

// TestListParameterErrors: bad cursors, limits, sorts and unknown filter references are
// 400s (EINVALID) naming the parameter.
func TestListParameterErrors(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for i := range 3 {
			mkEvent(t, s, newEvent(fmt.Sprintf("E%d", i), "2026-01-0"+fmt.Sprint(i+1)))
		}
		mkActor(t, s, "A", models.ActorPerson, "")
		mkActor(t, s, "B", models.ActorPerson, "")
		p, err := s.ListEvents(bg, store.EventFilter{Sort: "date", Limit: 1})
		must(t, err)
		dateCursor := p.NextCursor
		pa, err := s.ListActors(bg, store.ActorFilter{Limit: 1})
		must(t, err)
		actorCursor := pa.NextCursor
		if dateCursor == "" || actorCursor == "" {
			t.Fatal("no cursors")
		}
		b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		id := models.NewID().String()
		now := time.Now().UTC().Format(time.RFC3339Nano)

		cases := []struct {
			name  string
			f     store.EventFilter
			field string
		}{
			{"garbage cursor", store.EventFilter{Cursor: "garbage!!"}, "cursor"},
			{"base64 of junk", store.EventFilter{Cursor: b64("junk")}, "cursor"},
			{"std base64 padding", store.EventFilter{Sort: "date", Cursor: base64.StdEncoding.EncodeToString([]byte(`{"s":"date","k":"`+now+`","i":"`+id+`"}`)) + "="}, "cursor"},
			{"cursor with a bad time", store.EventFilter{Sort: "date", Cursor: b64(`{"s":"date","k":"yesterday","i":"` + id + `"}`)}, "cursor"},
			{"cursor with a bad id", store.EventFilter{Sort: "date", Cursor: b64(`{"s":"date","k":"` + now + `","i":"x"}`)}, "cursor"},
			{"cursor with an extra member", store.EventFilter{Sort: "date", Cursor: b64(`{"s":"date","k":"` + now + `","i":"` + id + `","x":1}`)}, "cursor"},
			{"cursor of another sort", store.EventFilter{Sort: "-date", Cursor: dateCursor}, "cursor"},
			{"cursor of the default sort", store.EventFilter{Cursor: dateCursor}, "cursor"},
			{"cursor of another list", store.EventFilter{Cursor: actorCursor}, "cursor"},
			{"long cursor", store.EventFilter{Cursor: strings.Repeat("A", 600)}, "cursor"},
			{"limit -1", store.EventFilter{Limit: -1}, "limit"},
			{"limit 501", store.EventFilter{Limit: 501}, "limit"},
			{"unknown sort", store.EventFilter{Sort: "title"}, "sort"},
			{"sort is case-sensitive", store.EventFilter{Sort: "DATE"}, "sort"},
			{"unknown actor slug", store.EventFilter{Actors: []string{"nobody"}}, "actor"},
			{"unknown actor id", store.EventFilter{Actors: []string{id}}, "actor"},
			{"malformed actor", store.EventFilter{Actors: []string{"Not A Slug"}}, "actor"},
			{"unknown location", store.EventFilter{Locations: []string{"atlantis"}}, "location"},
			{"unknown source", store.EventFilter{Sources: []string{"no-such-source"}}, "source"},
			{"unknown parent", store.EventFilter{Parent: "no-such-event"}, "parent"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.ListEvents(bg, c.f)
				wantErr(t, err, models.EINVALID, c.field)
				_, err = s.ActorEvents(bg, "a", store.EventFilter{Sort: c.f.Sort, Cursor: c.f.Cursor, Limit: c.f.Limit, Locations: c.f.Locations, Sources: c.f.Sources, Parent: c.f.Parent})
				if c.field != "actor" {
					wantErr(t, err, models.EINVALID, c.field)
				}
			})
		}
		// Valid edges: limit 500, limit 0 (the default), the cursor with its own sort.
		for _, f := range []store.EventFilter{{Limit: 500}, {Limit: 0}, {Sort: "date", Cursor: dateCursor}} {
			if _, err := s.ListEvents(bg, f); err != nil {
				t.Errorf("%+v: %v", f, err)
			}
		}

		// The other lists check limit, sort and cursor the same way.
		others := []struct {
			name string
			run  func(sort, cursor string, limit int) error
		}{
			{"actors", func(so, c string, l int) error {
				_, err := s.ListActors(bg, store.ActorFilter{Sort: so, Cursor: c, Limit: l})
				return err
			}},
			{"locations", func(so, c string, l int) error {
				_, err := s.ListLocations(bg, store.LocationFilter{Sort: so, Cursor: c, Limit: l})
				return err
			}},
			{"sources", func(so, c string, l int) error {
				_, err := s.ListSources(bg, store.SourceFilter{Sort: so, Cursor: c, Limit: l})
				return err
			}},
			{"statements", func(so, c string, l int) error {
				_, err := s.ListStatements(bg, store.StatementFilter{Sort: so, Cursor: c, Limit: l})
				return err
			}},
			{"revisions", func(so, c string, l int) error {
				_, err := s.Revisions(bg, models.KindActor, "a", store.RevisionFilter{Cursor: c, Limit: l})
				return err
			}},
		}
		for _, o := range others {
			t.Run(o.name, func(t *testing.T) {
				wantErr(t, o.run("", "", -1), models.EINVALID, "limit")
				wantErr(t, o.run("", "", 501), models.EINVALID, "limit")
				wantErr(t, o.run("", "garbage!!", 0), models.EINVALID, "cursor")
				if o.name != "revisions" {
					wantErr(t, o.run("nope", "", 0), models.EINVALID, "sort")
					wantErr(t, o.run("-updated", dateCursor, 0), models.EINVALID, "cursor")
				}
			})
		}
		_, err = s.ListStatements(bg, store.StatementFilter{Speakers: []string{"nobody"}})
		wantErr(t, err, models.EINVALID, "speaker")
		_, err = s.ListStatements(bg, store.StatementFilter{Event: "no-such-event"})
		wantErr(t, err, models.EINVALID, "event")
	})
}
