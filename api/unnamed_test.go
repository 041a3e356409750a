package api_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// TestUnnamedSpeakers asks the built-in dataset who said what on whose behalf: TASS
// itself said nothing, a TASS source did (someone who told TASS, whom the article does
// not say they speak for); speaker= is only what an actor said itself and speaks_for=
// what unnamed people of an organisation said.
func TestUnnamedSpeakers(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var tass, wh models.Actor
		c.get("/api/v1/actors/tass").want(t, 200, &tass)
		c.get("/api/v1/actors/white-house").want(t, 200, &wh)

		t.Run("what TASS itself said: nothing", func(t *testing.T) {
			for _, path := range []string{"/api/v1/statements" + q("speaker", "tass"), "/api/v1/actors/tass/statements",
				"/api/v1/statements" + q("speaker", "white-house")} {
				var l handlers.List[models.Statement]
				c.get(path).want(t, 200, &l)
				if len(l.Items) != 0 {
					t.Errorf("%s: %d statements, first %+v", path, len(l.Items), l.Items[0])
				}
			}
		})

		t.Run("what was attributed to a TASS source", func(t *testing.T) {
			var l handlers.List[models.Statement]
			c.get("/api/v1/statements"+q("speaks_for", "tass")).want(t, 200, &l)
			if len(l.Items) != 0 {
				t.Errorf("a TASS source is not known to speak for TASS, yet speaks_for=tass gave %+v", l.Items)
			}
			c.get("/api/v1/statements"+q("q", `"a TASS source"`, "include", "speaker")).want(t, 200, &l)
			if len(l.Items) != 1 {
				t.Fatalf("got %d statements: %+v", len(l.Items), l.Items)
			}
			s := l.Items[0]
			if s.Speaker != nil || s.SpeakerData != nil || s.Attribution != "a TASS source" || s.SpeaksFor != nil || s.SpeaksForData != nil ||
				s.Text != "They agreed [to continue]. No\u00a0one is\u00a0slamming the door," {
				t.Errorf("got %+v", s)
			}
		})

		t.Run("a White House official, filtered with the other filters", func(t *testing.T) {
			var l handlers.List[models.Statement]
			c.get("/api/v1/statements"+q("speaks_for", "white-house", "quote", "true")).want(t, 200, &l)
			if len(l.Items) != 1 || l.Items[0].Text != "productive" || l.Items[0].Attribution != "a White House official" ||
				l.Items[0].Speaker != nil || l.Items[0].SpeaksFor.ID != wh.ID {
				t.Fatalf("got %+v", l.Items)
			}
			c.get("/api/v1/statements"+q("speaks_for", "white-house", "speaks_for", "tass")).want(t, 200, &l)
			if len(l.Items) != 2 {
				t.Errorf("two organisations: %d statements", len(l.Items))
			}
			c.get("/api/v1/statements"+q("speaks_for", "tass", "speaker", "yuri-ushakov")).want(t, 200, &l)
			if len(l.Items) != 0 {
				t.Errorf("speaker and speaks_for together: %d statements", len(l.Items))
			}
		})

		t.Run("the timeline names the attribution and the organisation", func(t *testing.T) {
			body := string(c.get("/api/v1/timeline" + q("format", "timelinejs")).Body)
			if !strings.Contains(body, `a TASS source\u003c/cite\u003e`) || strings.Contains(body, "a TASS source (TASS)") ||
				!strings.Contains(body, "a White House official (White House)") {
				t.Errorf("timeline without the attributions: %.2000s", body)
			}
		})

		t.Run("a statement by an unnamed speaker is written and read back", func(t *testing.T) {
			var st models.Statement
			c.do("POST", "/api/v1/statements", `{"text":"Talks went well.","attribution":"a Kremlin source","speaks_for_id":"tass","date":"2026-01-24"}`).want(t, 201, &st)
			if st.Speaker != nil || st.SpeaksFor == nil || st.SpeaksFor.ID != tass.ID {
				t.Fatalf("created %+v", st)
			}
			var got models.Statement
			c.get("/api/v1/statements/"+st.ID.String()).want(t, 200, &got)
			if got.Speaker != nil || got.SpeaksFor == nil || got.SpeaksFor.ID != tass.ID || got.Attribution != "a Kremlin source" {
				t.Errorf("read back %+v", got)
			}
			var l handlers.List[models.Statement]
			c.get("/api/v1/statements"+q("speaker", "tass")).want(t, 200, &l)
			if len(l.Items) != 0 {
				t.Errorf("speaker=tass found %d after the write", len(l.Items))
			}
		})
	})
}

// TestUnnamedSpeakersBadInput: a statement with neither speaker nor attribution is a 422,
// and so are unknown organisations; bad filter values are 400s. None writes anything.
func TestUnnamedSpeakersBadInput(t *testing.T) {
	t.Parallel()
	many := make([]string, 0, 102)
	for range 51 {
		many = append(many, "speaks_for", "tass")
	}
	cases := []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"neither speaker nor attribution", "POST", "/api/v1/statements", `{"text":"hello","date":"2026","speaks_for_id":"tass"}`, 422, ""},
		{"a blank attribution", "POST", "/api/v1/statements", `{"text":"hello","date":"2026","attribution":"   "}`, 422, ""},
		{"unknown organisation", "POST", "/api/v1/statements", `{"text":"hello","date":"2026","attribution":"a source","speaks_for_id":"no-such-actor"}`, 422, "speaks_for_id"},
		{"organisation not a string", "POST", "/api/v1/statements", `{"text":"hello","date":"2026","attribution":"a source","speaks_for_id":5}`, 422, "speaks_for_id"},
		{"PATCH removing the only speaker", "PATCH", "/api/v1/statements/01a213f2-0168-75ea-ab37-73ed2bcee38f", `{"speaker_id":null}`, 422, ""},
		{"unknown speaks_for", "GET", "/api/v1/statements" + q("speaks_for", "no-such-actor"), "", 400, "speaks_for"},
		{"SQL in speaks_for", "GET", "/api/v1/statements" + q("speaks_for", "x' OR '1'='1"), "", 400, "speaks_for"},
		{"too many speaks_for", "GET", "/api/v1/statements" + q(many...), "", 400, "speaks_for"},
		{"speaks_for on an actor's statements", "GET", "/api/v1/actors/tass/statements" + q("speaks_for", "tass"), "", 400, "speaks_for"},
	}
	each(t, true, func(t *testing.T, c *client) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := c.fingerprint()
				var body any
				var hdr []string
				if tc.body != "" {
					body = tc.body
				}
				if tc.method == "PATCH" {
					hdr = []string{"If-Match", "*", "Content-Type", "application/merge-patch+json"}
				}
				p := c.do(tc.method, tc.path, body, hdr...).problem(t, tc.status)
				if !hasField(p, tc.field) {
					t.Errorf("problem does not name %q: %+v", tc.field, p)
				}
				if after := c.fingerprint(); !maps.Equal(before, after) {
					t.Errorf("database changed:\nbefore %v\nafter  %v", before, after)
				}
			})
		}
	})
}

// TestUnnamedSpeakersBundle: a bundle keeps an unnamed speaker's attribution and
// organisation, and a database restored from it answers speaks_for= as the first did.
func TestUnnamedSpeakersBundle(t *testing.T) {
	t.Parallel()
	origin := newClient(t, openStore(t, store.SQLite), true)
	var wh models.Actor
	origin.get("/api/v1/actors/white-house").want(t, 200, &wh)
	bundle := origin.get("/api/v1/export/bundle").Body
	found := 0
	for line := range strings.Lines(string(bundle)) {
		if strings.Contains(line, `"attribution":"a White House official"`) {
			found++
			if !strings.Contains(line, `"speaks_for_id":"`+wh.ID.String()+`"`) || strings.Contains(line, `"speaker_id"`) {
				t.Errorf("bundle line: %s", line)
			}
		}
	}
	if found != 2 {
		t.Fatalf("%d statements of the White House official in the bundle, want 2", found)
	}
	eachRestored(t, bundle, func(t *testing.T, c *client) {
		var l handlers.List[models.Statement]
		c.get("/api/v1/statements"+q("speaks_for", "white-house")).want(t, 200, &l)
		if len(l.Items) != 2 || l.Items[0].Speaker != nil || l.Items[0].Attribution != "a White House official" {
			t.Errorf("after the round trip: %+v", l.Items)
		}
		c.get("/api/v1/statements"+q("speaker", "white-house")).want(t, 200, &l)
		if len(l.Items) != 0 {
			t.Errorf("speaker=white-house after the round trip: %d", len(l.Items))
		}
	})
}
