package handlers

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// Every kind has handlers, and a kind without them, or a store without what they need,
// stops the server from being built.
func TestResourcesPerKind(t *testing.T) {
	t.Parallel()
	treaty := &models.Kind{Name: "treaty", Plural: "treaties"}
	if _, err := resourcesOf(append(slices.Clone(models.Kinds), treaty), builders, (*store.Store)(nil)); err == nil || !strings.Contains(err.Error(), `"treaty" has no handlers`) {
		t.Errorf("a kind without handlers: %v", err)
	}
	fewer := maps.Clone(builders)
	delete(fewer, models.KindSource)
	if _, err := resourcesOf(models.Kinds, fewer, (*store.Store)(nil)); err == nil {
		t.Error("a kind whose handlers are missing was not reported")
	}
	rs, err := Resources((*store.Store)(nil))
	if err != nil || len(rs) != len(models.Kinds) {
		t.Fatalf("%d resources for %d kinds: %v", len(rs), len(models.Kinds), err)
	}
	for i, r := range rs {
		if r.Kind != models.Kinds[i] || r.Collection == nil {
			t.Errorf("resource %d is %v, want kind %s", i, r.Kind, models.Kinds[i].Name)
		}
	}
	if _, err := Resources(struct{}{}); err == nil || !strings.Contains(err.Error(), "the store lacks") {
		t.Errorf("a store without the methods: %v", err)
	}
}
