package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// seedEvents reads every event of the built-in dataset with its participants, oldest
// first: the ground truth the represented answers are counted from.
func seedEvents(t *testing.T, c *client) []models.Event {
	t.Helper()
	var l handlers.List[models.Event]
	c.get("/api/v1/events"+q("sort", "date", "limit", "500", "include", "participants")).want(t, 200, &l)
	if len(l.Items) == 0 {
		t.Fatal("the seed has no events")
	}
	return l.Items
}

// actorID is the id of the actor with the slug.
func actorID(t *testing.T, c *client, slug string) models.ID {
	t.Helper()
	var a models.Actor
	c.get("/api/v1/actors/"+slug).want(t, 200, &a)
	return a.ID
}

// involves reports whether id takes part in e, or (with represented) is represented in it.
func involves(e models.Event, id models.ID, represented bool) bool {
	for _, p := range e.Participants {
		if p.Actor.ID == id || (represented && p.Represents != nil && p.Represents.ID == id) {
			return true
		}
	}
	return false
}

// slugsWhere are the slugs of the events keep selects, in the events' order.
func slugsWhere(es []models.Event, keep func(models.Event) bool) []string {
	var out []string
	for _, e := range es {
		if keep(e) {
			out = append(out, e.Slug)
		}
	}
	return out
}

// TestRepresentedActor asks what Russia did: by default only what it did itself; with
// represented=true also what Putin did for it (Anchorage, Moscow).
func TestRepresentedActor(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		all := seedEvents(t, c)
		russia, us, putin := actorID(t, c, "russia"), actorID(t, c, "united-states"), actorID(t, c, "vladimir-putin")
		direct := slugsWhere(all, func(e models.Event) bool { return involves(e, russia, false) })
		through := slugsWhere(all, func(e models.Event) bool { return involves(e, russia, true) })
		for _, s := range []string{"putin-trump-anchorage-summit", "putin-witkoff-kushner-moscow-meeting"} {
			if slices.Contains(direct, s) || !slices.Contains(through, s) {
				t.Fatalf("the seed changed: %s should have Russia only through Putin (direct %v, through %v)", s, direct, through)
			}
		}
		list := func(path string) []string {
			t.Helper()
			var l handlers.List[models.Event]
			c.get(path).want(t, 200, &l)
			return slugs(l)
		}
		cases := []struct {
			name, path string
			want       []string
		}{
			{"actor=russia is direct participation", "/api/v1/events" + q("actor", "russia", "sort", "date"), direct},
			{"represented=false is the default", "/api/v1/events" + q("actor", "russia", "represented", "false", "sort", "date"), direct},
			{"represented=true adds Putin's events for Russia", "/api/v1/events" + q("actor", "russia", "represented", "true", "sort", "date"), through},
			{"the same through the actor's resource", "/api/v1/actors/russia/events" + q("represented", "true", "sort", "date"), through},
			{"the actor's resource, direct", "/api/v1/actors/russia/events" + q("sort", "date"), direct},
			{"newest first too", "/api/v1/events" + q("actor", "russia", "represented", "1"), reversed(through)},
			{"with a role, the representative's", "/api/v1/events" + q("actor", "russia", "represented", "true", "role", "host"),
				[]string{"putin-witkoff-kushner-moscow-meeting"}},
			{"match=all: Russia and the United States, each directly or represented",
				"/api/v1/events" + q("actor", "russia", "actor", "united-states", "match", "all", "represented", "true", "sort", "date"),
				slugsWhere(all, func(e models.Event) bool { return involves(e, russia, true) && involves(e, us, true) })},
			{"match=all without represented: both taking part themselves",
				"/api/v1/events" + q("actor", "russia", "actor", "united-states", "match", "all", "sort", "date"),
				slugsWhere(all, func(e models.Event) bool { return involves(e, russia, false) && involves(e, us, false) })},
			// Putin's one row names both: Putin as participant and Russia as principal.
			{"match=all: one row answers for the representative and the represented",
				"/api/v1/events" + q("actor", "russia", "actor", "vladimir-putin", "match", "all", "represented", "true", "sort", "date"),
				[]string{"putin-trump-anchorage-summit", "putin-witkoff-kushner-moscow-meeting"}},
			{"match=all: Russia represented with Trump present",
				"/api/v1/events" + q("actor", "russia", "actor", "donald-trump", "match", "all", "represented", "true"),
				[]string{"putin-trump-anchorage-summit"}},
			{"match=any of several, represented",
				"/api/v1/events" + q("actor", "russia", "actor", "ukraine", "represented", "true", "sort", "date"),
				slugsWhere(all, func(e models.Event) bool {
					return involves(e, russia, true) || involves(e, actorID(t, c, "ukraine"), true)
				})},
			{"represented changes nothing for Putin, whom no one represents",
				"/api/v1/events" + q("actor", "vladimir-putin", "represented", "true", "sort", "date"),
				slugsWhere(all, func(e models.Event) bool { return involves(e, putin, false) })},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if got := list(tc.path); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}

		t.Run("paged, each event once", func(t *testing.T) {
			var got []string
			path := "/api/v1/events" + q("actor", "russia", "represented", "true", "sort", "date", "limit", "2")
			for range 10 {
				var l handlers.List[models.Event]
				c.get(path).want(t, 200, &l)
				got = append(got, slugs(l)...)
				if l.NextCursor == "" {
					break
				}
				path = "/api/v1/events" + q("actor", "russia", "represented", "true", "sort", "date", "limit", "2", "cursor", l.NextCursor)
			}
			if !slices.Equal(got, through) {
				t.Errorf("pages %v, want %v", got, through)
			}
		})

		t.Run("timeline and export take it", func(t *testing.T) {
			var tl handlers.List[models.Event]
			c.get("/api/v1/timeline"+q("actor", "russia", "represented", "true")).want(t, 200, &tl)
			if got := slugs(tl); !slices.Equal(got, through) {
				t.Errorf("timeline: %v, want %v", got, through)
			}
			r := c.get("/api/v1/export" + q("format", "ndjson", "actor", "russia", "represented", "true"))
			r.want(t, 200, nil)
			var exported []string
			sc := bufio.NewScanner(bytes.NewReader(r.Body))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var e models.Event
				if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
					t.Fatalf("ndjson line: %v", err)
				}
				exported = append(exported, e.Slug)
			}
			slices.Sort(exported)
			want := slices.Sorted(slices.Values(through))
			if !slices.Equal(exported, want) {
				t.Errorf("export: %v, want %v", exported, want)
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "represented") {
				t.Errorf("the download's name does not say represented: %q", cd)
			}
		})
	})
}

// TestRepresentedWithEveryFilter runs every /events filter with actor=…&represented=true
// and checks the answer is the filter's answer restricted to the events where the actor
// took part or was represented (in the filter's role, when it is one): a filter the
// represented path dropped would show here.
func TestRepresentedWithEveryFilter(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		nonEmpty := 0
		for _, actor := range []string{"russia", "united-states", "ukraine"} {
			id := actorID(t, c, actor)
			for _, queries := range oneActorFilters {
				for _, query := range queries {
					var all handlers.List[models.Event]
					c.get("/api/v1/events?limit=500&include=participants&"+query).want(t, 200, &all)
					var want []string
					for _, e := range all.Items {
						if slices.ContainsFunc(e.Participants, func(p models.Participant) bool {
							matches := p.Actor.ID == id || (p.Represents != nil && p.Represents.ID == id)
							return matches && (!strings.HasPrefix(query, "role=") || "role="+string(p.Role) == query)
						}) {
							want = append(want, e.Slug)
						}
					}
					var got handlers.List[models.Event]
					c.get("/api/v1/events?limit=500&represented=true&actor="+actor+"&"+query).want(t, 200, &got)
					if !slices.Equal(slugs(got), want) {
						t.Errorf("actor=%s&represented=true&%s: %v, want %v", actor, query, slugs(got), want)
					}
					if len(want) > 0 {
						nonEmpty++
					}
				}
			}
		}
		if nonEmpty < 20 {
			t.Errorf("only %d filter × actor cases select anything; the cases no longer fit the dataset", nonEmpty)
		}
	})
}

func reversed(xs []string) []string {
	out := slices.Clone(xs)
	slices.Reverse(out)
	return out
}

// TestRepresentedBadValues refuses a represented that is not a boolean on every
// endpoint that takes it, naming the parameter, and writes nothing.
func TestRepresentedBadValues(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		before := c.fingerprint()
		for _, path := range []string{
			"/api/v1/events?actor=russia",
			"/api/v1/actors/russia/events?",
			"/api/v1/actors/russia/network?",
			"/api/v1/stats/events?interval=month&actor=russia",
			"/api/v1/graph?actor=russia",
			"/api/v1/timeline?actor=russia",
			"/api/v1/export?format=ndjson&actor=russia",
		} {
			for _, bad := range []string{"maybe", "yes", "2"} {
				url := path + "&represented=" + bad
				p := c.get(url).problem(t, 400)
				if !hasField(p, "represented") {
					t.Errorf("%s: the problem does not name represented: %+v", url, p.Errors)
				}
			}
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("a refused read changed the database: %v -> %v", before, after)
		}
	})
}

// TestRepresentedCounts checks that stats, network and graph with represented=true
// equal a count from the events themselves (the roll-ups, which know only direct
// participation, must not answer them).
func TestRepresentedCounts(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		all := seedEvents(t, c)
		russia := actorID(t, c, "russia")
		var mine []models.Event
		for _, e := range all {
			if involves(e, russia, true) {
				mine = append(mine, e)
			}
		}

		t.Run("stats", func(t *testing.T) {
			for _, interval := range []string{"month", "year", "day"} {
				var st store.Stats
				c.get("/api/v1/stats/events"+q("interval", interval, "actor", "russia", "represented", "true", "group_by", "type")).want(t, 200, &st)
				if st.Total != int64(len(mine)) {
					t.Errorf("%s: total %d, want %d", interval, st.Total, len(mine))
				}
				want := map[string]int64{}
				wantType := map[string]map[string]int64{}
				for _, e := range mine {
					k := bucketOf(e.Date.Start, interval)
					want[k]++
					if wantType[k] == nil {
						wantType[k] = map[string]int64{}
					}
					wantType[k][string(e.Type)]++
				}
				got := map[string]int64{}
				for _, b := range st.Buckets {
					if b.Count > 0 {
						got[b.Start] = b.Count
						if !maps.Equal(b.Groups, wantType[b.Start]) {
							t.Errorf("%s %s: types %v, want %v", interval, b.Start, b.Groups, wantType[b.Start])
						}
					}
				}
				if !maps.Equal(got, want) {
					t.Errorf("%s: buckets %v, want %v", interval, got, want)
				}
			}
			var direct store.Stats
			c.get("/api/v1/stats/events"+q("interval", "month", "actor", "russia")).want(t, 200, &direct)
			if n := countWhere(all, func(e models.Event) bool { return involves(e, russia, false) }); direct.Total != n || n == int64(len(mine)) {
				t.Errorf("direct stats total %d, want %d (and fewer than %d)", direct.Total, n, len(mine))
			}
		})

		t.Run("network", func(t *testing.T) {
			type share struct {
				n           int64
				first, last time.Time
			}
			want := map[models.ID]share{}
			for _, e := range mine {
				seen := map[models.ID]bool{}
				for _, p := range e.Participants {
					if id := p.Actor.ID; id != russia && !seen[id] {
						seen[id] = true
						s := want[id]
						if s.n == 0 || e.Date.Start.Before(s.first) {
							s.first = e.Date.Start
						}
						if s.n == 0 || e.Date.Start.After(s.last) {
							s.last = e.Date.Start
						}
						s.n++
						want[id] = s
					}
				}
			}
			var n store.Network
			c.get("/api/v1/actors/russia/network"+q("represented", "true")).want(t, 200, &n)
			got := map[models.ID]share{}
			for _, co := range n.CoParticipants {
				got[co.Actor.ID] = share{co.SharedEvents, co.FirstShared.UTC(), co.LastShared.UTC()}
			}
			for id, s := range want {
				w := got[id]
				if w.n != s.n || !w.first.Equal(s.first) || !w.last.Equal(s.last) {
					t.Errorf("co-participant %s: got %+v, want %+v", id, w, s)
				}
			}
			if len(got) != len(want) || n.Total != int64(len(want)) {
				t.Errorf("%d co-participants (total %d), want %d", len(got), n.Total, len(want))
			}
			if _, ok := got[actorID(t, c, "vladimir-putin")]; !ok {
				t.Error("Putin, who represented Russia, is not among its co-participants")
			}
			var direct store.Network
			c.get("/api/v1/actors/russia/network").want(t, 200, &direct)
			for _, co := range direct.CoParticipants {
				if co.Actor.Slug == "vladimir-putin" {
					t.Error("Putin is a direct co-participant of Russia; the seed has Russia only through him")
				}
			}
		})

		t.Run("graph", func(t *testing.T) {
			type pair struct{ a, b string }
			want := map[pair]int64{}
			nodes := map[string]int64{}
			for _, e := range mine {
				ids := map[string]bool{}
				for _, p := range e.Participants {
					ids[p.Actor.ID.String()] = true
				}
				sorted := slices.Sorted(maps.Keys(ids))
				for i, a := range sorted {
					nodes[a]++
					for _, b := range sorted[i+1:] {
						want[pair{a, b}]++
					}
				}
			}
			var g formats.D3Graph
			c.get("/api/v1/graph"+q("actor", "russia", "represented", "true")).want(t, 200, &g)
			got := map[pair]int64{}
			for _, l := range g.Links {
				a, b := l.Source, l.Target
				if b < a {
					a, b = b, a
				}
				got[pair{a, b}] = l.Value
			}
			if !maps.Equal(got, want) {
				t.Errorf("edges %v, want %v", got, want)
			}
			gotNodes := map[string]int64{}
			for _, nd := range g.Nodes {
				gotNodes[nd.ID.String()] = nd.Events
			}
			if !maps.Equal(gotNodes, nodes) {
				t.Errorf("nodes %v, want %v", gotNodes, nodes)
			}
		})
	})
}

func countWhere(es []models.Event, keep func(models.Event) bool) int64 {
	return int64(len(slugsWhere(es, keep)))
}

// bucketOf is the first day of the interval t starts in (UTC), as the stats name it.
func bucketOf(t time.Time, interval string) string {
	t = t.UTC()
	switch interval {
	case "year":
		return t.Format("2006") + "-01-01"
	case "month":
		return t.Format("2006-01") + "-01"
	}
	return t.Format("2006-01-02")
}
