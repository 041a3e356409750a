package api_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// The routes under /api/v1 and the operations of the OpenAPI document are the same set,
// both ways, and every kind of models.Kinds has its collection there: a kind, or a
// route, missing from the routes or the document fails here.
func TestKindsRoutesAndDocument(t *testing.T) {
	t.Parallel()
	h, err := api.New(storetest.Open(t, store.SQLite), nil, api.Options{})
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, r := range h.(*gin.Engine).Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") && r.Method != http.MethodHead {
			served[r.Method+" "+r.Path] = true
		}
	}
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{([^}]+)\}`)
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+param.ReplaceAllString(path, ":$1")] = true
		}
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("%s is served but not in the OpenAPI document", r)
		}
	}
	for r := range documented {
		if strings.HasPrefix(strings.SplitN(r, " ", 2)[1], "/api/v1/") && !served[r] {
			t.Errorf("%s is in the OpenAPI document but not served", r)
		}
	}
	var tags []string
	for _, tag := range doc.Tags {
		tags = append(tags, tag.Name)
		if tag.Description == "" {
			t.Errorf("tag %s has no description", tag.Name)
		}
	}
	for _, k := range models.Kinds {
		base := "/api/v1/" + k.Plural
		for _, r := range []string{"GET " + base, "POST " + base, "GET " + base + "/:id", "PUT " + base + "/:id",
			"PATCH " + base + "/:id", "DELETE " + base + "/:id", "GET " + base + "/:id/revisions"} {
			if !served[r] {
				t.Errorf("kind %s: %s is not served", k.Name, r)
			}
		}
		if !slices.Contains(tags, k.Plural) {
			t.Errorf("kind %s has no tag in the document", k.Name)
		}
		item := doc.Paths.Find(base)
		if item == nil || item.Post == nil {
			t.Errorf("kind %s: no create in the document", k.Name)
			continue
		}
		op := item.Post
		if op.Parameters.GetByInAndName("header", "Idempotency-Key") == nil {
			t.Errorf("kind %s: its create takes no Idempotency-Key", k.Name)
		}
		for _, tag := range op.Tags {
			if tag != k.Plural {
				t.Errorf("kind %s: its create is tagged %s", k.Name, tag)
			}
		}
	}
}
