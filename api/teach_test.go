package api_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
)

// The errors that teach (issue 12, item 7): each says what the client needs to send next.

// TestUnknownBodyFieldListsKnown: a body member the entity does not have is a 400 that
// names it, suggests the closest known member and lists the members a body sets there
// (derived from the Go type, so a new field is listed without a list to keep), at the
// top level and inside participants, for create, replace and patch; nothing is written.
func TestUnknownBodyFieldListsKnown(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		before := c.fingerprint()
		event := strings.Join(models.BodyMembers(reflect.TypeFor[models.Event]()), ", ")
		participant := strings.Join(models.BodyMembers(reflect.TypeFor[models.Participant]()), ", ")
		actor := strings.Join(models.BodyMembers(reflect.TypeFor[models.Actor]()), ", ")
		for _, tc := range []struct {
			method, path, body, field, suggest, detail string
		}{
			{"POST", "/api/v1/events", `{"titel":"Talks","type":"meeting","status":"held","date":"2026-01-23"}`,
				"titel", `did you mean "title"?`, "the fields a body sets here are " + event},
			{"POST", "/api/v1/events", `{"title":"Talks","type":"meeting","status":"held","date":"2026-01-23","participants":[{"actor_id":"russia","rol":"host"}]}`,
				"participants[0].rol", `did you mean "role"?`, "the fields a body sets in participants[0] are " + participant},
			{"PUT", "/api/v1/actors/ukraine", `{"name":"Ukraine","kind":"state","Country":"UA"}`,
				"Country", `did you mean "country"?`, "the fields a body sets here are " + actor},
			{"PATCH", "/api/v1/actors/ukraine", `{"nickname":"UA"}`, "nickname", "", "the fields a body sets here are " + actor},
		} {
			p := c.do(tc.method, tc.path, tc.body).problem(t, http.StatusBadRequest)
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field || !strings.HasPrefix(p.Errors[0].Message, "is not a known field") ||
				!strings.Contains(p.Errors[0].Message, tc.suggest) {
				t.Errorf("%s %s %s: errors %+v", tc.method, tc.path, tc.body, p.Errors)
			}
			if !strings.HasSuffix(p.Detail, tc.detail) {
				t.Errorf("%s %s: detail %q\nwant it to end with %q", tc.method, tc.path, p.Detail, tc.detail)
			}
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("refused bodies changed the database: %v -> %v", before, after)
		}
	})
}

// TestDeleteConflictNamesReferrers: deleting an actor that events, statements and
// actors still name is a 409 that counts each kind and names the first three by slug
// (statements by id), in the order of the kinds; the database is unchanged. The
// expected text is worked out here from the API's own answers.
func TestDeleteConflictNamesReferrers(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var a models.Actor
		c.get("/api/v1/actors/russia").want(t, 200, &a)
		var events handlers.List[models.Event]
		c.get("/api/v1/events?limit=500").want(t, 200, &events)
		var statements handlers.List[models.Statement]
		c.get("/api/v1/statements?limit=500").want(t, 200, &statements)
		var actors handlers.List[models.Actor]
		c.get("/api/v1/actors?limit=500").want(t, 200, &actors)
		var evSlugs, stIDs, acSlugs []string
		for _, e := range events.Items {
			for _, p := range e.Participants {
				if (p.Actor.ID == a.ID || (p.Represents != nil && p.Represents.ID == a.ID)) && !slices.Contains(evSlugs, e.Slug) {
					evSlugs = append(evSlugs, e.Slug)
				}
			}
		}
		for _, s := range statements.Items {
			if (s.Speaker != nil && s.Speaker.ID == a.ID) || (s.SpeaksFor != nil && s.SpeaksFor.ID == a.ID) {
				stIDs = append(stIDs, s.ID.String())
			}
		}
		for _, x := range actors.Items {
			if x.Affiliation != nil && x.Affiliation.ID == a.ID {
				acSlugs = append(acSlugs, x.Slug)
			}
		}
		if len(evSlugs) < 4 || len(acSlugs) == 0 {
			t.Fatalf("the seed should have russia in 4 or more events and as an affiliation: events %v, actors %v", evSlugs, acSlugs)
		}
		part := func(n int, one, many string, names []string) string {
			if n == 0 {
				return ""
			}
			slices.Sort(names)
			noun := many
			if n == 1 {
				noun = one
			}
			s := fmt.Sprintf("%d %s (%s", n, noun, strings.Join(names[:min(3, n)], ", "))
			if n > 3 {
				s += ", …"
			}
			return s + ")"
		}
		var parts []string
		for _, p := range []string{
			part(len(acSlugs), "actor", "actors", acSlugs),
			part(len(evSlugs), "event", "events", evSlugs),
			part(len(stIDs), "statement", "statements", stIDs),
		} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		want := `actor "russia" is still referenced by ` + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] +
			"; remove those references first"

		before := c.fingerprint()
		p := c.do("DELETE", "/api/v1/actors/russia", nil).problem(t, http.StatusConflict)
		if p.Type != "urn:parley:problem:conflict" || p.Detail != want {
			t.Errorf("409 detail\n%q\nwant\n%q", p.Detail, want)
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("the refused delete changed the database: %v -> %v", before, after)
		}
		c.get("/api/v1/actors/russia").want(t, 200, nil)
	})
}

// TestPreconditionRequiredShowsVersion: a change without If-Match is a 428 whose detail
// shows the header with the entity's current version (3 after two changes), for PUT,
// PATCH and DELETE; nothing changes. A missing entity is a 404, not a 428 with a version
// it does not have.
func TestPreconditionRequiredShowsVersion(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		c.do("PATCH", "/api/v1/locations/abu-dhabi", `{"admin_area":"Abu Dhabi Emirate"}`).want(t, 200, nil)
		c.do("PATCH", "/api/v1/locations/abu-dhabi", `{"admin_area":"Abu Dhabi"}`).want(t, 200, nil)
		before := c.fingerprint()
		for _, tc := range []struct{ method, body string }{
			{"PUT", `{"name":"Abu Dhabi","country":"AE"}`},
			{"PATCH", `{"name":"Abu Dhabi"}`},
			{"DELETE", ""},
		} {
			p := c.do(tc.method, "/api/v1/locations/abu-dhabi", tc.body, "If-Match", "").problem(t, http.StatusPreconditionRequired)
			if !strings.Contains(p.Detail, `location "abu-dhabi" is at version 3 now`) || !strings.Contains(p.Detail, `If-Match: "3"`) ||
				strings.Contains(p.Detail, `"1"`) {
				t.Errorf("%s: 428 detail %q", tc.method, p.Detail)
			}
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("refused changes changed the database: %v -> %v", before, after)
		}
		c.do("DELETE", "/api/v1/locations/nowhere", nil, "If-Match", "").problem(t, http.StatusNotFound)
	})
}

// TestUnknownFormatListsAll: format=xml on every endpoint with a format parameter is a
// 400 whose format error lists every format that endpoint takes, from the registry;
// a format of another endpoint says which one; /export without a format lists them too.
func TestUnknownFormatListsAll(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		for _, tc := range []struct {
			path string
			at   formats.Endpoint
			name string
			also string
		}{
			{"/api/v1/export", formats.AtExport, "xml", ""},
			{"/api/v1/timeline", formats.AtTimeline, "xml", ""},
			{"/api/v1/graph", formats.AtGraph, "xml", ""},
			{"/api/v1/export", formats.AtExport, "vis", " (vis is a format of GET /api/v1/timeline)"},
			{"/api/v1/graph", formats.AtGraph, "csv", " (csv is a format of GET /api/v1/export, parley export)"},
		} {
			p := c.get(tc.path+q("format", tc.name)).problem(t, http.StatusBadRequest)
			want := fmt.Sprintf("%q is not one of %s%s", tc.name, strings.Join(formats.Names(tc.at), ", "), tc.also)
			if len(p.Errors) != 1 || p.Errors[0].Field != "format" || p.Errors[0].Message != want {
				t.Errorf("%s?format=%s: %+v, want format: %s", tc.path, tc.name, p.Errors, want)
			}
		}
		p := c.get("/api/v1/export").problem(t, http.StatusBadRequest)
		if want := "is required: one of " + strings.Join(formats.Names(formats.AtExport), ", "); len(p.Errors) != 1 || p.Errors[0].Message != want {
			t.Errorf("/export without a format: %+v", p.Errors)
		}
	})
}

// TestExportFileNames: a download's Content-Disposition names what it holds, from the
// parsed filter: the entity, the format when the extension does not say it, the dates,
// the countries and the other filters; free text and long filters end with a hash of the
// whole filter, so different filters never share a name; every name is plain ASCII
// (letters, digits, hyphens) of bounded length, whatever the query held.
func TestExportFileNames(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		name := func(path string) string {
			t.Helper()
			r := c.get(path)
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", path, r.Status, r.Body)
			}
			disp, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition"))
			if err != nil || disp != "attachment" {
				t.Fatalf("%s: Content-Disposition %q: %v", path, r.Header.Get("Content-Disposition"), err)
			}
			n := params["filename"]
			if !regexp.MustCompile(`^[a-z0-9-]{1,100}\.[a-z]+$`).MatchString(n) {
				t.Errorf("%s: file name %q is not plain, bounded ASCII", path, n)
			}
			return n
		}
		for _, tc := range []struct{ path, want string }{
			{"/api/v1/export" + q("format", "csv", "from", "2026-01", "to", "2026-01", "country", "RU"), "parley-events-2026-01-ru.csv"},
			{"/api/v1/export" + q("format", "csv", "entity", "participants", "from", "2025-08", "to", "2026-01-23"), "parley-participants-2025-08-to-2026-01-23.csv"},
			{"/api/v1/export" + q("format", "timelinejs", "actor", "vladimir-putin", "actor", "steve-witkoff", "match", "all"),
				"parley-events-timelinejs-vladimir-putin-steve-witkoff-all.json"},
			{"/api/v1/export" + q("format", "ics", "from", "2026-01-22", "type", "negotiation", "status", "held"), "parley-events-from-2026-01-22-negotiation-held.ics"},
			{"/api/v1/export" + q("format", "ndjson"), "parley-events.ndjson"},
			{"/api/v1/export" + q("format", "json"), "parley-events.json"},
			{"/api/v1/graph" + q("format", "gexf", "country", "UA"), "parley-graph-ua.gexf"},
		} {
			if got := name(tc.path); got != tc.want {
				t.Errorf("%s: file name %q, want %q", tc.path, got, tc.want)
			}
		}
		// Free text, another script and hostile text: a readable part where there is
		// one, a hash that tells them apart.
		seen := map[string]string{}
		for _, qv := range []string{"Abu Dhabi", "abu dhabi", "переговоры", `"; filename="../../etc/passwd`} {
			n := name("/api/v1/export" + q("format", "json", "q", qv))
			if !regexp.MustCompile(`^parley-events(-q-[a-z0-9-]+)?-[0-9a-f]{8}\.json$`).MatchString(n) {
				t.Errorf("q=%q: file name %q", qv, n)
			}
			if other, ok := seen[n]; ok {
				t.Errorf("q=%q and q=%q share the file name %q", qv, other, n)
			}
			seen[n] = qv
		}
		// A long filter is cut at a hyphen and keeps its hash.
		var kv []string
		for i := range 30 {
			kv = append(kv, "tag", fmt.Sprintf("a-rather-long-tag-%02d", i))
		}
		n := name("/api/v1/export" + q(append([]string{"format", "csv"}, kv...)...))
		if !strings.HasPrefix(n, "parley-events-a-rather-long-tag-00-") || !regexp.MustCompile(`-[0-9a-f]{8}\.csv$`).MatchString(n) {
			t.Errorf("long filter: %q", n)
		}
	})
}

// uuidRE finds a UUID in text: what a slide showed where a name belonged.
var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestTimelineJSExportMatchesTimeline: GET /export?format=timelinejs and GET
// /timeline?format=timelinejs write the same slides for the same events (one encoder,
// the actors embedded by the store for both), with names where ids were (whom
// participants represent, who spoke), and no UUID anywhere in a slide's text. (The
// store's reads of those actors are counted in store.TestEmbeddedActorsFixedReads.)
func TestTimelineJSExportMatchesTimeline(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var tl, ex formats.TimelineJSDoc
		if err := models.UnmarshalStrict(c.get("/api/v1/timeline"+q("format", "timelinejs")).want(t, 200, nil).Body, &tl); err != nil {
			t.Fatal(err)
		}
		eb := c.get("/api/v1/export"+q("format", "timelinejs")).want(t, 200, nil).Body
		if err := models.UnmarshalStrict(eb, &ex); err != nil {
			t.Fatal(err)
		}
		if len(tl.Events) < 6 || len(tl.Events) != len(ex.Events) {
			t.Fatalf("/timeline has %d slides, /export %d", len(tl.Events), len(ex.Events))
		}
		for i := range tl.Events {
			a, b := tl.Events[i], ex.Events[i]
			if a.UniqueID != b.UniqueID || a.DisplayDate != b.DisplayDate || a.Text.Headline != b.Text.Headline || a.Text.Text != b.Text.Text ||
				jsonText(t, a.StartDate) != jsonText(t, b.StartDate) || jsonText(t, a.EndDate) != jsonText(t, b.EndDate) {
				t.Errorf("slide %d differs:\n/timeline %+v %s\n/export   %+v %s", i, a, a.Text.Text, b, b.Text.Text)
			}
			if id := uuidRE.FindString(b.Text.Text); id != "" {
				t.Errorf("%s: the exported slide shows the id %s: %s", b.UniqueID, id, b.Text.Text)
			}
		}
		var all string
		for _, s := range ex.Events {
			all += s.Text.Text
		}
		for _, want := range []string{"representing Russia", "representing United States", "<cite>Yuri Ushakov, Kremlin foreign policy aide"} {
			if !strings.Contains(all, want) {
				t.Errorf("the export lacks %q", want)
			}
		}
	})
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExportDescriptionListsCSVColumns: the /export operation's description in the
// published OpenAPI document names every csv column of each table, in the encoder's
// order, so the document cannot drift from formats/csv.go.
func TestExportDescriptionListsCSVColumns(t *testing.T) {
	t.Parallel()
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Paths.Find("/api/v1/export").Get
	desc := op.Description
	for entity, cols := range map[string][]string{
		"events":       formats.ExportEventColumns,
		"participants": formats.ExportParticipantColumns,
		"statements":   formats.ExportStatementColumns,
	} {
		i := strings.Index(desc, "entity="+entity+" columns: ")
		if i < 0 {
			t.Errorf("the description has no column list for entity=%s: %s", entity, desc)
			continue
		}
		rest := desc[i:]
		for _, c := range cols {
			j := strings.Index(rest, c)
			if j < 0 {
				t.Errorf("entity=%s: column %s missing or out of order in the description", entity, c)
				break
			}
			rest = rest[j+len(c):]
		}
	}
}
