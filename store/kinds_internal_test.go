package store

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
)

// Every kind has a spec that agrees with it, and a kind the store does not know of, or
// a spec that contradicts its kind, stops Open: nothing derived from models.Kinds can
// miss one silently.
func TestKindsStored(t *testing.T) {
	t.Parallel()
	if err := checkKinds(); err != nil {
		t.Fatal(err)
	}
	treaty := &models.Kind{Name: "treaty", Plural: "treaties", Table: "treaties", New: func() models.Entity { return &models.Source{} }}
	if err := kindsStored(append(slices.Clone(models.Kinds), treaty), kindStores); err == nil || !strings.Contains(err.Error(), `"treaty" has no spec`) {
		t.Errorf("a kind without a spec: %v", err)
	}
	fewer := maps.Clone(kindStores)
	delete(fewer, models.KindStatement)
	if err := kindsStored(models.Kinds[:len(models.Kinds)-1], kindStores); err == nil {
		t.Error("a spec for a kind missing from models.Kinds was not reported")
	}
	if err := kindsStored(models.Kinds, fewer); err == nil || !strings.Contains(err.Error(), `"statement" has no spec`) {
		t.Errorf("a kind whose spec is missing: %v", err)
	}
	// A spec whose hooks contradict the kind: a slug the kind does not have.
	noSlug := *models.KindStatement
	bad := *statementSpec
	bad.kind = &noSlug
	bad.slug = func(*models.Statement) *string { return new(string) }
	if err := bad.agrees(); err == nil {
		t.Error("a spec with a slug hook for a kind without slugs agrees")
	}
	wrongType := *models.KindActor
	wrongType.New = func() models.Entity { return &models.Event{} }
	badType := *actorSpec
	badType.kind = &wrongType
	if err := badType.agrees(); err == nil {
		t.Error("a spec whose kind makes another type agrees")
	}
}

// The tables every derived list names come from the kinds: the import's, the
// fingerprint's, the bundle's.
func TestKindTables(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"actor": {"actors"}, "location": {"locations"}, "source": {"sources"},
		"event":     {"events", "event_participants", "event_tags", "event_sources", "event_relations"},
		"statement": {"statements", "statement_tags", "statement_sources"},
		"relation":  {"event_relations"},
	}
	for _, kind := range importOrder() {
		if got := importTables(kind); !slices.Equal(got, want[kind]) {
			t.Errorf("%s writes %v, want %v", kind, got, want[kind])
		}
	}
	if got := importOrder(); !slices.Equal(got, []string{"actor", "location", "source", "event", "statement", "relation"}) {
		t.Errorf("import order %v", got)
	}
	if waitTable("actor") != "actors" || waitTable("event") != "events" || waitTable("relation") != "events" || waitTable("source") != "" {
		t.Error("wait tables are not derived from the kinds' self references")
	}
}
