package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// ---- bundle helpers ---------------------------------------------------------------

// bundleOf is the database's bundle, as GET /export?format=bundle writes it.
func bundleOf(t *testing.T, s *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := formats.NewBundleWriter(&buf)
	must(t, s.StreamBundle(bg, w.Write))
	must(t, w.Flush())
	return buf.Bytes()
}

// importBundle imports bundle lines as POST /import does.
func importBundle(t *testing.T, s *store.Store, data []byte, opt store.ImportOptions) *store.ImportReport {
	t.Helper()
	rd := formats.NewBundleReader(bytes.NewReader(data))
	rep, err := s.Import(bg, func() (store.ImportRecord, error) {
		r, err := rd.Next()
		if err != nil {
			return store.ImportRecord{}, err
		}
		return store.ImportRecord{Line: r.Line, Kind: r.Type, Entity: r.Entity, Stated: r.Stated, Err: r.Err}, nil
	}, opt)
	must(t, err)
	return rep
}

// sameBundle fails with the first differing line unless got equals want.
func sameBundle(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s: the bundles differ first at line %d (%d and %d lines):\n got  %s\n want %s", what, i+1, len(g), len(w), gl, wl)
		}
	}
}

// problemLines lists the lines a report refused.
func problemLines(rep *store.ImportReport) []int {
	var out []int
	for _, p := range rep.Problems {
		out = append(out, p.Line)
	}
	return out
}

// line is one hand-written bundle line.
func line(kind string, data any) string {
	b, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf(`{"type":%q,"data":%s}`, kind, b)
}

// ---- write time -------------------------------------------------------------------

// wantCycleRefused checks that write is a 422 naming field with a message about a
// cycle, and that the database is exactly as it was.
func wantCycleRefused(t *testing.T, s *store.Store, field string, write func() error) {
	t.Helper()
	before, fp := bundleOf(t, s), fingerprint(t, s)
	err := write()
	wantErr(t, err, models.EUNPROCESSABLE)
	var me *models.Error
	if !errors.As(err, &me) || !slices.ContainsFunc(me.Fields, func(f models.FieldError) bool {
		return f.Field == field && (strings.Contains(f.Message, "ancestor") || strings.Contains(f.Message, "represent itself"))
	}) {
		t.Fatalf("got %v, want a cycle refusal on %s", err, field)
	}
	sameBundle(t, "after a refused write", bundleOf(t, s), before)
	if after := fingerprint(t, s); !maps.Equal(fp, after) {
		t.Fatalf("a refused write changed the database: %v -> %v", fp, after)
	}
}

// TestCyclesRefusedAtWriteTime: affiliations and parents stay trees whatever the length
// of the cycle a write would close, and representation inside an event never loops;
// relations, which are no hierarchy, may point both ways.
func TestCyclesRefusedAtWriteTime(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := mkActor(t, s, "A", models.ActorState, "")
		b := mkActor(t, s, "B", models.ActorOrganization, "")
		b.Affiliation = refOf(a.ID)
		must(t, s.ReplaceActor(bg, b.Slug, b, 0))
		c := newActor("C", models.ActorPerson, "")
		c.Affiliation = refOf(b.ID)
		must(t, s.CreateActor(bg, c))
		for _, target := range []*models.Actor{b, c} { // cycles of length 2 and 3
			t.Run("affiliation through "+target.Name, func(t *testing.T) {
				wantCycleRefused(t, s, "affiliation_id", func() error {
					x := newActor("A", models.ActorState, "")
					x.Affiliation = models.RefBySlug(target.Slug)
					return s.ReplaceActor(bg, a.ID.String(), x, 0)
				})
			})
		}

		p := mkEvent(t, s, newEvent("P", "2026"))
		q := newEvent("Q", "2026-01")
		q.Parent = refOf(p.ID)
		mkEvent(t, s, q)
		r := newEvent("R", "2026-01-23")
		r.Parent = models.RefBySlug(q.Slug)
		mkEvent(t, s, r)
		for _, target := range []*models.Event{q, r} {
			t.Run("parent through "+target.Title, func(t *testing.T) {
				wantCycleRefused(t, s, "parent_id", func() error {
					x := newEvent("P", "2026")
					x.Parent = refOf(target.ID)
					return s.ReplaceEvent(bg, p.Slug, x, 0)
				})
			})
		}

		for n := 2; n <= 3; n++ {
			t.Run(fmt.Sprintf("representation loop of %d", n), func(t *testing.T) {
				who := []*models.Actor{a, b, c}[:n]
				e := newEvent("Loop", "2026-02")
				for i, x := range who {
					e.Participants = append(e.Participants, models.Participant{Actor: models.Ref{ID: x.ID}, Role: models.RoleParticipant,
						Represents: refOf(who[(i+1)%n].ID)})
				}
				wantCycleRefused(t, s, "participants[0].represents_id", func() error { return s.CreateEvent(bg, e) })
				wantCycleRefused(t, s, "participants[0].represents_id", func() error {
					e.ID, e.Slug = models.ID{}, ""
					return s.ReplaceEvent(bg, r.Slug, e, 0)
				})
			})
		}

		// What is no cycle still works: a chain of representation, moving a subtree
		// under a node outside it, and relations both ways.
		chain := newEvent("Chain", "2026-03")
		chain.Participants = []models.Participant{
			{Actor: models.Ref{ID: c.ID}, Role: models.RoleEnvoy, Represents: refOf(b.ID)},
			{Actor: models.Ref{ID: b.ID}, Role: models.RoleDelegation, Represents: refOf(a.ID)},
		}
		mkEvent(t, s, chain)
		d := mkActor(t, s, "D", models.ActorState, "")
		b.Affiliation = refOf(d.ID)
		must(t, s.ReplaceActor(bg, b.Slug, b, 0))
		x := newEvent("P", "2026")
		x.Parent = refOf(chain.ID)
		must(t, s.ReplaceEvent(bg, p.Slug, x, 0))
		q.Relations = []models.Relation{{Type: models.RelationPrecedes, Related: models.Ref{ID: r.ID}}}
		must(t, s.ReplaceEvent(bg, q.Slug, q, 0))
		r.Relations = []models.Relation{{Type: models.RelationFollows, Related: models.Ref{ID: q.ID}}, {Type: models.RelationPartOf, Related: models.Ref{ID: q.ID}}}
		must(t, s.ReplaceEvent(bg, r.Slug, r, 0))
		q.Relations = append(q.Relations, models.Relation{Type: models.RelationPartOf, Related: models.Ref{ID: r.ID}})
		must(t, s.ReplaceEvent(bg, q.Slug, q, 0))
	})
}

// TestConcurrentCrossWritesMakeNoCycle: two writes that each close a cycle only with
// the other, started at once, never both commit. On PostgreSQL one waits for the other
// and is refused, or the two deadlock and one fails; either way no cycle is stored.
// Most trials are of length 3, which only the locks of the walk protect (for length 2
// the foreign key checks deadlock too). Trials run side by side: each deadlock costs
// PostgreSQL's deadlock_timeout (a second) of waiting.
func TestConcurrentCrossWritesMakeNoCycle(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: many concurrent trials")
	}
	s := storetest.Open(t, store.Postgres)
	const trials = 16
	writes := make([][2][2]*models.Actor, trials)
	for i := range trials {
		// Length 2: A under B and B under A. Length 3, with B under A already: A under C
		// and C under B.
		a := mkActor(t, s, fmt.Sprintf("A%d", i), models.ActorState, "")
		b := mkActor(t, s, fmt.Sprintf("B%d", i), models.ActorState, "")
		c := mkActor(t, s, fmt.Sprintf("C%d", i), models.ActorState, "")
		writes[i] = [2][2]*models.Actor{{a, b}, {b, a}}
		if i%4 != 0 {
			b.Affiliation = refOf(a.ID)
			must(t, s.ReplaceActor(bg, b.Slug, b, 0))
			writes[i] = [2][2]*models.Actor{{a, c}, {c, b}}
		}
	}
	errs := make([][2]error, trials)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range trials {
		for j, w := range writes[i] {
			x := newActor(w[0].Name, models.ActorState, "")
			x.Affiliation = refOf(w[1].ID)
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i][j] = s.ReplaceActor(bg, w[0].ID.String(), x, 0)
			}()
		}
	}
	close(start)
	wg.Wait()
	for i, e := range errs {
		if e[0] == nil && e[1] == nil {
			t.Errorf("trial %d: both cross writes committed: a cycle is stored", i)
		}
		for _, err := range e {
			if err != nil {
				t.Logf("trial %d: %v (%s)", i, err, models.ErrorCodeOf(err))
			}
		}
	}
	assertForest(t, s)
}

// assertForest fails if any actor is its own affiliation ancestor or any event its own
// ancestor, reading the stored rows.
func assertForest(t *testing.T, s *store.Store) {
	t.Helper()
	bundle := bundleOf(t, s)
	parent := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(bundle)), "\n") {
		if l == "" {
			continue
		}
		var rec struct {
			Type string
			Data struct {
				ID          string `json:"id"`
				Affiliation string `json:"affiliation_id"`
				Parent      string `json:"parent_id"`
			}
		}
		must(t, json.Unmarshal([]byte(l), &rec))
		if up := rec.Data.Affiliation + rec.Data.Parent; up != "" {
			parent[rec.Data.ID] = up
		}
	}
	for id := range parent {
		seen := map[string]bool{}
		for cur, ok := id, true; ok; cur, ok = parent[cur] {
			if seen[cur] {
				t.Fatalf("%s is its own ancestor: a cycle is stored", id)
			}
			seen[cur] = true
		}
	}
}

// ---- imports ----------------------------------------------------------------------

// TestImportRefusesCycles: a bundle whose affiliations or parents make a cycle (which a
// database that refuses them never exports, but a hand-written bundle may hold) is
// refused line by line: atomic, nothing is written; otherwise everything but the cycle
// and what names it is kept, and the report names the cycle's lines.
func TestImportRefusesCycles(t *testing.T) {
	t.Parallel()
	ids := func(n int) []models.ID {
		out := make([]models.ID, n)
		for i := range out {
			out[i] = models.NewID()
		}
		return out
	}
	actor := func(id models.ID, name string, aff *models.ID) string {
		d := map[string]any{"id": id, "name": name, "kind": "state", "slug": strings.ToLower(name) + "-" + id.String()[:8]}
		if aff != nil {
			d["affiliation_id"] = *aff
		}
		return line("actor", d)
	}
	event := func(id models.ID, title string, parent *models.ID) string {
		d := map[string]any{"id": id, "title": title, "type": "meeting", "status": "held", "date": "2026-01-23"}
		if parent != nil {
			d["parent_id"] = *parent
		}
		return line("event", d)
	}
	statement := func(speaker models.ID) string {
		return line("statement", map[string]any{"text": "We agreed.", "speaker_id": speaker, "date": "2026-01-23"})
	}
	a, e, a2, e2 := ids(4), ids(4), ids(4), ids(4)
	cases := []struct {
		name    string
		lines   []string
		refused []int
		kept    map[string]int64
	}{
		{"affiliation cycle of 2", []string{
			actor(a[0], "A", &a[1]), actor(a[1], "B", &a[0]), actor(a[2], "C", nil), statement(a[2]), statement(a[0]),
		}, []int{1, 2, 5}, map[string]int64{"actors": 1, "statements": 1}},
		{"affiliation cycle of 3 behind a chain", []string{
			actor(a2[3], "D", &a2[0]), actor(a2[0], "A", &a2[1]), actor(a2[1], "B", &a2[2]), actor(a2[2], "C", &a2[0]),
		}, []int{1, 2, 3, 4}, map[string]int64{"actors": 0}},
		{"parent cycle of 2", []string{
			event(e[0], "P", &e[1]), event(e[1], "Q", &e[0]), event(e[2], "R", nil),
		}, []int{1, 2}, map[string]int64{"events": 1}},
		{"parent cycle of 3", []string{
			event(e2[2], "R", &e2[0]), event(e2[0], "P", &e2[1]), event(e2[1], "Q", &e2[2]), event(e2[3], "S", &e2[1]),
		}, []int{1, 2, 3, 4}, map[string]int64{"events": 0}},
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				data := []byte(strings.Join(tc.lines, "\n") + "\n")
				before := fingerprint(t, s)
				rep := importBundle(t, s, data, store.ImportOptions{Atomic: true})
				if rep.Committed || !slices.Equal(problemLines(rep), tc.refused) {
					t.Fatalf("atomic: committed=%v, refused lines %v, want %v: %+v", rep.Committed, problemLines(rep), tc.refused, rep.Problems)
				}
				cycleSeen := false
				for _, p := range rep.Problems {
					for _, f := range p.Errors {
						if (f.Field == "affiliation_id" || f.Field == "parent_id") && strings.Contains(f.Message, "ancestor") {
							cycleSeen = true
						}
					}
				}
				if !cycleSeen {
					t.Fatalf("no line names the cycle: %+v", rep.Problems)
				}
				if after := fingerprint(t, s); !maps.Equal(before, after) {
					t.Fatalf("a refused atomic import changed the database: %v -> %v", before, after)
				}

				rep = importBundle(t, s, data, store.ImportOptions{})
				if !rep.Committed || !slices.Equal(problemLines(rep), tc.refused) {
					t.Fatalf("non-atomic: committed=%v, refused lines %v, want %v: %+v", rep.Committed, problemLines(rep), tc.refused, rep.Problems)
				}
				after := fingerprint(t, s)
				for table, n := range tc.kept {
					if after[table]-before[table] != n {
						t.Errorf("%s: %d kept, want %d", table, after[table]-before[table], n)
					}
				}
				assertForest(t, s)
			})
		}

		t.Run("an update that closes a cycle with stored rows", func(t *testing.T) {
			x := mkActor(t, s, "X", models.ActorState, "")
			y := newActor("Y", models.ActorState, "")
			y.Affiliation = refOf(x.ID)
			must(t, s.CreateActor(bg, y))
			before := bundleOf(t, s)
			data := []byte(line("actor", map[string]any{"id": x.ID, "name": "X", "kind": "state", "slug": x.Slug, "affiliation_id": y.ID}) + "\n")
			rep := importBundle(t, s, data, store.ImportOptions{})
			if len(rep.Problems) != 1 || len(rep.Problems[0].Errors) != 1 || rep.Problems[0].Errors[0].Field != "affiliation_id" {
				t.Fatalf("problems %+v, want the affiliation refused", rep.Problems)
			}
			sameBundle(t, "after a refused line", bundleOf(t, s), before)
		})
	})
}

// reorder returns the bundle with each kind's lines in reverse (children before their
// parents) and, when inline is set, relations moved into their events' lines, between
// which they then point both forwards and backwards.
func reorder(t *testing.T, bundle []byte, inline bool) []byte {
	t.Helper()
	var recs []bundleLine
	for _, l := range strings.Split(strings.TrimSpace(string(bundle)), "\n") {
		var r bundleLine
		must(t, json.Unmarshal([]byte(l), &r))
		recs = append(recs, r)
	}
	byKind := map[string][]bundleLine{}
	for _, r := range recs {
		byKind[r.Type] = append(byKind[r.Type], r)
	}
	if inline {
		byKind["event"] = inlineRelations(t, append(byKind["event"], byKind["relation"]...))
		delete(byKind, "relation")
	}
	var out bytes.Buffer
	for _, kind := range []string{"actor", "location", "source", "event", "relation", "statement"} {
		rs := byKind[kind]
		slices.Reverse(rs)
		for _, r := range rs {
			b, err := json.Marshal(r)
			must(t, err)
			out.Write(append(b, '\n'))
		}
	}
	return out.Bytes()
}

// TestImportForwardReferences: records that name records of their own kind on later
// lines (children before parents, relations in both directions, inline or as records
// before their events) import, within a window and across windows, to the database the
// bundle came from.
func TestImportForwardReferences(t *testing.T) {
	// Not parallel: it changes a package setting the other tests read.
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var actors []*models.Actor
		for i := range 5 {
			a := newActor(fmt.Sprintf("Actor %d", i), models.ActorState, "")
			if i > 0 {
				a.Affiliation = refOf(actors[i-1].ID)
			}
			must(t, s.CreateActor(bg, a))
			actors = append(actors, a)
		}
		var events []*models.Event
		for i := range 5 {
			e := newEvent(fmt.Sprintf("Round %d", i), fmt.Sprintf("2026-01-%02d", i+1))
			if i > 0 {
				e.Parent = refOf(events[i-1].ID)
				e.Relations = []models.Relation{{Type: models.RelationFollows, Related: models.Ref{ID: events[i-1].ID}}}
			}
			e.Participants = []models.Participant{{Actor: models.Ref{ID: actors[i].ID}, Role: models.RoleHost}}
			must(t, s.CreateEvent(bg, e))
			events = append(events, e)
		}
		for i := range 4 { // the other direction: every pair relates both ways
			e := events[i]
			e.Relations = append(e.Relations, models.Relation{Type: models.RelationPrecedes, Related: models.Ref{ID: events[i+1].ID}})
			must(t, s.ReplaceEvent(bg, e.Slug, e, 0))
		}
		must(t, s.CreateStatement(bg, newStatement(actors[4], "Said.", "2026-01-05")))
		want := bundleOf(t, s)

		for _, window := range []int{500, 2} {
			for _, inline := range []bool{false, true} {
				t.Run(fmt.Sprintf("window %d, inline relations %v", window, inline), func(t *testing.T) {
					defer store.SetImportWindowForTest(window)()
					dst := storetest.Open(t, s.Dialect())
					rep := importBundle(t, dst, reorder(t, want, inline), store.ImportOptions{Atomic: true})
					if !rep.Committed || len(rep.Problems) > 0 {
						t.Fatalf("import: %+v %+v", rep.Counts, rep.Problems)
					}
					if c := rep.Counts["actor"]; c.Created != 5 {
						t.Errorf("actor counts %+v", c)
					}
					sameBundle(t, "re-export", bundleOf(t, dst), want)
				})
			}
		}
	})
}

// TestImportStatedZeroMeta: a bundle's created_at and updated_at of
// 0001-01-01T00:00:00Z are values, kept and exported again as they were; absent ones
// get the time of the import. A nil id or a version below 1 names no stored state and
// is refused.
func TestImportStatedZeroMeta(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		zero := "0001-01-01T00:00:00Z"
		// The line as an export writes it: the actor's meta is all the zero value but
		// the id.
		var buf bytes.Buffer
		w := formats.NewBundleWriter(&buf)
		must(t, w.Write(models.KindActor.Name, &models.Actor{Meta: models.Meta{ID: models.NewID(), Version: 1}, Slug: "norway", Name: "Norway",
			Kind: models.ActorState, Aliases: models.StringList{}, ExternalIDs: models.StringMap{}}))
		must(t, w.Flush())
		if !strings.Contains(buf.String(), `"created_at":"`+zero+`","updated_at":"`+zero+`"`) {
			t.Fatalf("the line does not state the zero times: %s", buf.String())
		}
		lines := []string{strings.TrimSpace(buf.String()), line("location", map[string]any{"name": "Oslo"})}
		rep := importBundle(t, s, []byte(strings.Join(lines, "\n")+"\n"), store.ImportOptions{Atomic: true})
		if !rep.Committed {
			t.Fatalf("import: %+v", rep.Problems)
		}
		got := strings.Split(strings.TrimSpace(string(bundleOf(t, s))), "\n")
		if got[0] != lines[0] {
			t.Fatalf("the zero times did not round-trip:\n got  %s\n want %s", got[0], lines[0])
		}
		if strings.Contains(got[1], "0001-01-01") {
			t.Fatalf("absent times were stored as the zero time: %s", got[1])
		}

		// An update stating the zero time keeps it too.
		loc := strings.Replace(strings.Replace(got[1], `"name":"Oslo"`, `"name":"Oslo, Norway"`, 1), `"version":1`, `"version":2`, 1)
		var rec struct{ Data map[string]any }
		must(t, json.Unmarshal([]byte(loc), &rec))
		rec.Data["created_at"] = zero
		rep = importBundle(t, s, []byte(line("location", rec.Data)+"\n"), store.ImportOptions{Atomic: true})
		if !rep.Committed || rep.Counts["location"].Updated != 1 {
			t.Fatalf("update: %+v %+v", rep.Counts, rep.Problems)
		}
		l, err := s.GetLocation(bg, "oslo")
		must(t, err)
		if !l.CreatedAt.IsZero() || l.Version != 2 || l.Name != "Oslo, Norway" {
			t.Fatalf("updated location %+v, want the zero created_at, version 2", l)
		}

		before := bundleOf(t, s)
		bad := []string{
			line("actor", map[string]any{"id": "00000000-0000-0000-0000-000000000000", "name": "Nil", "kind": "state"}),
			line("actor", map[string]any{"version": 0, "name": "Zero", "kind": "state"}),
			line("actor", map[string]any{"version": -3, "name": "Negative", "kind": "state"}),
		}
		rep = importBundle(t, s, []byte(strings.Join(bad, "\n")+"\n"), store.ImportOptions{})
		var fields []string
		for _, p := range rep.Problems {
			for _, f := range p.Errors {
				fields = append(fields, f.Field)
			}
		}
		if !slices.Equal(problemLines(rep), []int{1, 2, 3}) || !slices.Equal(fields, []string{"id", "version", "version"}) {
			t.Fatalf("problems %+v, want lines 1-3 refused for id, version, version", rep.Problems)
		}
		sameBundle(t, "after refused lines", bundleOf(t, s), before)
	})
}

// TestParallelSlugOnlyImports: two imports of the same slug-only records (as GDELT's
// are) at once on PostgreSQL: one creates them, the other finds them unchanged, and
// neither refuses a line because the other took its slugs.
func TestParallelSlugOnlyImports(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, store.Postgres)
	const trials, actors, events = 4, 30, 10
	for trial := range trials {
		build := func() ([]string, []any) {
			var kinds []string
			var es []any
			for i := range actors {
				kinds = append(kinds, "actor")
				es = append(es, &models.Actor{Slug: fmt.Sprintf("t%d-actor-%d", trial, i), Name: fmt.Sprintf("Actor %d", i), Kind: models.ActorState})
			}
			for i := range events {
				e := newEvent(fmt.Sprintf("Meeting %d", i), "2026-01-23")
				e.Slug = fmt.Sprintf("t%d-meeting-%d", trial, i)
				e.Participants = []models.Participant{{Actor: models.Ref{Slug: fmt.Sprintf("t%d-actor-%d", trial, i)}, Role: models.RoleHost}}
				kinds, es = append(kinds, "event"), append(es, e)
			}
			return kinds, es
		}
		reps := make([]*store.ImportReport, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 2 {
			kinds, es := build()
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				reps[i], errs[i] = s.Import(bg, records(kinds, es), store.ImportOptions{Atomic: true})
			}()
		}
		close(start)
		wg.Wait()
		for i := range 2 {
			must(t, errs[i])
			if !reps[i].Committed || len(reps[i].Problems) > 0 {
				t.Fatalf("trial %d, import %d: committed=%v %+v", trial, i, reps[i].Committed, reps[i].Problems)
			}
		}
		for kind, n := range map[string]int{"actor": actors, "event": events} {
			a, b := reps[0].Counts[kind], reps[1].Counts[kind]
			if a.Created+b.Created != n || a.Unchanged+b.Unchanged != n || a.Updated+b.Updated != 0 {
				t.Fatalf("trial %d: %s counts %+v and %+v, want %d created by one and found unchanged by the other", trial, kind, a, b, n)
			}
		}
	}
	if got := fingerprint(t, s)["actors"]; got != trials*actors {
		t.Fatalf("%d actors stored, want %d", got, trials*actors)
	}
}

// bundleLine is one record of a bundle, as the tests rearrange them.
type bundleLine struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// inlineRelations moves the relation records among lines into the events they start
// from, as those events' relations, and returns the other lines in their order.
func inlineRelations(t *testing.T, lines []bundleLine) []bundleLine {
	t.Helper()
	rels := map[string][]map[string]string{}
	var out []bundleLine
	for _, r := range lines {
		if r.Type != "relation" {
			out = append(out, r)
			continue
		}
		var x struct {
			EventID   string `json:"event_id"`
			Type      string `json:"type"`
			RelatedID string `json:"related_id"`
		}
		must(t, json.Unmarshal(r.Data, &x))
		rels[x.EventID] = append(rels[x.EventID], map[string]string{"type": x.Type, "event_id": x.RelatedID})
	}
	for i, r := range out {
		if r.Type != "event" {
			continue
		}
		var m map[string]any
		must(t, json.Unmarshal(r.Data, &m))
		if rs := rels[m["id"].(string)]; rs != nil {
			m["relations"] = rs
			d, err := json.Marshal(m)
			must(t, err)
			out[i].Data = d
		}
	}
	return out
}
