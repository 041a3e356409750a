package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// Shared helpers of the store suite. Every test runs through storetest.Each, so each
// dialect subtest gets its own empty, migrated database and may assert exact contents;
// the tests therefore run in parallel. The few that change package state (the search
// probe) do not call t.Parallel, so they run before the parallel ones start.

var bg = context.Background()

// wantErr fails unless err is a *models.Error with code and exactly the given field
// names (in the order models.Validation sorts them). With no fields, any field list is
// accepted.
func wantErr(t *testing.T, err error, code models.ErrorCode, fields ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s %v", code, fields)
	}
	if got := models.ErrorCodeOf(err); got != code {
		t.Fatalf("got code %s (%v), want %s", got, err, code)
	}
	if len(fields) == 0 {
		return
	}
	if got := errFields(err); !slices.Equal(got, fields) {
		t.Fatalf("got fields %q, want %q (%v)", got, fields, err)
	}
}

// errFields lists the field names an error carries.
func errFields(err error) []string {
	var e *models.Error
	if !errors.As(err, &e) {
		return nil
	}
	out := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f.Field
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ---- builders ----------------------------------------------------------------------

func newActor(name string, kind models.ActorKind, country string) *models.Actor {
	return &models.Actor{Name: name, Kind: kind, Country: country}
}

func mkActor(t *testing.T, s *store.Store, name string, kind models.ActorKind, country string) *models.Actor {
	t.Helper()
	a := newActor(name, kind, country)
	must(t, s.CreateActor(bg, a))
	return a
}

func mkLocation(t *testing.T, s *store.Store, name, country string) *models.Location {
	t.Helper()
	l := &models.Location{Name: name, Country: country}
	must(t, s.CreateLocation(bg, l))
	return l
}

func mkSource(t *testing.T, s *store.Store, outlet, title, published string) *models.Source {
	t.Helper()
	src := &models.Source{Outlet: outlet, Title: title, Published: models.MustParseDate(published), Language: "en"}
	must(t, s.CreateSource(bg, src))
	return src
}

func newEvent(title, date string) *models.Event {
	return &models.Event{Title: title, Type: models.EventMeeting, Status: models.StatusHeld,
		Date: models.MustParseDate(date)}
}

func mkEvent(t *testing.T, s *store.Store, e *models.Event) *models.Event {
	t.Helper()
	must(t, s.CreateEvent(bg, e))
	return e
}

func part(a *models.Actor, role models.Role) models.Participant {
	return models.Participant{Actor: models.Ref{ID: a.ID}, Role: role}
}

func newStatement(speaker *models.Actor, text, date string) *models.Statement {
	return &models.Statement{Text: text, Speaker: &models.Ref{ID: speaker.ID}, Date: models.MustParseDate(date)}
}

func refOf(id models.ID) *models.Ref { return models.RefTo(id) }

// ---- listings ---------------------------------------------------------------------

// allEvents lists every event in one unpaginated call under sort.
func allEvents(t *testing.T, s *store.Store, sort string) []models.Event {
	t.Helper()
	p, err := s.ListEvents(bg, store.EventFilter{Sort: sort, Limit: store.MaxLimit})
	must(t, err)
	if p.NextCursor != "" {
		t.Fatalf("more than %d events", store.MaxLimit)
	}
	return p.Items
}

// pagedEvents follows f's pages, limit events at a time, to the end, and returns every
// event in order.
func pagedEvents(t *testing.T, s *store.Store, f store.EventFilter, limit int) []models.Event {
	t.Helper()
	var out []models.Event
	f.Limit, f.Cursor = limit, ""
	for {
		p, err := s.ListEvents(bg, f)
		must(t, err)
		out = append(out, p.Items...)
		if f.Cursor = p.NextCursor; f.Cursor == "" {
			return out
		}
	}
}

// pagedSlugs is pagedEvents' slugs.
func pagedSlugs(t *testing.T, s *store.Store, f store.EventFilter, limit int) []string {
	t.Helper()
	var out []string
	for _, e := range pagedEvents(t, s, f, limit) {
		out = append(out, e.Slug)
	}
	return out
}

// counts is how many rows each entity list returns, for before/after comparisons.
type counts struct{ Actors, Locations, Sources, Events, Statements int }

func countAll(t *testing.T, s *store.Store) counts {
	t.Helper()
	a, err := s.ListActors(bg, store.ActorFilter{Limit: store.MaxLimit})
	must(t, err)
	l, err := s.ListLocations(bg, store.LocationFilter{Limit: store.MaxLimit})
	must(t, err)
	src, err := s.ListSources(bg, store.SourceFilter{Limit: store.MaxLimit})
	must(t, err)
	e, err := s.ListEvents(bg, store.EventFilter{Limit: store.MaxLimit})
	must(t, err)
	st, err := s.ListStatements(bg, store.StatementFilter{Limit: store.MaxLimit})
	must(t, err)
	return counts{len(a.Items), len(l.Items), len(src.Items), len(e.Items), len(st.Items)}
}

// revisions returns the whole history of one entity.
func revisions(t *testing.T, s *store.Store, kind, ref string) []models.Revision {
	t.Helper()
	k, ok := models.KindNamed(kind)
	if !ok {
		t.Fatalf("no kind %q", kind)
	}
	p, err := s.Revisions(bg, k, ref, store.RevisionFilter{Limit: store.MaxLimit})
	must(t, err)
	return p.Items
}

func revCount(t *testing.T, s *store.Store, kind string, id models.ID) int {
	t.Helper()
	return len(revisions(t, s, kind, id.String()))
}

// ---- comparisons ------------------------------------------------------------------

// namer maps ids to readable names so that failures print titles, not UUIDs.
type namer map[models.ID]string

func (n namer) names(ids []models.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if s, ok := n[id]; ok {
			out[i] = s
		} else {
			out[i] = id.String()
		}
	}
	return out
}

func eventIDs(es []models.Event) []models.ID {
	out := make([]models.ID, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func statementIDs(sts []models.Statement) []models.ID {
	out := make([]models.ID, len(sts))
	for i, st := range sts {
		out[i] = st.ID
	}
	return out
}

// refIDs flattens references to their ids, failing on an unresolved one.
func refIDs(t *testing.T, rs []*models.Ref) []models.ID {
	t.Helper()
	out := make([]models.ID, len(rs))
	for i, r := range rs {
		if r == nil || !r.Resolved() || r.Slug != "" {
			t.Fatalf("reference %d is %+v, want a bare id", i, r)
		}
		out[i] = r.ID
	}
	return out
}

type partKey struct {
	Actor      models.ID
	Role       models.Role
	Represents models.ID
}

func partKeys(ps []models.Participant) []partKey {
	out := make([]partKey, len(ps))
	for i, p := range ps {
		k := partKey{Actor: p.Actor.ID, Role: p.Role}
		if p.Represents != nil {
			k.Represents = p.Represents.ID
		}
		out[i] = k
	}
	return out
}

// sameDate compares every stored part of a Date; instants with time.Time.Equal.
func sameDate(t *testing.T, what string, got, want models.Date) {
	t.Helper()
	if got.EDTF != want.EDTF || !got.Start.Equal(want.Start) || !got.End.Equal(want.End) ||
		got.Precision != want.Precision || got.Approximate != want.Approximate || got.Uncertain != want.Uncertain {
		t.Errorf("%s: got %s [%s, %s) %s a=%v u=%v, want %s [%s, %s) %s a=%v u=%v", what,
			got.EDTF, got.Start.UTC().Format(time.RFC3339Nano), got.End.UTC().Format(time.RFC3339Nano), got.Precision, got.Approximate, got.Uncertain,
			want.EDTF, want.Start.UTC().Format(time.RFC3339Nano), want.End.UTC().Format(time.RFC3339Nano), want.Precision, want.Approximate, want.Uncertain)
	}
}

func wantEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// decodeData decodes a revision's snapshot.
func decodeData(t *testing.T, r models.Revision) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Data, &m); err != nil {
		t.Fatalf("revision %d data: %v: %s", r.Version, err, r.Data)
	}
	return m
}

// eventJSON is the part of an event snapshot the revision tests read.
type eventJSON struct {
	ID           string   `json:"id"`
	Version      int      `json:"version"`
	Title        string   `json:"title"`
	Slug         string   `json:"slug"`
	Tags         []string `json:"tags"`
	SourceIDs    []string `json:"source_ids"`
	Participants []struct {
		ActorID string `json:"actor_id"`
		Role    string `json:"role"`
	} `json:"participants"`
	Date struct {
		EDTF string `json:"edtf"`
	} `json:"date"`
}

func joinIDs(ids ...models.ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return strings.Join(s, ",")
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
