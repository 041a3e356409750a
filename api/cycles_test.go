package api_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// TestReferenceCyclesOverHTTP: a PATCH, PUT or POST that would close a cycle of
// affiliations, parents or representation, of length 2 or 3, is a 422 problem naming
// the field, and the database is unchanged; an import holding such a cycle is refused
// by line (atomic: a 422 report and nothing written), and without atomic keeps the rest.
func TestReferenceCyclesOverHTTP(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		var a, b, cc models.Actor
		c.do("POST", "/api/v1/actors", `{"name":"A","kind":"state"}`).want(t, 201, &a)
		c.do("POST", "/api/v1/actors", `{"name":"B","kind":"organization","affiliation_id":"a"}`).want(t, 201, &b)
		c.do("POST", "/api/v1/actors", `{"name":"C","kind":"person","affiliation_id":"b"}`).want(t, 201, &cc)
		var p, q, r models.Event
		c.do("POST", "/api/v1/events", `{"title":"P","type":"summit","status":"held","date":"2026"}`).want(t, 201, &p)
		c.do("POST", "/api/v1/events", `{"title":"Q","type":"meeting","status":"held","date":"2026-01","parent_id":"p"}`).want(t, 201, &q)
		c.do("POST", "/api/v1/events", `{"title":"R","type":"meeting","status":"held","date":"2026-01-23","parent_id":"q"}`).want(t, 201, &r)

		refused := func(method, path, body, field string) {
			t.Helper()
			before := c.fingerprint()
			pb := c.do(method, path, body).problem(t, 422)
			if !slices.ContainsFunc(pb.Errors, func(e models.FieldError) bool {
				return e.Field == field && (strings.Contains(e.Message, "ancestor") || strings.Contains(e.Message, "represent itself"))
			}) {
				t.Fatalf("%s %s %s: errors %+v, want a cycle on %s", method, path, body, pb.Errors, field)
			}
			if after := c.fingerprint(); !maps.Equal(before, after) {
				t.Fatalf("%s %s: a refused write changed the database: %v -> %v", method, path, before, after)
			}
		}
		for _, up := range []string{"b", "c"} {
			refused("PATCH", "/api/v1/actors/a", `{"affiliation_id":"`+up+`"}`, "affiliation_id")
			refused("PUT", "/api/v1/actors/a", `{"name":"A","kind":"state","affiliation_id":"`+up+`"}`, "affiliation_id")
		}
		for _, up := range []string{"q", "r"} {
			refused("PATCH", "/api/v1/events/p", `{"parent_id":"`+up+`"}`, "parent_id")
			refused("PUT", "/api/v1/events/p", `{"title":"P","type":"summit","status":"held","date":"2026","parent_id":"`+up+`"}`, "parent_id")
		}
		loop2 := `[{"actor_id":"a","role":"host","represents_id":"b"},{"actor_id":"b","role":"envoy","represents_id":"a"}]`
		loop3 := `[{"actor_id":"a","role":"host","represents_id":"b"},{"actor_id":"b","role":"envoy","represents_id":"c"},{"actor_id":"c","role":"observer","represents_id":"a"}]`
		for _, ps := range []string{loop2, loop3} {
			refused("POST", "/api/v1/events", `{"title":"X","type":"meeting","status":"held","date":"2026","participants":`+ps+`}`, "participants[0].represents_id")
			refused("PATCH", "/api/v1/events/r", `{"participants":`+ps+`}`, "participants[0].represents_id")
		}

		ids := []models.ID{models.NewID(), models.NewID(), models.NewID()}
		actor := func(i int, aff string) string {
			return fmt.Sprintf(`{"type":"actor","data":{"id":%q,"name":"Cycle %d","kind":"state"%s}}`, ids[i], i, aff)
		}
		bundle := strings.Join([]string{
			actor(0, fmt.Sprintf(`,"affiliation_id":%q`, ids[1])),
			actor(1, fmt.Sprintf(`,"affiliation_id":%q`, ids[0])),
			actor(2, ""),
		}, "\n") + "\n"
		before := c.fingerprint()
		rep := importBundle(t, c, []byte(bundle), "")
		if rep.Committed || !slices.Equal(reportLines(rep), []int{1, 2}) || rep.Problems[0].Errors[0].Field != "affiliation_id" {
			t.Fatalf("atomic import of a cycle: %+v", rep)
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Fatalf("a refused import changed the database: %v -> %v", before, after)
		}
		rep = importBundle(t, c, []byte(bundle), "?atomic=false")
		if !rep.Committed || !slices.Equal(reportLines(rep), []int{1, 2}) || rep.Counts["actor"].Created != 1 {
			t.Fatalf("non-atomic import of a cycle: %+v", rep)
		}
		c.get("/api/v1/actors/"+ids[2].String()).want(t, 200, nil)
		c.get("/api/v1/actors/"+ids[0].String()).problem(t, 404)
	})
}

func reportLines(rep store.ImportReport) []int {
	var out []int
	for _, p := range rep.Problems {
		out = append(out, p.Line)
	}
	return out
}
