package api_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// ushakovSentence is the article's sentence around Ushakov's “sincerely interested”,
// byte for byte (U+00A0 after the short words).
const ushakovSentence = "Ushakov also maintained that the Kremlin is\u00a0“sincerely interested” in\u00a0finding a\u00a0diplomatic solution to\u00a0the war."

// TestStatementContext: a quoted fragment keeps the sentence it was cut from, which says
// who or what it is about; the built-in dataset's fragments have theirs, and a statement
// is written, changed and read back with one on both databases.
func TestStatementContext(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		t.Run("the dataset's fragments say what they are about", func(t *testing.T) {
			var l handlers.List[models.Statement]
			c.get("/api/v1/statements"+q("speaker", "yuri-ushakov", "quote", "true")).want(t, 200, &l)
			found := false
			for _, s := range l.Items {
				if s.Text == "sincerely interested" {
					found = true
					if s.Context != ushakovSentence {
						t.Errorf("context %q", s.Context)
					}
				}
			}
			if !found {
				t.Fatalf("no “sincerely interested” among %d quotes", len(l.Items))
			}
		})

		t.Run("written, changed and read back", func(t *testing.T) {
			var st models.Statement
			c.do("POST", "/api/v1/statements", map[string]any{"text": "sincerely interested", "quote": true,
				"speaker_id": "yuri-ushakov", "date": "2026-01-23", "context": ushakovSentence}).want(t, 201, &st)
			var got models.Statement
			c.get("/api/v1/statements/"+st.ID.String()).want(t, 200, &got)
			if got.Context != ushakovSentence {
				t.Fatalf("read back %q", got.Context)
			}
			var patched, after models.Statement
			c.do("PATCH", "/api/v1/statements/"+st.ID.String(), `{"context":null}`,
				"If-Match", "*", "Content-Type", "application/merge-patch+json").want(t, 200, &patched)
			c.get("/api/v1/statements/"+st.ID.String()).want(t, 200, &after)
			if patched.Context != "" || after.Context != "" || after.Text != "sincerely interested" {
				t.Errorf("after removing it: %q, read back %q", patched.Context, after.Context)
			}
			body := string(c.get("/api/v1/statements/" + st.ID.String()).Body)
			if strings.Contains(body, `"context"`) {
				t.Errorf("an empty context is printed: %s", body)
			}
		})
	})
}

// TestStatementContextBadInput: a context longer than a text may be is a 422, one that is
// not a string a 400 (as for any member of the wrong type); both name the member and
// write nothing.
func TestStatementContextBadInput(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", models.MaxTextLen+1)
	cases := []struct {
		name, method, path string
		body               any
		status             int
	}{
		{"too long", "POST", "/api/v1/statements", map[string]any{"text": "x", "speaker_id": "yuri-ushakov", "date": "2026", "context": long}, 422},
		{"not a string", "POST", "/api/v1/statements", `{"text":"x","speaker_id":"yuri-ushakov","date":"2026","context":5}`, 400},
		{"too long in a patch", "PATCH", "/api/v1/statements/01a213f2-016b-7186-9782-49e3a45191e6", map[string]any{"context": long}, 422},
	}
	each(t, true, func(t *testing.T, c *client) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := c.fingerprint()
				var hdr []string
				if tc.method == "PATCH" {
					hdr = []string{"If-Match", "*", "Content-Type", "application/merge-patch+json"}
				}
				p := c.do(tc.method, tc.path, tc.body, hdr...).problem(t, tc.status)
				if !hasField(p, "context") {
					t.Errorf("problem does not name context: %+v", p)
				}
				if after := c.fingerprint(); !maps.Equal(before, after) {
					t.Errorf("database changed:\nbefore %v\nafter  %v", before, after)
				}
			})
		}
	})
}

// TestStatementContextBundle: a bundle carries each context, and a database restored
// from it gives the same ones back, on both databases.
func TestStatementContextBundle(t *testing.T) {
	t.Parallel()
	origin := newClient(t, openStore(t, store.SQLite), true)
	bundle := origin.get("/api/v1/export/bundle").Body
	if !strings.Contains(string(bundle), `"context":"Ushakov also maintained that the Kremlin is`+"\u00a0“sincerely interested”") {
		t.Fatal("the bundle lacks the context of “sincerely interested”")
	}
	contexts := func(c *client) map[string]string {
		out := map[string]string{}
		var l handlers.List[models.Statement]
		c.get("/api/v1/statements"+q("limit", "100")).want(t, 200, &l)
		for _, s := range l.Items {
			out[s.ID.String()] = s.Context
		}
		return out
	}
	want := contexts(origin)
	eachRestored(t, bundle, func(t *testing.T, c *client) {
		if got := contexts(c); !maps.Equal(got, want) {
			t.Errorf("after the round trip:\n got  %v\n want %v", got, want)
		}
	})
}

// eachRestored imports bundle into a fresh empty database of each dialect (PostgreSQL
// unless -short) and runs fn against a server over it.
func eachRestored(t *testing.T, bundle []byte, fn func(t *testing.T, c *client)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			if d == store.Postgres && testing.Short() {
				t.Skip("short")
			}
			c := newClient(t, openStore(t, d), false)
			if rep := importBundle(t, c, bundle, ""); !rep.Committed || len(rep.Problems) != 0 {
				t.Fatalf("import: %+v", rep.Problems)
			}
			fn(t, c)
		})
	}
}
