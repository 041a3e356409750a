package store

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// kindStore is a spec seen without its type parameters: what the import, the bundle
// stream and the checks of a whole database do with any kind of entity.
type kindStore interface {
	entityKind() *models.Kind
	// newWindow handles the kind's records in one import window, sharing its cache.
	newWindow(cache refCache) windowKind
	// streamBundle hands every entity of the kind to fn, in bundle order.
	streamBundle(db *gorm.DB, fn func(kind string, v any) error) error
	// agrees reports where the spec's hooks contradict its kind's description.
	agrees() error
	// touch gives entities whose references a merge moved a new version and revision.
	touch(ctx context.Context, tx *gorm.DB, ids []models.ID) error
}

// kindStores holds the spec of every kind, by kind; each spec file adds its own with
// stored, and Open refuses a kind without one (checkKinds).
var kindStores = map[*models.Kind]kindStore{}

// stored registers sp as its kind's spec and returns it.
func stored[T any, P interface {
	*T
	models.Entity
}](sp *spec[T, P]) *spec[T, P] {
	if _, dup := kindStores[sp.kind]; dup {
		panic("store: two specs for kind " + sp.kind.Name)
	}
	kindStores[sp.kind] = sp
	return sp
}

// checkKinds reports a kind of models.Kinds that has no spec, or whose spec contradicts
// it: the store could not write, import or export it. Open refuses to start then.
func checkKinds() error { return kindsStored(models.Kinds, kindStores) }

func kindsStored(kinds []*models.Kind, specs map[*models.Kind]kindStore) error {
	for _, k := range kinds {
		if specs[k] == nil {
			return fmt.Errorf("store: kind %q has no spec (register one with stored)", k.Name)
		}
		if err := specs[k].agrees(); err != nil {
			return err
		}
	}
	if len(specs) != len(kinds) {
		return fmt.Errorf("store: a spec is registered for a kind missing from models.Kinds")
	}
	return nil
}

// storeOf is the spec of kind k (checkKinds ensures there is one).
func storeOf(k *models.Kind) kindStore { return kindStores[k] }

// childTables names the tables of k's children, from their GORM models, so that the
// models alone say where child rows live.
func childTables(k *models.Kind) []string {
	out := make([]string, len(k.Children))
	for i, c := range k.Children {
		out[i] = tableOf(c)
	}
	return out
}

// schemas caches GORM's parse of the models tableOf is asked about.
var schemas sync.Map

// tableOf is the table GORM maps model to (its TableName, else the plural of its type).
func tableOf(model any) string {
	s, err := schema.Parse(model, &schemas, schema.NamingStrategy{})
	if err != nil {
		panic(fmt.Sprintf("store: no table for %T: %v", model, err))
	}
	return s.Table
}

// kindTables are the tables of k: its own, then its children's.
func kindTables(k *models.Kind) []string {
	return append([]string{k.Table}, childTables(k)...)
}

func (sp *spec[T, P]) agrees() error {
	k := sp.kind
	switch {
	case k.Slug != (sp.slug != nil):
		return fmt.Errorf("store: kind %q: Slug is %v but the spec's slug hook says otherwise", k.Name, k.Slug)
	case (k.SelfRef != "" || len(k.ChildSelfRefs) > 0) != (sp.selfRefs != nil):
		return fmt.Errorf("store: kind %q: SelfRef %q and ChildSelfRefs %v but the spec's selfRefs hook says otherwise", k.Name, k.SelfRef, k.ChildSelfRefs)
	case (len(k.Children) > 0) != (sp.loadChildren != nil && sp.insertChildren != nil) || (len(k.Children) > 0) != (k.ChildKey != ""):
		return fmt.Errorf("store: kind %q: its children, ChildKey and the spec's child hooks disagree", k.Name)
	case (sp.resolve != nil) != (sp.refs != nil):
		return fmt.Errorf("store: kind %q: a spec that resolves references must list them (refs), and the reverse", k.Name)
	}
	for _, c := range k.ChildSelfRefs {
		if !slices.Contains(childTables(k), c.Table) {
			return fmt.Errorf("store: kind %q: ChildSelfRefs names %s, not a table of its children", k.Name, c.Table)
		}
	}
	if _, isEntity := any(k.New()).(P); !isEntity {
		return fmt.Errorf("store: kind %q: New makes a %T, not the spec's %T", k.Name, k.New(), P(nil))
	}
	return nil
}
