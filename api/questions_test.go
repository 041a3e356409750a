package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// TestSeedQuestions asks the built-in dataset the researcher's questions of issue 14 on
// both databases, and expects the article's answers exactly: who said what on whose
// behalf, according to whom, and on what evidence.
func TestSeedQuestions(t *testing.T) {
	t.Parallel()
	const (
		meduza = "meduza-2026-01-23-first-trilateral-talks"
		nbc    = "nbc-news-2026-01-23-white-house-official"
		tass   = "tass-2026-01-23-talks-to-resume"
	)
	slugs := func(es []models.Event) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Slug)
		}
		slices.Sort(out)
		return out
	}
	each(t, true, func(t *testing.T, c *client) {
		t.Run("TASS itself said nothing; a TASS source said one thing", func(t *testing.T) {
			var l handlers.List[models.Statement]
			for _, path := range []string{"/api/v1/statements" + q("speaker", "tass"), "/api/v1/actors/tass/statements",
				"/api/v1/statements" + q("speaks_for", "tass")} {
				c.get(path).want(t, 200, &l)
				if len(l.Items) != 0 {
					t.Errorf("%s: %d statements, want none", path, len(l.Items))
				}
			}
			c.get("/api/v1/statements"+q("source", tass)).want(t, 200, &l)
			if len(l.Items) != 1 {
				t.Fatalf("reported by TASS: %+v", l.Items)
			}
			s := l.Items[0]
			if s.Speaker != nil || s.SpeaksFor != nil || s.Attribution != "a TASS source" ||
				s.Text != "They agreed [to continue]. No\u00a0one is\u00a0slamming the door," {
				t.Errorf("the TASS source's words: %+v", s)
			}
		})

		t.Run("everything Russia did through its representatives", func(t *testing.T) {
			all := []string{"abu-dhabi-trilateral-talks", "abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2",
				"putin-trump-anchorage-summit", "putin-witkoff-kushner-moscow-meeting"}
			var l handlers.List[models.Event]
			for _, path := range []string{"/api/v1/events" + q("actor", "russia", "represented", "true"),
				"/api/v1/actors/russia/events" + q("represented", "true")} {
				c.get(path).want(t, 200, &l)
				if got := slugs(l.Items); !slices.Equal(got, all) {
					t.Errorf("%s: %v, want %v", path, got, all)
				}
			}
			c.get("/api/v1/events"+q("actor", "russia")).want(t, 200, &l)
			if got := slugs(l.Items); !slices.Equal(got, all[:3]) {
				t.Errorf("Russia directly: %v, want %v", got, all[:3])
			}
		})

		t.Run("Ushakov's title on the day", func(t *testing.T) {
			var a models.Actor
			c.get("/api/v1/actors/yuri-ushakov").want(t, 200, &a)
			if len(a.Positions) != 1 || a.Positions[0].Title != "Kremlin foreign policy aide" {
				t.Fatalf("Ushakov's positions: %+v", a.Positions)
			}
			var l handlers.List[models.Statement]
			c.get("/api/v1/statements"+q("speaker", "yuri-ushakov", "include", "speaker")).want(t, 200, &l)
			if len(l.Items) == 0 {
				t.Fatal("Ushakov said nothing")
			}
			for _, s := range l.Items {
				if s.SpeakerTitle != "Kremlin foreign policy aide" {
					t.Errorf("Ushakov speaks on %s as %q", s.Date.EDTF, s.SpeakerTitle)
				}
			}
			// Whatever he becomes later: a later office does not change the day's title.
			patch := `{"positions":[{"title":"Kremlin foreign policy aide","organization_id":"kremlin","end":"2026-12"},` +
				`{"title":"Ambassador","start":"2027-01"}]}`
			c.do("PATCH", "/api/v1/actors/yuri-ushakov", patch, "Content-Type", "application/merge-patch+json",
				"If-Match", fmt.Sprintf(`"%d"`, a.Version)).want(t, 200, nil)
			c.get("/api/v1/statements"+q("speaker", "yuri-ushakov", "include", "speaker")).want(t, 200, &l)
			for _, s := range l.Items {
				if s.SpeakerTitle != "Kremlin foreign policy aide" {
					t.Errorf("after a later office, Ushakov speaks on %s as %q", s.Date.EDTF, s.SpeakerTitle)
				}
			}
		})

		t.Run("what NBC News supports, via Meduza", func(t *testing.T) {
			var l handlers.List[models.Event]
			c.get("/api/v1/events"+q("source", nbc)).want(t, 200, &l)
			if got := slugs(l.Items); !slices.Equal(got, []string{"abu-dhabi-trilateral-talks-day-1", "abu-dhabi-trilateral-talks-day-2"}) {
				t.Errorf("source=NBC: %v", got)
			}
			c.get("/api/v1/events"+q("source", nbc, "supports", "date")).want(t, 200, &l)
			if got := slugs(l.Items); !slices.Equal(got, []string{"abu-dhabi-trilateral-talks-day-2"}) {
				t.Errorf("the dates NBC supports: %v", got)
			}
			var src models.Source
			c.get("/api/v1/sources/"+nbc).want(t, 200, &src)
			var e models.Event
			c.get("/api/v1/events/abu-dhabi-trilateral-talks-day-2"+q("include", "sources")).want(t, 200, &e)
			found := false
			for _, ev := range e.Evidence {
				if ev.Source.ID == src.ID {
					found = slices.Contains(ev.Supports, "date") && slices.Contains(ev.Supports, "status") &&
						ev.Quote == "said it\u00a0is\u00a0set to\u00a0continue tomorrow, January 24."
				}
			}
			if !found {
				t.Errorf("NBC's evidence for day 2: %+v", e.Evidence)
			}
			credits := map[string]string{}
			for _, s := range e.SourcesData {
				credits[s.Slug] = s.Credit
			}
			if credits[nbc] != "NBC News, via Meduza" || credits[tass] != "TASS, via Meduza" || credits[meduza] != "Meduza" {
				t.Errorf("credits: %v", credits)
			}
			body := string(c.get("/api/v1/timeline"+q("format", "timelinejs", "from", "2026-01-24", "to", "2026-01-24")).want(t, 200, nil).Body)
			if !strings.Contains(body, "NBC News, via Meduza") {
				t.Errorf("the timeline does not credit NBC News via Meduza: %.400s", body)
			}
		})

		t.Run("Kushner is Trump's son-in-law", func(t *testing.T) {
			var rel store.ActorRelations
			c.get("/api/v1/actors/donald-trump/relations").want(t, 200, &rel)
			if len(rel.Items) != 1 || rel.Items[0].Type != models.ActorParentInLawOf || rel.Items[0].Direction != "inverse" ||
				rel.Items[0].ActorData == nil || rel.Items[0].ActorData.Slug != "jared-kushner" {
				t.Errorf("Trump's relations: %+v", rel.Items)
			}
		})

		t.Run("every claim cites its span", func(t *testing.T) {
			var l handlers.List[models.Event]
			c.get("/api/v1/events"+q("limit", "50")).want(t, 200, &l)
			for _, e := range l.Items {
				if len(e.Evidence) == 0 {
					t.Errorf("%s has no evidence", e.Slug)
				}
			}
			var sl handlers.List[models.Statement]
			c.get("/api/v1/statements"+q("limit", "50")).want(t, 200, &sl)
			for _, s := range sl.Items {
				if len(s.Evidence) == 0 {
					t.Errorf("statement %s has no evidence", s.ID)
				}
			}
		})
	})
}
