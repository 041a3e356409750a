package models_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
)

// TestSuggestionsBounded: a field error's suggestions survive Validation, Merge and
// Bounded, at most MaxSuggestions of them, each clipped like a field name.
func TestSuggestionsBounded(t *testing.T) {
	t.Parallel()
	many := []string{"a", "b", "c", "d", "e", "f", strings.Repeat("x", 500)}
	v := models.NewValidation(models.EINVALID)
	v.Suggest("actor", many, "no actor %q", "putn")
	outer := models.NewValidation(models.EINVALID)
	outer.Merge("filter", v.Err())
	e := asError(t, outer.Err()).Bounded()
	if len(e.Fields) != 1 || e.Fields[0].Field != "filter.actor" {
		t.Fatalf("fields: %+v", e.Fields)
	}
	if got := e.Fields[0].Suggestions; !slices.Equal(got, many[:models.MaxSuggestions]) {
		t.Errorf("suggestions %q, want the first %d", got, models.MaxSuggestions)
	}
	hand := (&models.Error{Code: models.ENOTFOUND, Message: "not found",
		Fields: []models.FieldError{{Field: "id", Message: "no actor", Suggestions: many[5:]}}}).Bounded()
	if s := hand.Fields[0].Suggestions; len(s) != 2 || len(s[1]) > models.MaxFieldLen {
		t.Errorf("a long suggestion is not clipped: %q", s)
	}
}
