package api_test

import (
	"bytes"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// ushakov creates the Kremlin and Yuri Ushakov, an aide to the President of Russia since
// May 2012 with no end stated, and (invented) an ambassador from 2027.
func ushakov(t *testing.T, c *client) (kremlin, aide models.Actor) {
	t.Helper()
	c.do("POST", "/api/v1/actors", map[string]any{"name": "Kremlin", "slug": "kremlin", "kind": "organization", "country": "RU"}).want(t, 201, &kremlin)
	c.do("POST", "/api/v1/actors", map[string]any{"name": "Yuri Ushakov", "slug": "yuri-ushakov", "kind": "person", "country": "RU",
		"positions": []map[string]any{
			{"title": "Aide to the President of Russia", "organization_id": "kremlin", "start": "2012-05"},
			{"title": "Ambassador", "start": "2027", "note": "invented for the test"},
		}}).want(t, 201, &aide)
	return kremlin, aide
}

// TestPositionTitleOnEventDate: an event shows each participant's title on its own date,
// whatever the participant became later: Ushakov is the President's aide on 22 January
// 2026 and the (invented) ambassador in June 2027. No position covers 2010: no title.
func TestPositionTitleOnEventDate(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		kremlin, aide := ushakov(t, c)
		if len(aide.Positions) != 2 || aide.Positions[0].Organization == nil || aide.Positions[0].Organization.ID != kremlin.ID ||
			aide.Positions[0].Start.EDTF != "2012-05" || !aide.Positions[0].End.IsZero() {
			t.Fatalf("positions as stored: %+v", aide.Positions)
		}
		event := func(slug, date string) {
			c.do("POST", "/api/v1/events", map[string]any{"slug": slug, "title": slug, "type": "meeting", "status": "held", "date": date,
				"participants": []map[string]any{{"actor_id": "yuri-ushakov", "role": "participant"}, {"actor_id": "kremlin", "role": "host"}}}).want(t, 201, nil)
		}
		event("moscow-talks", "2026-01-22")
		event("later-talks", "2027-06")
		event("early-talks", "2010")
		want := map[string]string{"moscow-talks": "Aide to the President of Russia", "later-talks": "Ambassador", "early-talks": ""}
		for slug, title := range want {
			var e models.Event
			c.get("/api/v1/events/"+slug).want(t, 200, &e)
			if got := e.Participants[0].Title; got != title {
				t.Errorf("%s: Ushakov's title %q, want %q", slug, got, title)
			}
			if e.Participants[1].Title != "" {
				t.Errorf("%s: the Kremlin has no position but shows %q", slug, e.Participants[1].Title)
			}
			if org := e.Participants[0].TitleOrganization; (slug == "moscow-talks") != (org != nil && org.ID == kremlin.ID) {
				t.Errorf("%s: title organisation %v", slug, org)
			}
		}
		var l handlers.List[models.Event]
		c.get("/api/v1/events"+q("include", "participants", "limit", "10")).want(t, 200, &l)
		for _, e := range l.Items {
			if got := e.Participants[0].Title; got != want[e.Slug] {
				t.Errorf("list: %s: title %q, want %q", e.Slug, got, want[e.Slug])
			}
		}
		for format, want := range map[string]string{
			"ndjson": `"title":"Aide to the President of Russia"`,
			"jsonld": `"jobTitle":"Aide to the President of Russia"`,
			"csv":    `,Aide to the President of Russia,` + kremlin.ID.String(),
		} {
			query := q("format", format)
			if format == "csv" {
				query = q("format", format, "entity", "participants")
			}
			body := c.get("/api/v1/export"+query).want(t, 200, nil).Body
			if !bytes.Contains(body, []byte(want)) {
				t.Errorf("the %s export carries no title on the date: %.600s", format, body)
			}
		}
		if body := c.get("/api/v1/timeline"+q("format", "timelinejs")).want(t, 200, nil).Body; !bytes.Contains(body, []byte("Yuri Ushakov, Aide to the President of Russia (")) {
			t.Errorf("the timeline does not print the title on the date: %.600s", body)
		}
		// A title sent back is ignored, not stored: the GET body goes back as is.
		var e models.Event
		c.get("/api/v1/events/moscow-talks").want(t, 200, &e)
		e.Participants[0].Title = "Emperor"
		c.do("PUT", "/api/v1/events/moscow-talks", e).want(t, 200, nil)
		c.get("/api/v1/events/moscow-talks").want(t, 200, &e)
		if e.Participants[0].Title != want["moscow-talks"] {
			t.Errorf("a title sent in a body was stored: %q", e.Participants[0].Title)
		}
		// Revisions keep the positions.
		var revs handlers.List[models.Revision]
		c.get("/api/v1/actors/yuri-ushakov/revisions").want(t, 200, &revs)
		if len(revs.Items) == 0 || !bytes.Contains(revs.Items[0].Data, []byte(`"Aide to the President of Russia"`)) {
			t.Errorf("the revision has no positions: %+v", revs.Items)
		}
	})
}

// TestPositionsBadInput: every bad position or relation is a 422 naming its field, and
// the database is unchanged.
func TestPositionsBadInput(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		ushakov(t, c)
		c.do("POST", "/api/v1/actors", map[string]any{"name": "Donald Trump", "slug": "donald-trump", "kind": "person"}).want(t, 201, nil)
		c.do("POST", "/api/v1/actors", map[string]any{"name": "Jared Kushner", "slug": "jared-kushner", "kind": "person",
			"relations": []map[string]any{{"type": "child_in_law_of", "actor_id": "donald-trump", "start": "2009-10-25"}}}).want(t, 201, nil)
		many := make([]map[string]any, models.MaxPositions+1)
		for i := range many {
			many[i] = map[string]any{"title": fmt.Sprint("Office ", i)}
		}
		person := func(extra map[string]any) map[string]any {
			b := map[string]any{"name": "Someone", "kind": "person"}
			maps.Copy(b, extra)
			return b
		}
		cases := []struct {
			name, method, path string
			body               any
			field              string
		}{
			{"end before start", "POST", "/api/v1/actors", person(map[string]any{"positions": []map[string]any{{"title": "Aide", "start": "2012-05", "end": "2011"}}}), "positions[0].end"},
			{"no title", "POST", "/api/v1/actors", person(map[string]any{"positions": []map[string]any{{"start": "2012"}}}), "positions[0].title"},
			{"unknown organisation", "POST", "/api/v1/actors", person(map[string]any{"positions": []map[string]any{{"title": "Aide", "organization_id": "no-such-org"}}}), "positions[0].organization_id"},
			{"too many positions", "POST", "/api/v1/actors", person(map[string]any{"positions": many}), "positions"},
			{"unknown relation type", "POST", "/api/v1/actors", person(map[string]any{"relations": []map[string]any{{"type": "nemesis_of", "actor_id": "donald-trump"}}}), "relations[0].type"},
			{"unknown related actor", "POST", "/api/v1/actors", person(map[string]any{"relations": []map[string]any{{"type": "spouse_of", "actor_id": "nobody"}}}), "relations[0].actor_id"},
			{"relation end before start", "POST", "/api/v1/actors", person(map[string]any{"relations": []map[string]any{{"type": "spouse_of", "actor_id": "donald-trump", "start": "2005", "end": "2004-12"}}}), "relations[0].end"},
			{"self relation", "PUT", "/api/v1/actors/donald-trump", map[string]any{"name": "Donald Trump", "kind": "person",
				"relations": []map[string]any{{"type": "adviser_to", "actor_id": "donald-trump"}}}, "relations[0].actor_id"},
			{"position in itself", "PUT", "/api/v1/actors/kremlin", map[string]any{"name": "Kremlin", "kind": "organization",
				"positions": []map[string]any{{"title": "Seat", "organization_id": "kremlin"}}}, "positions[0].organization_id"},
			{"a cycle (the inverse stated again)", "PUT", "/api/v1/actors/donald-trump", map[string]any{"name": "Donald Trump", "kind": "person",
				"relations": []map[string]any{{"type": "parent_in_law_of", "actor_id": "jared-kushner"}}}, "relations[0].actor_id"},
			{"a relation twice", "PUT", "/api/v1/actors/jared-kushner", map[string]any{"name": "Jared Kushner", "kind": "person",
				"relations": []map[string]any{{"type": "child_in_law_of", "actor_id": "donald-trump"}, {"type": "child_in_law_of", "actor_id": "donald-trump"}}}, "relations[1]"},
		}
		for _, tc := range cases {
			before := c.fingerprint()
			p := c.do(tc.method, tc.path, tc.body).problem(t, 422)
			if !hasField(p, tc.field) {
				t.Errorf("%s: no error on %s: %+v", tc.name, tc.field, p.Errors)
			}
			if after := c.fingerprint(); !maps.Equal(before, after) {
				t.Errorf("%s: the database changed: %v → %v", tc.name, before, after)
			}
		}
	})
}

// TestPositionsDeleteReferenced: an actor that another's position or relation names
// cannot be deleted (409 naming the referrer); deleting the referrer takes its positions
// and relations with it, and then the named actor goes.
func TestPositionsDeleteReferenced(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		ushakov(t, c)
		c.do("POST", "/api/v1/actors", map[string]any{"name": "Vladimir Putin", "slug": "vladimir-putin", "kind": "person"}).want(t, 201, nil)
		c.do("PUT", "/api/v1/actors/yuri-ushakov", map[string]any{"name": "Yuri Ushakov", "kind": "person",
			"positions": []map[string]any{{"title": "Aide to the President of Russia", "organization_id": "kremlin", "start": "2012-05"}},
			"relations": []map[string]any{{"type": "adviser_to", "actor_id": "vladimir-putin"}}}).want(t, 200, nil)
		for _, slug := range []string{"kremlin", "vladimir-putin"} {
			p := c.do("DELETE", "/api/v1/actors/"+slug, nil).problem(t, 409)
			if !strings.Contains(p.Detail, "yuri-ushakov") {
				t.Errorf("delete %s: the 409 does not name Ushakov: %s", slug, p.Detail)
			}
		}
		c.do("DELETE", "/api/v1/actors/yuri-ushakov", nil).want(t, 204, nil)
		c.do("DELETE", "/api/v1/actors/kremlin", nil).want(t, 204, nil)
		c.do("DELETE", "/api/v1/actors/vladimir-putin", nil).want(t, 204, nil)
	})
}

// TestPositionsBundleForwardRefs: an actor whose position names an organisation, and
// whose relation names a person, both on later lines, imports; the export lists the named
// actors first and goes through an empty database of the same kind unchanged, twice.
func TestPositionsBundleForwardRefs(t *testing.T) {
	t.Parallel()
	bundle := strings.Join([]string{
		`{"type":"actor","data":{"slug":"yuri-ushakov","name":"Yuri Ushakov","kind":"person","positions":[{"title":"Aide to the President of Russia","organization_id":"kremlin","start":"2012-05"},{"title":"Deputy","organization_id":"duma","start":"2000","end":"2008~"}],"relations":[{"type":"adviser_to","actor_id":"vladimir-putin","start":"2012-05"}]}}`,
		`{"type":"actor","data":{"slug":"kremlin","name":"Kremlin","kind":"organization","relations":[{"type":"represents","actor_id":"duma"}]}}`,
		`{"type":"actor","data":{"slug":"vladimir-putin","name":"Vladimir Putin","kind":"person"}}`,
		`{"type":"actor","data":{"slug":"duma","name":"State Duma","kind":"organization"}}`,
		`{"type":"event","data":{"slug":"moscow-talks","title":"Moscow talks","type":"meeting","status":"held","date":"2026-01-22","participants":[{"actor_id":"yuri-ushakov","role":"participant"}]}}`,
	}, "\n") + "\n"
	each(t, false, func(t *testing.T, c *client) {
		rep := importBundle(t, c, []byte(bundle), "")
		if !rep.Committed || len(rep.Problems) != 0 || rep.Counts["actor"].Created != 4 {
			t.Fatalf("import: %+v %+v", rep.Counts["actor"], rep.Problems)
		}
		var e models.Event
		c.get("/api/v1/events/moscow-talks").want(t, 200, &e)
		if e.Participants[0].Title != "Aide to the President of Russia" {
			t.Errorf("title on the date after an import: %q", e.Participants[0].Title)
		}
		want := c.get("/api/v1/export/bundle").want(t, 200, nil).Body
		at := func(slug string) int { return bytes.Index(want, []byte(`"slug":"`+slug+`"`)) }
		if !(at("duma") < at("kremlin") && at("kremlin") < at("yuri-ushakov") && at("vladimir-putin") < at("yuri-ushakov")) {
			t.Errorf("the bundle does not list named actors first:\n%s", want)
		}
		c2 := newClient(t, storetest.Open(t, c.st.Dialect()), false)
		rep = importBundle(t, c2, want, "")
		if !rep.Committed || len(rep.Problems) != 0 {
			t.Fatalf("round trip import: %+v", rep.Problems)
		}
		if got := c2.get("/api/v1/export/bundle").Body; !bytes.Equal(got, want) {
			t.Fatalf("bundle changed after a round trip:\n%s", firstDiff(want, got))
		}
		before := c2.fingerprint()
		rep = importBundle(t, c2, want, "")
		for kind, n := range rep.Counts {
			if n.Created+n.Updated+n.Rejected != 0 {
				t.Errorf("second import of %s: %+v", kind, n)
			}
		}
		if after := c2.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("second import changed the database: %v → %v", before, after)
		}
	})
}

// TestActorRelationsBothWays: a relation stated once on Kushner reads on Trump by its
// inverse, with the other actor embedded.
func TestActorRelationsBothWays(t *testing.T) {
	t.Parallel()
	each(t, false, func(t *testing.T, c *client) {
		var trump, kushner models.Actor
		c.do("POST", "/api/v1/actors", map[string]any{"name": "Donald Trump", "slug": "donald-trump", "kind": "person"}).want(t, 201, &trump)
		c.do("POST", "/api/v1/actors", map[string]any{"name": "Jared Kushner", "slug": "jared-kushner", "kind": "person",
			"relations": []map[string]any{{"type": "child_in_law_of", "actor_id": "donald-trump", "start": "2009-10-25"}}}).want(t, 201, &kushner)
		var r store.ActorRelations
		c.get("/api/v1/actors/donald-trump/relations").want(t, 200, &r)
		if len(r.Items) != 1 || r.Truncated {
			t.Fatalf("Trump's relations: %+v", r)
		}
		if it := r.Items[0]; it.Type != models.ActorParentInLawOf || it.Direction != "inverse" || it.StatedType != models.ActorChildInLawOf ||
			it.Actor.ID != kushner.ID || it.ActorData == nil || it.ActorData.Name != "Jared Kushner" || it.Start.EDTF != "2009-10-25" {
			t.Errorf("Trump's side: %+v", it)
		}
		c.get("/api/v1/actors/jared-kushner/relations").want(t, 200, &r)
		if len(r.Items) != 1 || r.Items[0].Type != models.ActorChildInLawOf || r.Items[0].Direction != "stated" || r.Items[0].Actor.ID != trump.ID {
			t.Errorf("Kushner's side: %+v", r.Items)
		}
		c.get("/api/v1/actors/nobody/relations").problem(t, 404)
		c.get("/api/v1/actors/donald-trump/relations?limit=5").problem(t, 400)
	})
}
