package api_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
)

// maxProblemBytes is the size bound the error-size tests hold every problem body to.
const maxProblemBytes = 16 << 10

// TestErrorBodyBounded: a request with thousands of bad parameters, or with huge
// names, values or bodies, gets a problem of at most maxProblemBytes that still names
// the first offenders, on both databases, and writes nothing.
func TestErrorBodyBounded(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		before := c.fingerprint()
		bounded := func(what string, r *response, status int) handlers.Problem {
			t.Helper()
			p := r.problem(t, status)
			if len(r.Body) > maxProblemBytes {
				t.Errorf("%s: %d-byte problem, over %d", what, len(r.Body), maxProblemBytes)
			}
			return p
		}
		// 10,000 unknown parameters: the first twenty by name, then a count; the known
		// parameters are named once, in the detail.
		v := url.Values{}
		for i := range 10000 {
			v.Set(fmt.Sprintf("p%05d", i), "1")
		}
		r := c.get("/api/v1/events?" + v.Encode())
		t.Logf("10,000 unknown parameters: a %d-byte problem", len(r.Body))
		p := bounded("10,000 unknown parameters", r, 400)
		if len(p.Errors) != 21 || p.Errors[0].Field != "p00000" || p.Errors[19].Field != "p00019" ||
			p.Errors[20].Message != "and 9,981 more errors" { // 9,980 parameters and the query's length
			t.Errorf("unknown parameters: %+v", p.Errors)
		}
		if !strings.Contains(p.Detail, "actor") || !strings.Contains(p.Detail, "tag") || strings.Contains(p.Errors[0].Message, "actor") {
			t.Errorf("the known parameters belong in the detail, once: %q, %q", p.Detail, p.Errors[0].Message)
		}

		// Invalid values of one known parameter, on each kind of check: as many as the
		// cap allows, each reported up to the bound; 10,000 are refused by count.
		for _, param := range []string{"type", "status", "country", "tag", "actor"} {
			v := url.Values{}
			for i := range handlers.MaxValues {
				v.Add(param, fmt.Sprintf("Bad%03d", i))
			}
			p := bounded(fmt.Sprintf("%d bad %s", handlers.MaxValues, param), c.get("/api/v1/events?"+v.Encode()), 400)
			if len(p.Errors) != 21 || p.Errors[0].Field != param || !strings.Contains(p.Errors[0].Message, "Bad000") ||
				p.Errors[20].Message != fmt.Sprintf("and %d more errors", handlers.MaxValues-20) {
				t.Errorf("bad %s: %+v", param, p.Errors)
			}
			v = url.Values{}
			for i := range 10000 {
				v.Add(param, fmt.Sprintf("Bad Value %05d!", i))
			}
			p = bounded("10,000 bad "+param, c.get("/api/v1/events?"+v.Encode()), 400)
			if !hasField(p, param) || !strings.Contains(string(mustJSON(t, p.Errors)), "at most 50") {
				t.Errorf("10,000 bad %s: %+v", param, p.Errors)
			}
		}

		// Huge names and values, and characters JSON escapes six-fold.
		huge := strings.Repeat("<&>", 20000)
		p = bounded("a huge unknown name", c.get("/api/v1/events?"+url.QueryEscape(huge)+"=1"), 400)
		if len(p.Errors) != 2 || !strings.HasPrefix(p.Errors[0].Field, "<&>") || p.Errors[1].Field != "query" {
			t.Errorf("huge name: %+v", p.Errors)
		}
		bounded("a huge bad value", c.get("/api/v1/events"+q("type", huge)), 400)
		bounded("a huge bad date", c.get("/api/v1/stats/events"+q("interval", huge, "from", huge)), 400)

		// Bodies: thousands of invalid participants, and an unknown member with a huge name.
		var parts []string
		for range 5000 {
			parts = append(parts, `{"actor_id":"ukraine","role":"juggler"}`)
		}
		p = bounded("5,000 bad participants", c.do("POST", "/api/v1/events",
			`{"title":"T","type":"meeting","status":"held","date":"2026","participants":[`+strings.Join(parts, ",")+`]}`), 422)
		// 5,000 bad roles and 4,999 repeats of one actor, in the order people read indices.
		if len(p.Errors) != 21 || p.Errors[0].Field != "participants[0].role" || p.Errors[1].Field != "participants[1]" ||
			p.Errors[19].Field != "participants[10]" || p.Errors[20].Message != "and 9,979 more errors" {
			t.Errorf("bad participants: %+v", p.Errors)
		}
		bounded("a huge unknown member", c.do("POST", "/api/v1/actors", `{"name":"A","kind":"person","`+strings.Repeat("<", 500000)+`":1}`), 400)

		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("refused requests wrote: %v -> %v", before, after)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
