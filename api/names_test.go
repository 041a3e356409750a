package api_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// slugsOf decodes a list body and returns its items' slugs.
func slugsOf(t *testing.T, r *response) []string {
	t.Helper()
	var l struct {
		Items []struct {
			Slug string `json:"slug"`
		} `json:"items"`
	}
	r.want(t, http.StatusOK, &l)
	out := []string{}
	for _, it := range l.Items {
		out = append(out, it.Slug)
	}
	return out
}

// TestFindByName: a newcomer types "put" and finds Putin, in Latin or Cyrillic, any
// case; locations and sources are found the same way; the first of the answers is the
// best.
func TestFindByName(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(c.st.CreateActor(context.Background(), &models.Actor{Name: "Recep Tayyip Erdoğan", Kind: models.ActorPerson, Country: "TR"}))
		for _, tc := range []struct {
			path  string
			first string
			all   []string // when set, exactly these
		}{
			{"/api/v1/actors?q=put", "vladimir-putin", nil},
			{"/api/v1/actors?q=Putin", "vladimir-putin", []string{"vladimir-putin"}},
			{"/api/v1/actors" + q("q", "путин"), "vladimir-putin", []string{"vladimir-putin"}},
			{"/api/v1/actors" + q("q", "Зеленск"), "volodymyr-zelensky", []string{"volodymyr-zelensky"}},
			{"/api/v1/actors?q=zelenskyy", "volodymyr-zelensky", []string{"volodymyr-zelensky"}},
			{"/api/v1/actors?q=Erdogan", "recep-tayyip-erdogan", []string{"recep-tayyip-erdogan"}},
			{"/api/v1/actors" + q("q", "erdoğan"), "recep-tayyip-erdogan", []string{"recep-tayyip-erdogan"}},
			{"/api/v1/actors?q=vladimir-putin", "vladimir-putin", []string{"vladimir-putin"}},
			{"/api/v1/actors?q=put&kind=state", "", []string{}},
			{"/api/v1/locations?q=abu", "abu-dhabi", []string{"abu-dhabi"}},
			{"/api/v1/sources?q=meduza", "", nil},
		} {
			got := slugsOf(t, c.get(tc.path))
			if tc.all != nil && !slices.Equal(got, tc.all) {
				t.Errorf("GET %s: %q, want %q", tc.path, got, tc.all)
			}
			if tc.first != "" && (len(got) == 0 || got[0] != tc.first) {
				t.Errorf("GET %s: %q, want %s first", tc.path, got, tc.first)
			}
			if tc.first == "" && tc.all == nil && len(got) == 0 {
				t.Errorf("GET %s: nothing", tc.path)
			}
		}
		// Pages of one follow the ranking, with a Link to the next.
		first := c.get("/api/v1/actors?q=v&limit=1")
		if !strings.Contains(first.Header.Get("Link"), "cursor=") {
			t.Errorf("no Link to the next page: %v", first.Header)
		}
		if got := slugsOf(t, first); len(got) != 1 {
			t.Errorf("limit=1: %q", got)
		}
	})
}

// TestNameSearchProblems: a query too long, one without letters, relevance without a
// query: each a 400 naming the parameter, the database unchanged.
func TestNameSearchProblems(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		before := c.fingerprint()
		long := strings.Repeat("п", store.MaxNameQueryLen+1)
		for _, tc := range []struct{ path, field, says string }{
			{"/api/v1/actors" + q("q", long), "q", "at most 100 characters"},
			{"/api/v1/locations" + q("q", long), "q", "at most 100 characters"},
			{"/api/v1/sources" + q("q", long), "q", "at most 100 characters"},
			{"/api/v1/actors" + q("q", "--"), "q", "no letters or digits"},
			{"/api/v1/actors?sort=relevance", "sort", "relevance needs a search query q"},
			{"/api/v1/actors?q=put&sort=best", "sort", "relevance"},
		} {
			p := c.get(tc.path).problem(t, http.StatusBadRequest)
			i := slices.IndexFunc(p.Errors, func(e models.FieldError) bool { return e.Field == tc.field })
			if i < 0 || !strings.Contains(p.Errors[i].Message, tc.says) {
				t.Errorf("GET %.60s: %+v, want %s: …%s…", tc.path, p.Errors, tc.field, tc.says)
			}
		}
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("the database changed: %v -> %v", before, after)
		}
	})
}

// TestSuggestedSlugs: an unknown actor in a filter or a path is a problem whose body
// names the closest slugs, in the message and as suggestions.
func TestSuggestedSlugs(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		for _, tc := range []struct {
			path   string
			status int
			field  string
			want   []string
		}{
			{"/api/v1/events?actor=vladimir-puttin", http.StatusBadRequest, "actor", []string{"vladimir-putin"}},
			{"/api/v1/events?actor=ukraine&actor=zelenskiy", http.StatusBadRequest, "actor", []string{"volodymyr-zelensky"}},
			{"/api/v1/statements?speaker=putn", http.StatusBadRequest, "speaker", []string{"vladimir-putin"}},
			{"/api/v1/export?format=ndjson&actor=vladimir-puttin", http.StatusBadRequest, "actor", []string{"vladimir-putin"}},
			{"/api/v1/actors/putn/events", http.StatusNotFound, "id", []string{"vladimir-putin"}},
			{"/api/v1/actors/putn/statements", http.StatusNotFound, "id", []string{"vladimir-putin"}},
			{"/api/v1/actors/vladimir-puttin", http.StatusNotFound, "id", []string{"vladimir-putin"}},
			{"/api/v1/locations/abu-dabi", http.StatusNotFound, "id", []string{"abu-dhabi"}},
		} {
			r := c.get(tc.path)
			p := r.problem(t, tc.status)
			i := slices.IndexFunc(p.Errors, func(e models.FieldError) bool { return e.Field == tc.field })
			if i < 0 {
				t.Errorf("GET %s: no error on %s: %s", tc.path, tc.field, r.Body)
				continue
			}
			e := p.Errors[i]
			if !slices.Equal(e.Suggestions, tc.want) || !strings.Contains(e.Message, `did you mean "`+tc.want[0]+`"`) {
				t.Errorf("GET %s: %+v, want suggestions %q", tc.path, e, tc.want)
			}
			// As JSON: "suggestions" on the field error.
			var raw struct {
				Errors []map[string]json.RawMessage `json:"errors"`
			}
			if err := json.Unmarshal(r.Body, &raw); err != nil || raw.Errors[i]["suggestions"] == nil {
				t.Errorf("GET %s: no suggestions member: %s", tc.path, r.Body)
			}
		}
		// Nothing close: the problem as before, no suggestions.
		p := c.get("/api/v1/events?actor=angela-merkel").problem(t, http.StatusBadRequest)
		if len(p.Errors) != 1 || p.Errors[0].Suggestions != nil || strings.Contains(p.Errors[0].Message, "did you mean") {
			t.Errorf("actor=angela-merkel: %+v", p.Errors)
		}
	})
}

// TestStatementsWithSpeakers: a quote comes with its speaker's name, its event and its
// sources when asked (include=speaker,event,sources); an unknown include value is a 400.
func TestStatementsWithSpeakers(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var l handlers.List[models.Statement]
		c.get("/api/v1/statements?include=speaker,event,sources").want(t, http.StatusOK, &l)
		if len(l.Items) == 0 {
			t.Fatal("no statements in the built-in dataset")
		}
		for _, st := range l.Items {
			switch {
			case st.Speaker == nil: // an unnamed speaker: the organisation they speak for comes instead
				if st.SpeakerData != nil || (st.SpeaksFor == nil) != (st.SpeaksForData == nil) ||
					st.SpeaksFor != nil && (st.SpeaksForData.ID != st.SpeaksFor.ID || st.SpeaksForData.Name == "") {
					t.Errorf("statement %s: no speaker, embedded %+v, speaks for %+v", st.ID, st.SpeakerData, st.SpeaksForData)
				}
			case st.SpeakerData == nil || st.SpeakerData.ID != st.Speaker.ID || st.SpeakerData.Name == "":
				t.Errorf("statement %s: speaker %+v", st.ID, st.SpeakerData)
			}
			if (st.Event == nil) != (st.EventData == nil) || st.EventData != nil && st.EventData.ID != st.Event.ID {
				t.Errorf("statement %s: event %v, embedded %+v", st.ID, st.Event, st.EventData)
			}
			if len(st.SourcesData) != len(st.Sources) {
				t.Errorf("statement %s: %d sources, %d embedded", st.ID, len(st.Sources), len(st.SourcesData))
			}
		}
		var mine handlers.List[models.Statement]
		c.get("/api/v1/actors/volodymyr-zelensky/statements?include=speaker").want(t, http.StatusOK, &mine)
		if len(mine.Items) == 0 {
			t.Fatal("Zelensky said nothing")
		}
		for _, st := range mine.Items {
			if st.SpeakerData == nil || st.SpeakerData.Name != "Volodymyr Zelensky" || st.EventData != nil {
				t.Errorf("/actors/volodymyr-zelensky/statements?include=speaker: %+v %+v", st.SpeakerData, st.EventData)
			}
		}
		// Without include, nothing is embedded.
		var plain struct {
			Items []map[string]json.RawMessage `json:"items"`
		}
		c.get("/api/v1/statements").want(t, http.StatusOK, &plain)
		for _, it := range plain.Items {
			if it["speaker"] != nil || it["event"] != nil || it["sources"] != nil {
				t.Errorf("embedded without include: %v", it)
			}
		}
		// Events embed whom each participant represents.
		var ev models.Event
		var evs handlers.List[models.Event]
		c.get("/api/v1/events?actor=volodymyr-zelensky&include=participants").want(t, http.StatusOK, &evs)
		for _, e := range evs.Items {
			for _, p := range e.Participants {
				if p.Represents != nil {
					ev = e
					if p.RepresentsData == nil || p.RepresentsData.ID != p.Represents.ID || p.RepresentsData.Name == "" {
						t.Errorf("%s: %s represents %+v", e.Slug, p.Actor.ID, p.RepresentsData)
					}
				}
			}
		}
		if ev.ID.IsZero() {
			t.Error("no participant of Zelensky's events represents anyone")
		}

		// Bad include values: 400 naming include and the values it takes.
		before := c.fingerprint()
		for _, path := range []string{
			"/api/v1/statements?include=speaker,participants",
			"/api/v1/actors/volodymyr-zelensky/statements?include=everything",
		} {
			p := c.get(path).problem(t, http.StatusBadRequest)
			i := slices.IndexFunc(p.Errors, func(e models.FieldError) bool { return e.Field == "include" })
			if i < 0 || !strings.Contains(p.Errors[i].Message, "speaker, event, sources") {
				t.Errorf("GET %s: %+v", path, p.Errors)
			}
		}
		// A body naming the read-only embeddings is refused.
		r := c.do(http.MethodPost, "/api/v1/statements", map[string]any{
			"text": "x", "speaker_id": "vladimir-putin", "date": "2026", "speaker": map[string]any{"name": "Someone"},
		})
		r.problem(t, http.StatusUnprocessableEntity)
		if after := c.fingerprint(); !maps.Equal(before, after) {
			t.Errorf("the database changed: %v -> %v", before, after)
		}
	})
}
