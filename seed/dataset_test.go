package seed

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
)

// testFile is the shape of dataset.json as this test reads it. seed.go defines the
// loader's own type; this one is kept separate so that the data is checked against
// the models package directly.
type testFile struct {
	Actors     []models.Actor     `json:"actors"`
	Locations  []models.Location  `json:"locations"`
	Outlets    []models.Outlet    `json:"outlets"`
	Sources    []models.Source    `json:"sources"`
	Events     []models.Event     `json:"events"`
	Statements []models.Statement `json:"statements"`
}

const (
	dtDatasetPath = "dataset.json"
	dtArticlePath = "testdata/meduza-2026-01-23.txt"
	dtMeduza      = "meduza-2026-01-23-first-trilateral-talks"
)

// dtLoad decodes dataset.json strictly, as the loader will.
func dtLoad(t *testing.T) *testFile {
	t.Helper()
	f, err := os.Open(dtDatasetPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var d testFile
	if err := models.DecodeStrict(f, &d); err != nil {
		t.Fatalf("dataset.json does not decode strictly: %v", err)
	}
	return &d
}

// dtArticle returns the article byte for byte: the dataset's quotes and contexts keep its
// typography, non-breaking spaces (U+00A0) included (full-text search splits words at
// them as at any space, so searches still match what users type).
func dtArticle(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.FromSlash(dtArticlePath))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func dtEvent(t *testing.T, d *testFile, slug string) *models.Event {
	t.Helper()
	for i := range d.Events {
		if d.Events[i].Slug == slug {
			return &d.Events[i]
		}
	}
	t.Fatalf("no event %q", slug)
	return nil
}

func TestDatasetDecodesStrictly(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	if len(d.Actors) == 0 || len(d.Events) == 0 || len(d.Statements) == 0 {
		t.Fatal("dataset is empty")
	}
	// The file must not carry the fields the store owns.
	raw, err := os.ReadFile(dtDatasetPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{`"version"`, `"created_at"`, `"updated_at"`} {
		if bytes.Contains(raw, []byte(f)) {
			t.Errorf("dataset.json sets %s, which the store owns", f)
		}
	}
}

func TestDatasetCounts(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	quotes := 0
	for _, s := range d.Statements {
		if s.Quote {
			quotes++
		}
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"actors", len(d.Actors), 12},
		{"locations", len(d.Locations), 4},
		{"outlets", len(d.Outlets), 3},
		{"sources", len(d.Sources), 3},
		{"events", len(d.Events), 6},
		{"statements", len(d.Statements), 13},
		{"direct quotes", quotes, 10},
		{"paraphrases", len(d.Statements) - quotes, 3},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestDatasetValidates(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	check := func(kind string, i int, name string, err error) {
		if err != nil {
			t.Errorf("%s[%d] %s: %v", kind, i, name, err)
		}
	}
	for i := range d.Actors {
		check("actors", i, d.Actors[i].Slug, d.Actors[i].Validate())
	}
	for i := range d.Locations {
		check("locations", i, d.Locations[i].Slug, d.Locations[i].Validate())
	}
	for i := range d.Sources {
		check("sources", i, d.Sources[i].Slug, d.Sources[i].Validate())
	}
	for i := range d.Events {
		check("events", i, d.Events[i].Slug, d.Events[i].Validate())
	}
	for i := range d.Statements {
		check("statements", i, d.Statements[i].Text, d.Statements[i].Validate())
	}
}

func TestDatasetIDs(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	seen := map[models.ID]string{}
	add := func(what string, m *models.Meta) {
		switch {
		case m.ID.IsZero():
			t.Errorf("%s has no id", what)
			return
		case m.ID.Version() != 7:
			t.Errorf("%s: id %s is UUID version %d, want 7", what, m.ID, m.ID.Version())
		case m.ID.Variant().String() != "RFC4122":
			t.Errorf("%s: id %s has variant %s, want RFC 4122", what, m.ID, m.ID.Variant())
		}
		if _, err := models.ParseID(m.ID.String()); err != nil {
			t.Errorf("%s: %v", what, err)
		}
		if prev, dup := seen[m.ID]; dup {
			t.Errorf("%s reuses the id of %s", what, prev)
		}
		seen[m.ID] = what
		if m.Version != 0 || !m.CreatedAt.IsZero() || !m.UpdatedAt.IsZero() {
			t.Errorf("%s sets version or timestamps", what)
		}
	}
	for i := range d.Actors {
		add("actor "+d.Actors[i].Slug, &d.Actors[i].Meta)
	}
	for i := range d.Locations {
		add("location "+d.Locations[i].Slug, &d.Locations[i].Meta)
	}
	for i := range d.Sources {
		add("source "+d.Sources[i].Slug, &d.Sources[i].Meta)
	}
	for i := range d.Events {
		add("event "+d.Events[i].Slug, &d.Events[i].Meta)
	}
	for i := range d.Statements {
		add(fmt.Sprintf("statement %d", i), &d.Statements[i].Meta)
	}
}

// TestDatasetReferences checks that every reference is a slug naming an entity of the
// right kind in the file, that affiliations point to actors listed earlier and parents
// to events listed earlier (the loader inserts in file order).
func TestDatasetReferences(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	slugs := func(kind string, list []string) map[string]int {
		m := map[string]int{}
		for i, s := range list {
			if _, dup := m[s]; dup {
				t.Errorf("%s slug %q is used twice", kind, s)
			}
			m[s] = i
		}
		return m
	}
	var as, ls, ss, es []string
	for _, a := range d.Actors {
		as = append(as, a.Slug)
	}
	for _, l := range d.Locations {
		ls = append(ls, l.Slug)
	}
	for _, s := range d.Sources {
		ss = append(ss, s.Slug)
	}
	for _, e := range d.Events {
		es = append(es, e.Slug)
	}
	actors, locations, sources, events := slugs("actor", as), slugs("location", ls), slugs("source", ss), slugs("event", es)

	// ref checks that r is an unresolved slug found in idx and returns its position.
	ref := func(where string, r *models.Ref, idx map[string]int, kind string) int {
		if r == nil {
			t.Errorf("%s: missing reference", where)
			return -1
		}
		if r.Resolved() || r.Slug == "" {
			t.Errorf("%s: reference %q must be a slug", where, r)
			return -1
		}
		i, ok := idx[r.Slug]
		if !ok {
			t.Errorf("%s: no %s with slug %q", where, kind, r.Slug)
			return -1
		}
		return i
	}
	for i, a := range d.Actors {
		if a.Affiliation != nil {
			if j := ref("actor "+a.Slug+" affiliation_id", a.Affiliation, actors, "actor"); j >= i {
				t.Errorf("actor %s: affiliation %s must be listed before it", a.Slug, a.Affiliation.Slug)
			}
		}
	}
	for i, e := range d.Events {
		w := "event " + e.Slug
		if e.Location != nil {
			ref(w+" location_id", e.Location, locations, "location")
		}
		if e.Parent != nil {
			if j := ref(w+" parent_id", e.Parent, events, "event"); j >= i {
				t.Errorf("%s: parent %s must be listed before it", w, e.Parent.Slug)
			}
		}
		for k, p := range e.Participants {
			ref(fmt.Sprintf("%s participants[%d].actor_id", w, k), &p.Actor, actors, "actor")
			if p.Represents != nil {
				ref(fmt.Sprintf("%s participants[%d].represents_id", w, k), p.Represents, actors, "actor")
			}
		}
		for k, r := range e.Relations {
			if j := ref(fmt.Sprintf("%s relations[%d].event_id", w, k), &r.Related, events, "event"); j == i {
				t.Errorf("%s: relation to itself", w)
			}
		}
		for k, s := range e.Sources {
			ref(fmt.Sprintf("%s source_ids[%d]", w, k), s, sources, "source")
		}
	}
	for i, s := range d.Statements {
		w := fmt.Sprintf("statement %d", i)
		if s.Speaker != nil {
			ref(w+" speaker_id", s.Speaker, actors, "actor")
		}
		if s.SpeaksFor != nil {
			ref(w+" speaks_for_id", s.SpeaksFor, actors, "actor")
		}
		if s.Event != nil {
			ref(w+" event_id", s.Event, events, "event")
		}
		for k, src := range s.Sources {
			ref(fmt.Sprintf("%s source_ids[%d]", w, k), src, sources, "source")
		}
	}
}

func TestDatasetCitesSources(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	cites := func(where string, refs []*models.Ref) {
		if len(refs) == 0 {
			t.Errorf("%s cites no source", where)
			return
		}
		for _, r := range refs {
			if r != nil && r.Slug == dtMeduza {
				return
			}
		}
		t.Errorf("%s does not cite the Meduza article", where)
	}
	for _, e := range d.Events {
		cites("event "+e.Slug, e.Sources)
	}
	for i, s := range d.Statements {
		cites(fmt.Sprintf("statement %d (%.40q)", i, s.Text), s.Sources)
	}
}

// TestDatasetQuotesAreVerbatim checks that each direct quote is the exact text between a
// pair of curly quotes in the article, byte for byte: non-breaking spaces and the
// punctuation the article prints inside the marks (“…,” he said) included, since the
// model cannot tell the speaker's punctuation from the reporter's. Each context is a
// sentence of the article, verbatim, and a fragment (a quote that is no sentence of its
// own) has one.
func TestDatasetQuotesAreVerbatim(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	article := dtArticle(t)
	for i, s := range d.Statements {
		if !s.Quote {
			continue
		}
		if !strings.Contains(article, "“"+s.Text+"”") {
			t.Errorf("statement %d: quote %q is not verbatim between quotation marks in %s", i, s.Text, dtArticlePath)
		}
		if s.Text != strings.TrimSpace(s.Text) {
			t.Errorf("statement %d: quote %q keeps surrounding space", i, s.Text)
		}
		if fragment := s.Text[0] >= 'a' && s.Text[0] <= 'z'; fragment && s.Context == "" {
			t.Errorf("statement %d: the fragment %q has no context", i, s.Text)
		}
	}
	for i, s := range d.Statements {
		if s.Context == "" {
			continue
		}
		if !strings.Contains(article, s.Context) || s.Context != strings.TrimSpace(s.Context) || strings.Contains(s.Context, "\n") {
			t.Errorf("statement %d: context %q is not one verbatim passage of %s", i, s.Context, dtArticlePath)
		}
	}
	// And every quotation in the article is in the dataset, as a quote or inside one.
	quoted := map[string]bool{}
	for _, s := range d.Statements {
		if s.Quote {
			quoted[s.Text] = true
		}
	}
	rest := article
	for {
		open := strings.Index(rest, "“")
		if open < 0 {
			break
		}
		rest = rest[open+len("“"):]
		end := strings.Index(rest, "”")
		if end < 0 {
			t.Fatal("unbalanced quotation marks in the article")
		}
		q := rest[:end]
		rest = rest[end+len("”"):]
		if !quoted[q] {
			t.Errorf("the article's quotation “%s” is not in the dataset", q)
		}
	}
}

func TestDatasetDates(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	check := func(where string, dt models.Date) {
		if dt.IsZero() {
			t.Errorf("%s: no date", where)
			return
		}
		p, err := models.ParseDate(dt.EDTF)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		if !p.Start.Equal(dt.Start) || !p.End.Equal(dt.End) {
			t.Errorf("%s: date %s decoded inconsistently", where, dt)
		}
	}
	for _, s := range d.Sources {
		check("source "+s.Slug, s.Published)
	}
	for _, e := range d.Events {
		check("event "+e.Slug, e.Date)
	}
	published := models.MustParseDate("2026-01-23")
	for i, s := range d.Statements {
		w := fmt.Sprintf("statement %d", i)
		check(w, s.Date)
		// Nothing the article reports was said after it was published.
		if s.Date.Start.After(published.Start) {
			t.Errorf("%s: dated %s, after the article", w, s.Date)
		}
	}
}

func TestDatasetChronology(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	talks := dtEvent(t, d, "abu-dhabi-trilateral-talks")
	day1 := dtEvent(t, d, "abu-dhabi-trilateral-talks-day-1")
	day2 := dtEvent(t, d, "abu-dhabi-trilateral-talks-day-2")
	davos := dtEvent(t, d, "zelensky-trump-davos-meeting")
	moscow := dtEvent(t, d, "putin-witkoff-kushner-moscow-meeting")
	anchorage := dtEvent(t, d, "putin-trump-anchorage-summit")

	if !davos.Date.End.After(davos.Date.Start) || davos.Date.End.After(talks.Date.Start) {
		t.Errorf("the Davos meeting (%s) must end before the talks (%s) begin", davos.Date, talks.Date)
	}
	if !moscow.Date.Start.Before(talks.Date.Start) {
		t.Errorf("the Moscow meeting (%s) must begin before the talks (%s)", moscow.Date, talks.Date)
	}
	if !anchorage.Date.End.Before(davos.Date.Start) {
		t.Errorf("the Anchorage summit (%s) must precede the January meetings", anchorage.Date)
	}
	if !day1.Date.End.Equal(day2.Date.Start) {
		t.Errorf("day 2 (%s) must follow day 1 (%s)", day2.Date, day1.Date)
	}
	// A series is dated to what was held: a round that was only scheduled may lie past its
	// end, until a source says it happened.
	for _, c := range []*models.Event{day1, day2} {
		if c.Parent == nil || c.Parent.Slug != talks.Slug {
			t.Errorf("%s must be a round of %s", c.Slug, talks.Slug)
		}
		if c.Date.Start.Before(talks.Date.Start) || (c.Status == models.StatusHeld && c.Date.End.After(talks.Date.End)) {
			t.Errorf("%s (%s) lies outside its series (%s)", c.Slug, c.Date, talks.Date)
		}
	}
	if day1.Status != models.StatusHeld || day2.Status != models.StatusScheduled {
		t.Errorf("day 1 must be held and day 2 scheduled as of the article, got %s and %s", day1.Status, day2.Status)
	}
	// Each relation points in time the way its type says.
	for _, e := range d.Events {
		for _, r := range e.Relations {
			o := dtEvent(t, d, r.Related.Slug)
			switch r.Type {
			case models.RelationFollows:
				if !o.Date.Start.Before(e.Date.Start) {
					t.Errorf("%s follows %s but does not start later", e.Slug, o.Slug)
				}
			case models.RelationPrecedes:
				if !e.Date.Start.Before(o.Date.Start) {
					t.Errorf("%s precedes %s but does not start earlier", e.Slug, o.Slug)
				}
			}
		}
	}
}

// TestDatasetParticipants pins the participants that the API's actor filter relies on:
// the talks list the three states themselves, so "events where Russia and Ukraine both
// took part" finds them, and no one the article does not name takes part.
func TestDatasetParticipants(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	type part struct{ actor, role, represents string }
	parts := func(e *models.Event) []part {
		var out []part
		for _, p := range e.Participants {
			q := part{actor: p.Actor.Slug, role: string(p.Role)}
			if p.Represents != nil {
				q.represents = p.Represents.Slug
			}
			out = append(out, q)
		}
		return out
	}
	states := []part{{"russia", "delegation", ""}, {"ukraine", "delegation", ""}, {"united-states", "delegation", ""}}
	want := map[string][]part{
		"abu-dhabi-trilateral-talks":       states,
		"abu-dhabi-trilateral-talks-day-1": states,
		"abu-dhabi-trilateral-talks-day-2": states,
		"zelensky-trump-davos-meeting": {
			{"volodymyr-zelensky", "participant", "ukraine"},
			{"donald-trump", "participant", "united-states"},
		},
		"putin-witkoff-kushner-moscow-meeting": {
			{"vladimir-putin", "host", "russia"},
			{"steve-witkoff", "envoy", "united-states"},
			{"jared-kushner", "envoy", "united-states"},
		},
		"putin-trump-anchorage-summit": {
			{"vladimir-putin", "participant", "russia"},
			{"donald-trump", "participant", "united-states"},
		},
	}
	for slug, w := range want {
		got := parts(dtEvent(t, d, slug))
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("%s participants:\n got  %v\n want %v", slug, got, w)
		}
	}
}

// TestDatasetAudit pins what the audit of the dataset against the article (AUDIT.md)
// corrected, so that no edit brings the over-claims back.
func TestDatasetAudit(t *testing.T) {
	t.Parallel()
	d := dtLoad(t)
	talks := dtEvent(t, d, "abu-dhabi-trilateral-talks")
	// The series was held on the day a source says it was; the second day was only planned.
	if talks.Status != models.StatusHeld || talks.Date.EDTF != "2026-01-23" {
		t.Errorf("the series is %s on %s, want held on 2026-01-23 (day 2 was only scheduled)", talks.Status, talks.Date.EDTF)
	}
	// Only Meduza speaks of the whole series; NBC News and TASS are sources of the days
	// their reports are about.
	if len(talks.Sources) != 1 || talks.Sources[0].Slug != dtMeduza {
		t.Errorf("series sources %v, want only the Meduza article", talks.Sources)
	}
	// Ushakov's reference to the Anchorage formula followed the Moscow meeting, not the talks.
	refs := func(e *models.Event) (out []string) {
		for _, r := range e.Relations {
			if r.Type == models.RelationReferences {
				out = append(out, r.Related.Slug)
			}
		}
		return out
	}
	if got := refs(talks); len(got) != 0 {
		t.Errorf("the talks reference %v", got)
	}
	if got := refs(dtEvent(t, d, "putin-witkoff-kushner-moscow-meeting")); fmt.Sprint(got) != "[putin-trump-anchorage-summit]" {
		t.Errorf("the Moscow meeting references %v, want the Anchorage summit", got)
	}
	for i, s := range d.Statements {
		switch {
		case s.Speaker != nil && s.Attribution != "":
			t.Errorf("statement %d: a named speaker with an attribution %q", i, s.Attribution)
		case s.Attribution == "a TASS source" && (s.SpeaksFor != nil || s.Speaker != nil):
			// A source who told TASS something is not TASS, nor known to speak for it.
			t.Errorf("statement %d: a TASS source with speaker %v, speaks for %v", i, s.Speaker, s.SpeaksFor)
		case s.Attribution == "a White House official" && (s.SpeaksFor == nil || s.SpeaksFor.Slug != "white-house"):
			t.Errorf("statement %d: a White House official speaks for %v", i, s.SpeaksFor)
		}
	}
}

// TestDatasetEvidence checks that every claim the dataset makes cites the span of the
// article that supports it: every event and statement has evidence; every quote is
// verbatim in the article (non-breaking spaces included); every evidence source is one
// of the entity's sources; and each claim the entity makes (its date, status, type and
// participants, its location, summary and relations when it has them; a statement's
// text, date, speaker or attribution, event and medium) is supported at least once.
func TestDatasetEvidence(t *testing.T) {
	t.Parallel()
	d, article := dtLoad(t), dtArticle(t)
	check := func(what string, sources []*models.Ref, evidence []models.Evidence, claims []string) {
		t.Helper()
		if len(evidence) == 0 {
			t.Errorf("%s cites no evidence", what)
		}
		supported := map[string]bool{}
		for i, ev := range evidence {
			if !strings.Contains(article, ev.Quote) || ev.Quote == "" {
				t.Errorf("%s: evidence[%d] quote %q is not a span of the article", what, i, ev.Quote)
			}
			if !slices.ContainsFunc(sources, func(r *models.Ref) bool { return r.Slug == ev.Source.Slug }) {
				t.Errorf("%s: evidence[%d] cites %s, not among its sources", what, i, ev.Source.Slug)
			}
			for _, c := range ev.Supports {
				supported[c] = true
			}
		}
		for _, c := range claims {
			if !supported[c] {
				t.Errorf("%s: no evidence supports its %s", what, c)
			}
		}
	}
	for _, e := range d.Events {
		claims := []string{"date", "status", "type", "participants"}
		if e.Location != nil {
			claims = append(claims, "location")
		}
		if e.Summary != "" {
			claims = append(claims, "summary")
		}
		if len(e.Relations) > 0 {
			claims = append(claims, "relations")
		}
		check("event "+e.Slug, e.Sources, e.Evidence, claims)
	}
	for _, s := range d.Statements {
		claims := []string{"text", "date"}
		if s.Speaker != nil {
			claims = append(claims, "speaker")
		} else {
			claims = append(claims, "attribution")
		}
		if s.Event != nil {
			claims = append(claims, "event")
		}
		if s.Medium != "" {
			claims = append(claims, "medium")
		}
		check("statement "+s.ID.String(), s.Sources, s.Evidence, claims)
	}
}
