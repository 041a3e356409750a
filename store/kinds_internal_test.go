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

// The lists derived from the kinds: each kind's import writes its table and its
// children's, in the order of the kinds, relations last; a kind may wait for a later
// line of its own table exactly when it names others of its kind.
func TestKindTables(t *testing.T) {
	t.Parallel()
	if got, want := importOrder(), append(models.KindNames(), models.ExtraRecordTypes...); !slices.Equal(got, want) {
		t.Errorf("import order %v, want %v", got, want)
	}
	for _, k := range models.Kinds {
		got := importTables(k.Name)
		if len(got) != 1+len(k.Children)+len(nameTables(k)) || got[0] != k.Table {
			t.Errorf("%s writes %v", k.Name, got)
		}
		if want := map[bool]string{true: k.Table, false: ""}[k.SelfRef != ""]; waitTable(k.Name) != want {
			t.Errorf("%s waits on %q, want %q", k.Name, waitTable(k.Name), want)
		}
	}
	// The names GORM gives the children are the tables the migrations create.
	if got := importTables("event"); !slices.Equal(got, []string{"events", "event_participants", "event_tags", "event_sources", "event_relations", "event_evidence"}) {
		t.Errorf("events write %v", got)
	}
	if got := importTables(models.RelationRecordType); !slices.Equal(got, []string{"event_relations"}) || waitTable(models.RelationRecordType) != "events" {
		t.Errorf("relations write %v and wait on %q", got, waitTable(models.RelationRecordType))
	}
}
