package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// propertySeed is the seed of the random tests: PARLEY_TEST_SEED when set, so that a
// failure reproduces, else the clock. Tests log it.
func propertySeed(t *testing.T) uint64 {
	t.Helper()
	if v := os.Getenv("PARLEY_TEST_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("PARLEY_TEST_SEED=%q: %v", v, err)
		}
		return n
	}
	return uint64(time.Now().UnixNano())
}

// TestBundleRoundTripProperty writes random reference graphs through the store (actors
// in affiliation trees that writes then rearrange, events in series likewise, relations
// in random directions and both ways, participants who represent others, statements),
// checking each rearrangement against a model: a move that would close a cycle of any
// length is refused and changes nothing, any other is made. The database's bundle must
// then import into an empty database and export again byte for byte: as exported, with
// each kind's lines shuffled (relation records among the events), and with relations
// inline in their events, over windows of a few records.
func TestBundleRoundTripProperty(t *testing.T) {
	// Not parallel: it changes a package setting the other tests read.
	seed := propertySeed(t)
	t.Logf("seed %d (PARLEY_TEST_SEED=%d reproduces it)", seed, seed)
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			// Each round opens four databases, a third of a second each on PostgreSQL.
			rounds := 4
			switch {
			case testing.Short():
				rounds = 1
			case d == store.Postgres:
				rounds = 2
			}
			for round := range rounds {
				rng := rand.New(rand.NewPCG(seed, uint64(round)))
				src := storetest.Open(t, d)
				g := &graph{t: t, s: src, rng: rng, up: map[models.ID]models.ID{}}
				g.build()
				assertForest(t, src)
				want := bundleOf(t, src)

				variants := []struct {
					name   string
					window int
					data   []byte
				}{
					{"as exported", 500, want},
					{"shuffled", 1 + rng.IntN(6), shuffleBundle(t, want, rng, false)},
					{"shuffled, relations inline", 1 + rng.IntN(6), shuffleBundle(t, want, rng, true)},
				}
				for _, v := range variants {
					func() {
						defer store.SetImportWindowForTest(v.window)()
						dst := storetest.Open(t, d)
						rep := importBundle(t, dst, v.data, store.ImportOptions{Atomic: true})
						if !rep.Committed || len(rep.Problems) > 0 {
							t.Fatalf("round %d, %s (window %d): committed=%v %+v", round, v.name, v.window, rep.Committed, rep.Problems)
						}
						sameBundle(t, fmt.Sprintf("round %d, %s (window %d)", round, v.name, v.window), bundleOf(t, dst), want)
						if v.name == "as exported" {
							// And again over itself: nothing to do.
							rep = importBundle(t, dst, want, store.ImportOptions{Atomic: true})
							for kind, c := range rep.Counts {
								if c.Created+c.Updated+c.Rejected > 0 {
									t.Fatalf("round %d: importing the bundle again changed %s: %+v", round, kind, c)
								}
							}
						}
					}()
				}
			}
		})
	}
}

// graph writes a random reference graph through the store and keeps the model of its
// hierarchies: up maps an actor to its affiliation and an event to its parent.
type graph struct {
	t       *testing.T
	s       *store.Store
	rng     *rand.Rand
	actors  []*models.Actor
	events  []*models.Event
	locs    []*models.Location
	sources []*models.Source
	up      map[models.ID]models.ID
}

func (g *graph) build() {
	t, s, rng := g.t, g.s, g.rng
	for i := range rng.IntN(3) {
		l := &models.Location{Name: fmt.Sprintf("Place %d", i)}
		must(t, s.CreateLocation(bg, l))
		g.locs = append(g.locs, l)
	}
	for i := range 1 + rng.IntN(3) {
		src := &models.Source{Outlet: fmt.Sprintf("Outlet %d", i), Published: models.MustParseDate("2026-01"), Language: "en"}
		must(t, s.CreateSource(bg, src))
		g.sources = append(g.sources, src)
	}
	for i := range 3 + rng.IntN(10) {
		a := newActor(fmt.Sprintf("Actor %d", i), models.ActorKinds[rng.IntN(len(models.ActorKinds))], "")
		if i > 0 && rng.IntN(5) < 3 {
			a.Affiliation = refOf(g.actors[rng.IntN(i)].ID)
		}
		must(t, s.CreateActor(bg, a))
		if a.Affiliation != nil {
			g.up[a.ID] = a.Affiliation.ID
		}
		g.actors = append(g.actors, a)
	}
	for range len(g.actors) {
		x, y := g.actors[rng.IntN(len(g.actors))], g.actors[rng.IntN(len(g.actors))]
		if x == y {
			continue
		}
		g.move(x.ID, y.ID, "affiliation_id", func(to *models.Ref) error {
			a, err := s.GetActor(bg, x.ID.String())
			must(t, err)
			a.Affiliation = to
			return s.ReplaceActor(bg, x.ID.String(), a, 0)
		})
	}
	// Positions and relations naming random other actors, refused (422) only when they
	// would close a cycle or repeat a relation: the bundle lists every actor after those
	// it names, and a shuffled one makes lines wait for later ones.
	for range len(g.actors) {
		x, y := g.actors[rng.IntN(len(g.actors))], g.actors[rng.IntN(len(g.actors))]
		if x == y {
			continue
		}
		a, err := s.GetActor(bg, x.ID.String())
		must(t, err)
		if rng.IntN(2) == 0 {
			a.Positions = append(a.Positions, models.Position{Title: "Office", Organization: refOf(y.ID), Start: models.MustParseDate("2020-03?")})
		} else {
			a.Relations = append(a.Relations, models.ActorRelation{Type: models.ActorRelationTypes[rng.IntN(len(models.ActorRelationTypes))], Related: models.Ref{ID: y.ID}})
		}
		if err := s.ReplaceActor(bg, x.ID.String(), a, 0); err != nil && models.ErrorCodeOf(err) != models.EUNPROCESSABLE {
			t.Fatal(err)
		}
	}
	dates := []string{"2025", "2025-06", "2025-06-12", "2026-01?", "2026-01-23", "2026-02~"}
	for i := range 3 + rng.IntN(10) {
		e := newEvent(fmt.Sprintf("Event %d", i), dates[rng.IntN(len(dates))])
		e.Status = models.EventStatuses[rng.IntN(len(models.EventStatuses))]
		if len(g.locs) > 0 && rng.IntN(2) == 0 {
			e.Location = refOf(g.locs[rng.IntN(len(g.locs))].ID)
		}
		if i > 0 && rng.IntN(2) == 0 {
			e.Parent = refOf(g.events[rng.IntN(i)].ID)
		}
		e.Participants = g.participants()
		for _, k := range rng.Perm(len(g.sources))[:rng.IntN(len(g.sources)+1)] {
			e.Sources = append(e.Sources, refOf(g.sources[k].ID))
		}
		e.Tags = []string{"talks", "ceasefire", "trade"}[:rng.IntN(4)]
		if i > 0 {
			for _, k := range rng.Perm(i)[:rng.IntN(min(i, 2)+1)] {
				e.Relations = append(e.Relations, models.Relation{Type: models.RelationTypes[rng.IntN(len(models.RelationTypes))], Related: models.Ref{ID: g.events[k].ID}})
			}
		}
		must(t, s.CreateEvent(bg, e))
		if e.Parent != nil {
			g.up[e.ID] = e.Parent.ID
		}
		g.events = append(g.events, e)
	}
	for range len(g.events) {
		x, y := g.events[rng.IntN(len(g.events))], g.events[rng.IntN(len(g.events))]
		if x == y {
			continue
		}
		g.move(x.ID, y.ID, "parent_id", func(to *models.Ref) error {
			e, err := s.GetEvent(bg, x.ID.String(), store.Include{})
			must(t, err)
			e.Parent = to
			return s.ReplaceEvent(bg, x.ID.String(), e, 0)
		})
		// Relations in random directions, half of them both ways.
		g.relate(x, y)
		if rng.IntN(2) == 0 {
			g.relate(y, x)
		}
	}
	for i := range rng.IntN(7) {
		st := newStatement(g.actors[rng.IntN(len(g.actors))], fmt.Sprintf("Statement %d.", i), dates[rng.IntN(len(dates))])
		st.Quote = rng.IntN(2) == 0
		if rng.IntN(3) > 0 {
			st.Event = refOf(g.events[rng.IntN(len(g.events))].ID)
		}
		if len(g.sources) > 0 && rng.IntN(2) == 0 {
			st.Sources = []*models.Ref{refOf(g.sources[rng.IntN(len(g.sources))].ID)}
		}
		must(t, s.CreateStatement(bg, st))
	}
}

// move puts x under y (or, one time in four, under nothing) with write, and checks the
// outcome against the model: refused, with the database unchanged, exactly when y is x
// or below it.
func (g *graph) move(x, y models.ID, field string, write func(*models.Ref) error) {
	t := g.t
	if g.rng.IntN(4) == 0 {
		must(t, write(nil))
		delete(g.up, x)
		return
	}
	cycle := false
	for cur, ok := y, true; ok; cur, ok = g.up[cur] {
		if cur == x {
			cycle = true
			break
		}
	}
	if cycle {
		wantCycleRefused(t, g.s, field, func() error { return write(refOf(y)) })
		return
	}
	must(t, write(refOf(y)))
	g.up[x] = y
}

// relate adds a relation of a random type from x to y unless x has it.
func (g *graph) relate(x, y *models.Event) {
	e, err := g.s.GetEvent(bg, x.ID.String(), store.Include{})
	must(g.t, err)
	r := models.Relation{Type: models.RelationTypes[g.rng.IntN(len(models.RelationTypes))], Related: models.Ref{ID: y.ID}}
	if slices.ContainsFunc(e.Relations, func(o models.Relation) bool { return o.Type == r.Type && o.Related.ID == y.ID }) {
		return
	}
	e.Relations = append(e.Relations, r)
	must(g.t, g.s.ReplaceEvent(bg, x.ID.String(), e, 0))
}

// participants picks up to three actors with roles; some represent an actor outside
// the event or one listed before them, so that representation never loops.
func (g *graph) participants() []models.Participant {
	var ps []models.Participant
	picked := g.rng.Perm(len(g.actors))[:g.rng.IntN(min(len(g.actors), 3)+1)]
	in := map[models.ID]bool{}
	for _, k := range picked {
		in[g.actors[k].ID] = true
	}
	for _, k := range picked {
		a := g.actors[k]
		p := models.Participant{Actor: models.Ref{ID: a.ID}, Role: models.Roles[g.rng.IntN(len(models.Roles))]}
		if g.rng.IntN(3) == 0 {
			var choices []models.ID
			for _, b := range g.actors {
				if !in[b.ID] {
					choices = append(choices, b.ID)
				}
			}
			for _, q := range ps {
				choices = append(choices, q.Actor.ID)
			}
			if len(choices) > 0 {
				p.Represents = refOf(choices[g.rng.IntN(len(choices))])
			}
		}
		ps = append(ps, p)
	}
	return ps
}

// shuffleBundle shuffles each kind's lines of bundle, relation records among the
// events; with inline, relations go into their events' lines instead.
func shuffleBundle(t *testing.T, bundle []byte, rng *rand.Rand, inline bool) []byte {
	t.Helper()
	byKind := map[string][]bundleLine{}
	for _, l := range strings.Split(strings.TrimSpace(string(bundle)), "\n") {
		var r bundleLine
		must(t, json.Unmarshal([]byte(l), &r))
		kind := r.Type
		if kind == "relation" {
			kind = "event"
		}
		byKind[kind] = append(byKind[kind], r)
	}
	if inline {
		byKind["event"] = inlineRelations(t, byKind["event"])
	}
	var out bytes.Buffer
	for _, kind := range []string{"actor", "location", "source", "event", "statement"} {
		rs := byKind[kind]
		rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		for _, r := range rs {
			b, err := json.Marshal(r)
			must(t, err)
			out.Write(append(b, '\n'))
		}
	}
	return out.Bytes()
}
